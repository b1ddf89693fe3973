"""Atomic file writes: a temp file in the same folder, fsync, then os.replace.

A reader sees the old file or the new one, never half of either. A new file gets the
permissions the umask gives (as `open()` would); a replaced one keeps its own.
"""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable

TYPE_CHECKING = False  # as typing's: Path is only named in annotations
if TYPE_CHECKING:
    from pathlib import Path


def write_atomic(path: Path, data: bytes, durable: bool = True, still: Callable[[], bool] | None = None) -> bool:
    """Write `path` atomically. With `still`, asked once the new bytes are on disk and just before
    they take the file's place: False leaves the file as it is (someone changed it meanwhile) and
    returns False."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = None
    fd, tmp = _temp_beside(path, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if still is not None and not still():
            os.unlink(tmp)
            return False
        os.replace(tmp, path)
        return True
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def replace_unchanged(path: Path, data: bytes, sha: str) -> bool:
    """Write `path` atomically unless it no longer holds the bytes whose SHA-256 is `sha` (an edit saved
    meanwhile): checked once the new bytes are on disk, just before they take the file's place."""
    import hashlib

    def unchanged() -> bool:
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest() == sha
        except OSError:
            return False

    return write_atomic(path, data, still=unchanged)


def create_new(path: Path, data: bytes) -> bool:
    """Write `path` only if it does not exist yet; never overwrite. Returns whether written."""
    fd, tmp = _temp_beside(path, None)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # fails if path exists: no race with another writer
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(tmp)


def _temp_beside(path: Path, mode: int | None) -> tuple[int, str]:
    """A new temp file next to `path`, open for writing, with `mode` (None: 0o666 less the umask,
    which the kernel applies; tempfile.mkstemp would make every file 0o600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    named = True  # the temp file named after `path`, to tell whose it is; unless that is too long a name
    while True:
        tmp = os.path.join(path.parent, f".{path.name if named else 'gitspec'}.{os.urandom(6).hex()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        except FileExistsError:
            continue
        except OSError as error:
            if error.errno != errno.ENAMETOOLONG or not named:  # `path` itself may be a legal name
                raise
            named = False
            continue
        if mode is not None:
            os.chmod(tmp, mode)
        return fd, tmp
