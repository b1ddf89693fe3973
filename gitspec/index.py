"""The parse index `.gitspec/index`: per file, its stat key, content hash and check record.

Like git's index: an entry whose (size, mtime, inode) still match is trusted
without reading the file, except when its mtime is too close to the run that
recorded it to tell a later edit apart ("racily clean"); then the content is
hashed again. A corrupt or foreign index is discarded, never trusted.
"""
from __future__ import annotations

import marshal
import os
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


FORMAT = b"GSIX4"
RACY_NS = 1_000_000_000  # coarse file-system clocks: distrust mtimes this close to a scan


@dataclass
class Entry:
    size: int
    mtime_ns: int
    inode: int
    sha: str
    record: tuple  # (findings, symbols, info, values) as plain tuples and bytes


@dataclass
class ParseIndex:
    path: Path
    fingerprint: str
    scan_ns: int = 0
    config: tuple[bytes, dict] | None = None  # (gitspec.yaml as read, parsed)
    entries: dict[str, Entry] = field(default_factory=dict)
    result: tuple[bytes, list] | None = None  # (every file's stat key, findings)

    def rebased(self, fingerprint: str) -> ParseIndex:
        """This index for a different fingerprint: nothing cached survives but the config."""
        if fingerprint == self.fingerprint:
            return self
        return ParseIndex(self.path, fingerprint, config=self.config)

    def trusted(self, rel: str, stat: os.stat_result) -> Entry | None:
        entry = self.entries.get(rel)
        if (entry is not None and entry.size == stat.st_size and entry.mtime_ns == stat.st_mtime_ns
                and entry.inode == stat.st_ino and stat.st_mtime_ns < self.scan_ns - RACY_NS):
            return entry
        return None


def load_index(store: Path) -> ParseIndex:
    """The saved index, or an empty one if it is missing or corrupt."""
    path = store / "index"
    empty = ParseIndex(path, "")
    try:
        blob = path.read_bytes()
    except OSError:
        return empty
    header = len(FORMAT) + 4
    if blob[:len(FORMAT)] != FORMAT or zlib.crc32(blob[header:]).to_bytes(4, "big") != blob[len(FORMAT):header]:
        return empty
    try:
        saved_fingerprint, scan_ns, config, entries, result = marshal.loads(blob[header:])
        parsed = {rel: Entry(*values) for rel, values in entries.items()}
    except (ValueError, EOFError, TypeError):
        return empty
    return ParseIndex(path, saved_fingerprint, scan_ns, config, parsed, result)


def save_index(index: ParseIndex, scan_ns: int) -> None:
    from gitspec.atomic import write_atomic
    from gitspec.store import ensure_store

    entries = {rel: (e.size, e.mtime_ns, e.inode, e.sha, e.record) for rel, e in index.entries.items()}
    payload = marshal.dumps((index.fingerprint, scan_ns, index.config, entries, index.result))
    ensure_store(index.path.parent)
    write_atomic(index.path, FORMAT + zlib.crc32(payload).to_bytes(4, "big") + payload, durable=False)


def now_ns() -> int:
    return time.time_ns()


def stat_digest(keys: Any) -> bytes:
    """A compact, comparable form of every file's stat key (compared, not hashed: cheaper)."""
    return marshal.dumps(keys)
