"""How gitspec drives third-party stage and kind plugins: what it refuses before any stage runs."""
from __future__ import annotations

import pytest

from conftest import CONFIG, NOTES_SCHEMA, git, install_plugin, requirement, requirements_doc, run_gitspec

REQS = requirements_doc("reqs", requirement("REQ-001"))
HEADER = "from gitspec import hookimpl\nfrom gitspec.kinds import Kind\nfrom gitspec.stage import Output, Stage\n" \
         "from pathlib import Path\nHERE = Path(__file__).resolve().parent\n"


def _plugin(tmp_path, name: str, code: str, files: dict[str, str] | None = None) -> dict:
    return install_plugin(tmp_path / name, name, {f"{name}.py": HEADER + code, **(files or {})})


@pytest.mark.parametrize("key", ["title", "id", "generated"])
def test_a_stage_output_named_after_a_header_key_is_refused_before_anything_is_written(repo, tmp_path, key):
    env = _plugin(tmp_path, "headline", (
        "@hookimpl\ndef gitspec_stages():\n"
        f"    return [Stage('headline', '1', 'reqs', 'requirements', 'Reqs', ('reqs#items',),\n"
        f"                  (Output('{key}', ('reqs#items',)),), lambda inp: {{'{key}': 'Generated'}})]\n"))
    root = repo({"specs/reqs.yaml": REQS})
    for command in ("build", "status"):
        result = run_gitspec(root, command, env=env)
        assert result.code == 2, result
        assert result.err.count("\n") == 1 and "Traceback" not in result.err
        assert f"plugin headline: stage 'headline' declares an output reqs#{key}" in result.err
        assert f"'{key}' is a header key" in result.err
    assert (root / "specs" / "reqs.yaml").read_text() == REQS


@pytest.mark.parametrize("document, inputs, output, problem", [
    ("notes", "'reqs#items'", "x/y", "declares an output 'x/y', which no address can name: a section name is "
                                     "letters, digits, '_' and '-'"),
    ("notes", "'reqs#items'", "a#b", "declares an output 'a#b', which no address can name"),
    ("notes", "'reqs#items'", "two words", "declares an output 'two words', which no address can name"),
    ("My notes", "'reqs#items'", "count", "writes the document 'My notes', which no address can name: a document "
                                          "id is lower-case letters, digits and '-'"),
    ("notes", "'reqs'", "count", "declares an input 'reqs', which is not an address (DOC-ID#SECTION[/pointer]; "
                                 "a section name is letters, digits, '_' and '-')"),
    ("notes", "'reqs#items', 'reqs#a#b'", "count", "declares an input 'reqs#a#b', which is not an address"),
])
def test_a_stage_writing_or_reading_what_no_address_can_name_is_refused_naming_its_plugin(repo, tmp_path, document,
                                                                                          inputs, output, problem):
    # Before, outputs 'x/y' and 'a#b' were written, then could be neither pinned nor forced (`build --force`
    # suggested the very name it refused); an input 'reqs' was "'reqs' is not an address", naming no stage.
    env = _plugin(tmp_path, "oddnames", (
        "@hookimpl\ndef gitspec_stages():\n"
        f"    return [Stage('odd', '1', {document!r}, 'notes', 'Odd', ({inputs},),\n"
        f"                  (Output({output!r}, ('reqs#items',)),), lambda inp: {{{output!r}: 'Generated'}})]\n"))
    root = repo({"specs/reqs.yaml": REQS})
    for command in ("build", "status"):
        result = run_gitspec(root, command, env=env)
        assert result.code == 2 and "Traceback" not in result.err and result.err.count("\n") == 1, result
        assert result.err.startswith(f"gitspec: error: plugin oddnames: stage 'odd' {problem}"), result
    assert sorted(p.name for p in (root / "specs").iterdir()) == [".keep", "reqs.yaml"]


