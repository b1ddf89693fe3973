"""A plugin that fails, or returns what gitspec cannot use: one line naming the plugin and what it was
doing, exit 2 (a broken plugin is a configuration problem, not gitspec's internal error), the traceback
of an exception in a crash log, and with `build --json` an error event then the complete event."""
from __future__ import annotations

import json

import pytest

from conftest import CONFIG, NOTES_SCHEMA, product_workspace, requirement, requirements_doc, run_gitspec
from test_renderer_plugins import install

HEAD = '''
from pathlib import Path
from gitspec import hookimpl
from gitspec.kinds import Kind
from gitspec.stage import Output, Stage

@hookimpl
def gitspec_kinds():
    return [Kind("notes", Path(__file__).parent / "notes.schema.json")]

class Renderer:
    name, version = "txt", "1"
    def page_files(self, site, page, assets):
        return {page.id + ".txt": page.title.encode()}
    def site_files(self, site, assets):
        return {}
'''

STAGE = '''
def count(inp):
    {body}

@hookimpl
def gitspec_stages():
    return [Stage("req-count", "1", "counted", "notes", "Counted", ("reqs#items",),
                  (Output("count", ("reqs#items",)),), count)]
'''

PLUGIN = "gitspec-broken (entry point broken)"
VERSION = "it must be a non-empty string (bump it when the same tree renders differently)"


@pytest.fixture
def broken(repo, tmp_path):
    """(workspace, environment) with the plugin whose module ends in `source`."""

    def make(source: str, formats: str = "[]"):
        ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))},
                  config=CONFIG.replace("formats: []", f"formats: {formats}"))
        env = install(tmp_path / "site", "gitspec-broken", "broken", HEAD + source)
        (tmp_path / "site" / "notes.schema.json").write_text(NOTES_SCHEMA)
        return ws, env

    return make


def one_line(result, exit_code: int = 2) -> str:
    assert result.code == exit_code and "Traceback" not in result.out + result.err, result
    [line] = result.err.splitlines()
    return line


def test_a_stage_that_raises_names_its_plugin_and_stage(broken):
    ws, env = broken(STAGE.format(body="raise KeyError('priority')"))
    line = one_line(run_gitspec(ws, "build", env=env))
    assert line.startswith(f"gitspec: error: plugin {PLUGIN}: stage 'req-count' raised KeyError: 'priority' "
                           "(the traceback is in "), line
    [log] = (ws / ".gitspec" / "logs").glob("crash-*.log")
    assert "raise KeyError('priority')" in log.read_text()
    streamed = run_gitspec(ws, "build", "--json", env=env)
    events = [json.loads(event) for event in streamed.out.splitlines()]
    assert streamed.code == 2 and events[-2]["event"] == "error" and events[-2]["stage"] == "req-count", streamed
    assert events[-2]["message"].startswith(f"plugin {PLUGIN}: stage 'req-count' raised KeyError")
    assert events[-1] == {"event": "complete", "stage": "", "progress": 100, "exit_code": 2}


@pytest.mark.parametrize("body, problem", [
    ("return {'count': {1, 2}}", "returned a value that cannot be stored: Object of type set is not JSON serializable"),
    ("return [1]", "returned a list, not a mapping of section to value"),
    ("return {}", "returned no count"),
    # before, an internal error (UnicodeEncodeError), exit 3
    ("return {'count': ['a\\ud800b']}", "returned text that cannot be stored: a lone surrogate U+D800, which is no "
                                       "Unicode character"),
])
def test_a_stage_whose_sections_cannot_be_written_names_its_plugin(broken, body, problem):
    ws, env = broken(STAGE.format(body=body))
    assert one_line(run_gitspec(ws, "build", env=env)) == f"gitspec: error: plugin {PLUGIN}: stage 'req-count' {problem}"
    assert not (ws / "specs" / "counted.yaml").exists()


MARKDOWN_STAGE = '''
@hookimpl
def gitspec_kinds():  # (in place of HEAD's)
    return [Kind("journal", Path(__file__).parent / "notes.schema.json", suffix=".md")]

@hookimpl
def gitspec_stages():
    return [Stage("req-journal", "1", "journal", "journal", "Journal", ("reqs#items",),
                  (Output("entry", ("reqs#items",)),), lambda inp: {{"entry": {value}}})]
'''


