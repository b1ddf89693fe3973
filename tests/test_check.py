"""`gitspec check` as a user runs it: references, cycles, addresses, formats, exit codes."""
from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata

import pytest
from conftest import (
    CONFIG, GITSPEC, make_repo, requirement, requirements_doc, run_gitspec, task, tasks_doc, without_read_all, write_files,
)


def test_clean_workspace_exits_0(repo):
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001") + requirement("REQ-002", "REQ-001"))})
    result = run_gitspec(ws, "check")
    assert result.code == 0, result
    assert result.out == ""
    assert "2 documents checked" not in result.err and "1 document checked, no findings" in result.err


def test_unknown_parent_and_task_links_are_named(repo):
    ws = repo({
        "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001") + requirement("REQ-002", "REQ-009")),
        "specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[REQ-001, REQ-077]") + task("TASK-002", depends="[TASK-009]")),
    })
    result = run_gitspec(ws, "check")
    assert result.code == 1
    lines = result.out.splitlines()
    assert "specs/reqs.yaml:17:13: error: unknown requirement 'REQ-009' (did you mean 'REQ-002'?) [unknown-reference]" in lines
    assert any(line.startswith("specs/tasks.yaml:7:29: error: unknown requirement 'REQ-077'") for line in lines)
    assert any(line.startswith("specs/tasks.yaml:17:17: error: unknown task 'TASK-009'") for line in lines)


def test_reference_to_the_wrong_kind_of_id(repo):
    ws = repo({
        "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")),
        "specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[TASK-001]")),
    })
    result = run_gitspec(ws, "check")
    assert "'TASK-001' is a task, not a requirement [unknown-reference]" in result.out


def test_task_dependency_cycle_is_named(repo):
    items = (task("TASK-001", depends="[TASK-003]") + task("TASK-002", depends="[TASK-001]")
             + task("TASK-003", depends="[TASK-002]") + task("TASK-004", depends="[TASK-004]"))
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")),
               "specs/tasks.yaml": tasks_doc("tasks", items)})
    result = run_gitspec(ws, "check")
    assert result.code == 1
    assert "error: dependsOn cycle: TASK-001 → TASK-003 → TASK-002 → TASK-001 [cycle]" in result.out
    assert "error: dependsOn cycle: TASK-004 → TASK-004 [cycle]" in result.out
    assert result.out.count("[cycle]") == 2


def test_requirement_parent_cycle(repo):
    items = requirement("REQ-001", "REQ-002") + requirement("REQ-002", "REQ-001")
    result = run_gitspec(repo({"specs/reqs.yaml": requirements_doc("reqs", items)}), "check")
    assert "parent cycle: REQ-001 → REQ-002 → REQ-001 [cycle]" in result.out


def test_addresses_resolve_to_sections_and_pointers(repo):
    items = (requirement("REQ-001", links="['reqs#items/0/title']") + requirement("REQ-002", links="['reqs#itemz']")
             + requirement("REQ-003", links="['reqs#items/9']") + requirement("REQ-004", links="['nowhere#items']"))
    result = run_gitspec(repo({"specs/reqs.yaml": requirements_doc("reqs", items)}), "check")
    assert result.code == 1
    assert "address 'reqs#itemz': document 'reqs' has no section 'itemz' (did you mean 'items'?)" in result.out
    assert "address 'reqs#items/9': nothing at '/9' in that section" in result.out
    assert "address 'nowhere#items': no document with id 'nowhere'" in result.out
    assert "reqs#items/0/title" not in result.out


def test_entity_names_in_relationships(repo):
    ws = repo({})
    assert run_gitspec(ws, "new", "architecture", "architecture").code == 0
    path = ws / "specs" / "architecture.yaml"
    text = path.read_text()
    assert "  relationships: []" in text
    path.write_text(text.replace("  relationships: []", "  relationships:\n    - {from: Item, to: Ghost, type: many-to-one}"))
    result = run_gitspec(ws, "check")
    assert result.code == 1, result
    assert "unknown entity 'Ghost' in architecture#dataModel/relationships/0/to [unknown-reference]" in result.out


def test_a_wrong_value_reached_through_an_alias_is_reported_at_the_alias(repo):
    """Before, both findings were at the anchor's line 8 (REQ-001's acceptance, which is fine there), not at
    REQ-002's `links: *done` on line 16."""
    doc = requirements_doc("reqs", requirement("REQ-001").replace("acceptance:\n      - It does REQ-001.",
                                                                  "acceptance: &done [It does REQ-001.]")
                           + requirement("REQ-002", links="*done"))
    result = run_gitspec(repo({"specs/reqs.yaml": doc}), "check")
    assert result.code == 1, result
    assert [line.split(": error: ")[0] for line in result.out.splitlines()] == ["specs/reqs.yaml:16:12"] * 2, result
    assert result.out.splitlines()[1].startswith("specs/reqs.yaml:16:12: error: unknown requirement 'It does"), result


def test_prd_requirement_mentions_must_exist(example):
    prd = example / "specs" / "prd.md"
    prd.write_text(prd.read_text().replace("## Requirements\n", "## Requirements\n\n- REQ-999 is new.\n", 1))
    result = run_gitspec(example, "check")
    assert result.code == 1
    line = prd.read_text().split("\n").index("- REQ-999 is new.") + 1  # after a blank line: counted
    assert f"specs/prd.md:{line}:3: error: unknown requirement 'REQ-999'" in result.out, result


def test_json_format(repo):
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001", "REQ-404"))})
    result = run_gitspec(ws, "check", "--format", "json")
    assert result.code == 1
    [finding] = result.json()
    assert finding == {"path": "specs/reqs.yaml", "line": 11, "col": 13, "severity": "error",
                       "message": "unknown requirement 'REQ-404' (did you mean 'REQ-001'?)",
                       "rule": "unknown-reference"}


def test_paths_limit_the_report_but_not_the_resolution(repo):
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001", "REQ-404")),
               "specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[REQ-001]", "[TASK-404]"))})
    only_tasks = run_gitspec(ws, "check", "specs/tasks.yaml")
    assert "TASK-404" in only_tasks.out and "REQ-404" not in only_tasks.out
    assert run_gitspec(ws, "check", "specs").out.count("error") == 2
    missing = run_gitspec(ws, "check", "specs/nope.yaml")
    assert missing.code == 2 and "no such file or folder: specs/nope.yaml" in missing.err


def test_paths_report_a_cycle_a_named_file_closes_at_its_link_there(repo):
    """Found by a hunt: a cycle was reported only at the link closing it back to its smallest id, so a
    pre-commit `check specs/a.yaml` passed the edit of a.yaml that closed it through b.yaml."""
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")),
               "specs/a.yaml": tasks_doc("a", task("TASK-001", depends="[TASK-002]")),
               "specs/b.yaml": tasks_doc("b", task("TASK-002", depends="[TASK-001]"))})
    cycle = "dependsOn cycle: TASK-001 → TASK-002 → TASK-001 [cycle]"
    for path, line in (("specs/a.yaml", 11), ("specs/b.yaml", 11)):
        result = run_gitspec(ws, "check", path)
        assert result.code == 1 and result.out == f"{path}:{line}:17: error: {cycle}\n", result
    whole = run_gitspec(ws, "check")
    assert whole.out == f"specs/a.yaml:11:17: error: {cycle}\nspecs/b.yaml:11:17: error: {cycle}\n", whole


