"""The parse index: a no-op check reads nothing, an edit re-reads one file, corruption and races are safe."""
from __future__ import annotations

import os
import subprocess
import sys
import time

from conftest import GITSPEC, install_plugin, requirement, requirements_doc, run_gitspec, task, tasks_doc

TRACE = {"GITSPEC_TRACE_HOOKS": "1"}


def _workspace(repo):
    ws = repo({
        "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001") + requirement("REQ-002", "REQ-001")),
        "specs/tasks.yaml": tasks_doc("tasks", task("TASK-001")),
        "specs/more.yaml": requirements_doc("more", requirement("REQ-003", "REQ-404")),
    })
    _age(ws)
    return ws


def _age(ws):
    """Make every document older than the racy-clean window, as files normally are."""
    past = time.time() - 60
    for path in (ws / "specs").rglob("*.yaml"):
        os.utime(path, (past, past))


def _parsed(result) -> int:
    return result.err.count("gitspec hook: gitspec_document_symbols(")


def test_no_op_check_parses_nothing_and_calls_no_hook(repo):
    ws = _workspace(repo)
    first = run_gitspec(ws, "check", env=TRACE)
    assert _parsed(first) == 3
    second = run_gitspec(ws, "check", env=TRACE)
    assert "gitspec hook:" not in second.err
    assert (second.code, second.out) == (first.code, first.out) == (1, second.out)
    assert "REQ-404" in second.out


def test_an_edit_re_parses_only_that_file(repo):
    ws = _workspace(repo)
    run_gitspec(ws, "check")
    (ws / "specs" / "more.yaml").write_text(requirements_doc("more", requirement("REQ-003", "REQ-001")))
    _age(ws)
    result = run_gitspec(ws, "check", env=TRACE)
    assert _parsed(result) == 1
    assert result.code == 0, result  # the cross-file check still saw every other file


def test_touch_without_change_is_not_re_parsed(repo):
    ws = _workspace(repo)
    run_gitspec(ws, "check")
    os.utime(ws / "specs" / "reqs.yaml")
    result = run_gitspec(ws, "check", env=TRACE)
    assert _parsed(result) == 0 and "REQ-404" in result.out


def test_deleted_and_added_files_are_noticed(repo):
    ws = _workspace(repo)
    run_gitspec(ws, "check")
    (ws / "specs" / "more.yaml").unlink()
    assert run_gitspec(ws, "check").code == 0
    (ws / "specs" / "dup.yaml").write_text(requirements_doc("dup", requirement("REQ-001")))
    result = run_gitspec(ws, "check")
    assert "duplicate id 'REQ-001'" in result.out


def test_racy_edit_within_the_same_second_is_seen(repo):
    """An edit that keeps size and mtime (coarse clocks) must still be noticed."""
    ws = _workspace(repo)
    path = ws / "specs" / "more.yaml"
    os.utime(path, None)  # fresh mtime, inside the racy window
    run_gitspec(ws, "check")
    stat = path.stat()
    path.write_text(path.read_text().replace("REQ-404", "REQ-001"))  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    result = run_gitspec(ws, "check")
    assert result.code == 0, result