@pytest.mark.parametrize("value, problem", [
    # before, an internal error (DocumentProblem: binary file), exit 3
    ("'a\\x00b'", "returned text holding a NUL character (U+0000) for the section 'entry' of a Markdown document, "
                  "which cannot hold it"),
    # before, exit 1 (findings), naming no plugin
    ("3", "returned an int for the section 'entry' of a Markdown document, which holds only text"),
    ("['a', 'b']", "returned a list for the section 'entry' of a Markdown document, which holds only text"),
])
def test_a_stage_whose_text_a_markdown_document_cannot_hold_names_its_plugin(broken, value, problem):
    ws, env = broken(MARKDOWN_STAGE.format(value=value))
    line = one_line(run_gitspec(ws, "build", env=env))
    assert line == f"gitspec: error: plugin {PLUGIN}: stage 'req-journal' {problem}"
    assert not (ws / "specs" / "journal.md").exists()


def test_a_provider_whose_text_cannot_be_stored_names_its_plugin(broken):
    # Before, a lone surrogate in a provider's answer was an internal error (UnicodeEncodeError), exit 3.
    source = ("class Fake:\n    name, model = 'fake', 'fake-1'\n"
              "    def fill(self, **kwargs):\n        return 'broken \\udc80 text'\n\n"
              "@hookimpl\ndef gitspec_providers():\n    return {'fake': lambda options: Fake()}\n")
    ws, env = broken(source + STAGE.format(body="return {'count': inp.provider.fill(stage='req-count', "
                                                "section='count', draft='', prompt='')}"))
    (ws / "gitspec.yaml").write_text((ws / "gitspec.yaml").read_text() + "provider: fake\n")
    line = one_line(run_gitspec(ws, "build", env=env))
    assert line == (f"gitspec: error: plugin {PLUGIN}: provider 'fake' returned text that cannot be stored: "
                    "a lone surrogate U+DC80, which is no Unicode character")
    assert not (ws / "specs" / "counted.yaml").exists()


@pytest.mark.parametrize("renderer, problem", [
    ("page_files = lambda self, site, page, assets: None", "page_files returned None, not a mapping of path to bytes"),
    ("site_files = lambda self, site, assets: None", "site_files returned None, not a mapping of path to bytes"),
    ("site_files = lambda self, site, assets: ['index.txt']", "site_files returned a list, not a mapping of path to bytes"),
    ("page_files = lambda self, site, page, assets: {'a.txt': 'text'}",
     "page_files returned a str -> a str, not a mapping of path (str) to bytes"),
    ("version = None", f"has no version: {VERSION}"),
    ("version = ''", f"has version '': {VERSION}"),  # before, "has version '', not a string", which it is
    ("version = 2", f"has version 2: {VERSION}"),
    # before, an internal error (TypeError: 'NoneType' object is not iterable), exit 3
    ("volatile = None", "has volatile None: it must be a list of the paths (str) of files a watch rewrites in place, "
                        "or be left out"),
    ("volatile = 'live.js'", "has volatile 'live.js': it must be a list of the paths (str) of files a watch rewrites "
                             "in place, or be left out"),
    # before, taken as True
    ("page_navigation = 'ids'", "has page_navigation 'ids': it must be True, False or None"),
    # before, an internal error (AttributeError: 'str' object has no attribute 'clear'), exit 3
    ("refused = 'http://x'", "has refused 'http://x': it must be a list of the URLs (str) a render refused to fetch, "
                             "or None"),
    ("pages_files = 3", "has pages_files 3: it must be a method, or be left out"),
])
def test_a_renderer_returning_what_cannot_be_written_names_its_plugin(broken, renderer, problem):
    source = f"class Broken(Renderer):\n    {renderer}\n\n@hookimpl\ndef gitspec_renderers():\n    return [Broken()]\n"
    ws, env = broken(source)
    line = one_line(run_gitspec(ws, "render", "--format", "txt", env=env))
    assert line == f"gitspec: error: plugin {PLUGIN}: renderer 'txt' {problem}"