def test_a_duplicate_id_is_blamed_on_the_copy_a_change_brought_else_on_every_copy(repo):
    """Found by a hunt: the copy of a duplicate id whose path sorts first was taken for the original, so
    a pre-commit `check specs/a-new.yaml` passed a new file that defined REQ-001 again."""
    from conftest import git

    ws = repo({"specs/z-reqs.yaml": requirements_doc("z-reqs", requirement("REQ-001"))})
    write_files(ws, {"specs/a-new.yaml": requirements_doc("a-new", requirement("REQ-001"))})
    new = "specs/a-new.yaml:5:9: error: duplicate id 'REQ-001' (also defined at specs/z-reqs.yaml:5) [duplicate-id]\n"
    old = "specs/z-reqs.yaml:5:9: error: duplicate id 'REQ-001' (also defined at specs/a-new.yaml:5) [duplicate-id]\n"
    for args in ((), ("specs/a-new.yaml",)):
        result = run_gitspec(ws, "check", *args)
        assert result.code == 1 and result.out == new, result
    assert run_gitspec(ws, "check", "specs/z-reqs.yaml").out == ""
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", "both")  # no file changed: the cached findings are judged again
    both = run_gitspec(ws, "check")
    assert both.code == 1 and both.out == new + old, both
    assert run_gitspec(ws, "check", "specs/z-reqs.yaml").out == old


def test_a_reference_to_what_a_file_that_cannot_be_read_defines_is_one_warning_naming_that_file(repo):
    """Found by a hunt: one YAML slip in reqs.yaml made every reference to its ids elsewhere an "unknown
    requirement" error, naming the wrong file; `check specs/tasks.yaml` showed only those."""
    reqs = requirements_doc("reqs", requirement("REQ-001") + requirement("REQ-002"))
    ws = repo({"specs/reqs.yaml": reqs.replace("title: Title of REQ-002", "title: [Title of REQ-002"),
               "specs/more.yaml": requirements_doc("more", requirement("REQ-010", links="['reqs#items']")),
               "specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[REQ-001, REQ-002, REQ-404]"))})
    slip = "line 13: YAML syntax error: did not find expected ',' or ']'"
    warned = (f"specs/tasks.yaml:7:20: warning: 'REQ-001' and 'REQ-002' cannot be looked up: specs/reqs.yaml, which "
              f"may define them, cannot be read ({slip}) [unreadable-reference]\n")
    unknown = "specs/tasks.yaml:7:38: error: unknown requirement 'REQ-404' (did you mean 'REQ-010'?) [unknown-reference]\n"
    result = run_gitspec(ws, "check")
    assert result.code == 1 and result.out == (
        f"specs/more.yaml:11:13: warning: 'reqs#items' cannot be looked up: specs/reqs.yaml, which may define it, "
        f"cannot be read ({slip}) [unreadable-reference]\n"
        f"specs/reqs.yaml:13:14: error: YAML syntax error: did not find expected ',' or ']' [yaml-syntax]\n"
        + warned + unknown), result
    only_tasks = run_gitspec(ws, "check", "specs/tasks.yaml")
    assert only_tasks.code == 1 and only_tasks.out == warned + unknown, only_tasks


def test_a_path_typed_composed_selects_a_document_stored_decomposed(repo):
    stored = unicodedata.normalize("NFD", "specs/café/tâches.yaml")
    ws = repo({stored: tasks_doc("tasks", task("TASK-001", "[REQ-404]")),
               "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001", "REQ-405"))})
    for typed in ("specs/café/tâches.yaml", "specs/café"):
        result = run_gitspec(ws, "check", unicodedata.normalize("NFC", typed))
        assert result.code == 1 and "REQ-404" in result.out and "REQ-405" not in result.out, result


def test_a_spec_folder_named_composed_is_the_folder_stored_decomposed(repo):
    # Before, `specs: [spécs]` did not find the folder macOS wrote decomposed: check read no document and
    # passed, and `new` made a second folder that looked the same beside it.
    folder = unicodedata.normalize("NFD", "spécs")
    ws = repo({f"{folder}/a.yaml": requirements_doc("a", requirement("REQ-001").replace("must", "musst"))},
              config=CONFIG.replace("- specs", "- spécs"))
    result = run_gitspec(ws, "check")
    assert result.code == 1 and f"{folder}/a.yaml:" in result.out and "does not exist yet" not in result.err, result
    made = run_gitspec(ws, "new", "prd", "p")
    assert made.code == 0 and (ws / folder / "p.md").is_file(), made
    assert "made" not in run_gitspec(ws, "init").err
    assert sorted(name for name in os.listdir(ws) if name.startswith("sp")) == ["specs", folder]


def test_paths_name_a_symlinked_document_by_its_place_in_the_workspace(repo, tmp_path):
    (tmp_path / "evil.yaml").write_text(requirements_doc("evil", requirement("REQ-007")))
    ws = repo({"shared-specs/linked.yaml": requirements_doc("linked", requirement("REQ-050", "REQ-999")),
               "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001", "REQ-404"))})
    (ws / "specs" / "linked.yaml").symlink_to("../shared-specs/linked.yaml")
    (ws / "specs" / "evil.yaml").symlink_to(tmp_path / "evil.yaml")
    linked = run_gitspec(ws, "check", "--format", "json", "specs/linked.yaml")
    assert linked.code == 1 and [f["message"] for f in linked.json()] == ["unknown requirement 'REQ-999'"], linked
    evil = run_gitspec(ws / "specs", "check", "evil.yaml")
    assert evil.code == 1 and evil.out.startswith("evil.yaml:1:1: error: a symlink leads it outside"), evil
    assert "REQ-404" not in linked.out + evil.out


def test_outside_a_workspace_is_a_usage_error(tmp_path):
    result = run_gitspec(tmp_path, "check")
    assert result.code == 2
    assert "no gitspec.yaml" in result.err and "gitspec init" in result.err


def test_paths_find_a_workspace_in_a_subfolder_of_the_repository(tmp_path):
    top = make_repo(tmp_path / "monorepo", {
        "docs/gitspec.yaml": CONFIG, "docs/specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[]", "[TASK-404]")),
        "site/gitspec.yaml": CONFIG, "site/specs/.keep": ""})
    result = run_gitspec(top, "check", "docs/specs/tasks.yaml")  # what a pre-commit hook at the top runs
    assert result.code == 1, result
    assert result.out.startswith("docs/specs/tasks.yaml:11:17: error: unknown task 'TASK-404'"), result
    two = run_gitspec(top, "check", "docs/specs/tasks.yaml", "site/specs")
    assert two.code == 2 and two.out == "", two
    assert two.err == "gitspec: error: docs/specs/tasks.yaml and site/specs are in different workspaces: " \
                      "check each workspace on its own\n"
    nowhere = run_gitspec(top, "check", "README.md")
    assert nowhere.code == 2 and "no gitspec.yaml" in nowhere.err and "README.md" in nowhere.err, nowhere
    assert run_gitspec(top, "check").code == 2  # no path: no workspace to guess
    # render too; a file that is not there is named as from inside the workspace, not "run gitspec init"
    typo = run_gitspec(top, "render", "--format", "html", "docs/specs/task.yaml")
    assert typo.code == 2 and "no document file 'docs/specs/task.yaml'" in typo.err, typo


