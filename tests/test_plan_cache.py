"""Cached stage declarations (.gitspec/plan) and the cached judgement: used when nothing changed, never after.

A plugin on PYTHONPATH logs each time its stages are declared, so a test can
tell a run that loaded the plugins from one that trusted the cache.
"""
from __future__ import annotations

import json
import os
import shutil
import time

import pytest
import yaml

from conftest import NOTES_SCHEMA, run_gitspec, write_files

CONFIG = "specs: [specs]\nformats: []\n"
SOURCE = "kind: notes\nid: source\ntitle: Source\ntext: hello\n"

PLUGIN = '''
import os
from pathlib import Path
from gitspec import hookimpl
from gitspec.kinds import Kind
from gitspec.stage import Output, Stage

HERE = Path(__file__).resolve().parent


def digest(inp):
    return {{"digest": "{prefix}" + inp.get("source#text", "")}}


@hookimpl
def gitspec_kinds():  # one plugin declares the kind: two would be a configuration error
    return [Kind("notes", HERE / "notes.schema.json")] if "{name}" == "digester" else []


@hookimpl
def gitspec_stages():
    with open(os.environ["DECLARED_LOG"], "a") as log:  # outside the plugin folder: its mtime is watched
        log.write("{name}\\n")
    return [Stage("{name}", "{version}", "{name}-out", "notes", "Digest", ("source#text",),
                  (Output("digest", ("source#text",)),), digest)]
'''


def _install(folder, name="digester", version="1", prefix="digest: ", age=60):
    """Write plugin `name` (a module and a dist-info) into `folder`, its files `age` seconds old."""
    write_files(folder, {
        f"{name}.py": PLUGIN.format(name=name, version=version, prefix=prefix),
        "notes.schema.json": NOTES_SCHEMA,
        f"{name}-1.0.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
        f"{name}-1.0.dist-info/entry_points.txt": f"[gitspec]\n{name} = {name}\n",
    })
    _age(folder, age)


def _age(folder, seconds):
    """Files as they normally are: older than the window in which gitspec will not vouch for them."""
    past = time.time() - seconds
    for path in sorted(folder.rglob("*"), reverse=True) + [folder]:
        os.utime(path, (past, past))


@pytest.fixture
def ws(repo, tmp_path):
    plugin = tmp_path / "plugin"
    _install(plugin)
    log = tmp_path / "declared.log"
    # No __pycache__ in the plugin folder: writing one would change the folder the cache watches.
    env = {"PYTHONPATH": str(plugin), "DECLARED_LOG": str(log), "PYTHONDONTWRITEBYTECODE": "1"}
    root = repo({"specs/source.yaml": SOURCE}, config=CONFIG)
    return root, env, plugin, log


def _declared(log) -> list[str]:
    return log.read_text().split() if log.exists() else []


def _warm(root, env):
    """Build, then run until the plan is saved: a source edited in the last second is not vouched for,
    and other people may be editing gitspec itself while the tests run."""
    run_gitspec(root, "build", env=env)
    for _ in range(5):
        if (root / ".gitspec" / "plan").exists():
            return
        time.sleep(1)
        run_gitspec(root, "status", env=env)
    raise AssertionError("the plan was never saved")


def _stamp(root, doc_id="digester-out"):
    return yaml.safe_load((root / "specs" / f"{doc_id}.yaml").read_text())["generated"]["digest"]


def _status(root, env):
    result = run_gitspec(root, "status", "--all", "--format", "json", env=env)
    return result.code, {row["address"]: row["state"] for row in result.json()}


def test_a_no_op_status_or_build_does_not_load_the_plugins(ws):
    root, env, plugin, log = ws
    _warm(root, env)
    declared = _declared(log)
    assert declared[0] == "digester"
    for _ in range(2):
        assert _status(root, env) == (0, {"digester-out#digest": "fresh"})
        assert run_gitspec(root, "build", env=env).code == 0
    assert _declared(log) == declared


def test_hook_tracing_always_loads_the_plugins(ws):
    root, env, plugin, log = ws
    run_gitspec(root, "build", env=env)
    traced = run_gitspec(root, "status", env={**env, "GITSPEC_TRACE_HOOKS": "1"})
    assert traced.code == 0 and "gitspec hook: gitspec_stages(" in traced.err


def test_a_changed_stage_version_is_seen(ws):
    root, env, plugin, log = ws
    _warm(root, env)
    assert _stamp(root)["version"] == "1"
    _install(plugin, version="2", age=30)  # same size, another mtime: as an edit is
    (root / "specs" / "digester-out.yaml").unlink()
    assert run_gitspec(root, "build", env=env).code == 0
    assert _stamp(root)["version"] == "2"


def test_a_plugin_installed_beside_another_is_seen_and_so_is_its_removal(ws):
    root, env, plugin, log = ws
    _warm(root, env)
    assert _status(root, env) == (0, {"digester-out#digest": "fresh"})
    _install(plugin, name="summer", age=0)  # the folder on sys.path changes
    assert _status(root, env) == (1, {"digester-out#digest": "fresh", "summer-out#digest": "missing"})
    (plugin / "summer.py").unlink()
    shutil.rmtree(plugin / "summer-1.0.dist-info")
    assert _status(root, env) == (0, {"digester-out#digest": "fresh"})