# No `$id`: its relative `$ref` has no base to resolve against, so the schema cannot be loaded.
UNLOADABLE_SCHEMA = ('{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", '
                     '"$ref": "common.schema.json#/$defs/header"}')
DIGEST = ("@hookimpl\ndef gitspec_kinds():\n"
          "    return [Kind('digest', HERE / 'digest.schema.json', suffix='{suffix}')]\n"
          "@hookimpl\ndef gitspec_stages():\n"
          "    return [Stage('req-digest', '1', 'req-digest', 'digest', 'Requirement digest', ('reqs#items',),\n"
          "                  (Output('digest', ('reqs#items',)),),\n"
          "                  lambda inp: {{'digest': 'There are **%d** requirements.' % len(inp.get('reqs#items'))}})]\n")


def test_an_output_kind_whose_schema_cannot_be_loaded_stops_the_build_before_any_stage_runs(repo, tmp_path):
    env = _plugin(tmp_path, "digest", DIGEST.format(suffix=".yaml"), {"digest.schema.json": UNLOADABLE_SCHEMA})
    root = repo({"specs/reqs.yaml": REQS})
    result = run_gitspec(root, "build", env=env)
    assert result.code == 2, result
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "digest.schema.json:1:1: error: schema of kind 'digest' is not a valid JSON Schema" in result.err
    assert result.out == "" and sorted(p.name for p in (root / "specs").iterdir()) == [".keep", "reqs.yaml"]


DIGEST_SCHEMA = ('{"$schema": "https://json-schema.org/draft/2020-12/schema", '
                 '"$id": "https://gitspec.dev/schemas/digest.schema.json", "type": "object", '
                 '"$ref": "common.schema.json#/$defs/header", "properties": {"digest": {"type": "string"}}}')


def test_a_stage_creates_a_missing_markdown_document_with_its_kinds_suffix(repo, tmp_path):
    env = _plugin(tmp_path, "digest", DIGEST.format(suffix=".md").replace("requirements.'", "requirements.  \\n\\n'"),
                  {"digest.schema.json": DIGEST_SCHEMA})
    root = repo({"specs/reqs.yaml": REQS})
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0 and "regenerated req-digest#digest" in built.out, built
    assert sorted(p.name for p in (root / "specs").iterdir()) == [".keep", "req-digest.md", "reqs.yaml"]
    text = (root / "specs" / "req-digest.md").read_text()
    assert text.startswith('---\nkind: "digest"\nid: "req-digest"\n---\n\n# Requirement digest\n\n## Digest\n\n'
                           "<!-- gitspec:generated {")
    assert text.endswith(" -->\nThere are **1** requirements.\n<!-- gitspec:end -->\n")
    status = run_gitspec(root, "status", "--all", env=env)
    assert status.code == 0 and status.out == "req-digest#digest: fresh\n", status
    assert run_gitspec(root, "check", env=env).code == 0
    again = run_gitspec(root, "build", env=env)
    assert again.code == 0 and again.out == "" and (root / "specs" / "req-digest.md").read_text() == text


def test_a_stage_document_with_a_merge_conflict_is_unreadable_for_the_conflict_not_its_stale_approval(repo, tmp_path):
    # Before, status, build and pin named the file's first error (a stale approval at line 7) as why it
    # could not be read.
    env = _plugin(tmp_path, "digest", DIGEST.format(suffix=".md"), {"digest.schema.json": DIGEST_SCHEMA})
    root = repo({"specs/reqs.yaml": REQS})
    assert run_gitspec(root, "build", env=env).code == 0
    digest = root / "specs" / "req-digest.md"
    text = digest.read_text().replace('id: "req-digest"\n', 'id: "req-digest"\ntitle: Digest\nstatus: approved\n'
                                      'approvals:\n  - {by: Dana, date: "2026-11-23", hash: ' + "ab" * 32 + "}\n")
    digest.write_text(text.replace("There are **1** requirements.\n", "<<<<<<< HEAD\nThere are **1** requirements.\n"
                                   "=======\nThere is **1** requirement.\n>>>>>>> other\n"))
    line = digest.read_text().splitlines().index("<<<<<<< HEAD") + 1
    conflict = f"line {line}: unresolved merge conflict (lines {line}-{line + 4}: <<<<<<< … >>>>>>>)"
    status = run_gitspec(root, "status", env=env)
    assert status.code == 1 and status.out.startswith(f"unreadable: specs/req-digest.md {conflict}"), status
    build = run_gitspec(root, "build", env=env)
    assert build.code == 1 and f"its document req-digest cannot be read: specs/req-digest.md {conflict}" in build.err, \
        build
    pin = run_gitspec(root, "pin", "req-digest#digest", env=env)
    assert pin.code == 1 and pin.err.startswith(f"specs/req-digest.md:{line}:1: error: cannot pin req-digest#digest: "
                                                "the file cannot be read (unresolved merge conflict"), pin