def test_finding_paths_are_named_from_the_current_folder(repo):
    ws = repo({"specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[]", "[TASK-404]")), "notes/.keep": ""})
    assert run_gitspec(ws, "check").out.startswith("specs/tasks.yaml:11:17: error:")
    assert run_gitspec(ws / "specs", "check", "tasks.yaml").out.startswith("tasks.yaml:11:17: error:")
    assert run_gitspec(ws / "notes", "check").out.startswith("../specs/tasks.yaml:11:17: error:")
    [finding] = run_gitspec(ws / "notes", "check", "--format", "json").json()
    assert finding["path"] == "specs/tasks.yaml"  # JSON: as the workspace names it, wherever gitspec ran
    write_files(ws, {"gitspec.yaml": CONFIG + "colour: blue\n"})
    config = run_gitspec(ws / "specs", "check")
    assert config.code == 2 and config.err.startswith("../gitspec.yaml:8:1: error: unknown key 'colour'"), config


def test_unknown_option_is_a_usage_error(repo):
    result = run_gitspec(repo({}), "check", "--format", "xml")
    assert result.code == 2 and "invalid choice" in result.err


def test_a_plugin_that_crashes_is_named_with_the_traceback_in_a_log(repo, tmp_path):
    """A plugin that crashes: one line on screen naming it, exit 2 (not gitspec's internal error),
    the traceback in .gitspec/logs."""
    plugin_dir = _crashy_plugin(tmp_path)
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    result = run_gitspec(ws, "check", env={"PYTHONPATH": str(plugin_dir)})
    assert result.code == 2, result
    assert "Traceback" not in result.out + result.err
    [line] = result.err.splitlines()
    assert line.startswith("gitspec: error: plugin crashy: gitspec_check_workspace raised RuntimeError: plugin bug")
    logs = list((ws / ".gitspec" / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and "RuntimeError: plugin bug" in logs[0].read_text()


def test_the_traceback_goes_to_the_logs_of_the_workspace_the_paths_given_are_in(tmp_path):
    """Run from the top of a repository whose workspace is docs/, it went to the temporary folder."""
    top = make_repo(tmp_path / "monorepo", {"docs/gitspec.yaml": CONFIG, "docs/specs/reqs.yaml":
                                            requirements_doc("reqs", requirement("REQ-001"))})
    result = run_gitspec(top, "check", "docs/specs", env={"PYTHONPATH": str(_crashy_plugin(tmp_path))})
    assert result.code == 2 and "plugin crashy" in result.err, result
    [log] = (top / "docs" / ".gitspec" / "logs").glob("crash-*.log")
    assert "RuntimeError: plugin bug" in log.read_text()


def _crashy_plugin(tmp_path):
    """A plugin package whose workspace check raises: the folder to put on PYTHONPATH."""
    plugin_dir = tmp_path / "crashy"
    write_files(plugin_dir, {
        "crashy_plugin.py": "from gitspec import hookimpl\n\n@hookimpl\ndef gitspec_check_workspace(workspace):\n"
                            "    raise RuntimeError('plugin bug')\n",
        "crashy-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: crashy\nVersion: 1.0\n",
        "crashy-1.0.dist-info/entry_points.txt": "[gitspec]\ncrashy = crashy_plugin\n",
    })
    return plugin_dir


def test_workspace_kinds_from_local_schemas(repo):
    schema = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://example.invalid/glossary.schema.json",
  "type": "object",
  "$ref": "https://gitspec.dev/schemas/common.schema.json#/$defs/header",
  "properties": {"kind": {"const": "glossary"}, "terms": {"type": "object", "additionalProperties": {"type": "string"}}},
  "required": ["terms"],
  "unevaluatedProperties": false
}"""
    ws = repo({"schemas/glossary.schema.json": schema,
               "specs/glossary.yaml": "kind: glossary\nid: glossary\ntitle: Glossary\nterms:\n  MRR: monthly recurring revenue\n"})
    assert run_gitspec(ws, "check").code == 0
    (ws / "specs" / "glossary.yaml").write_text("kind: glossary\nid: glossary\ntitle: Glossary\nterms:\n  MRR: 12\n")
    result = run_gitspec(ws, "check")
    assert result.code == 1 and "specs/glossary.yaml:5:8: error: glossary#terms/MRR: 12 is not of type 'string'" in result.out


def test_colours_on_a_terminal_plain_when_piped(repo):
    import os

    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001", "REQ-404"))})
    code, on_tty = _check_on_a_terminal(ws, {**os.environ, "TERM": "xterm-256color", "COLUMNS": "200"})
    assert code == 1
    assert "\x1b[" in on_tty and "REQ-404" in on_tty
    piped = run_gitspec(ws, "check")
    assert "\x1b[" not in piped.out and piped.out.startswith("specs/reqs.yaml:11:13: error:")


def test_a_finding_is_one_line_on_a_terminal_with_no_size_as_pre_commit_gives(repo):
    """rich wrapped it at the 80 columns it assumes of a 0x0 terminal (pre-commit's pty): "... (first at line \\n9)"."""
    import os
    import re

    name = "specs/requirements-of-the-billing-dashboard-for-finance.yaml"
    ws = repo({name: requirements_doc("reqs", requirement("REQ-001", "REQ-404"))})
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "TERM")}
    code, on_tty = _check_on_a_terminal(ws, {**env, "TERM": "xterm-256color"}, size=(0, 0))
    shown = re.sub(r"\x1b\[[0-9;]*m", "", on_tty)
    assert code == 1 and "\x1b[" in on_tty, shown  # coloured: rich printed it
    assert shown == (f"{name}:11:13: error: unknown requirement 'REQ-404' (did you mean 'REQ-001'?) "
                     "[unknown-reference]\r\n"), shown


