"""`--trace FILE`: a Chrome trace-event file (open it in Perfetto or chrome://tracing).

The file is checked before the build starts: a trace never replaces a folder, a spec
document, gitspec.yaml or any file that is not a trace gitspec wrote before, and never goes
where git or gitspec keep their own files (.git, .gitspec).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from gitspec.atomic import write_atomic
from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.workspace import DOCUMENT_SUFFIXES

_HEADER = {"name": "build", "ph": "M", "pid": 1, "args": {"name": "gitspec build"}}
# Every trace gitspec writes starts so: an existing file that does not is someone else's.
_OPENING = json.dumps({"traceEvents": [_HEADER]}, indent=1).rsplit("\n ]", 1)[0].encode()


def trace_target(given: str, workspace) -> Path:
    """Where `--trace given` may write: a new file in an existing folder, or a trace gitspec wrote."""
    if not given:
        raise _refused("needs a file name")
    path = Path(given)
    if path.is_dir():
        raise _refused(f"{given} is a folder, not a file")
    # lower(): on macOS .GIT is .git
    if {part.lower() for part in Path(os.path.realpath(path.parent)).parts} & {".git", ".gitspec"}:
        raise _refused(f"{given} is inside .git or .gitspec, which belong to git and gitspec")
    if not path.parent.is_dir():
        raise _refused(f"the folder {path.parent} of {given} does not exist")
    at = Path(os.path.realpath(path.parent)) / path.name  # the link itself, if `given` is one, is what is replaced
    root = workspace.root.resolve()
    if at == root / "gitspec.yaml":
        raise _refused(f"{given} is the workspace's gitspec.yaml")
    for folder in workspace.config.specs if at.name.endswith(DOCUMENT_SUFFIXES) else ():
        if at.is_relative_to((root / folder).resolve()):  # it would be read as a document
            raise _refused(f"{given} is in the spec folder '{folder}'")
    if os.path.lexists(path) and not _is_trace(path):
        raise _refused(f"{given} exists and is not a trace gitspec wrote; remove it or name another file")
    _probe(path.parent, given)
    return path


def _probe(folder: Path, given: str) -> None:
    """The trace is written beside itself and renamed into place: a folder where no file can be made
    (read-only, another user's) is refused now, not after the whole build ran."""
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise _refused(f"cannot write {given}: {error.strerror or error}") from None


def _is_trace(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            return handle.read(len(_OPENING)) == _OPENING
    except OSError:
        return False


def _refused(reason: str) -> GitspecError:
    return GitspecError(f"argument --trace: {reason}", exit_code=EXIT_USAGE)


def write_trace(path: Path, report, render_spans=()) -> None:
    """Stage spans (with cache hits and tokens) and render spans: (name, start, end) per page and format."""
    origin = min([span.start for span in report.spans] + [start for _, start, _ in render_spans], default=0.0)
    events = [_HEADER]
    for lane, span in enumerate(report.spans):
        events.append({"name": span.stage, "cat": "stage", "ph": "X", "pid": 1, "tid": 1 + lane % 8,
                       "ts": round((span.start - origin) * 1e6), "dur": max(1, round((span.end - span.start) * 1e6)),
                       "args": {"cache": "hit" if span.cache_hit else "miss", "tokens": span.tokens}})
        if span.cache_hit:
            events.append({"name": f"cache hit: {span.stage}", "cat": "cache", "ph": "i", "s": "t", "pid": 1,
                           "tid": 1 + lane % 8, "ts": round((span.start - origin) * 1e6)})
    for name, start, end in render_spans:
        events.append({"name": name, "cat": "render", "ph": "X", "pid": 1, "tid": 9,
                       "ts": round((start - origin) * 1e6), "dur": max(1, round((end - start) * 1e6))})
    events.append({"name": "provider tokens", "ph": "C", "pid": 1, "ts": 0,
                   "args": {"tokens": sum(span.tokens for span in report.spans)}})
    try:
        write_atomic(path, json.dumps({"traceEvents": events, "displayTimeUnit": "ms"}, indent=1).encode())
    except OSError as error:  # checked before the build, but a disk fills and folders change meanwhile
        raise _refused(f"cannot write {path}: {error.strerror or error}") from None