LINE = ("VERSION, WORD = '{version}', '{word}'\n"
        "@hookimpl\ndef gitspec_stages():\n"
        "    return [Stage('req-line', VERSION, 'req-line', 'notes', 'Requirement line', ('reqs#items',),\n"
        "                  (Output('line', ('reqs#items',)),),\n"
        "                  lambda inp: {{'line': WORD + ', ' + inp.options.get('suffix', 'no suffix')}})]\n")


def test_a_new_stage_version_or_new_options_make_its_sections_stale_and_build_regenerates_them(repo, tmp_path):
    from conftest import NOTES_SCHEMA

    env = {**_plugin(tmp_path, "reqline", "@hookimpl\ndef gitspec_kinds():\n"
                     "    return [Kind('notes', HERE / 'notes.schema.json')]\n" + LINE.format(version=1, word="old"),
                     {"notes.schema.json": NOTES_SCHEMA}), "PYTHONDONTWRITEBYTECODE": "1"}
    plugin = tmp_path / "reqline" / "reqline.py"
    root = repo({"specs/reqs.yaml": REQS})
    line = root / "specs" / "req-line.yaml"
    assert run_gitspec(root, "build", env=env).code == 0 and "line: old, no suffix" in line.read_text()

    plugin.write_text(plugin.read_text().replace("'1', 'old'", "'2', 'new'"))
    status = run_gitspec(root, "status", env=env)
    assert status.code == 1 and status.out == "req-line#line: stale (stage version changed 1 → 2)\n", status
    assert run_gitspec(root, "status", "--format", "json", env=env).json()[0]["reason"] == \
        "stage version changed 1 → 2"
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0 and built.out == "regenerated req-line#line\n", built
    assert "line: new, no suffix" in line.read_text() and 'version: "2"' in line.read_text()
    assert run_gitspec(root, "status", env=env).code == 0

    (root / "gitspec.yaml").write_text((root / "gitspec.yaml").read_text() +
                                       "plugins:\n  req-line:\n    suffix: with suffix\n")
    status = run_gitspec(root, "status", env=env)
    assert status.code == 1 and status.out == "req-line#line: stale (stage options changed)\n", status
    checked = run_gitspec(root, "check", env=env)  # from the stamps and gitspec.yaml alone, as status judges
    assert checked.code == 1 and checked.out == ("specs/req-line.yaml:13:1: error: req-line#line is stale: stage "
                                                 "options changed since it was generated (run gitspec build) [stale]\n"), checked
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0 and built.out == "regenerated req-line#line\n", built
    assert "line: new, with suffix" in line.read_text()
    assert run_gitspec(root, "status", env=env).code == 0

    line.write_text(line.read_text().replace("line: new, with suffix", "line: my own words"))
    plugin.write_text(plugin.read_text().replace("'2', 'new'", "'3', 'neo'"))
    status = run_gitspec(root, "status", env=env)
    assert status.out == "req-line#line: hand-edited (stage version changed 2 → 3)\n", status
    edited = line.read_text()
    kept = run_gitspec(root, "build", env=env)
    assert kept.code == 0 and "warning: req-line#line is hand-edited: kept (stage version changed 2 → 3)" in kept.err
    assert line.read_text() == edited


