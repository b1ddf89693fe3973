"""Reporting gitspec's own errors: one line on screen, the traceback in a log under .gitspec/logs/."""
from __future__ import annotations

import os
import re
import subprocess
import sys
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


def test_a_log_that_cannot_be_written_whole_is_not_left_behind(repo, tmp_path):
    # Before, on a full disk the log was left empty under .gitspec/logs, and when the fallback in the
    # temporary folder failed too, the crash report itself crashed with a traceback.
    root = repo()
    (root / ".gitspec" / "logs").mkdir(parents=True)
    script = ("from gitspec.crashlog import report_internal_error\ntry:\n    raise ValueError('a bug')\n"
              "except ValueError:\n    report_internal_error()\n")
    # a file size limit makes every write past 64 bytes fail (EFBIG), here and in the temporary folder
    done = subprocess.run(["prlimit", "--fsize=64", sys.executable, "-c", script], cwd=root, capture_output=True,
                          text=True, env={**os.environ, "TMPDIR": str(tmp_path)})
    assert done.returncode == 0 and done.stderr == "gitspec: internal error (ValueError: a bug); its traceback " \
        "could not be saved (no room, or no folder to write)\n", done
    assert list((root / ".gitspec" / "logs").iterdir()) == [] and not list(tmp_path.glob("crash-*"))