def _check_on_a_terminal(ws, env: dict, size: tuple[int, int] | None = None) -> tuple[int, str]:
    """`gitspec check` with its stdout on a pseudo-terminal (of `size` rows and columns, if given):
    its exit code and what the terminal showed."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import termios

    from conftest import GITSPEC

    leader, follower = pty.openpty()
    if size is not None:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", *size, 0, 0))
    proc = subprocess.Popen([GITSPEC, "check"], cwd=ws, stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: gitspec has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    return proc.returncode, b"".join(chunks).decode()


def test_a_fifo_named_like_a_document_does_not_hang_check(repo):
    import os

    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    os.mkfifo(ws / "specs" / "pipe.yaml")
    result = run_gitspec(ws, "check")
    assert result.code == 0 and "1 document checked" in result.err


def test_markdown_text_no_section_holds_is_reported(example):
    prd = example / "specs" / "prd.md"
    text = prd.read_text()
    title = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("# "))
    text = text.replace("\n## Problem\n", "\nAn introduction nobody would see.\n\n## Problem\n", 1)
    text = text.replace("\n## Goals\n", "\n## Цели\n\nUnder a heading with no id.\n\n## Goals\n", 1)
    prd.write_text(text)
    lines = text.splitlines()
    intro = lines.index("An introduction nobody would see.") + 1
    unnamed = lines.index("## Цели") + 1
    assert title < intro
    result = run_gitspec(example, "check")
    assert result.code == 1, result
    assert result.out.splitlines() == [
        f"specs/prd.md:{intro}:1: warning: text before the first '## ' heading belongs to no section and is not shown; "
        "move it under a heading [text-outside-sections]",
        f"specs/prd.md:{unnamed}:1: error: heading 'Цели' gives no section id (one is made of its letters a-z and "
        "digits); add some, e.g. '## Goals (目標)' [unnamed-section]"], result.out


def test_headings_inside_an_html_comment_are_hidden_as_on_github(example):
    prd = example / "specs" / "prd.md"
    text = prd.read_text()
    text = text.replace("\n## Problem\n", "\n<!-- a draft, kept out of sight:\n\n## Old problem\n\nWe thought X.\n-->\n\n"
                        "## Problem\n\n<!--\n## Scrapped\n-->\n", 1)
    prd.write_text(text)
    result = run_gitspec(example, "check")
    assert result.code == 0, result
    assert run_gitspec(example, "render", "--format", "html", "billing-prd").code == 0
    page = (example / "build" / "html" / "billing-prd.html").read_text()
    assert "Old problem" not in page and "Scrapped" not in page and "&lt;!--" not in page


@pytest.mark.parametrize("opener, closer", [("```bash", "```"), ("~~~~", "~~~~"), ("<!-- drafts", "-->")])
def test_a_code_block_or_comment_left_open_names_the_line_that_opened_it(example, opener, closer):
    prd = example / "specs" / "prd.md"
    text = prd.read_text().replace("\n## Problem\n", f"\n## Problem\n\n{opener}\nx\n", 1)
    prd.write_text(text)
    lines = text.splitlines()
    opened, goals = lines.index(opener) + 1, lines.index("## Goals") + 1
    result = run_gitspec(example, "check")
    assert result.code == 1, result
    assert (f"specs/prd.md:{opened}:1: error: the {'comment' if closer == '-->' else 'code block'} opened here is "
            f"never closed, so the heading '## Goals' at line {goals} and everything after it are read as part of "
            f"it; close it ({closer}) [unclosed-block]") in result.out.splitlines(), result.out
    prd.write_text(text.replace(f"{opener}\nx\n", f"{opener}\nx\n{closer}\n", 1))  # closed: all is well again
    assert run_gitspec(example, "check").code == 0


def test_a_linked_folder_in_a_spec_folder_is_not_followed(repo):
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    (ws / "specs" / "img").mkdir()
    (ws / "specs" / "img" / "up").symlink_to("..")  # a loop, if followed
    result = run_gitspec(ws, "check")
    assert (result.code, result.out) == (0, ""), result


def test_a_document_link_that_loops_is_named_in_one_line(repo):
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    (ws / "specs" / "loop.yaml").symlink_to("loop.yaml")
    for command in ("check", "render"):
        result = run_gitspec(ws, command)
        assert (result.code, result.out) == (2, ""), result
        assert result.err == ("gitspec: error: cannot read specs/loop.yaml: Too many levels of symbolic links "
                              "(add it to 'exclude' in gitspec.yaml to skip it)\n"), result


@pytest.mark.skipif(not shutil.which("setpriv") or os.geteuid() != 0, reason="needs root's setpriv to drop its read-all right")
def test_an_unreadable_folder_in_a_spec_folder_is_named(repo):
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    (ws / "specs" / "locked").mkdir(mode=0)
    try:
        done = _without_read_all(ws, "check")
    finally:
        (ws / "specs" / "locked").chmod(0o755)
    assert done.returncode == 2 and done.stderr.startswith(
        "gitspec: error: cannot read the folder specs/locked: Permission denied (add it to 'exclude'"), done.stderr


def test_a_document_that_a_symlink_takes_outside_the_workspace_is_not_read(repo, tmp_path):
    (tmp_path / "secret.yaml").write_text(requirements_doc("secret", requirement("REQ-007")))
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    (ws / "specs" / "leak.yaml").symlink_to(tmp_path / "secret.yaml")
    result = run_gitspec(ws, "check")
    assert result.out == (f"specs/leak.yaml:1:1: error: a symlink leads it outside the workspace, to "
                          f"{tmp_path / 'secret.yaml'}; gitspec reads only files inside it [outside-workspace]\n")
    render = run_gitspec(ws, "render", "--format", "html")
    assert not (ws / "build/html/secret.html").exists() and "REQ-007" not in (ws / "build/html/index.html").read_text()
    assert render.code == 1  # the finding; the rest is rendered


def test_a_store_that_a_symlink_takes_outside_the_workspace_is_refused(repo, tmp_path):
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    (tmp_path / "elsewhere").mkdir()
    (ws / ".gitspec").symlink_to(tmp_path / "elsewhere")
    for command in (["check"], ["render"], ["new", "tasks", "t"]):
        result = run_gitspec(ws, *command)
        assert result.code == 2 and result.err == (
            f"gitspec: error: .gitspec is a symlink leading outside the workspace, to {tmp_path / 'elsewhere'}; "
            "remove it (gitspec keeps its store inside the workspace)\n"), result
    assert list((tmp_path / "elsewhere").iterdir()) == []


@pytest.mark.parametrize("target, shown, why", [
    (".git", ".git", "which belongs to git"),
    (".git/objects", ".git/objects", "which belongs to git"),
    (".", ".", "the workspace itself"),
    ("specs/cache", "specs/cache", "inside the spec folder 'specs'"),
    ("build", "build", "the output folder 'build'"),
])
def test_a_store_that_a_symlink_takes_to_a_folder_not_its_own_is_refused(repo, target, shown, why):
    """A clone can bring such a link in (git commits symlinks): check wrote its index over .git/index
    and the store's README over the user's, and cache gc deleted git's loose objects."""
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")), "README": "# Mine\n",
               "specs/cache/.keep": "", "build/.keep": ""})
    (ws / ".gitspec").symlink_to(target)
    before = {path: path.read_bytes() for path in ws.rglob("*") if path.is_file()}
    for command in (["check"], ["cache", "gc"], ["render", "--format", "html"], ["build"]):
        result = run_gitspec(ws, *command)
        assert result.code == 2 and result.err == (
            f"gitspec: error: .gitspec is a symlink to {shown}, {why}; remove it (gitspec keeps its store "
            "in a folder of its own)\n"), (command, result)
    assert {path: path.read_bytes() for path in ws.rglob("*") if path.is_file()} == before
    assert subprocess.run(["git", "status"], cwd=ws, capture_output=True).returncode == 0


def test_a_store_that_a_symlink_takes_to_a_folder_of_its_own_is_used(repo):
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    (ws / "caches" / "gitspec").mkdir(parents=True)
    (ws / ".gitspec").symlink_to("caches/gitspec")
    assert run_gitspec(ws, "check").code == 0
    assert (ws / "caches/gitspec/CACHEDIR.TAG").is_file()


