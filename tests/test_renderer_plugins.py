"""Third-party renderer plugins: how gitspec drives them, and what it says when one misbehaves."""
from __future__ import annotations

from pathlib import Path

from conftest import CONFIG, requirement, requirements_doc, run_gitspec, write_files

RENDERER = '''
from gitspec import hookimpl

class Renderer:
    name, version = {name!r}, "1"

    def page_files(self, site, page, assets):
        return {{page.id + ".yaml": b"OVERWRITTEN BY RENDERER\\n"}}

    def site_files(self, site, assets):
        return {{}}

@hookimpl
def gitspec_renderers():
    return [Renderer()]
'''


def install(folder: Path, dist: str, entry: str, source: str) -> dict:
    """A plugin distribution `dist` whose `gitspec` entry point `entry` is the module `source` is,
    installed on PYTHONPATH as pip would; the environment for run_gitspec."""
    module = entry.replace("-", "_") + "_plugin"
    write_files(folder, {
        f"{module}.py": source,
        f"{dist}-1.0.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n",
        f"{dist}-1.0.dist-info/entry_points.txt": f"[gitspec]\n{entry} = {module}\n",
    })
    return {"PYTHONPATH": str(folder)}


def workspace(repo, formats: str = "[]") -> Path:
    return repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))},
                config=CONFIG.replace("formats: []", f"formats: {formats}"))


def test_a_renderer_named_like_a_path_is_refused_before_anything_is_written(repo, tmp_path):
    ws = workspace(repo, "[html]")
    spec = (ws / "specs" / "reqs.yaml").read_bytes()
    env = install(tmp_path / "site", "gitspec-b3", "b3", RENDERER.format(name="../specs"))
    for args in (("render", "--format", "../specs"), ("render", "--format", "html"), ("render",), ("build",)):
        result = run_gitspec(ws, *args, env=env)
        assert result.code == 2 and "Traceback" not in result.err, result
        [line] = result.err.splitlines()
        blamed = "argument --format:" if "../specs" in args else "plugin gitspec-b3 (entry point b3): renderer name"
        assert line.startswith(f"gitspec: error: {blamed} '../specs' is not a format name"), line
    assert (ws / "specs" / "reqs.yaml").read_bytes() == spec
    assert not (ws / "build").exists() and not (ws / ".gitspec" / "specs.json").exists()
    assert run_gitspec(ws, "check").code == 0


def test_a_format_argument_that_is_a_path_is_a_usage_error(repo):
    ws = workspace(repo)
    for name in ("../specs", ".hidden", "a/b", "a\\b", ".."):
        result = run_gitspec(ws, "render", "--format", name)
        assert result.code == 2, result
        assert result.err == f"gitspec: error: argument --format: {name!r} is not a format name " \
                             "(letters, digits, '-' and '_')\n", result


RAISING = '''
from gitspec import hookimpl

class Renderer:
    name, version = "boomtxt", "1"

    def page_files(self, site, page, assets):
        if "BOOM" in page.title:
            raise RuntimeError("boomtxt cannot render this page")
        return {page.id + ".txt": page.title.encode()}

    def site_files(self, site, assets):
        return {}

@hookimpl
def gitspec_renderers():
    return [Renderer()]
'''


def test_a_renderer_that_raises_during_a_watch_is_reported_and_the_watch_goes_on(repo, tmp_path, monkeypatch):
    from test_render_watch import Watcher

    ws = workspace(repo)
    monkeypatch.setenv("PYTHONPATH", install(tmp_path / "site", "gitspec-boom", "boom", RAISING)["PYTHONPATH"])
    spec = ws / "specs" / "reqs.yaml"
    watcher = Watcher(ws, "--format", "boomtxt")
    try:
        watcher.wait_for("watching")
        spec.write_text(spec.read_text().replace("title: Requirements", "title: Requirements BOOM"))
        line = watcher.wait_for("error")
        assert line.startswith("gitspec: error: plugin gitspec-boom (entry point boom): renderer 'boomtxt' "
                               "page_files for reqs raised RuntimeError: boomtxt cannot render this page"), line
        spec.write_text(spec.read_text().replace("Requirements BOOM", "Requirements again"))
        watcher.wait_for("rendered")
        assert (ws / "build" / "boomtxt" / "reqs.txt").read_text() == "Requirements again"
    finally:
        assert watcher.stop() == 0, watcher.seen


DROPPING = '''
from gitspec import hookimpl

class Renderer:
    name, version = "droptxt", "1"

    def page_files(self, site, page, assets):
        return {page.id + ".txt": page.title.encode()}

    def pages_files(self, site, pages, assets):
        for page in sorted(pages, key=lambda page: page.id)[1:]:  # a bug: the first page is left out
            yield page, self.page_files(site, page, assets)

    def site_files(self, site, assets):
        return {}

@hookimpl
def gitspec_renderers():
    return [Renderer()]
'''


def test_pages_a_batch_renderer_leaves_out_are_reported_and_asked_for_again(repo, tmp_path):
    ws = repo({f"specs/{name}.yaml": requirements_doc(name, requirement(f"REQ-00{n}"))
               for n, name in enumerate(("alpha", "beta", "gamma"), 1)})
    env = install(tmp_path / "site", "gitspec-drop", "drop", DROPPING)
    result = run_gitspec(ws, "render", "--format", "droptxt", env=env)
    assert result.code == 0, result
    assert "warning: renderer 'droptxt' gave no files for alpha: not rendered " \
           "(its pages_files left it out)\n" in result.err, result
    assert sorted(p.name for p in (ws / "build" / "droptxt").iterdir()) == ["beta.txt", "gamma.txt", "traceability.txt"]
    again = run_gitspec(ws, "render", "--format", "droptxt", env=env)  # not recorded as rendered: asked for again
    assert again.code == 0 and "warning" not in again.err, again
    # alpha's page, and the site's files, which now list alpha among the pages this format has
    assert "rendered 2 (3 unchanged)" in again.err and (ws / "build" / "droptxt" / "alpha.txt").is_file(), again


CONFLUENCE = '''
from gitspec import hookimpl

class Renderer:
    name, version = "confluence", "1"

    def page_files(self, site, page, assets):
        return {}

    def site_files(self, site, assets):
        return {}

@hookimpl
def gitspec_renderers():
    return [Renderer()]
'''


def test_two_plugins_offering_one_format_are_named_and_block_only_that_format(repo, tmp_path):
    ws = workspace(repo)
    install(tmp_path / "site", "gitspec-b6a", "b6a-exporter", CONFLUENCE)
    env = install(tmp_path / "site", "gitspec-b6b", "b6b-exporter", CONFLUENCE)
    line = run_gitspec(ws, "render", "--format", "confluence", env=env)
    assert line.code == 2 and line.err == (
        "gitspec: error: two renderers for format 'confluence': plugin gitspec-b6a (entry point b6a-exporter) "
        "and plugin gitspec-b6b (entry point b6b-exporter)\n") or line.err == (
        "gitspec: error: two renderers for format 'confluence': plugin gitspec-b6b (entry point b6b-exporter) "
        "and plugin gitspec-b6a (entry point b6a-exporter)\n"), line
    html = run_gitspec(ws, "render", "--format", "html", env=env)
    assert html.code == 0 and (ws / "build" / "html" / "index.html").is_file(), html
