"""gitspec as a pre-commit hook, as README configures it: real `pre-commit` and `git commit` in a repository
in tmp_path, running the installed gitspec from PATH (`language: system`: no network)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONFIG, GIT_ENV, REPO, git, make_repo, requirement, requirements_doc, task, tasks_doc, write_files

BIN = Path(sys.executable).parent  # where the test environment installed gitspec and pre-commit


def readme_config() -> str:
    """The `.pre-commit-config.yaml` README gives, so that what users copy is what is tested."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Use as a pre-commit hook"):]
    block = re.search(r"\n((?:    .*\n|\n)+)", section[section.index("\n    repos:") - 1:]).group(1)
    return "".join(line[4:] + "\n" for line in block.rstrip().splitlines())


def hooked_repo(top: Path, files: dict[str, str], home: Path):
    """A committed repository at `top` holding `files` with pre-commit installed, and
    `commit(message)` -> (exit code, output)."""
    if not (BIN / "pre-commit").exists():
        pytest.skip("needs pre-commit (pip install -e '.[test]')")
    env = {**os.environ, **GIT_ENV, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("GIT_DIR", None)
    make_repo(top, {".gitignore": ".gitspec/\n", **files})
    subprocess.run([BIN / "pre-commit", "install"], cwd=top, env=env, check=True, capture_output=True)

    def commit(message: str) -> tuple[int, str]:
        done = subprocess.run(["git", "commit", "-m", message], cwd=top, env=env, capture_output=True, text=True,
                              timeout=120)
        return done.returncode, done.stdout + done.stderr

    return commit


@pytest.fixture
def hooked(tmp_path):
    """A committed workspace with README's hook installed, and `commit(message)` -> (exit code, output)."""
    ws = tmp_path / "ws"
    commit = hooked_repo(ws, {"gitspec.yaml": CONFIG, ".pre-commit-config.yaml": readme_config(),
                              "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")),
                              "specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[REQ-001]"))},
                         tmp_path / "pre-commit-home")
    return ws, commit


def test_a_commit_with_a_bad_document_is_refused_and_a_fixed_one_passes(hooked):
    ws, commit = hooked
    write_files(ws, {"specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[REQ-001")),
                     "notes.txt": "not a spec: the hook runs on every commit all the same\n"})
    git(ws, "add", "-A")
    code, output = commit("break the tasks")
    assert code != 0, output
    assert re.search(r"^specs/tasks\.yaml:\d+:\d+: error: ", output, re.MULTILINE), output
    assert git(ws, "log", "--format=%s", "-1").strip() == "specs"
    write_files(ws, {"specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[REQ-001]") + task("TASK-002"))})
    git(ws, "add", "-A")
    code, output = commit("fix the tasks")
    assert code == 0, output
    assert git(ws, "log", "--format=%s", "-1").strip() == "fix the tasks"


def test_a_commit_deleting_a_document_others_reference_is_refused(hooked):
    ws, commit = hooked
    git(ws, "rm", "-q", "specs/reqs.yaml")  # pre-commit lists no deleted file: only always_run runs the hook
    code, output = commit("drop the requirements")
    assert code != 0, output
    assert "specs/tasks.yaml:7:20: error: unknown requirement 'REQ-001' [unknown-reference]" in output, output
    assert git(ws, "log", "--format=%s", "-1").strip() == "specs"


def test_an_unstaged_change_to_a_spec_survives_the_hook(hooked):
    ws, commit = hooked
    staged = tasks_doc("tasks", task("TASK-001", "[REQ-001]") + task("TASK-002", "[REQ-001]"))
    write_files(ws, {"specs/tasks.yaml": staged})
    git(ws, "add", "specs/tasks.yaml")
    unstaged = staged + "  - id: TASK-003\n    title: half written, not valid yet [\n"
    write_files(ws, {"specs/tasks.yaml": unstaged})
    code, output = commit("add TASK-002")  # the staged content is checked, not the half-written file
    assert code == 0, output
    assert (ws / "specs" / "tasks.yaml").read_text(encoding="utf-8") == unstaged
    assert git(ws, "show", "HEAD:specs/tasks.yaml") == staged
    assert git(ws, "diff", "--name-only").split() == ["specs/tasks.yaml"]


def test_a_workspace_in_a_subfolder_is_named_in_the_entry(tmp_path):
    config = readme_config().replace("entry: gitspec check\n", "entry: gitspec check docs\n")  # as README says
    assert "entry: gitspec check docs\n" in config
    top = tmp_path / "monorepo"
    commit = hooked_repo(top, {".pre-commit-config.yaml": config, "docs/gitspec.yaml": CONFIG,
                               "docs/specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[]")),
                               "app/main.py": "print('hello')\n"}, tmp_path / "pre-commit-home")
    write_files(top, {"docs/specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[]", "[TASK-404]"))})
    git(top, "add", "-A")
    code, output = commit("depend on nothing")
    assert code != 0, output
    assert "docs/specs/tasks.yaml:11:17: error: unknown task 'TASK-404'" in output, output