def test_a_renderer_that_raises_names_its_plugin_and_the_page(broken):
    source = ("class Broken(Renderer):\n    def page_files(self, site, page, assets):\n        raise ValueError('no')\n"
              "\n@hookimpl\ndef gitspec_renderers():\n    return [Broken()]\n")
    ws, env = broken(source)
    line = one_line(run_gitspec(ws, "render", "--format", "txt", env=env))
    assert line.startswith(f"gitspec: error: plugin {PLUGIN}: renderer 'txt' page_files for ")
    assert " raised ValueError: no (the traceback is in " in line


@pytest.mark.parametrize("attribute", ["name", "version", "volatile", "page_navigation", "refused", "pages_files"])
def test_a_renderer_attribute_that_raises_names_its_plugin(broken, attribute):
    # Before, a name property that raised was an internal error, exit 3; so were the optional attributes.
    source = (f"class Broken(Renderer):\n    @property\n    def {attribute}(self):\n        raise ValueError('no')\n"
              "\n@hookimpl\ndef gitspec_renderers():\n    return [Broken()]\n")
    ws, env = broken(source)
    line = one_line(run_gitspec(ws, "render", "--format", "txt", env=env))
    doing = "renderer name" if attribute == "name" else f"renderer 'txt' {attribute}"
    assert line.startswith(f"gitspec: error: plugin {PLUGIN}: {doing} raised ValueError: no (the traceback is in "), line


@pytest.mark.parametrize("hook, problem", [
    ("def gitspec_renderers():\n    raise RuntimeError('boom')", "gitspec_renderers raised RuntimeError: boom"),
    ("def gitspec_renderers():\n    return Renderer()", "gitspec_renderers returned a Renderer, not a list of renderers"),
])
def test_a_renderers_hook_that_fails_names_its_plugin(broken, hook, problem):
    ws, env = broken(f"@hookimpl\n{hook}\n")
    line = one_line(run_gitspec(ws, "render", "--format", "html", env=env))
    assert line.startswith(f"gitspec: error: plugin {PLUGIN}: {problem}"), line


def test_a_check_hook_returning_one_finding_names_its_plugin(broken):
    source = ("from gitspec.findings import error\n\n@hookimpl\ndef gitspec_check_document(document):\n"
              "    return error(document.path, 1, 1, 'bad', 'rule')\n")
    ws, env = broken(source)
    line = one_line(run_gitspec(ws, "check", env=env))
    assert line == f"gitspec: error: plugin {PLUGIN}: gitspec_check_document returned a Finding, not a list of " \
                   "gitspec.findings.Finding"


RECORDS = ("from gitspec.findings import Finding, error\nfrom gitspec.symbols import Definition, Reference\n\n"
           "@hookimpl\ndef {hook}({argument}):\n    return [{records}]\n")
AT = "document.path, 1, 1"


@pytest.mark.parametrize("hook, argument, records, problem", [
    # before, an internal error (ValueError: unmarshallable object), exit 3
    ("gitspec_check_document", "document", "error(Path(document.path), 1, 1, 'needs pricing', 'pricing')",
     "a Finding whose path is a PosixPath, not a non-empty str (the workspace path, as document.path gives it)"),
    # before, 'specs/reqs.yaml:None:None: error: unknown id', and with a second reference at 1:1, an internal
    # error (TypeError: '<' not supported between instances of 'int' and 'NoneType'), exit 3
    ("gitspec_document_symbols", "document", "Reference('FEAT-999', ('feature',), 'reqs', 'links', document.path, "
     f"None, None), Reference('FEAT-998', ('feature',), 'reqs', 'links', {AT})",
     "a Reference whose line is None, not an int of 1 or more"),
    ("gitspec_document_symbols", "document", f"Reference('FEAT-999', 'feature', 'reqs', 'links', {AT})",
     "a Reference whose namespaces is 'feature', not a non-empty tuple of non-empty str"),
    ("gitspec_document_symbols", "document", "Definition('NOTE-1', 'note', document.path, 0, 1)",
     "a Definition whose line is 0, not an int of 1 or more"),
    ("gitspec_check_document", "document", f"error({AT}, 'needs pricing', None)",
     "a Finding whose rule is None, not a non-empty str"),
    ("gitspec_check_document", "document", f"Finding({AT}, 'info', 'needs pricing', 'pricing')",
     "a Finding whose severity is 'info', not 'error' or 'warning'"),
    ("gitspec_check_workspace", "workspace", "error('specs/reqs.yaml', 1, True, 'x', 'rule')",
     "a Finding whose col is True, not an int of 1 or more"),
    ("gitspec_check_workspace", "workspace", "error('specs/reqs.yaml', 1, 1, 'bad \\udc80', 'rule')",
     "a Finding whose message holds a lone surrogate U+DC80, which is no Unicode character"),
])
def test_a_record_with_a_field_gitspec_cannot_use_names_its_plugin_and_the_field(broken, hook, argument, records,
                                                                                 problem):
    ws, env = broken(RECORDS.format(hook=hook, argument=argument, records=records))
    for args in (("check",), ("check", "--no-cache")):
        line = one_line(run_gitspec(ws, *args, env=env))
        assert line == f"gitspec: error: plugin {PLUGIN}: {hook} returned {problem}"


