"""Tracebacks of unexpected errors go to a log file, never to the screen."""
from __future__ import annotations

import os
import tempfile
import time
import traceback
from pathlib import Path


def report_internal_error() -> str:
    """Say on stderr, in one line, that the exception being handled is gitspec's own error, and where
    its traceback is: what `gitspec` prints before exiting 3, and a watch before it goes on. Returns
    the line's message, for `build --json`'s error event."""
    import sys

    log, summary = write_crash_log()
    where = f"the traceback is in {log}" if log else "its traceback could not be saved (no room, or no folder to write)"
    message = f"internal error ({summary}); {where}"
    sys.stderr.write(f"gitspec: {message}\n")
    return message


def write_crash_log() -> tuple[Path | None, str]:
    """Write the current exception's traceback; return the log's path (None when no log could be
    written: a full disk) and a one-line summary."""
    import sys

    exc = sys.exc_info()[1]
    summary = f"{type(exc).__name__}: {exc}".splitlines()[0][:200] if exc else "unknown error"
    text = traceback.format_exc()
    name = f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    for folder in (_log_folder(), Path(tempfile.gettempdir())):
        log = folder / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with open(log, "x", encoding="utf-8") as file:  # "x": never through a link already there
                file.write(text)
            return log, summary
        except OSError:  # never leave an empty or cut log behind, as if it were the whole story
            try:
                log.unlink(missing_ok=True)
            except OSError:
                pass
    return None, summary


def _log_folder() -> Path:
    """The workspace's logs: the workspace the current folder is in, else the one the paths on the
    command line are in (`gitspec check docs/specs` from the top of the repository)."""
    import sys

    from gitspec.errors import GitspecError
    from gitspec.workspace import find_root_of, store_of

    given = [arg for arg in sys.argv[1:] if not arg.startswith("-") and os.path.exists(arg)]
    try:
        return store_of(find_root_of(Path.cwd(), given)) / "logs"
    except (GitspecError, OSError):
        return Path(tempfile.gettempdir()) / "gitspec-logs"
