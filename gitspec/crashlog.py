"""Tracebacks of unexpected errors go to a log file, never to the screen."""
from __future__ import annotations

import os
import tempfile
import time
import traceback
from pathlib import Path


def report_internal_error() -> None:
    """Say on stderr, in one line, that the exception being handled is gitspec's own error, and where
    its traceback is: what `gitspec` prints before exiting 3, and a watch before it goes on."""
    import sys

    log, summary = write_crash_log()
    sys.stderr.write(f"gitspec: internal error ({summary}); the traceback is in {log}\n")


def write_crash_log() -> tuple[Path, str]:
    """Write the current exception's traceback; return the log's path and a one-line summary."""
    import sys

    exc = sys.exc_info()[1]
    summary = f"{type(exc).__name__}: {exc}".splitlines()[0][:200] if exc else "unknown error"
    folder = _log_folder()
    log = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        log.write_text(traceback.format_exc(), encoding="utf-8")
    except OSError:
        log = Path(tempfile.gettempdir()) / log.name
        log.write_text(traceback.format_exc(), encoding="utf-8")
    return log, summary


def _log_folder() -> Path:
    from gitspec.errors import GitspecError
    from gitspec.workspace import find_root, store_of

    try:
        return store_of(find_root(Path.cwd())) / "logs"
    except (GitspecError, OSError):
        return Path(tempfile.gettempdir()) / "gitspec-logs"