def test_a_plugin_that_cannot_be_imported_names_itself(broken):
    ws, env = broken("import gitspec_no_such_module\n")
    line = one_line(run_gitspec(ws, "check", env=env))
    assert line.startswith(f"gitspec: error: plugin {PLUGIN}: importing broken_plugin raised ModuleNotFoundError: "
                           "No module named 'gitspec_no_such_module' (the traceback is in "), line


def test_a_plugin_reports_a_clean_error_with_gitspec_error(broken):
    ws, env = broken(STAGE.format(body="from gitspec.errors import GitspecError\n"
                                       "    raise GitspecError('set plugins.req-count.limit in gitspec.yaml')"))
    assert one_line(run_gitspec(ws, "build", env=env)) == "gitspec: error: set plugins.req-count.limit in gitspec.yaml"
    assert not (ws / ".gitspec" / "logs").exists()


CLASHING = '''
@hookimpl
def gitspec_stages():
    return [Stage("req-digest", "1", {document!r}, {kind!r}, "Digest", ("reqs#items",),
                  (Output({section!r}, ({depends_on!r},)),), lambda inp: {{{section!r}: 1}})]
'''


@pytest.mark.parametrize("document, kind, section, depends_on, problem", [
    ("product", "notes", "digest", "reqs#items",
     "writes the document 'product' as kind 'notes', but stage 'product' (plugin builtin-stages) writes it as kind "
     "'product'"),
    ("product", "product", "tagline", "reqs#items",
     "writes product#tagline, which stage 'product' (plugin builtin-stages) writes too"),
    ("digest", "notes", "digest", "reqs#title",
     "declares an output digest#digest depending on reqs#title, which is not one of its inputs"),
])
def test_a_stage_declaration_that_clashes_blames_the_plugin_that_declares_it(broken, document, kind, section,
                                                                            depends_on, problem):
    # Before, a plugin's stage writing the document 'product' as another kind blamed gitspec's own
    # stages ("plugin builtin-stages: stage 'product' writes the document 'product' as kind 'product'"),
    # and two stages writing one section, or an output depending on what is not an input, named no plugin.
    ws, env = broken(CLASHING.format(document=document, kind=kind, section=section, depends_on=depends_on))
    for command in ("build", "status"):
        line = one_line(run_gitspec(ws, command, env=env))
        assert line == f"gitspec: error: plugin {PLUGIN}: stage 'req-digest' {problem}", line
    assert sorted(p.name for p in (ws / "specs").iterdir()) == [".keep", "reqs.yaml"]


def test_two_plugins_declaring_one_kind_are_named_in_full(broken, tmp_path):
    # Before: "kind 'notes' is declared by two plugins: broken, twin", entry points alone.
    ws, env = broken("")
    install(tmp_path / "site", "gitspec-twin", "twin", HEAD)
    line = one_line(run_gitspec(ws, "check", env=env))
    twin = "plugin gitspec-twin (entry point twin)"
    said = "declares the kind 'notes', which is declared already by"
    assert line in (f"gitspec: error: plugin {PLUGIN}: {said} {twin}",
                    f"gitspec: error: {twin}: {said} plugin {PLUGIN}"), line


def test_two_plugins_declaring_one_stage_are_named(broken, tmp_path):
    ws, env = broken(STAGE.format(body="return {'count': 1}"))
    twin = "from gitspec import hookimpl\nfrom gitspec.stage import Output, Stage\n"
    install(tmp_path / "site", "gitspec-twin", "twin", twin + STAGE.format(body="return {'count': 2}"))
    line = one_line(run_gitspec(ws, "build", env=env))
    assert line.startswith("gitspec: error: stage 'req-count' is declared twice: by plugin "), line
    assert f"plugin {PLUGIN}" in line and "plugin gitspec-twin (entry point twin)" in line, line


