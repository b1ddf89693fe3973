"""The file format of gitspec's caches in `.gitspec/`: a tag, a CRC-32, then marshal data.

The tag names the format and its version, so a file from another one reads as
missing; the CRC turns a torn or damaged file into a miss instead of a wrong
answer. Caches are only optimisations: reading one never fails, and failing to
write one only costs the next run time.
"""
from __future__ import annotations

import marshal
import zlib
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms) on a no-op check
if TYPE_CHECKING:
    from typing import Any

def read_cache(path: Path, tag: bytes) -> Any:
    """The value saved under `tag`, or None when the file is missing, damaged or another format."""
    from gitspec.store import read_plain

    header = len(tag) + 4
    try:
        blob = read_plain(path)
        payload = memoryview(blob)[header:]  # no copy of a file that may be megabytes
        if blob[:len(tag)] != tag or zlib.crc32(payload).to_bytes(4, "big") != blob[len(tag):header]:
            return None
        return marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write_cache(path: Path, tag: bytes, value: Any, required: bool = False) -> bool:
    """Save `value` atomically; False when it could not be (a read-only workspace, or a value
    marshal cannot store), unless `required`, when the OSError or ValueError is raised."""
    from gitspec.atomic import write_atomic
    from gitspec.store import ensure_store

    try:
        payload = marshal.dumps(value)
        ensure_store(path.parent)
        write_atomic(path, tag + zlib.crc32(payload).to_bytes(4, "big") + payload, durable=False)
    except (OSError, ValueError):
        if required:
            raise
        return False
    return True


def unwritable_store(path: Path, error: OSError):
    """The one-line error for a store gitspec cannot write (a read-only `.gitspec/`, a full disk, a file there),
    or cannot make: in a read-only checkout there is no `.gitspec/` to make writable or delete."""
    import errno
    import os

    from gitspec.errors import EXIT_USAGE, GitspecError
    from gitspec.herepaths import here

    store = next((parent for parent in path.parents if parent.name == ".gitspec"), None)
    if store is not None and not os.path.lexists(store):
        # Its place is fixed (a `.gitspec` symlink may lead only to a folder inside the workspace).
        hint = " (gitspec keeps its cache there: make the workspace folder writable; check, status and " \
            "build --dry-run run without it)" if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS) else ""
        return GitspecError(f"cannot create {here(store.relative_to(store.parent).as_posix())}: "
                            f"{error.strerror or error}{hint}", exit_code=EXIT_USAGE)
    told = cannot_write(path, error)
    hint = "a folder there: remove it" if told.endswith(" is not a folder") else \
        "this folder: make it writable, or delete it"
    return GitspecError(f"{told} (gitspec keeps its cache in {hint})", exit_code=EXIT_USAGE)


def cannot_write(path: Path, error: OSError) -> str:
    """`cannot write <path>: <why>` for a file of the store, named from the current folder. A folder on the
    way that is none (`.gitspec` a file, or a symlink leading nowhere) is the why, rather than "File exists"."""
    import os

    from gitspec.herepaths import here

    store = next((parent for parent in path.parents if parent.name == ".gitspec"), None)
    if store is None:
        return f"cannot write {path}: {error.strerror or error}"
    reason = error.strerror or str(error)
    for parent in path.parents:
        if os.path.lexists(parent) and not parent.is_dir():
            reason = f"{here(parent.relative_to(store.parent).as_posix())} is not a folder"
            break
        if parent == store:
            break
    return f"cannot write {here(path.relative_to(store.parent).as_posix())}: {reason}"