def test_a_stage_with_a_misspelt_input_or_undeclared_outputs_is_named_in_a_warning(repo, tmp_path):
    from conftest import NOTES_SCHEMA

    env = _plugin(tmp_path, "sloppy", (
        "@hookimpl\ndef gitspec_kinds():\n    return [Kind('notes', HERE / 'notes.schema.json')]\n"
        "@hookimpl\ndef gitspec_stages():\n"
        "    return [Stage('typo', '1', 'typo-out', 'notes', 'T', ('reqs#nosection',),\n"
        "                  (Output('x', ('reqs#nosection',)),), lambda inp: {'x': 1}),\n"
        "            Stage('extra', '1', 'summary', 'notes', 'S', ('reqs#items', 'reqs#itemz'),\n"
        "                  (Output('count', ('reqs#items',)),), lambda inp: {'count': 1, 'bonus': 2, 'more': 3})]\n"),
        {"notes.schema.json": NOTES_SCHEMA})
    root = repo({"specs/reqs.yaml": REQS})
    # before, only a stage none of whose inputs existed was named: 'extra' ran, its misspelt input unsaid
    typo = ("warning: stage 'extra' reads an input that does not exist "
            "(reqs#itemz: specs/reqs.yaml has no section 'itemz')\n"
            "warning: stage 'typo' did not run: none of its inputs exists "
            "(reqs#nosection: specs/reqs.yaml has no section 'nosection')\n")
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0, built
    assert built.out == "regenerated summary#count\n", built
    assert built.err.startswith(typo + "warning: stage 'extra' returned sections it does not declare, not written: "
                                "bonus, more\ngitspec: 1 section regenerated"), built
    assert "bonus" not in (root / "specs" / "summary.yaml").read_text()
    status = run_gitspec(root, "status", env=env)  # warnings on stderr, as with --format json: stdout is the list
    assert status.code == 0 and status.out == "" and status.err.startswith(typo), status
    as_json = run_gitspec(root, "status", "--format", "json", "--all", env=env)
    assert as_json.json()[0]["address"] == "summary#count" and typo in as_json.err


def test_a_pinned_section_following_its_stages_own_output_names_the_new_version_too(repo, tmp_path):
    # Before, the warning said only "its inputs changed: chain#first": the version change was lost.
    from conftest import NOTES_SCHEMA

    env = {**_plugin(tmp_path, "chain", (
        "VERSION = '1'\n@hookimpl\ndef gitspec_kinds():\n    return [Kind('notes', HERE / 'notes.schema.json')]\n"
        "@hookimpl\ndef gitspec_stages():\n"
        "    return [Stage('chain', VERSION, 'chain', 'notes', 'Chain', ('reqs#items', 'chain#first'),\n"
        "                  (Output('first', ('reqs#items',)), Output('second', ('chain#first',))),\n"
        "                  lambda inp: {'first': 'v' + VERSION, 'second': str(inp.get('chain#first')) + '!'})]\n"),
        {"notes.schema.json": NOTES_SCHEMA}), "PYTHONDONTWRITEBYTECODE": "1"}
    root = repo({"specs/reqs.yaml": REQS})
    assert run_gitspec(root, "build", env=env).code == 0
    chain = root / "specs" / "chain.yaml"
    chain.write_text(chain.read_text().replace("\nsecond: None!", "\nsecond: my own"))  # first was being made
    assert run_gitspec(root, "pin", "chain#second", env=env).code == 0
    plugin = tmp_path / "chain" / "chain.py"
    plugin.write_text(plugin.read_text().replace("VERSION = '1'", "VERSION = '2'"))
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0 and built.out == "regenerated chain#first\n", built
    assert built.err.startswith("warning: chain#second is pinned, but its inputs changed: chain#first (stage version "
                                "changed 1 → 2)\ngitspec: 1 section regenerated"), built
    assert "second: my own" in chain.read_text()