def test_a_stage_declaring_a_header_key_names_its_plugin_calling_its_hook_once(broken):
    # Before, naming the plugin called gitspec_stages again, outside any blame: a hook that fails
    # the second time (or counts its calls) made it an internal error, exit 3.
    calls = "calls = []\n\n@hookimpl\ndef gitspec_stages():\n    calls.append(1)\n    assert len(calls) == 1\n"
    source = calls + ("    return [Stage('titler', '1', 'counted', 'notes', 'Counted', ('reqs#items',),\n"
                      "                  (Output('title', ('reqs#items',)),), lambda inp: {})]\n")
    ws, env = broken(source)
    line = one_line(run_gitspec(ws, "build", env=env))
    assert line.startswith(f"gitspec: error: plugin {PLUGIN}: stage 'titler' declares an output counted#title, "
                           "but 'title' is a header key"), line


def test_a_batch_renderer_giving_a_page_twice_names_its_plugin_and_its_render_stage(broken):
    # Before, the line did not name the plugin, and build --json's error event had no stage.
    source = ("class Broken(Renderer):\n    def pages_files(self, site, pages, assets):\n"
              "        for page in [*pages, pages[0]]:\n            yield page, self.page_files(site, page, assets)\n"
              "\n@hookimpl\ndef gitspec_renderers():\n    return [Broken()]\n")
    ws, env = broken(source, formats="[txt]")
    line = one_line(run_gitspec(ws, "render", "--format", "txt", env=env))
    assert line.startswith(f"gitspec: error: plugin {PLUGIN}: renderer 'txt' pages_files gave files for '"), line
    assert line.endswith("', which it was not asked for or gave before"), line
    streamed = run_gitspec(ws, "build", "--json", env=env)
    events = [json.loads(event) for event in streamed.out.splitlines()]
    assert streamed.code == 2 and events[-2]["event"] == "error" and events[-2]["stage"] == "render:txt", streamed
    assert events[-2]["message"].startswith(f"plugin {PLUGIN}: renderer 'txt' pages_files gave files for ")


@pytest.mark.parametrize("marker", ["wrapper=True", "hookwrapper=True"])
def test_a_hook_wrapper_is_refused_naming_its_plugin(broken, marker):
    # Before, call_each called the wrapper as an implementation: "returned a generator, not a list".
    ws, env = broken(f"@hookimpl({marker})\ndef gitspec_check_document(document):\n    result = yield\n"
                     "    return result\n")
    for command in ("check", "build"):
        assert one_line(run_gitspec(ws, command, env=env)) == (
            f"gitspec: error: plugin {PLUGIN}: gitspec_check_document is a hook wrapper, which gitspec does not "
            "support: drop wrapper=True (or hookwrapper=True) and return the result")


@pytest.mark.parametrize("hook, problem", [
    # before, pluggy's message over three lines, printed as one with a literal \n between them: "Plugin 'broken'
    # for hook 'gitspec_check_document'\nhookimpl definition: ...\nArgument(s) {'doc'} are declared in the ..."
    ("gitspec_check_document(doc, config)", "gitspec_check_document takes the argument doc, which gitspec does not "
     "pass: it passes the arguments document and config (take any of them, by name)"),
    ("gitspec_document_symbols(doc, cfg)", "gitspec_document_symbols takes the arguments doc and cfg, which gitspec "
     "does not pass: it passes the argument document (take any of them, by name)"),
    ("gitspec_stages(config)", "gitspec_stages takes the argument config, which gitspec does not pass: it passes none"),
])
def test_a_hook_taking_an_argument_gitspec_does_not_pass_names_its_plugin_and_the_argument(broken, hook, problem):
    ws, env = broken(f"@hookimpl\ndef {hook}:\n    return []\n")
    for command in ("check", "build"):
        assert one_line(run_gitspec(ws, command, env=env)) == f"gitspec: error: plugin {PLUGIN}: {problem}"


