"""An error that stops a command asked for JSON still leaves well-formed JSON on stdout, in the command's
own shape, holding the error; the one line on stderr says it too."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest
from conftest import CONFIG, GIT_ENV, GITSPEC, install_plugin, requirement, requirements_doc, run_gitspec
from test_cli import IN_A_DELETED_FOLDER

UNKNOWN_KEY = CONFIG + "page_sise: A4\n"
UNKNOWN_FORMAT = CONFIG.replace("formats: []", "formats: [html, rtf]")

CHECK, PLACEHOLDERS, STATUS = ("check", "--format", "json"), ("check", "--placeholders", "--format", "json"), \
    ("status", "--format", "json")


def _entry(command: tuple[str, ...], message: str, path: str | None, line: int | None, col: int | None) -> dict:
    """The one entry of the list `command` prints for the error that stopped it."""
    if command == CHECK:
        return {"path": path, "line": line, "col": col, "severity": "error", "message": message, "rule": "stopped"}
    if command == PLACEHOLDERS:
        return {"path": path, "line": line, "col": col, "severity": "error", "address": "", "text": message}
    return {"address": "", "stage": "", "state": "error", "changed_inputs": [], "conflict": False,
            "reason": message, "path": path, "line": line, "col": col}


@pytest.mark.parametrize("command, config, line, col, message", [
    *((command, UNKNOWN_KEY, 8, 1, "unknown key 'page_sise' (did you mean 'page_size'?)")
      for command in (CHECK, PLACEHOLDERS, STATUS)),
    # (only check refuses a format not installed: the others warn of it and go on)
    (CHECK, UNKNOWN_FORMAT, 7, 17, "key 'formats': unknown format 'rtf' (installed: docx, html, pdf)"),
])
def test_a_config_error_is_the_one_entry_of_the_json(repo, command, config, line, col, message):
    # Before, stdout was empty (exit 2): `gitspec check --format json > findings.json` left a file no JSON
    # reader could parse.
    result = run_gitspec(repo({}, config=config), *command)
    assert result.code == 2, result
    assert result.json() == [_entry(command, message, "gitspec.yaml", line, col)], result
    assert result.err == f"gitspec.yaml:{line}:{col}: error: {message}\n", result


@pytest.mark.parametrize("command", [CHECK, PLACEHOLDERS, STATUS])
@pytest.mark.parametrize("spelt", [(), ("--bogus",)])
def test_a_usage_error_is_the_one_entry_of_the_json_naming_no_file(repo, command, spelt):
    ws = repo({})
    if spelt:
        result = run_gitspec(ws, *command, *spelt)
        message = "unrecognized arguments: --bogus"
    else:  # the current folder deleted under the shell: told before the command runs
        result = run_gitspec(ws, *command, prefix=IN_A_DELETED_FOLDER)
        message = "the current folder no longer exists (deleted or moved away): cd into one that does"
    assert result.code == 2 and result.json() == [_entry(command, message, None, None, None)], result
    assert result.err.splitlines()[-1].endswith(f"error: {message}"), result


@pytest.mark.parametrize("args", [
    ("check", "--format=json", "--bogus"), ("status", "--bogus", "--format", "json"),
])
def test_json_asked_for_as_argparse_reads_it_is_json_on_a_usage_error(repo, args):
    result = run_gitspec(repo({}), *args)
    assert result.code == 2 and [e["severity" if "severity" in e else "state"] for e in result.json()] == ["error"]


@pytest.mark.parametrize("args", [
    ("check", "--bogus"), ("check", "--format", "json", "--format", "text", "--bogus"), ("status", "--format"),
    ("check", "--form", "json", "--bogus"),  # an abbreviation is no option at all
    ("check", "--format", "xml"),
])
def test_a_usage_error_without_json_prints_nothing_on_stdout(repo, args):
    result = run_gitspec(repo({}), *args)
    assert (result.code, result.out) == (2, ""), result


def test_json_findings_of_a_check_that_ran_are_as_before(repo):
    result = run_gitspec(repo({"specs/a.yaml": "kind: nosuchkind\nid: a\ntitle: A\n"}), *CHECK)
    assert result.code == 1 and [f["rule"] for f in result.json()] == ["unknown-kind"], result


def test_build_events_tell_a_deleted_current_folder(repo):
    result = run_gitspec(repo({}), "build", "--json", prefix=IN_A_DELETED_FOLDER)
    message = "the current folder no longer exists (deleted or moved away): cd into one that does"
    assert result.code == 2 and [json.loads(line) for line in result.out.splitlines()] == [
        {"event": "error", "stage": "", "progress": 100, "file": None, "line": None, "col": None, "message": message},
        {"event": "complete", "stage": "", "progress": 100, "exit_code": 2}], result


SLOW_CHECK = """import pathlib
import time

from gitspec import hookimpl


@hookimpl
def gitspec_check_document(document):
    pathlib.Path(__file__).with_name("checking").touch()
    time.sleep(20)
    return []
"""


@pytest.mark.parametrize("command", [CHECK, STATUS])
@pytest.mark.parametrize("signum, word, code", [(signal.SIGINT, "interrupted", 130),
                                                (signal.SIGTERM, "terminated", 143)])
def test_a_stop_is_the_one_entry_of_the_json(repo, tmp_path, command, signum, word, code):
    # Before, a check or status stopped by Ctrl-C or SIGTERM left stdout empty: no JSON to read.
    env = {**os.environ, **GIT_ENV, **install_plugin(tmp_path / "plug", "slow", {"slow.py": SLOW_CHECK})}
    ws = repo({"specs/reqs.yaml": requirements_doc(items=requirement("REQ-001"))})
    proc = subprocess.Popen([GITSPEC, *command], cwd=ws, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.time() + 30
    while not (tmp_path / "plug" / "checking").exists() and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code and err == f"gitspec: {word}\n", (out, err)
    assert json.loads(out) == [_entry(command, word, None, None, None)], out