def test_a_document_in_a_templates_or_code_folder_inside_a_spec_folder_is_named(repo):
    """Those folders are gitspec's and not read for documents: before, a document there was silently not
    checked (a template at the templates folder's top is what it is for, and is not named)."""
    doc = requirements_doc("reqs", requirement("REQ-001"))
    ws = repo({"specs/reqs.yaml": doc, "specs/templates/requirements.yaml": doc.replace("reqs", "$id"),
               "specs/templates/old/kept.yaml": doc.replace("reqs", "kept"),
               "specs/gen/api.yaml": doc.replace("reqs", "api"), "specs/gen/stub.py": "kind: x\n",
               "specs/gen/notes.md": "# Notes\n",
               # not gitspec's: a Kubernetes manifest has a kind but no id, and node_modules is no one's spec
               "specs/gen/k8s/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n",
               "specs/gen/web/node_modules/pkg/doc.yaml": doc.replace("reqs", "pkg")},
              config=CONFIG + "templates: specs/templates\ncode_folder: specs/gen\n")
    for _ in range(2):  # and again, from the index
        result = run_gitspec(ws, "check")
        assert result.code == 0 and result.out == "".join(
            f"{path}:1:1: warning: not checked or rendered: it is in the {what} '{folder}' (key '{key}'), which "
            "gitspec does not read for documents; move the file into a spec folder, or that folder out of the "
            "spec folders [hidden-document]\n"
            for path, what, folder, key in (("specs/gen/api.yaml", "code folder", "specs/gen", "code_folder"),
                                            ("specs/templates/old/kept.yaml", "templates folder", "specs/templates",
                                             "templates"))), result


def _without_read_all(ws, *args):
    """gitspec run as root without root's right to read any file, so that permissions count."""
    return subprocess.run([*without_read_all(), GITSPEC, *args], cwd=ws, capture_output=True, text=True)


@pytest.mark.skipif(not shutil.which("setpriv") or os.geteuid() != 0, reason="needs root's setpriv to drop its read-all right")
def test_a_permission_change_is_seen_and_a_folder_that_cannot_be_entered_is_named(repo):
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    assert _without_read_all(ws, "check").returncode == 0
    (ws / "specs" / "reqs.yaml").chmod(0)
    try:
        assert "cannot read the file: Permission denied [unreadable]" in _without_read_all(ws, "check").stdout
    finally:
        (ws / "specs" / "reqs.yaml").chmod(0o644)
    assert _without_read_all(ws, "check").returncode == 0  # mended: seen at once
    write_files(ws, {"specs/sub/b.yaml": requirements_doc("b", requirement("REQ-002"))})
    (ws / "specs" / "sub").chmod(0o644)  # may be listed, not entered
    try:
        done = _without_read_all(ws, "check")
    finally:
        (ws / "specs" / "sub").chmod(0o755)
    assert done.returncode == 2 and done.stderr.startswith(
        "gitspec: error: cannot read specs/sub/b.yaml: Permission denied (add it to 'exclude'"), done.stderr


@pytest.mark.skipif(not shutil.which("setpriv") or os.geteuid() != 0, reason="needs root's setpriv to drop its read-all right")
def test_a_read_only_store_is_one_clear_error(repo):
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    assert run_gitspec(ws, "check").code == 0
    write_files(ws, {"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-002"))})
    folders = [ws / ".gitspec", *(p for p in (ws / ".gitspec").rglob("*") if p.is_dir())]
    for folder in folders:
        folder.chmod(0o555)
    try:
        results = {command: _without_read_all(ws, command) for command in ("check", "build")}
    finally:
        for folder in folders:
            folder.chmod(0o755)
    checked, built = results["check"], results["build"]
    assert checked.returncode == 0 and checked.stderr == (  # a check only reads: it still runs, uncached
        "gitspec: note: cannot write .gitspec/index: Permission denied; nothing is cached, so the "
        "next run reads every file again\ngitspec: 1 document checked, no findings\n"), checked
    assert built.returncode == 2 and built.stderr == (
        "gitspec: error: cannot write .gitspec/build.lock: Permission denied (gitspec keeps its cache "
        "in this folder: make it writable, or delete it)\n"), built



@pytest.mark.skipif(not shutil.which("setpriv") or os.geteuid() != 0, reason="needs root's setpriv to drop its read-all right")
def test_a_check_after_a_build_in_a_read_only_store_notes_the_index_once(repo):
    # Before, the note was printed twice: the check of installed plugins saved the index, then the check.
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    assert run_gitspec(ws, "build").code == 0
    (ws / ".gitspec").chmod(0o555)
    try:
        checked = _without_read_all(ws, "check")
    finally:
        (ws / ".gitspec").chmod(0o755)
    assert checked.returncode == 0 and checked.stderr == (
        "gitspec: note: cannot write .gitspec/index: Permission denied; nothing is cached, so the "
        "next run reads every file again\ngitspec: 1 document checked, no findings\n"), checked

def test_check_and_status_run_in_a_read_only_checkout(repo, read_only):
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001", parent="REQ-404"))})
    note = ("gitspec: note: cannot write .gitspec/index: Read-only file system; nothing is cached, "
            "so the next run reads every file again\n")
    for args in (["check"], ["check", "--no-cache"], ["check", "--format", "json"]):
        result = run_gitspec(ws, *args, prefix=read_only)
        assert result.code == 1 and "unknown requirement 'REQ-404'" in result.out, result
        assert result.err.startswith(note) and "1 error" in result.err, result
    status = run_gitspec(ws, "status", prefix=read_only)
    assert status.code == 0 and status.err == note + (  # before, "no stages", though 9 stages are installed
        "gitspec: no generated sections: none of the 9 stages has anything to derive from yet\n"), status
    assert not (ws / ".gitspec").exists()


def test_a_spec_folder_at_the_top_leaves_out_gitspecs_own_files(repo):
    """`specs: [.]`: gitspec.yaml, the templates, the rendered output and the generated code are not documents."""
    ws = repo({"reqs.yaml": requirements_doc("reqs", requirement("REQ-001")),
               "templates/tasks.yaml": "kind: tasks\nid: $id\ntitle: $title\nitems: []\n",
               "build/notes.yaml": "not: a document\n", "generated/openapi.yaml": "openapi: 3.1.0\n"},
              config="specs: [.]\nformats: []\n")
    result = run_gitspec(ws, "check")
    assert result.code == 0 and "1 document checked" in result.err, result


def test_merge_conflict_markers_are_one_error_each_and_the_file_hides_nothing_else(repo):
    reqs = requirements_doc("reqs", requirement("REQ-001") + requirement("REQ-002"))
    conflicted = reqs.replace("title: Requirements\n", "<<<<<<< HEAD\ntitle: Ours\n=======\ntitle: Theirs\n"
                                                       ">>>>>>> other\n")
    conflicted = conflicted.replace("    priority: must\n", "<<<<<<< HEAD\n    priority: must\n||||||| base\n"
                                    "    priority: may\n=======\n    priority: should\n>>>>>>> other\n", 1)
    ws = repo({"specs/reqs.yaml": conflicted, "specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[REQ-002]"))})
    result = run_gitspec(ws, "check")
    assert result.code == 1, result
    # one finding per conflict, and no knock-on: the tasks' reference to REQ-002 still resolves
    assert result.out.splitlines() == [
        "specs/reqs.yaml:3:1: error: unresolved merge conflict (lines 3-7: <<<<<<< … >>>>>>>); "
        "resolve it and remove the markers [merge-conflict]",
        "specs/reqs.yaml:14:1: error: unresolved merge conflict (lines 14-20: <<<<<<< … >>>>>>>); "
        "resolve it and remove the markers [merge-conflict]"], result
    assert run_gitspec(ws, "check").out == result.out  # the same from the cached parse