def test_a_misspelt_hook_is_refused_naming_its_plugin_and_the_hook_it_may_mean(broken):
    # Before, gitspec_stage (for gitspec_stages) was registered as a hook no one calls: the stage never ran,
    # and nothing said why.
    ws, env = broken(STAGE.format(body="return {'count': 1}").replace("def gitspec_stages", "def gitspec_stage"))
    for command in ("check", "build"):
        assert one_line(run_gitspec(ws, command, env=env)) == (
            f"gitspec: error: plugin {PLUGIN}: unknown hook 'gitspec_stage' (did you mean 'gitspec_stages'?)")
    assert not (ws / "specs" / "counted.yaml").exists()


def test_an_optional_hook_that_gitspec_does_not_declare_is_allowed(broken):
    ws, env = broken("@hookimpl(optionalhook=True)\ndef gitspec_later_hook():\n    return []\n")
    assert run_gitspec(ws, "check", env=env).code == 0


def test_a_hook_not_marked_hookimpl_is_warned_about_naming_its_plugin(broken):
    # Before, a gitspec_renderers without @hookimpl was silently never called.
    ws, env = broken("def gitspec_renderers():\n    return [Renderer()]\n")
    built = run_gitspec(ws, "build", "--no-render", env=env)
    assert built.code == 0, built
    assert built.err.splitlines()[0] == (f"gitspec: warning: plugin {PLUGIN}: gitspec_renderers is not marked "
                                         "@hookimpl, so gitspec never calls it")


@pytest.mark.parametrize("path", ["../x.txt", "/tmp/x.txt", "a/../../x.txt"])
def test_a_renderer_path_outside_its_folder_names_its_plugin_and_its_render_stage(broken, path):
    # Before: "gitspec: error: renderer wrote outside its folder: ../x.txt", naming no plugin (and nothing
    # had been written), and build --json's error event had the stage "".
    source = ("class Broken(Renderer):\n    def page_files(self, site, page, assets):\n"
              f"        return {{{path!r}: b'x'}}\n\n@hookimpl\ndef gitspec_renderers():\n    return [Broken()]\n")
    ws, env = broken(source, formats="[txt]")
    problem = f"plugin {PLUGIN}: renderer 'txt' page_files returned {path!r}, a path outside its folder"
    assert one_line(run_gitspec(ws, "render", "--format", "txt", env=env)) == f"gitspec: error: {problem}"
    streamed = run_gitspec(ws, "build", "--json", env=env)
    events = [json.loads(event) for event in streamed.out.splitlines()]
    assert streamed.code == 2 and events[-2] == {"event": "error", "stage": "render:txt", "progress": 100, "file": None,
                                                 "line": None, "col": None, "message": problem}, streamed
    assert not (ws / "build" / "x.txt").exists() and not (ws.parent / "x.txt").exists()


@pytest.mark.parametrize("path, problem", [
    ("sub/../reqs.txt", "not a plain relative path (write 'reqs.txt')"),
    ("./reqs.txt", "not a plain relative path (write 'reqs.txt')"),
    ("sub//reqs.txt", "not a plain relative path (write 'sub/reqs.txt')"),
    ("sub/", "not a plain relative path (write 'sub')"),
    ("", "not a plain relative path (names joined by single '/', none of them '.' or '..', and no '\\')"),
    ("sub\\reqs.txt", "not a plain relative path (names joined by single '/', none of them '.' or '..', and no '\\')"),
])
def test_a_renderer_path_that_is_not_plain_is_refused_before_anything_is_written(broken, path, problem):
    # Before, 'sub/../reqs.txt' was written, then its manifest entry dropped as damaged: every render rendered
    # every page again, and a format no longer asked for left the file behind.
    source = ("class Broken(Renderer):\n    def page_files(self, site, page, assets):\n"
              f"        return {{{path!r}: b'x'}}\n\n@hookimpl\ndef gitspec_renderers():\n    return [Broken()]\n")
    ws, env = broken(source)
    line = one_line(run_gitspec(ws, "render", "--format", "txt", env=env))
    assert line == f"gitspec: error: plugin {PLUGIN}: renderer 'txt' page_files returned {path!r}, {problem}"
    assert not [path for path in (ws / "build").rglob("*") if path.is_file()]