SEPARATORS = ("from dataclasses import dataclass, field\nfrom gitspec.providers import Usage\n"
              "@dataclass\nclass Pasted:\n"
              "    name: str = 'pasted'\n    model: str = 'fake'\n    usage: Usage = field(default_factory=Usage)\n"
              "    def fill(self, *, stage, section, draft, prompt, schema=None):\n"
              "        self.usage.record(1, 1)  # an answer holding line separators, as text pasted from the web does\n"
              "        return draft.replace(' ', '\\u2028', 1).replace(' ', '\\u2029', 1).replace(' ', '\\x85', 1)\n"
              "@hookimpl\ndef gitspec_providers():\n    return {'pasted': lambda options: Pasted()}\n"
              "@hookimpl\ndef gitspec_kinds():\n"
              "    return [Kind('notes', HERE / 'notes.schema.json'), Kind('digest', HERE / 'notes.schema.json', suffix='.md')]\n"
              "def summary(inp):\n"
              "    text = inp.provider.fill(stage='s', section='summary', draft='There are %d requirements in all.'\n"
              "                             % len(inp.get('reqs#items')), prompt='')\n"
              "    return {'summary': text}\n"
              "@hookimpl\ndef gitspec_stages():\n"
              "    return [Stage('yaml-summary', '1', 'summary', 'notes', 'S', ('reqs#items',),\n"
              "                  (Output('summary', ('reqs#items',)),), summary),\n"
              "            Stage('md-summary', '1', 'digest', 'digest', 'D', ('reqs#items',),\n"
              "                  (Output('summary', ('reqs#items',)),), summary)]\n")


def test_a_providers_text_holding_line_separators_is_written_escaped_in_yaml_and_as_it_is_in_markdown(repo, tmp_path):
    # Before, build wrote U+2028 raw into the YAML document, its own re-read refused it: internal error, exit 3.
    env = _plugin(tmp_path, "pasted", SEPARATORS, {"notes.schema.json": NOTES_SCHEMA})
    root = repo({"specs/reqs.yaml": REQS}, config=CONFIG + "provider: pasted\n")
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0 and built.out == "regenerated digest#summary\nregenerated summary#summary\n", built
    summary, digest = root / "specs" / "summary.yaml", root / "specs" / "digest.md"
    assert 'summary: "There\\u2028are\\u20291\\x85requirements in all."\n' in summary.read_text()
    assert "There\u2028are\u20291\x85requirements in all.\n<!-- gitspec:end -->" in digest.read_text(encoding="utf-8")
    assert run_gitspec(root, "check", env=env).code == 0 and run_gitspec(root, "status", env=env).code == 0
    git(root, "add", "-A")
    git(root, "commit", "-qm", "built")
    (root / "specs" / "reqs.yaml").write_text(REQS + requirement("REQ-002"))  # rewritten in place: the splice
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0 and 'summary: "There\\u2028are\\u20292\\x85requirements' in summary.read_text(), built
    assert "There\u2028are\u20292\x85requirements" in digest.read_text(encoding="utf-8")
    assert run_gitspec(root, "check", env=env).code == 0 and run_gitspec(root, "status", env=env).code == 0


MISKIND = ("@hookimpl\ndef gitspec_kinds():\n    return [Kind('notes', HERE / 'notes.schema.json')]\n"
           "@hookimpl\ndef gitspec_stages():\n"
           "    return [Stage('a-count', '1', 'counts', 'notes', 'Counts', ('reqs#items',),\n"
           "                  (Output('count', ('reqs#items',)),), lambda inp: {{'count': 1}}),\n"
           "            Stage('z-count', '1', {document!r}, {kind!r}, 'Counts', ('reqs#items', 'counts#count'),\n"
           "                  (Output('total', ('counts#count',)),), lambda inp: {{'total': 2}})]\n")