def test_merge_conflict_markers_in_markdown_outside_code_blocks_are_errors(repo):
    ws = repo()
    assert run_gitspec(ws, "new", "prd", "Checkout flow").code == 0
    prd = ws / "specs" / "checkout-flow.md"
    text = prd.read_text()
    problem = text.index("TODO Who has which problem")
    text = (text[:problem] + "<<<<<<< HEAD\nCarts are lost at the address step.\n=======\n"
            "Carts are abandoned at the payment step.\n>>>>>>> other\n\n```text\n<<<<<<< a sample, not a conflict\n"
            "=======\n>>>>>>> its end\n```\n" + text[problem:])
    prd.write_text(text)
    result = run_gitspec(ws, "check")
    start = text[:text.index("<<<<<<< HEAD")].count("\n") + 1
    assert result.code == 1 and result.out == (
        f"specs/checkout-flow.md:{start}:1: error: unresolved merge conflict (lines {start}-{start + 4}: "
        "<<<<<<< … >>>>>>>); resolve it and remove the markers [merge-conflict]\n"), result


def test_an_index_of_non_ascii_digits_is_an_unknown_reference_not_a_crash(repo):
    links = "['reqs#items/²', 'reqs#items/٠', 'reqs#items/０', 'reqs#items/0']"
    result = run_gitspec(repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001", links=links))}), "check")
    assert result.code == 1, result
    for index in ("²", "٠", "０"):
        assert f"address 'reqs#items/{index}': nothing at '/{index}' in that section [unknown-reference]" in result.out
    assert "reqs#items/0'" not in result.out and "internal error" not in result.err


def test_an_invisible_character_in_a_reference_is_shown_escaped_as_in_schema_messages(repo):
    items = requirement("REQ-001") + requirement("REQ-002", '"REQ-001\\u200b"', links='["reqs\\u200f#items"]')
    result = run_gitspec(repo({"specs/reqs.yaml": requirements_doc("reqs", items)}), "check")
    assert result.code == 1, result
    assert "reqs#items/1/parent: 'REQ-001\\u200b' does not match" in result.out
    assert "unknown requirement 'REQ-001\\u200b' (did you mean 'REQ-001'?) [unknown-reference]" in result.out
    assert "unknown requirement 'reqs\\u200f#items' [unknown-reference]" in result.out
    assert "\u200b" not in result.out and "\u200f" not in result.out


def test_an_unknown_id_is_matched_only_against_ids_of_the_kind_wanted(repo):
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")),
               "specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[REQ-01]", "[REQ-01]")
                                             + task("TASK-002", "[REQ-001]", "[TASK-01]"))})
    result = run_gitspec(ws, "check")
    assert result.code == 1, result
    lines = result.out.splitlines()
    assert "specs/tasks.yaml:7:20: error: unknown requirement 'REQ-01' (did you mean 'REQ-001'?) [unknown-reference]" in lines
    assert "specs/tasks.yaml:11:17: error: unknown task 'REQ-01' [unknown-reference]" in lines  # not REQ-001: a requirement
    assert "specs/tasks.yaml:18:17: error: unknown task 'TASK-01' (did you mean 'TASK-001'?) [unknown-reference]" in lines


def test_a_link_to_an_anchor_its_page_does_not_have_is_a_warning_at_the_link(example):
    # Before, `[x](#nope)` passed check and was a link going nowhere in every format
    prd = example / "specs" / "prd.md"
    text = prd.read_text().replace("\n## Problem\n", (
        "\n## Problem\n\nSee [Q&A](#qa), [the goals](#goals), [risks](#risk), [this](#nope)\n"
        "and [that][gone].\n\n[gone]: #gone\n\n### Q&A\n\n> In a [quote](#q-a).\n"), 1)
    prd.write_text(text)
    lines = text.splitlines()
    see = lines.index(line := "See [Q&A](#qa), [the goals](#goals), [risks](#risk), [this](#nope)") + 1
    gone = lines.index("and [that][gone].") + 1  # the link, not its definition
    risk, nope = line.index("#risk") + 1, line.index("#nope") + 1  # the column of the link's "#"
    result = run_gitspec(example, "check")
    assert result.code == 0, result  # a warning: the document still renders
    nowhere = "leads nowhere: no heading or item on this page has that anchor"
    assert result.out.splitlines() == [
        f"specs/prd.md:{see}:{risk}: warning: link to '#risk' {nowhere} (did you mean '#risks'?) [unknown-anchor]",
        f"specs/prd.md:{see}:{nope}: warning: link to '#nope' {nowhere} [unknown-anchor]",
        f"specs/prd.md:{gone}:11: warning: link to '#gone' {nowhere} [unknown-anchor]"], result.out
    assert run_gitspec(example, "check").out == result.out  # the same from the index, without parsing again


def test_a_link_whose_fragment_no_anchor_can_be_is_a_warning_at_the_link(example):
    # Before, these links vanished from every format (their labels shown as plain text) and check said
    # nothing, while a link to a missing ASCII anchor got this warning: `#🚀-launch-plan` is how one
    # writes a link to `### 🚀 Launch plan`, and a zero-width space comes with text pasted from a CMS.
    prd = example / "specs" / "prd.md"
    written = "See [the plan](#\U0001f680-launch-plan), [again](#launch\u200bplan) and [odd](#a!b)."
    text = prd.read_text().replace("\n## Problem\n", f"\n## Problem\n\n### \U0001f680 Launch plan\n\n{written}\n", 1)
    prd.write_text(text)
    line = text.splitlines().index(written) + 1
    result = run_gitspec(example, "check")
    assert result.code == 0, result
    nowhere = "leads nowhere: no heading or item on this page has that anchor"
    assert result.out.splitlines() == [
        f"specs/prd.md:{line}:{written.index('#') + 1}: warning: link to '#\U0001f680-launch-plan' {nowhere} "
        "(did you mean '#-launch-plan'?) [unknown-anchor]",
        f"specs/prd.md:{line}:{written.index('#launch') + 1}: warning: link to '#launch\\u200bplan' {nowhere} "
        "(did you mean '#launch-plan'?) [unknown-anchor]",
        f"specs/prd.md:{line}:{written.index('#a!b') + 1}: warning: link to '#a!b' {nowhere} [unknown-anchor]"], \
        result.out


def test_a_reference_link_is_checked_with_definitions_from_other_sections_at_each_use(example):
    # Before, `[x][far]` in Risks with `[far]: #nowhere-at-all` in Open questions passed check while
    # the page held a link going nowhere; a use beside its definition was reported at the definition
    prd = example / "specs" / "prd.md"
    text = prd.read_text().replace("\n## Risks\n", "\n## Risks\n\nAlso [far ref][far], then [Far].\n", 1)
    text = text.replace("\n## Open questions\n", "\n## Open questions\n\nSee [far][].\n\n[far]: #nowhere-at-all\n"
                        "\n[near]: #risks\n\nAnd [near] and [the risks][near].\n", 1)
    prd.write_text(text)
    lines = text.splitlines()
    also = lines.index(line := "Also [far ref][far], then [Far].") + 1
    see = lines.index("See [far][].") + 1
    nowhere = "link to '#nowhere-at-all' leads nowhere: no heading or item on this page has that anchor"
    result = run_gitspec(example, "check")
    assert result.code == 0, result
    assert result.out.splitlines() == [
        f"specs/prd.md:{also}:{line.index('[far]') + 1}: warning: {nowhere} [unknown-anchor]",
        f"specs/prd.md:{also}:{line.index('[Far]') + 1}: warning: {nowhere} [unknown-anchor]",
        f"specs/prd.md:{see}:5: warning: {nowhere} [unknown-anchor]"], result.out


