"""The store folder `.gitspec/`: created on demand, explaining itself.

Holds caches only: deleting it loses nothing but time. Never written or read through a symlink inside
it, which a clone may bring in and which may lead anywhere.
"""
from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

from gitspec.atomic import write_atomic
from gitspec.errors import EXIT_USAGE, GitspecError

TYPE_CHECKING = False  # as typing's: cli imports this module for LOCK_TIMEOUT, `--help` needs no pathlib
if TYPE_CHECKING:
    from pathlib import Path

README = """\
This folder is gitspec's cache: the parse index, generated and rendered
objects, and logs. It is safe to delete; gitspec rebuilds it. Do not commit it.
"""
CACHEDIR_TAG = """\
Signature: 8a477f597d28d172789f06886806bc55
# This file is a cache directory tag created by gitspec.
# For information about cache directory tags see https://bford.info/cachedir/
"""
POLL_SECONDS = 0.05  # how often a waiting build or render tries the lock again


def ensure_store(folder: Path) -> Path:
    if not (folder / "CACHEDIR.TAG").exists():
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in (("README", README), (".gitignore", "*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG)):
            if not os.path.lexists(folder / name):  # a file already there is not gitspec's to replace
                write_atomic(folder / name, text.encode(), durable=False)
    return folder


def is_gitspec_store(folder: Path) -> bool:
    """Whether `folder` is a store gitspec made (it holds gitspec's cache directory tag), and none of the
    folders it deletes from is a symlink that may lead anywhere: what `cache gc` may delete from.
    Raises PermissionError when the tag may be there but this user cannot read it (a store a cache step
    restored as another user, say): whose store it is cannot be told."""
    try:
        tag = (folder / "CACHEDIR.TAG").read_bytes()
    except PermissionError:
        raise
    except OSError:
        return False
    return (tag.startswith(CACHEDIR_TAG.encode()[:43]) and b"created by gitspec" in tag
            and not any(os.path.islink(folder / name) for name in ("objects", "cache", "renders", "diagrams")))


def store_symlink(store: Path) -> Path | None:
    """The first symlink in the store where gitspec opens files by name: directly in it, and in each of its
    folders (`renders/`, the `ab/` shards of `objects/` and `cache/`). None when there is none, or no store.
    A clone may bring one in (git commits links, `git add -f` past the store's `.gitignore`), and gitspec's
    writes and cache gc's deletions would go where it leads; files deeper down are opened by `read_plain`."""
    try:
        with os.scandir(store) as entries:
            top = sorted(entries, key=lambda entry: entry.name)
    except OSError:  # no store yet, or a file there: what writing it says
        return None
    folders = []
    for entry in top:
        if entry.is_symlink():
            return store / entry.name
        if entry.is_dir(follow_symlinks=False):
            folders.append(store / entry.name)
    for folder in folders:
        try:
            with os.scandir(folder) as entries:
                links = sorted(entry.name for entry in entries if entry.is_symlink())
        except OSError:  # one that cannot be listed: reading it says so
            continue
        if links:
            return folder / links[0]
    return None


def read_plain(path: Path) -> bytes:
    """The bytes of the regular file at `path`. A symlink there is not followed (it may lead out of the
    workspace), nor a named pipe waited on: either raises OSError, as a file that cannot be read does."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    with os.fdopen(os.open(path, flags), "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return file.read()


class ObjectStore:
    """Content-addressed blobs under `objects/ab/cdef…`, verified against their hash on read."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "objects"

    def _path(self, digest: str) -> Path:
        return self.folder / digest[:2] / digest[2:]

    def put(self, data: bytes) -> str:
        import hashlib

        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if os.path.islink(path) or not path.exists():  # a link is replaced, never written through
            write_atomic(path, data, durable=False)
        return digest

    def get(self, digest: str) -> bytes | None:
        """The blob, or None if absent or corrupt (a corrupt blob is deleted, never used)."""
        import hashlib

        path = self._path(digest)
        try:
            data = read_plain(path)
        except OSError:
            if os.path.islink(path):  # gitspec writes none: damaged
                _discard(path)
            return None
        if hashlib.sha256(data).hexdigest() != digest:
            _discard(path)
            return None
        return data

    def paths(self) -> Iterator[Path]:
        """The files the store holds, a symlink among them whatever it leads to (gitspec writes none; gc
        deletes the link, never what it leads to); anything else found there (a folder) is not an object.
        A folder it cannot list raises OSError, rather than look empty."""
        for path in _two_levels(self.folder):
            if path.is_symlink() or path.is_file():
                yield path

    def stats(self) -> tuple[int, int]:
        """How many objects the store holds, and their size in bytes: a symlink's own (it may lead to any
        file on the machine, which the store does not hold)."""
        count = size = 0
        for path in self.paths():
            try:
                size += path.lstat().st_size
            except OSError:  # removed meanwhile
                continue
            count += 1
        return count, size


class GenerationCache:
    """Cache key (hash of everything a stage's output depends on) -> object digest."""

    def __init__(self, folder: Path, objects: ObjectStore) -> None:
        import threading

        self.folder = folder / "cache"
        self.objects = objects
        self.unwritable: str | None = None  # the folder a put could not write, once one could not
        self._noting = threading.Lock()  # stages run in threads: one note all the same

    def get(self, key: str) -> bytes | None:
        digest = _entry(self.folder / key[:2] / key[2:])
        return None if digest is None else self.objects.get(digest)

    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key`. A store that cannot be written (a file where `objects/` goes, a
        read-only folder, a full disk) only costs the next build time: one note on stderr, no error."""
        folder = self.objects.folder
        try:
            digest = self.objects.put(data)
            folder = self.folder
            write_atomic(self.folder / key[:2] / key[2:], digest.encode(), durable=False)
        except OSError as error:
            with self._noting:
                if self.unwritable is not None:
                    return
                self.unwritable = str(folder)
                sys.stderr.write(f"gitspec: note: cannot write {folder}: {error.strerror or error}; generated "
                                 "sections are not cached, so the next build generates them again\n")

    def keys(self) -> dict[str, str]:
        """Every sound entry; a damaged one is deleted on the way (never a writer's `.…tmp` file).
        A folder or entry it cannot read raises OSError: `cache gc` would take the entries it
        missed for unused, and delete the objects they name."""
        found = {}
        for path in _two_levels(self.folder):
            if not path.name.startswith("."):
                digest = _entry(path, strict=True)
                if digest is not None:
                    found[path.parent.name + path.name] = digest
        return found


def _two_levels(folder: Path) -> Iterator[Path]:
    """What `folder/ab/` folders hold (as `glob("??/*")`, but a folder that cannot be listed raises
    OSError instead of looking empty). No `folder` at all (or a file there) holds nothing."""
    if os.path.islink(folder) or not folder.is_dir():
        return
    for shard in sorted(os.listdir(folder)):
        if len(shard) == 2 and not os.path.islink(folder / shard) and (folder / shard).is_dir():
            yield from (folder / shard / name for name in sorted(os.listdir(folder / shard)))


def _entry(path: Path, strict: bool = False) -> str | None:
    """The object digest a cache entry names, or None when there is none. An entry that is not a
    SHA-256 in hex (torn, damaged) is deleted: it is a miss, and the stage runs again. When `strict`,
    a file that is there but cannot be read raises OSError."""
    import re

    try:
        data = read_plain(path).strip()
    except FileNotFoundError:  # removed meanwhile
        return None
    except OSError:  # not a file, or one that cannot be read
        if os.path.islink(path):  # gitspec writes none: damaged
            _discard(path)
        elif strict and path.is_file():
            raise
        return None
    if re.fullmatch(rb"[0-9a-f]{64}", data) is None:
        _discard(path)
        return None
    return data.decode("ascii")


def _discard(path: Path) -> None:
    """Delete a damaged file of the store; one that cannot be deleted (a read-only store) is only skipped."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


LOCK_TIMEOUT = 60.0  # seconds a build, render or cache gc waits for another to finish


class LockBusy(GitspecError):
    """The render lock stayed held by another run for longer than the caller would wait."""

    def __init__(self, lock: Path, timeout: float) -> None:
        super().__init__(f"another gitspec build or render holds {lock} "
                         f"(waited {timeout:g} s; try again, or raise --lock-timeout)", exit_code=EXIT_USAGE)
        self.lock = lock


@contextmanager
def build_lock(store: Path, timeout: float, writes: bool = True) -> Iterator[None]:
    """An exclusive lock on the workspace's build and render; the OS drops it if the holder dies.
    Waiting longer than `timeout` seconds (a negative one: for ever) is exit 2, naming the lock file:
    a busy workspace says nothing about the specs, so it must not read as findings (exit 1).
    A run that `writes` nothing (a dry run) goes on without it where it cannot be made (a read-only checkout)."""
    from gitspec.cachefile import unwritable_store

    path = store / "build.lock"
    try:
        ensure_store(store)
        release = (_lock_windows if sys.platform == "win32" else _lock_posix)(path, timeout)
    except OSError as error:
        if writes:
            raise unwritable_store(path, error) from None
        release = _no_lock
    if release is None:
        raise LockBusy(path, timeout)
    try:
        yield
    finally:
        release()


def _no_lock() -> None:
    """The release of a lock a dry run went on without."""


def _lock_posix(path: Path, timeout: float) -> Callable[[], None] | None:
    """flock, tried without blocking until `timeout`: a release function, or None if another holds it."""
    import fcntl
    import time

    deadline = time.monotonic() + timeout
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return partial(os.close, fd)  # closing the descriptor drops the lock
            except BlockingIOError:
                if timeout >= 0 and time.monotonic() >= deadline:
                    os.close(fd)
                    return None
                time.sleep(POLL_SECONDS)
    except BaseException:  # interrupted while waiting
        os.close(fd)
        raise


def _lock_windows(path: Path, timeout: float) -> Callable[[], None] | None:
    from filelock import FileLock, Timeout  # a dependency on Windows only

    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        return None
    return lock.release