@pytest.mark.parametrize("document, kind, problem", [
    ("reqs", "notes", "writes the document 'reqs' as kind 'notes', but specs/reqs.yaml is of kind 'requirements'; "
                      "nothing was written"),
    ("counts", "requirements", "writes the document 'counts' as kind 'requirements', but stage 'a-count' writes it "
                               "as kind 'notes'"),
])
def test_a_stage_writing_a_document_of_another_kind_is_refused_before_anything_is_written(repo, tmp_path, document,
                                                                                          kind, problem):
    # Before, a stage declaring kind 'notes' for the document 'reqs' added its section to the user's
    # requirements document, which then failed its schema, and nothing said why.
    env = _plugin(tmp_path, "miskind", MISKIND.format(document=document, kind=kind),
                  {"notes.schema.json": NOTES_SCHEMA})
    root = repo({"specs/reqs.yaml": REQS})
    for args in (("build",), ("build", "--dry-run")):
        result = run_gitspec(root, *args, env=env)
        assert result.code == 2 and "Traceback" not in result.err and result.out == "", result
        assert result.err == f"gitspec: error: plugin miskind: stage 'z-count' {problem}\n", result
    # nor the document of the stage that would have run first
    assert sorted(p.name for p in (root / "specs").iterdir()) == [".keep", "reqs.yaml"]
    assert (root / "specs" / "reqs.yaml").read_text() == REQS


@pytest.mark.parametrize("output, like", [("riskSummary", " (as 'risk-summary')"), ("risk_summary", " (as 'risk-summary')"),
                                          ("Risk", " (as 'risk')"), ("two--dashes", " (as 'two-dashes')"), ("_", "")])
def test_a_markdown_documents_output_that_is_not_its_own_headings_slug_is_refused_naming_its_plugin(repo, tmp_path,
                                                                                                    output, like):
    # Before, build wrote the section under the heading "## Risksummary", read it back as 'risksummary', and
    # stopped with an internal error ("Markdown rewrite ... changed a generated section"), exit 3.
    env = _plugin(tmp_path, "digest", DIGEST.format(suffix=".md").replace("Output('digest'", f"Output({output!r}")
                  .replace("{'digest':", f"{{{output!r}:"), {"digest.schema.json": DIGEST_SCHEMA})
    root = repo({"specs/reqs.yaml": REQS})
    result = run_gitspec(root, "build", env=env)
    assert result.code == 2 and "Traceback" not in result.err and result.out == "", result
    assert result.err == (f"gitspec: error: plugin digest: stage 'req-digest' declares an output '{output}' of the "
                          "Markdown document 'req-digest', where a section is named by its heading: lower-case "
                          f"letters, digits and single '-'{like}\n"), result
    assert sorted(p.name for p in (root / "specs").iterdir()) == [".keep", "reqs.yaml"]


@pytest.mark.parametrize("kind, hint", [("note", "did you mean 'notes'?); "), ("zzz", "known kinds: architecture, ")])
def test_a_stage_writing_a_kind_no_plugin_declares_is_refused_before_anything_is_written(repo, tmp_path, kind, hint):
    # Before, build created specs/counts.yaml with `kind: note`, exit 1 "unknown kind 'note'", and every
    # later check failed on the document gitspec itself had written. And status, which says what a build
    # would do, said "counts#count: missing", exit 1, naming no error.
    env = _plugin(tmp_path, "kindtypo", MISKIND.format(document="totals", kind="notes").replace(
        "'counts', 'notes'", f"'counts', {kind!r}"), {"notes.schema.json": NOTES_SCHEMA})
    root = repo({"specs/reqs.yaml": REQS})
    for args in (("build",), ("build", "--dry-run"), ("status",), ("status", "--format", "json")):
        result = run_gitspec(root, *args, env=env)
        json = "json" in args  # the error as JSON on stdout too
        assert result.code == 2 and (result.json()[0]["state"] == "error" if json else result.out == ""), result
        assert result.err.startswith(f"gitspec: error: plugin kindtypo: stage 'a-count' writes the document "
                                     f"'counts' as kind '{kind}', which no plugin declares ({hint}"), result
        assert result.err.endswith(", notes, prd, product, requirements, tasks, ui); nothing was written\n"
                                   if kind == "zzz" else "nothing was written\n") and result.err.count("\n") == 1
    assert sorted(p.name for p in (root / "specs").iterdir()) == [".keep", "reqs.yaml"]
    assert run_gitspec(root, "check", env=env).code == 0