@pytest.mark.skipif(not shutil.which("setpriv") or os.geteuid() != 0, reason="needs root's setpriv to drop its read-all right")
def test_an_unreadable_config_is_one_clear_error(repo):
    """Before, every command crashed with an internal error (PermissionError) and a crash log."""
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    (ws / "gitspec.yaml").chmod(0)
    try:
        results = {command: _without_read_all(ws, *command.split())
                   for command in ("check", "status", "render --format html", "cache gc", "build")}
    finally:
        (ws / "gitspec.yaml").chmod(0o644)
    for command, done in results.items():
        assert (done.returncode, done.stdout, done.stderr) == (
            2, "", "gitspec: error: cannot read gitspec.yaml: Permission denied\n"), (command, done)


@pytest.mark.parametrize("command", [("check",), ("build", "--no-render")])
def test_a_finding_the_locale_cannot_encode_is_printed_escaped(repo, command):
    """Before, in a C or Latin-1 locale a finding holding "→" (a dependsOn cycle) crashed with an internal error
    (UnicodeEncodeError)."""
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")),
               "specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", depends="[TASK-001]"))})
    locale = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}
    result = run_gitspec(ws, *command, env=locale)
    assert result.code == 1 and "internal error" not in result.err, result
    assert "dependsOn cycle: TASK-001 \\u2192 TASK-001" in result.out + result.err, result


@pytest.mark.parametrize("command", [("check",), ("check", "--format", "json"), ("status", "--all", "--format", "json")])
@pytest.mark.parametrize("output", ["full", "closed"])
def test_an_output_that_cannot_be_written_is_one_clear_error(repo, command, output):
    """Before, `> /dev/full` crashed with an internal error (OSError: No space left on device) and `>&-` with
    one about None having no attribute 'write'."""
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")), "specs/bad.md": "no front matter\n"})
    shell = f'"$0" "$@" {">/dev/full" if output == "full" else ">&-"}'
    done = subprocess.run(["sh", "-c", shell, GITSPEC, *command], cwd=ws, capture_output=True, text=True)
    why = "No space left on device" if output == "full" else "it is closed"
    assert (done.returncode, done.stderr.splitlines()[-1:]) == (
        2, [f"gitspec: error: cannot write to standard output: {why}"]), done
    assert "internal error" not in done.stderr and not (ws / ".gitspec" / "logs").exists(), done


def test_a_standard_error_that_cannot_be_written_leaves_the_exit_code_to_tell(repo):
    ws = repo({"specs/bad.md": "no front matter\n"})
    for redirect in ("2>/dev/full", "2>&-", ">/dev/full 2>&1"):
        done = subprocess.run(["sh", "-c", f'"$0" check {redirect}', GITSPEC], cwd=ws, capture_output=True, text=True)
        assert (done.returncode, done.stderr) == (1 if redirect != ">/dev/full 2>&1" else 2, ""), (redirect, done)
        assert not (ws / ".gitspec" / "logs").exists(), done


def test_a_file_name_that_is_not_utf8_is_an_error_and_left_out(repo):
    """Before, check passed (printing a lone surrogate in its JSON) and render and build crashed
    (UnicodeEncodeError: surrogates not allowed)."""
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")),
               "gitspec.yaml": CONFIG.replace("formats: []", "formats: [html]")})
    (ws / os.fsdecode(b"specs/plan\xff.yaml")).write_text(requirements_doc("plan", requirement("REQ-002")))
    line = "specs/plan\\xff.yaml:1:1: error: file name is not valid UTF-8: rename it [bad-file-name]"
    checked = run_gitspec(ws, "check")
    assert (checked.code, checked.out) == (1, line + "\n"), checked
    as_json = run_gitspec(ws, "check", "--format", "json")
    assert as_json.code == 1 and "\\ud" not in as_json.out and as_json.json()[0]["path"] == "specs/plan\\xff.yaml"
    for command in (("render",), ("build",), ("build", "--json")):
        done = run_gitspec(ws, *command)
        assert done.code == 1 and "internal error" not in done.err and "\\ud" not in done.out + done.err, done
        assert "warning: specs/plan\\xff.yaml left out of the render: line 1: file name is not valid UTF-8: " \
               "rename it" in done.err or "--json" in command, done
    assert "REQ-001" in (ws / "build/html/reqs.html").read_text()
    assert [path.name for path in (ws / "build/html").glob("plan*")] == []


def test_schema_errors_of_a_document_without_an_id_name_no_none(repo):
    # Before: "None: missing required key 'id'" and "None#items: [] should be non-empty".
    ws = repo({"specs/reqs.yaml": "kind: requirements\ntitle: Reqs\nitems: []\n"})
    result = run_gitspec(ws, "check")
    assert result.code == 1, result
    assert result.out == ("specs/reqs.yaml:1:1: error: missing required key 'id' [schema]\n"
                          "specs/reqs.yaml:3:8: error: items: [] should be non-empty [schema]\n"), result


@pytest.mark.parametrize("redirect", [">/dev/full", ">&-"])
@pytest.mark.parametrize("args", [("--help",), ("--version",), ("check", "--help")])
def test_help_to_an_output_that_cannot_be_written_is_one_clear_error(repo, redirect, args):
    """Before, argparse's own printing failed outside the command's error handling: a traceback."""
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    for unbuffered in ("", "1"):
        done = subprocess.run(["sh", "-c", f'"$0" "$@" {redirect}', GITSPEC, *args], cwd=ws, capture_output=True,
                              text=True, env={**os.environ, "PYTHONUNBUFFERED": unbuffered})
        assert done.returncode == 2 and done.stderr.startswith("gitspec: error: cannot write to standard output"), done
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done


def test_a_hand_edit_whose_inputs_changed_is_the_conflict_status_and_build_report(example):
    """check warned ("[hand-edited]", exit 0) where status and build said conflict and exited 1."""
    ui, product = example / "specs" / "ui.yaml", example / "specs" / "product.yaml"
    ui.write_text(ui.read_text().replace("    name: Month-end close\n", "    name: Month end close (mine)\n", 1))
    edited = run_gitspec(example, "check")
    assert edited.code == 0 and "warning: ui#flows was edited by hand" in edited.out, edited

    product.write_text(product.read_text().replace("name: Fiona, finance lead", "name: Fiona, head of finance", 1))
    conflict = run_gitspec(example, "check")
    assert conflict.code == 1, conflict
    assert conflict.out == ("specs/ui.yaml:47:1: error: ui#flows was edited by hand and its inputs changed "
                            "(product#personas): keep the edit with 'gitspec pin ui#flows' or discard it with "
                            "'gitspec build --force ui#flows' [conflict]\n"), conflict
    build = run_gitspec(example, "build", "--no-render")
    assert build.code == 1 and build.err.count("ui#flows was edited by hand") == 1, build  # once, as a conflict

    assert run_gitspec(example, "pin", "ui#flows").code == 0
    pinned = run_gitspec(example, "check")
    assert pinned.code == 0 and "warning: ui#flows is pinned, but its inputs changed" in pinned.out, pinned