def test_corrupt_index_is_discarded(repo):
    ws = _workspace(repo)
    run_gitspec(ws, "check")
    index = ws / ".gitspec" / "index"
    data = bytearray(index.read_bytes())
    data[len(data) // 2] ^= 0xFF
    index.write_bytes(bytes(data))
    result = run_gitspec(ws, "check", env=TRACE)
    assert _parsed(result) == 3 and result.code == 1 and "REQ-404" in result.out
    index.write_bytes(b"garbage")
    assert run_gitspec(ws, "check").code == 1
    index.write_bytes(b"")
    assert run_gitspec(ws, "check").code == 1


def test_store_explains_itself(repo):
    ws = _workspace(repo)
    run_gitspec(ws, "check")
    store = ws / ".gitspec"
    assert (store / ".gitignore").read_text() == "*\n"
    assert (store / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert "safe to delete" in (store / "README").read_text()


def test_config_change_invalidates_cached_results(repo):
    ws = _workspace(repo)
    run_gitspec(ws, "check")
    (ws / "gitspec.yaml").write_text("specs: [specs]\nexclude: ['specs/more.yaml']\n")
    assert run_gitspec(ws, "check").code == 0


def test_a_config_cached_by_another_gitspec_is_checked_again(repo):
    """An upgraded gitspec checks gitspec.yaml by its own rules, and reads one an older gitspec saved
    with other keys, rather than trusting (or crashing on) what that one cached."""
    from gitspec.index import load_index, save_index

    ws = _workspace(repo)
    run_gitspec(ws, "check")
    config = b"specs: [specs]\nmermaid_server: mermaid.ink\n"
    (ws / "gitspec.yaml").write_bytes(config)
    for cached in ({"specs": ["specs"], "mermaid_server": "mermaid.ink"}, {"specs": ["specs"], "retired": 1}):
        older = load_index(ws / ".gitspec").rebased("the fingerprint of an older gitspec")
        older.config = (config, cached)  # what an older gitspec that accepted the file left behind
        save_index(older, 0)
        result = run_gitspec(ws, "check")
        assert result.code == 2, result
        assert result.err.startswith("gitspec.yaml:2:17: error: key 'mermaid_server': 'mermaid.ink' must be"), result


def test_parallel_checks_agree_and_leave_a_valid_index(repo):
    ws = _workspace(repo)
    for round_ in range(3):
        procs = [subprocess.Popen([GITSPEC, "check", "--format", "json"], cwd=ws, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
        outputs = [p.communicate(timeout=60) for p in procs]
        assert [p.returncode for p in procs] == [1] * 4
        assert len({out for out, _ in outputs}) == 1
        (ws / "specs" / "tasks.yaml").write_text(tasks_doc("tasks", task("TASK-001") + task(f"TASK-10{round_}")))
    result = run_gitspec(ws, "check", env=TRACE)
    assert result.code == 1 and not list((ws / ".gitspec").glob(".index.*.tmp"))


def _same_size_edit(path, old: str, new: str) -> None:
    """Rewrite in place, same size, and give the file its old mtime back (as `cp -p` or `touch -d` do)."""
    st = path.stat()
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size


def test_an_edit_that_keeps_size_mtime_and_inode_is_seen(repo):
    ws = _workspace(repo)
    assert run_gitspec(ws, "check").code == 1
    assert "gitspec hook:" not in run_gitspec(ws, "check", env=TRACE).err  # settled: trusted
    _same_size_edit(ws / "specs" / "more.yaml", "REQ-404", "REQ-002")
    assert (run_gitspec(ws, "check").code, run_gitspec(ws, "check", "--no-cache").code) == (0, 0)


def test_a_symlinked_document_whose_target_leaves_the_workspace_is_seen_both_ways(repo, tmp_path):
    ws = _workspace(repo)
    (ws / "shared").mkdir()
    (ws / "specs" / "reqs.yaml").rename(ws / "shared" / "reqs.yaml")
    (ws / "specs" / "reqs.yaml").symlink_to("../shared/reqs.yaml")
    assert "outside-workspace" not in run_gitspec(ws, "check").out
    (ws / "shared").rename(tmp_path / "out")
    (ws / "shared").symlink_to(tmp_path / "out")
    assert "specs/reqs.yaml:1:1: error: a symlink leads it outside the workspace" in run_gitspec(ws, "check").out
    (ws / "shared").unlink()
    (tmp_path / "out").rename(ws / "shared")
    assert "outside-workspace" not in run_gitspec(ws, "check").out


def test_what_a_check_remembers_depends_on_every_folder_of_gitspecs_code():
    """An editable install updated by `git pull` that changed only gitspec/render/anchorlinks.py kept
    repeating the older code's findings (the fingerprint stamped the top folder and builtin/ only)."""
    from pathlib import Path

    import gitspec
    from gitspec.fingerprint import fingerprint

    package = Path(gitspec.__file__).resolve().parent
    stamped = fingerprint(package, b"", "schemas", package / ".gitspec")
    code = {path.parent for path in package.rglob("*.py")}
    assert code and all(f"{folder}:" in stamped for folder in code)


MEMO_SCHEMA = ('{"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": '
               '"https://gitspec.dev/schemas/memo.schema.json", "type": "object", '
               '"$ref": "common.schema.json#/$defs/header"}')
MEMO_PLUGIN = '''from pathlib import Path

from gitspec import hookimpl
from gitspec.kinds import Kind

from memoplug.names import KIND


@hookimpl
def gitspec_kinds():
    return [Kind(KIND, Path(__file__).resolve().parent / "memo.schema.json")]
'''


def test_what_a_check_remembers_depends_on_plugins_found_on_pythonpath_and_their_code(repo, tmp_path):
    """Before, the fingerprint stamped only the folders on sys.path named `*-packages`: taking a plugin off
    PYTHONPATH, putting it back, or editing its code kept the findings of the plugins as they were."""
    ws = repo({"specs/m.yaml": "kind: memo\nid: m\ntitle: Memo\n"})
    env = install_plugin(tmp_path / "plug", "memoplug", {"memoplug/__init__.py": MEMO_PLUGIN,
                                                           "memoplug/names.py": 'KIND = "memo"\n',
                                                           "memoplug/memo.schema.json": MEMO_SCHEMA})
    unknown = "specs/m.yaml:1:7: error: unknown kind 'memo'"
    assert run_gitspec(ws, "check", env=env).code == 0
    without = run_gitspec(ws, "check", env={"PYTHONPATH": ""})
    assert without.code == 1 and unknown in without.out, without
    assert run_gitspec(ws, "check", env=env).code == 0
    assert run_gitspec(ws, "check", env=env).code == 0  # cached
    names = tmp_path / "plug" / "memoplug" / "names.py"
    with names.open("r+") as file:  # in place: its folder's mtime stays as it was
        file.write('KIND = "memox"\n')  # (another size: Python then reads it again, not its .pyc)
    edited = run_gitspec(ws, "check", env=env)
    assert edited.code == 1 and unknown in edited.out, edited


def test_a_file_made_in_the_current_folder_keeps_the_cache_of_python_m_gitspec(repo):
    # Before, `python -m gitspec` (which puts the current folder on the import path) parsed every document
    # again after any file appeared where it ran: an editor's swap file, build/.
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    os.utime(ws / "specs" / "reqs.yaml", (time.time() - 60,) * 2)  # settled: no racy re-read to tell apart
    command = [sys.executable, "-m", "gitspec", "check"]
    env = {**os.environ, **TRACE}
    assert subprocess.run(command, cwd=ws, env=env, capture_output=True, text=True).returncode == 0
    (ws / ".reqs.yaml.swp").write_text("")
    again = subprocess.run(command, cwd=ws, env=env, capture_output=True, text=True)
    assert again.returncode == 0 and "gitspec hook:" not in again.stderr, again


NOTES_SCHEMA = ('{"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": '
                '"https://sibplug.example/notes.schema.json", "type": "object", '
                '"$ref": "https://gitspec.dev/schemas/common.schema.json#/$defs/header", '
                '"properties": {"notes": {}}}')
SIBLING_PLUGIN = '''from pathlib import Path

from gitspec import hookimpl
from gitspec.findings import error
from gitspec.kinds import Kind

from sibplug import rules


@hookimpl
def gitspec_kinds():
    return [Kind("notes", Path(__file__).resolve().parent / "notes.schema.json")]


@hookimpl
def gitspec_check_document(document):
    if document.kind == "notes":
        return [error(document.path, 1, 1, rules.MESSAGE, "sib-rule")]
'''


def test_what_a_check_remembers_depends_on_the_whole_package_of_a_plugin_module_and_its_kinds_schemas(
        repo, tmp_path):
    """Before, only the entry point's module (sibplug/plugin.py) was stamped: editing sibplug/rules.py, which
    it imports, or the schema of the kind it declares, kept the old findings until `check --no-cache`."""
    ws = repo({"specs/n.yaml": "kind: notes\nid: notes-1\ntitle: Notes\nnotes: 5\n"})
    env = install_plugin(tmp_path / "plug", "sibplug", {"sibplug/__init__.py": "",
                                                         "sibplug/plugin.py": SIBLING_PLUGIN,
                                                         "sibplug/rules.py": 'MESSAGE = "first"\n',
                                                         "sibplug/notes.schema.json": NOTES_SCHEMA},
                         module="sibplug.plugin")
    assert "error: first [sib-rule]" in run_gitspec(ws, "check", env=env).out
    assert "error: first [sib-rule]" in run_gitspec(ws, "check", env=env).out  # cached
    with (tmp_path / "plug" / "sibplug" / "rules.py").open("r+") as file:  # in place: the folder keeps its mtime
        file.write('MESSAGE = "second"\n')
    edited = run_gitspec(ws, "check", env=env)
    assert "error: second [sib-rule]" in edited.out, edited
    schema = tmp_path / "plug" / "sibplug" / "notes.schema.json"
    with schema.open("r+") as file:
        file.write(NOTES_SCHEMA.replace('"notes": {}', '"notes": {"type": "string"}'))
    tightened = run_gitspec(ws, "check", env=env)
    assert "specs/n.yaml:4:8: error: notes-1#notes: 5 is not of type 'string'" in tightened.out, tightened
