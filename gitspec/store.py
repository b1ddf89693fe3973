"""The store folder `.gitspec/`: created on demand, explaining itself.

Holds caches only: deleting it loses nothing but time.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gitspec.atomic import write_atomic

README = """\
This folder is gitspec's cache: the parse index, generated and rendered
objects, and logs. It is safe to delete; gitspec rebuilds it. Do not commit it.
"""
CACHEDIR_TAG = """\
Signature: 8a477f597d28d172789f06886806bc55
# This file is a cache directory tag created by gitspec.
# For information about cache directory tags see https://bford.info/cachedir/
"""


def ensure_store(folder: Path) -> Path:
    if not (folder / "CACHEDIR.TAG").exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / "README", README.encode(), durable=False)
        write_atomic(folder / ".gitignore", b"*\n", durable=False)
        write_atomic(folder / "CACHEDIR.TAG", CACHEDIR_TAG.encode(), durable=False)
    return folder


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
        if not path.exists():
            write_atomic(path, data, durable=False)
        return digest

    def get(self, digest: str) -> bytes | None:
        """The blob, or None if absent or corrupt (a corrupt blob is deleted, never used)."""
        import hashlib

        path = self._path(digest)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != digest:
            path.unlink(missing_ok=True)
            return None
        return data

    def stats(self) -> tuple[int, int]:
        count = size = 0
        if self.folder.is_dir():
            for path in self.folder.glob("??/*"):
                count += 1
                size += path.stat().st_size
        return count, size


class GenerationCache:
    """Cache key (hash of everything a stage's output depends on) -> object digest."""

    def __init__(self, folder: Path, objects: ObjectStore) -> None:
        self.folder = folder / "cache"
        self.objects = objects

    def get(self, key: str) -> bytes | None:
        try:
            digest = (self.folder / key[:2] / key[2:]).read_text().strip()
        except OSError:
            return None
        return self.objects.get(digest)

    def put(self, key: str, data: bytes) -> None:
        digest = self.objects.put(data)
        write_atomic(self.folder / key[:2] / key[2:], digest.encode(), durable=False)

    def keys(self) -> dict[str, str]:
        found = {}
        if self.folder.is_dir():
            for path in self.folder.glob("??/*"):
                try:
                    found[path.parent.name + path.name] = path.read_text().strip()
                except OSError:
                    continue
        return found


@contextmanager
def build_lock(store: Path, timeout: float) -> Iterator[None]:
    """An exclusive lock on the workspace's build and render; the OS drops it if the holder dies.
    Waiting longer than `timeout` seconds is exit 1, naming the lock file."""
    from filelock import FileLock, Timeout

    from gitspec.errors import EXIT_FINDINGS, GitspecError

    ensure_store(store)
    lock = FileLock(str(store / "build.lock"), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise GitspecError(f"another gitspec build or render holds {store / 'build.lock'} "
                           f"(waited {timeout:g} s)", exit_code=EXIT_FINDINGS) from None
    try:
        yield
    finally:
        lock.release()