def test_a_plugin_on_a_new_path_is_seen(ws, tmp_path):
    root, env, plugin, log = ws
    _warm(root, env)
    other = tmp_path / "other"
    _install(other, name="summer")
    code, states = _status(root, {**env, "PYTHONPATH": f"{plugin}:{other}"})
    assert code == 1 and states["summer-out#digest"] == "missing"


def test_an_edited_input_is_seen_by_status_and_build(ws):
    root, env, plugin, log = ws
    run_gitspec(root, "build", env=env)
    assert _status(root, env)[0] == 0
    assert _status(root, env)[0] == 0  # now from the cached judgement
    source = root / "specs" / "source.yaml"
    source.write_text(SOURCE.replace("hello", "howdy"))
    assert _status(root, env) == (1, {"digester-out#digest": "stale"})
    source.write_text(SOURCE)
    assert _status(root, env) == (0, {"digester-out#digest": "fresh"})
    source.write_text(SOURCE.replace("hello", "hi"))
    build = run_gitspec(root, "build", env=env)
    assert build.code == 0 and "regenerated digester-out#digest" in build.out
    assert yaml.safe_load((root / "specs" / "digester-out.yaml").read_text())["digest"] == "digest: hi"


def test_a_racy_edit_is_seen_by_status(ws):
    """An edit that keeps the size and the mtime must not be hidden by the cached judgement."""
    root, env, plugin, log = ws
    run_gitspec(root, "build", env=env)
    source = root / "specs" / "source.yaml"
    os.utime(source, None)  # fresh mtime, inside the racy window
    assert _status(root, env)[0] == 0
    stat = source.stat()
    source.write_text(SOURCE.replace("hello", "HELLO"))  # same size
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _status(root, env) == (1, {"digester-out#digest": "stale"})


def test_a_hand_edit_of_an_output_is_seen_after_a_cached_status(ws):
    root, env, plugin, log = ws
    run_gitspec(root, "build", env=env)
    assert _status(root, env)[0] == 0
    out = root / "specs" / "digester-out.yaml"
    out.write_text(out.read_text().replace("digest: hello", "digest: my own words"))
    assert _status(root, env) == (0, {"digester-out#digest": "hand-edited"})


def test_an_unknown_provider_is_reported_from_the_cached_plan_too(ws):
    root, env, plugin, log = ws
    _warm(root, env)
    declared = _declared(log)
    (root / "gitspec.yaml").write_text(CONFIG + "provider: nope\n")
    result = run_gitspec(root, "build", env=env)
    assert result.code == 2, result
    assert result.err == "gitspec.yaml:3:11: error: key 'provider': no provider named 'nope' (installed: template)\n"
    assert _declared(log) == declared


def test_a_cached_status_says_what_a_fresh_one_says(ws):
    root, env, plugin, log = ws
    run_gitspec(root, "build", env=env)
    out = root / "specs" / "digester-out.yaml"
    out.write_text(out.read_text().replace("digest: hello", "digest: mine"))
    (root / "specs" / "source.yaml").write_text(SOURCE.replace("hello", "howdy"))
    run_gitspec(root, "status", env=env)
    warm = run_gitspec(root, "status", "--format", "json", env=env)
    for cache in ("index", "plan"):
        (root / ".gitspec" / cache).unlink()
    cold = run_gitspec(root, "status", "--format", "json", env=env)
    assert json.loads(cold.out) == json.loads(warm.out) != []
    assert cold.code == warm.code == 1 and json.loads(warm.out)[0]["conflict"] is True


def test_declarations_that_change_during_a_run_stop_it(monkeypatch, tmp_path):
    """A stage read from the cache whose plugin now declares it differently must not generate."""
    from gitspec import declarations
    from gitspec.errors import GitspecError
    from gitspec.providers import TemplateProvider
    from gitspec.stage import StageInput

    real = [declarations.declare(stage) for stage in declarations.Plugins().stages()]
    changed = tuple((*d[:1], d[1] + "-old", *d[2:]) for d in real)
    monkeypatch.setattr(declarations, "read_plan", lambda path: (changed, ("template",), "token"))
    stage = declarations.Plugins(tmp_path).stages()[0]
    assert stage.version.endswith("-old")
    with pytest.raises(GitspecError, match="stage declarations changed while gitspec was running"):
        stage.generate(StageInput({}, TemplateProvider()))


def test_the_plan_is_trusted_only_while_its_sources_and_bytes_are_unchanged(monkeypatch, tmp_path):
    from gitspec import declarations

    source, plan = tmp_path / "source", tmp_path / "store" / "plan"
    source.mkdir()
    monkeypatch.setattr(declarations, "_sources", lambda: [str(source)])
    declarations.write_plan(plan, (), (), "token")  # the source was just made
    assert not plan.exists()
    _age(source, 60)
    declarations.write_plan(plan, (), ("template",), "token")
    assert declarations.read_plan(plan) == ((), ("template",), "token")
    blob = plan.read_bytes()
    for broken in (blob[:-1], blob[:-1] + bytes([blob[-1] ^ 1]), b"", b"GSPL1"):
        plan.write_bytes(broken)
        assert declarations.read_plan(plan) is None
    plan.write_bytes(blob)
    os.utime(source, None)
    assert declarations.read_plan(plan) is None