def test_a_renderer_path_holding_a_nul_names_its_plugin(broken):
    # Before: "internal error (ValueError: embedded null byte)", exit 3, and build --json then ended with
    # no error event and no complete event.
    source = ("class Broken(Renderer):\n    def page_files(self, site, page, assets):\n"
              "        return {page.id + '\\0.txt': b'x'}\n\n@hookimpl\ndef gitspec_renderers():\n"
              "    return [Broken()]\n")
    ws, env = broken(source, formats="[txt]")
    problem = f"plugin {PLUGIN}: renderer 'txt' page_files returned 'reqs\\x00.txt', a path holding a NUL character"
    assert one_line(run_gitspec(ws, "render", "--format", "txt", env=env)) == f"gitspec: error: {problem}"
    streamed = run_gitspec(ws, "build", "--json", env=env)
    events = [json.loads(event) for event in streamed.out.splitlines()]
    assert streamed.code == 2 and events[-2]["stage"] == "render:txt" and events[-2]["message"] == problem, streamed
    assert events[-1] == {"event": "complete", "stage": "", "progress": 100, "exit_code": 2}


@pytest.mark.parametrize("claimed, exit_code", [(0, 2), (3, 2), (7, 2), (None, 2), (1, 1), (2, 2)])
def test_a_plugins_clean_error_exits_1_or_2_whatever_code_it_carries(broken, claimed, exit_code):
    # Before, a renderer's GitspecError with exit_code=0 printed "error:", stopped the render and exited 0,
    # and exit_code=3 (gitspec's internal error) or 7 passed through.
    source = ("from gitspec.errors import GitspecError\n\nclass Broken(Renderer):\n"
              "    def page_files(self, site, page, assets):\n"
              f"        raise GitspecError('set plugins.txt.style in gitspec.yaml', exit_code={claimed})\n"
              "\n@hookimpl\ndef gitspec_renderers():\n    return [Broken()]\n")
    ws, env = broken(source, formats="[txt]")
    line = one_line(run_gitspec(ws, "render", "--format", "txt", env=env), exit_code)
    assert line == "gitspec: error: set plugins.txt.style in gitspec.yaml"
    streamed = run_gitspec(ws, "build", "--json", env=env)
    *_, error, complete = [json.loads(event) for event in streamed.out.splitlines()]
    assert streamed.code == exit_code and complete["exit_code"] == exit_code, streamed
    assert error["stage"] == "render:txt" and error["message"] == "set plugins.txt.style in gitspec.yaml"


SHARING = '''
class Sharing(Renderer):
    page_navigation = False

    def page_files(self, site, page, assets):
        shared = b"clash" if "CLASH" in page.title else b"the same for every page"
        files = {page.id + ".txt": page.title.encode(), "shared.txt": shared}
        if "INDEX" in page.title:
            files["index.txt"] = page.title.encode()
        return files

    def site_files(self, site, assets):
        return {"index.txt": b"the index"}

@hookimpl
def gitspec_renderers():
    return [Sharing()]
'''


@pytest.fixture
def sharing(broken):
    """(workspace, environment, a function changing the title of document reqs) with two documents."""
    ws, env = broken(SHARING)
    (ws / "specs" / "more.yaml").write_text(requirements_doc("more", requirement("REQ-002")))
    spec = ws / "specs" / "reqs.yaml"

    def retitle(title: str) -> None:
        spec.write_text(spec.read_text().replace("title: Requirements\n", f"title: {title}\n"))

    return ws, env, retitle


def test_pages_sharing_a_file_with_the_same_bytes_render_once(sharing):
    ws, env, _ = sharing
    assert run_gitspec(ws, "render", "--format", "txt", env=env).code == 0
    again = run_gitspec(ws, "render", "--format", "txt", env=env)
    assert again.code == 0 and "rendered" not in again.out, again
    assert (ws / "build" / "txt" / "shared.txt").read_bytes() == b"the same for every page"


@pytest.mark.parametrize("title, clash", [
    ("Requirements CLASH", "'shared.txt' for page more and for page reqs"),
    ("Requirements INDEX", "'index.txt' for page reqs and for the site files"),
])
def test_two_results_giving_one_file_different_bytes_name_the_plugin_and_both(sharing, title, clash):
    # Before, each render found the other's write changed "by hand" and rendered again: the render never
    # settled, and nothing said why.
    ws, env, retitle = sharing
    retitle(title)
    problem = f"plugin {PLUGIN}: renderer 'txt' returned {clash}, with different contents (its results may share " \
              "a file only with the same bytes)"
    for _ in range(2):
        assert one_line(run_gitspec(ws, "render", "--format", "txt", env=env)) == f"gitspec: error: {problem}"


