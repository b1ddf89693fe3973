"""Plugins: every hook documented, built-ins registered like third-party plugins, tracing."""
from __future__ import annotations

import inspect
import re
import tomllib

from conftest import CONFIG, REPO, requirement, requirements_doc, run_gitspec, write_files
from gitspec import hookspecs
from gitspec.plugins import BUILTIN_PLUGINS, get_plugin_manager

HOOKS = [name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("gitspec_")]


def test_there_are_hooks_in_every_phase():
    assert {"gitspec_kinds", "gitspec_document_symbols", "gitspec_check_document",
            "gitspec_check_workspace"} <= set(HOOKS)


def test_every_hook_has_a_docstring_saying_when_and_what():
    for name in HOOKS:
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        assert len(doc) > 80, f"{name} has no real docstring"
        assert "Return" in doc and "Called" in doc, f"{name}: say when it is called and what to return"


def test_every_hook_is_documented_in_the_plugin_guide():
    guide = (REPO / "docs" / "plugins.md").read_text()
    documented = set(re.findall(r"^### `(gitspec_\w+)\(", guide, re.M))
    assert documented == set(HOOKS)


def test_builtins_are_registered_through_the_entry_point_group():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["gitspec"] == BUILTIN_PLUGINS
    manager = get_plugin_manager()
    for name in BUILTIN_PLUGINS:
        assert manager.get_plugin(name) is not None
    assert {k.name for kinds in manager.hook.gitspec_kinds() for k in kinds} >= {"requirements", "prd"}


def test_trace_hooks_prints_every_call(repo):
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    check = run_gitspec(ws, "check", "--no-cache", env={"GITSPEC_TRACE_HOOKS": "1"})
    write_files(ws, {"gitspec.yaml": CONFIG.replace("formats: []", "formats: [html]")})
    build = run_gitspec(ws, "build", env={"GITSPEC_TRACE_HOOKS": "1"})
    assert check.code == 0 and build.code == 0, build
    for hook in HOOKS:
        assert f"gitspec hook: {hook}(" in check.err + build.err
    assert "builtin-references" in check.err and "builtin-stages" in build.err


KIND_PLUGIN = '''import pluggy
from gitspec.kinds import Kind

hookimpl = pluggy.HookimplMarker("gitspec")


@hookimpl
def gitspec_kinds():
    return [Kind("{kind}", {{"type": "object"}}, "a kind from a plugin")]
'''


def test_remembered_entry_points_follow_installs_and_edits(tmp_path, monkeypatch):
    """The entry points are read from `.gitspec/plugins` only while no distribution changed."""
    import sys

    from conftest import install_plugin

    folder, store = tmp_path / "site", tmp_path / ".gitspec"
    install_plugin(folder, "kindplug", {"kindplug.py": KIND_PLUGIN.format(kind="alpha"),
                                        "otherplug.py": KIND_PLUGIN.format(kind="beta")})
    monkeypatch.syspath_prepend(str(folder))

    def kinds() -> set[str]:
        for name in ("kindplug", "otherplug"):
            sys.modules.pop(name, None)
        manager = get_plugin_manager(store)
        return {k.name for offered in manager.hook.gitspec_kinds() for k in offered}

    assert {"alpha", "requirements"} <= kinds() and (store / "plugins").is_file()
    remembered = (store / "plugins").read_bytes()
    assert "alpha" in kinds() and (store / "plugins").read_bytes() == remembered  # answered from the file
    # The plugin now declares another module: its dist-info changed, so the scan runs again.
    write_files(folder, {"kindplug-1.0.dist-info/entry_points.txt": "[gitspec]\nkindplug = otherplug\n"})
    assert "beta" in kinds() and "alpha" not in kinds()


def test_each_hook_is_called_at_most_once_per_command(repo):
    """As hookspecs.py says: gitspec_renderers once per render or build, not once to check the formats and
    again to render; gitspec_stages and gitspec_providers at most once."""
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))},
              config=CONFIG.replace("formats: []", "formats: [html]"))
    for command in ("build", "render", "status"):
        result = run_gitspec(ws, command, env={"GITSPEC_TRACE_HOOKS": "1"})
        assert result.code == 0, result
        calls = re.findall(r"^gitspec hook: (gitspec_\w+)\(", result.err, re.M)
        assert {hook: calls.count(hook) for hook in calls if calls.count(hook) > 1} == {}, (command, calls)
        assert ("gitspec_renderers" in calls) == (command != "status"), (command, calls)