def test_a_prds_product_must_name_a_document(repo):
    # Before, `product: no-such-product` passed check, and the page showed it as plain text.
    sections = "".join(f"## {name}\n\nWritten.\n\n" for name in ("Problem", "Goals", "Non-goals", "Requirements",
                                                                 "Risks"))
    prd = f"---\nkind: prd\nid: notes\ntitle: Notes\nstatus: draft\nproduct: no-such-product\n---\n\n# Notes\n\n{sections}"
    ws = repo({"specs/notes.md": prd})
    result = run_gitspec(ws, "check")
    assert result.code == 1, result
    assert "specs/notes.md:6:10: error: unknown document 'no-such-product' [unknown-reference]" in result.out, result


def test_evidence_started_at_must_be_a_real_date_time(repo):
    """The verdicts order evidence by it: one they cannot read is reported, not sorted oldest in silence."""
    def evidence(started: str) -> str:
        return ("kind: evidence\nid: ev-0001\ntitle: tests\nrequirements: [REQ-001]\nsource: run\ncommand: pytest\n"
                f"verdict: failed\nstartedAt: {started}\ncommit: \"{'0' * 40}\"\nprevious: null\n")

    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")),
               "specs/ev.yaml": evidence("2026-03-01T10:00:00Z")})
    assert run_gitspec(ws, "check").code == 0
    for started in ('"2026-02-30T10:00:00Z"', "yesterday", "2026-03-01", '"2026-03-01T10:00:00"'):
        write_files(ws, {"specs/ev.yaml": evidence(started)})
        result = run_gitspec(ws, "check")
        assert result.code == 1, result
        assert result.out == (f"specs/ev.yaml:8:12: error: ev-0001#startedAt: {started.strip(chr(34))!r} is not a "
                              "date-time with an offset, such as 2026-01-15T09:30:00Z (a real date, seconds, and Z "
                              "or +hh:mm) [schema]\n")


def test_evidence_previous_must_be_another_evidence_record_without_a_loop(repo):
    def evidence(ev_id: str, previous: str) -> str:
        return (f"kind: evidence\nid: {ev_id}\ntitle: tests\nrequirements: [REQ-001]\nsource: run\ncommand: pytest\n"
                f"verdict: passed\nstartedAt: \"2026-01-01T10:00:00Z\"\ncommit: \"{'0' * 40}\"\nprevious: {previous}\n")

    chain = {"ev-1": "reqs", "ev-2": "ev-2", "ev-3": "ev-4", "ev-4": "ev-3", "ev-5": "ev-6", "ev-6": "null"}
    ws = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")),
               **{f"specs/{ev_id}.yaml": evidence(ev_id, previous) for ev_id, previous in chain.items()}})
    result = run_gitspec(ws, "check")
    assert result.code == 1, result
    assert result.out.splitlines() == [
        "specs/ev-1.yaml:10:11: error: 'reqs' is a requirements document, not an evidence document [unknown-reference]",
        "specs/ev-2.yaml:10:11: error: previous cycle: ev-2 → ev-2 [cycle]",
        "specs/ev-3.yaml:10:11: error: previous cycle: ev-3 → ev-4 → ev-3 [cycle]",  # in each file it passes through
        "specs/ev-4.yaml:10:11: error: previous cycle: ev-3 → ev-4 → ev-3 [cycle]",
    ]


def test_a_prds_product_must_name_a_product_document(repo):
    sections = "".join(f"## {name}\n\nWritten.\n\n" for name in ("Problem", "Goals", "Non-goals", "Requirements",
                                                                 "Risks"))
    prd = f"---\nkind: prd\nid: notes\ntitle: Notes\nstatus: draft\nproduct: reqs\n---\n\n# Notes\n\n{sections}"
    ws = repo({"specs/notes.md": prd, "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    result = run_gitspec(ws, "check")
    assert result.code == 1, result
    assert "specs/notes.md:6:10: error: 'reqs' is a requirements document, not a product document" in result.out, result


def test_longer_merge_conflict_markers_set_by_gitattributes_are_errors_and_left_out_of_the_render(repo):
    # `*.md conflict-marker-size=10` makes git write `<<<<<<<<<< HEAD` … `==========` … `>>>>>>>>>> a`.
    # Before, check passed (exit 0) and the render published both sides.
    ws = repo({".gitattributes": "*.md conflict-marker-size=10\n"}, config=CONFIG.replace("formats: []", "formats: [html]"))
    assert run_gitspec(ws, "new", "prd", "Checkout flow").code == 0
    prd = ws / "specs" / "checkout-flow.md"
    subprocess.run(["git", "add", "-A"], cwd=ws, check=True)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid"]
    subprocess.run([*git, "commit", "-qm", "prd"], cwd=ws, check=True)
    for branch, goal in (("a", "Halve checkout time."), ("main", "Cut checkout time.")):
        subprocess.run(["git", "checkout", "-q", *(["-b"] if branch == "a" else []), branch], cwd=ws, check=True)
        prd.write_text(prd.read_text().replace("TODO The outcomes this work must achieve.", goal))
        subprocess.run([*git, "commit", "-qam", branch], cwd=ws, check=True)
    subprocess.run([*git, "merge", "-q", "a"], cwd=ws, capture_output=True)
    lines = prd.read_text().splitlines()
    start = lines.index("<<<<<<<<<< HEAD") + 1
    assert lines[start + 1] == "==========", lines  # git wrote the markers the attribute asks for
    result = run_gitspec(ws, "check")
    assert result.code == 1 and result.out == (
        f"specs/checkout-flow.md:{start}:1: error: unresolved merge conflict (lines {start}-{start + 4}: "
        "<<<<<<< … >>>>>>>); resolve it and remove the markers [merge-conflict]\n"), result
    render = run_gitspec(ws, "render")
    assert render.code == 1 and (f"warning: specs/checkout-flow.md left out of the render: line {start}: "
                                 "unresolved merge conflict") in render.err, render
    assert not (ws / "build" / "html" / "checkout-flow.html").exists()


def test_merge_conflict_markers_in_gitspec_yaml_are_named_as_a_conflict(repo):
    # Before: "gitspec.yaml:8:1: error: YAML syntax error: could not find expected ':'", a line below them.
    ws = repo()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid"]
    config = ws / "gitspec.yaml"
    for branch, formats in (("other", "[html]"), ("main", "[docx]")):
        subprocess.run(["git", "checkout", "-q", *(["-b"] if branch == "other" else []), branch], cwd=ws, check=True)
        config.write_text(config.read_text().replace("formats: []", f"formats: {formats}"))
        subprocess.run([*git, "commit", "-qam", branch], cwd=ws, check=True)
    subprocess.run([*git, "merge", "-q", "other"], cwd=ws, capture_output=True)
    start = config.read_text().splitlines().index("<<<<<<< HEAD") + 1
    for command in ("check", "build"):
        result = run_gitspec(ws, command)
        assert result.code == 2 and result.err == (
            f"gitspec.yaml:{start}:1: error: unresolved merge conflict (lines {start}-{start + 4}: <<<<<<< … >>>>>>>); "
            "resolve it and remove the markers\n"), result
