"""Reporting gitspec's own errors: one line on screen, the traceback in a log under .gitspec/logs/."""
from __future__ import annotations

import re
from pathlib import Path

from gitspec.crashlog import report_internal_error


def test_an_internal_error_is_one_line_naming_the_log_that_holds_its_traceback(repo, monkeypatch, capsys):
    # the same line for `gitspec` exiting 3 and for a render watch that goes on (both once wrote it themselves)
    monkeypatch.chdir(repo())
    try:
        raise ValueError("a bug\nof two lines")
    except ValueError:
        report_internal_error()
    err = capsys.readouterr().err
    found = re.fullmatch(r"gitspec: internal error \(ValueError: a bug\); the traceback is in (\S+)\n", err)
    assert found, err
    log = Path(found[1])
    assert log.parent == Path.cwd() / ".gitspec" / "logs"
    assert "Traceback" in log.read_text() and "raise ValueError" in log.read_text()