TYPED = ("@hookimpl\ndef gitspec_kinds():\n    return [Kind('notes', HERE / 'notes.schema.json')]\n"
         "@hookimpl\ndef gitspec_stages():\n"
         "    return [Stage('count', {version}, 'counts', 'notes', {title}, {inputs},\n"
         "                  (Output('count', {depends_on}),), lambda inp: {{'count': 'one'}}, ids={ids})]\n")
TYPES = {"version": "'1'", "title": "'Counts'", "inputs": "('reqs#items',)", "depends_on": "('reqs#items',)",
         "ids": "()"}


@pytest.mark.parametrize("field, value, problem", [
    ("version", "1", "version must be a string, not an int (1): quote it, '1'"),
    ("title", "None", "title must be a string, not None (None)"),
    ("depends_on", "('reqs#items')", "output 'count': depends_on must be a tuple of addresses, not a string "
                                     "('reqs#items'; a tuple of one needs a trailing comma: ('reqs#items',))"),
    ("inputs", "('reqs#items')", "inputs must be a tuple of addresses, not a string ('reqs#items'; a tuple of "
                                 "one needs a trailing comma: ('reqs#items',))"),
    ("inputs", "{'reqs#items'}", "inputs must be a tuple of addresses, not a set"),
    ("ids", "('REQ', 2)", "ids must be a tuple of id prefixes, strings, but holds an int (2)"),
])
def test_a_stage_field_of_the_wrong_type_is_refused_naming_its_plugin(repo, tmp_path, field, value, problem):
    # Before, a version 1 was stamped as `version: 1`, which gitspec's own stamp schema then refused in
    # every build and check ("quote it": in gitspec's metadata); a depends_on ('reqs#items') was read
    # letter by letter ("depends on r, which is not one of its inputs"), naming no plugin.
    env = _plugin(tmp_path, "typed", TYPED.format(**{**TYPES, field: value}), {"notes.schema.json": NOTES_SCHEMA})
    root = repo({"specs/reqs.yaml": REQS})
    for command in ("build", "status"):
        result = run_gitspec(root, command, env=env)
        assert result.code == 2 and result.out == "", result
        assert result.err == f"gitspec: error: plugin typed: stage 'count': {problem}\n", result
    assert sorted(p.name for p in (root / "specs").iterdir()) == [".keep", "reqs.yaml"]
    fixed = _plugin(tmp_path, "typed", TYPED.format(**TYPES), {"notes.schema.json": NOTES_SCHEMA})
    built = run_gitspec(root, "build", env=fixed)
    assert built.code == 0 and 'version: "1"' in (root / "specs" / "counts.yaml").read_text(), built


FAKE_PROVIDER = ("from dataclasses import dataclass, field\nfrom gitspec.providers import Usage\n"
                 "@dataclass\nclass Fake:\n"
                 "    name: str = 'fake'\n    model: str = {model!r}\n    usage: Usage = field(default_factory=Usage)\n"
                 "    def fill(self, *, stage, section, draft, prompt, schema=None):\n"
                 "        return draft\n"
                 "@hookimpl\ndef gitspec_providers():\n    return {{'fake': lambda options: Fake()}}\n")