def test_a_page_giving_a_file_a_page_not_rendered_again_gave_other_bytes_is_refused(sharing):
    # Only reqs renders again: without comparing with the file more left, each render would undo the other's.
    ws, env, retitle = sharing
    assert run_gitspec(ws, "render", "--format", "txt", env=env).code == 0
    retitle("Requirements CLASH")
    line = one_line(run_gitspec(ws, "render", "--format", "txt", env=env))
    assert line.startswith(f"gitspec: error: plugin {PLUGIN}: renderer 'txt' returned 'shared.txt' for page more "
                           "and for page reqs, with different contents"), line
    assert (ws / "build" / "txt" / "shared.txt").read_bytes() == b"the same for every page"


def test_a_built_in_stages_error_names_its_stage_in_build_events(tmp_path):
    # Before, the `error` event of a built-in stage's own GitspecError had "stage": "", where a
    # third-party stage's names it.
    root = product_workspace(tmp_path / "ws")
    architecture = root / "specs" / "architecture.yaml"
    text = architecture.read_text()
    assert "\n  schemas:\n" in text  # apiContract's, which the openapi section is generated from
    architecture.write_text(text.replace("\n  schemas:\n", "\n  schemas:\n    Remote:\n"
                                         "      $ref: https://example.invalid/remote.json\n", 1))
    assert run_gitspec(root, "pin", "architecture#apiContract").code == 0  # keep the edit: openapi is now stale
    streamed = run_gitspec(root, "build", "--json", "--no-render")
    events = [json.loads(line) for line in streamed.out.splitlines()]
    assert streamed.code == 1 and events[-2]["event"] == "error", streamed
    assert "is not local" in events[-2]["message"] and events[-2]["stage"] == "architecture", streamed


NESTING = '''
class Nesting(Renderer):
    page_navigation = False

    def page_files(self, site, page, assets):
        files = {f"pages/{page.id}.txt": page.title.encode()}
        if "FOLDER" in page.title:
            files[f"pages/{page.id}.txt/inner.txt"] = b"inside a file"
        if "OTHER" in page.title:
            files["pages/more.txt/inner.txt"] = b"inside another page's file"
        return files

    def site_files(self, site, assets):
        return {"pages": b"an index named as the pages' folder"} if any("SITE" in p.title for p in site.pages) else {}

@hookimpl
def gitspec_renderers():
    return [Nesting()]
'''


@pytest.mark.parametrize("title, clash", [
    ("Requirements SITE", "'pages' for the site files and 'pages/more.txt' for page more: 'pages'"),
    ("Requirements FOLDER", "'pages/reqs.txt' and 'pages/reqs.txt/inner.txt' for page reqs: 'pages/reqs.txt'"),
    ("Requirements OTHER", "'pages/more.txt' for page more and 'pages/more.txt/inner.txt' for page reqs: "
                           "'pages/more.txt'"),
])
def test_a_path_that_is_a_file_in_one_result_and_a_folder_in_another_is_refused_naming_the_plugin(sharing, title,
                                                                                                   clash):
    # Before: "cannot write build/txt/pages: Is a directory", naming no plugin, after writing part of the
    # result, and every later render failed the same way.
    ws, env, retitle = sharing
    (ws.parent / "site" / "broken_plugin.py").write_text(HEAD + NESTING)
    assert run_gitspec(ws, "render", "--format", "txt", env=env).code == 0
    txt = ws / "build" / "txt"
    before = sorted(str(p.relative_to(txt)) for p in txt.rglob("*"))
    retitle(title)
    problem = f"plugin {PLUGIN}: renderer 'txt' returned {clash} cannot be both a file and a folder"
    for _ in range(2):  # pages not rendered again count as much as those that are
        assert one_line(run_gitspec(ws, "render", "--format", "txt", env=env)) == f"gitspec: error: {problem}"
        assert sorted(str(p.relative_to(txt)) for p in txt.rglob("*")) == before
    # the page reqs is written as it renders, before the site files are asked for; those of the result refused, never
    assert (txt / "pages" / "reqs.txt").read_text() == ("Requirements SITE" if "SITE" in title else "Requirements")