def test_two_plugins_offering_one_provider_name_are_named_when_it_is_asked_for(repo, tmp_path):
    # Before, the provider of one of them was used, silently: which one depended on the order of sys.path.
    stage = ("@hookimpl\ndef gitspec_kinds():\n    return [Kind('notes', HERE / 'notes.schema.json')]\n"
             "@hookimpl\ndef gitspec_stages():\n"
             "    return [Stage('filled', '1', 'filled', 'notes', 'Filled', ('reqs#items',),\n"
             "                  (Output('count', ('reqs#items',)),),\n"
             "                  lambda inp: {'count': inp.provider.fill(stage='filled', section='count', draft=1,\n"
             "                                                          prompt='')})]\n")
    one = _plugin(tmp_path, "fakeone", FAKE_PROVIDER.format(model="one") + stage, {"notes.schema.json": NOTES_SCHEMA})
    two = _plugin(tmp_path, "faketwo", FAKE_PROVIDER.format(model="two"))
    env = {"PYTHONPATH": f"{one['PYTHONPATH']}:{two['PYTHONPATH']}"}
    root = repo({"specs/reqs.yaml": REQS}, config=CONFIG + "provider: fake\n")
    built = run_gitspec(root, "build", env=env)
    assert built.code == 2 and built.err in (
        "gitspec: error: two providers named 'fake': plugin fakeone and plugin faketwo\n",
        "gitspec: error: two providers named 'fake': plugin faketwo and plugin fakeone\n"), built
    assert not (root / "specs" / "filled.yaml").exists()
    (root / "gitspec.yaml").write_text(CONFIG)  # the template provider: the clash blocks only 'fake'
    assert run_gitspec(root, "build", env=env).code == 0 and (root / "specs" / "filled.yaml").exists()


CYCLIC = "Stage({name!r}, '1', {name!r}, 'notes', 'Cyclic', ({reads!r},), (Output('x', ({reads!r},)),), dict)"
A, B = CYCLIC.format(name="a", reads="b#x"), CYCLIC.format(name="b", reads="a#x")
NOTES_KIND = "@hookimpl\ndef gitspec_kinds():\n    return [Kind('notes', HERE / 'notes.schema.json')]\n"


def _stages(*stages: str) -> str:
    return f"@hookimpl\ndef gitspec_stages():\n    return [{', '.join(stages)}]\n"


def test_a_stage_cycle_names_the_plugins_that_declare_its_stages(repo, tmp_path):
    # Before: "stage cycle: a → b → a", naming no plugin, where every other declaration error names one.
    schema = {"notes.schema.json": NOTES_SCHEMA}
    one = _plugin(tmp_path, "cyclea", NOTES_KIND + _stages(A), schema)
    two = _plugin(tmp_path, "cycleb", _stages(B))
    both = _plugin(tmp_path, "cycleboth", NOTES_KIND + _stages(A, B), schema)
    root = repo({"specs/reqs.yaml": REQS})
    for env, problem in (
            ({"PYTHONPATH": f"{one['PYTHONPATH']}:{two['PYTHONPATH']}"},
             "stage cycle: a → b → a (stage a of plugin cyclea, stage b of plugin cycleb)"),
            (both, "plugin cycleboth: stage cycle: a → b → a")):
        for command in ("build", "status"):
            result = run_gitspec(root, command, env=env)
            assert result.code == 2 and result.err == f"gitspec: error: {problem}\n", result
    assert sorted(p.name for p in (root / "specs").iterdir()) == [".keep", "reqs.yaml"]


def test_a_name_three_plugins_offer_is_said_to_be_offered_three_times() -> None:
    # Found by a review: the message said "two providers" while naming three plugins.
    from gitspec.errors import GitspecError
    from gitspec.plugincalls import chosen, offer

    offered: dict = {}
    owners: dict = {}
    for plugin in ("plugin a", "plugin b", "plugin c"):
        offer(offered, owners, "fake", object(), plugin, "providers named")
    with pytest.raises(GitspecError, match=r"^three providers named 'fake': plugin a, plugin b and plugin c$"):
        chosen(offered, "fake")
