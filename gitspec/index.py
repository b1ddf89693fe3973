"""The parse index `.gitspec/index`: per file, its stat key, content hash and check record.

Like git's index: an entry whose (size, mtime, inode, ctime) still match is trusted
without reading the file, except when its mtime is too close to the run that
recorded it to tell a later edit apart ("racily clean"); then the content is
hashed again. A corrupt or foreign index is discarded, never trusted.

Stored by column (paths, stat keys, hashes, then each part of the records,
each part unmarshalled only when first asked for): a no-op check reads stat
keys alone and builds no per-file object it does not use.
"""
from __future__ import annotations

import marshal
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from gitspec.cachefile import cannot_write, read_cache, write_cache

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms) on a no-op check
if TYPE_CHECKING:
    from typing import Any

FORMAT = b"GSIX7"
RACY_NS = 1_000_000_000  # coarse file-system clocks: distrust mtimes this close to a scan


class Entry:
    """One file: its stat key, content hash and record (findings, symbols, info, values).

    An entry read from disk fetches its record from the index's columns only
    when asked: a no-op check looks at stat keys alone.
    """

    __slots__ = ("_at", "_record", "_records", "ctime_ns", "inode", "mtime_ns", "sha", "size")

    def __init__(self, size: int, mtime_ns: int, inode: int, ctime_ns: int, sha: str, record: tuple | None = None,
                 records: Records | None = None, at: int = 0) -> None:
        # ctime too, as git compares it: a rewrite given its old mtime back (touch -d, cp -p) or a
        # chmod moves it
        self.size, self.mtime_ns, self.inode, self.ctime_ns, self.sha = size, mtime_ns, inode, ctime_ns, sha
        self._record, self._records, self._at = record, records, at

    @property
    def record(self) -> tuple:
        if self._record is None:
            self._record = tuple(self._records.column(part)[self._at] for part in range(4))
        return self._record

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Entry) and (self.key, self.sha, self.record) == (other.key, other.sha, other.record))

    @property
    def key(self) -> tuple[int, int, int, int]:
        return self.size, self.mtime_ns, self.inode, self.ctime_ns

    def __repr__(self) -> str:
        return f"Entry({self.size}, {self.mtime_ns}, {self.inode}, {self.ctime_ns}, {self.sha!r})"


class Records:
    """The records' four columns (findings, symbols, info, values), each unmarshalled on first use."""

    __slots__ = ("_columns", "blobs")

    def __init__(self, blobs: tuple[bytes, bytes, bytes, bytes]) -> None:
        self.blobs = blobs
        self._columns: list[tuple | None] = [None] * 4

    def column(self, part: int) -> tuple:
        if self._columns[part] is None:
            self._columns[part] = marshal.loads(self.blobs[part])
        return self._columns[part]

    @staticmethod
    def pack(records: list[tuple]) -> tuple[bytes, bytes, bytes, bytes]:
        columns = tuple(zip(*records)) or ((), (), (), ())
        return tuple(marshal.dumps(column) for column in columns)


class ParseIndex:
    """The index of one workspace, for one fingerprint (see gitspec.fingerprint)."""

    def __init__(self, path: Path, fingerprint: str, scan_ns: int = 0,
                 config: tuple[bytes, dict] | None = None, entries: dict[str, Entry] | None = None,
                 result: tuple[bytes, list] | None = None, columns: tuple | None = None,
                 memo: dict[str, Any] | None = None) -> None:
        self.path, self.fingerprint, self.scan_ns = path, fingerprint, scan_ns
        self.config = config  # (gitspec.yaml as read, parsed)
        self.result = result  # (the stat key of every file and picture, findings, the pictures' paths)
        # As loaded: (paths, stat keys, hashes, Records), until
        # `entries` is first asked for or replaced.
        self._columns = columns
        self._entries = entries if entries is not None or columns is not None else {}
        self._positions: dict[str, int] | None = None
        self._content: tuple[tuple[str, ...], tuple[str, ...]] | None = None
        self.memo: dict[str, Any] = memo if memo is not None else {}  # derived caches, saved alongside
        self.unsaved: int | None = None  # the scan time of changes a caller will save later (see buildsession)
        self.noted_unwritable = False  # whether a save that failed said so: once per run is enough
        # Each Markdown document this run read, as read (never saved): a render takes the headings from
        # the very bytes the sections came from, though the file may have changed or gone since.
        self.texts: dict[str, bytes] = {}

    @property
    def entries(self) -> dict[str, Entry]:
        if self._entries is None:
            rels, stats, shas, records = self._columns
            self._entries = {rel: Entry(*stats[at], shas[at], None, records, at) for at, rel in enumerate(rels)}
            self._columns = self._positions = None  # from now on the dict is the truth (and what is saved)
        return self._entries

    @entries.setter
    def entries(self, entries: dict[str, Entry]) -> None:
        self._entries, self._columns, self._positions, self._content = entries, None, None, None

    def rebased(self, fingerprint: str) -> ParseIndex:
        """This index for a different fingerprint: nothing cached survives but the config."""
        if fingerprint == self.fingerprint:
            return self
        return ParseIndex(self.path, fingerprint, config=self.config)

    def trusted(self, rel: str, stat: os.stat_result) -> Entry | None:
        if stat.st_mtime_ns >= self.scan_ns - RACY_NS:  # as git: a change that keeps the mtime moves the ctime
            return None
        key = stat_key(stat)
        if self._columns is None:
            entry = self._entries.get(rel)
            return entry if entry is not None and entry.key == key else None
        if self._positions is None:
            self._positions = {rel: at for at, rel in enumerate(self._columns[0])}
        at = self._positions.get(rel)
        if at is None:
            return None
        if tuple(self._columns[1][at]) == key:
            return Entry(*key, self._columns[2][at], None, self._columns[3], at)
        return None

    def parsed(self) -> Iterator[tuple[str, str, tuple | None, bytes | None]]:
        """(path, content hash, info, values) of every file as the index holds them now, read lazily."""
        if self._columns is not None:
            rels, _, shas, records = self._columns
            return _parsed(rels, shas, records)
        return ((rel, e.sha, e.record[2], e.record[3]) for rel, e in self._entries.items())

    def content(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Every file's path and content hash, in index order: what the documents were made of."""
        if self._columns is not None:
            return self._columns[0], self._columns[2]
        if self._content is None:
            entries = self.entries
            self._content = (tuple(entries), tuple(entry.sha for entry in entries.values()))
        return self._content


def _parsed(rels: tuple, shas: tuple, records: Records) -> Iterator[tuple]:
    yield from zip(rels, shas, records.column(2), records.column(3))


def load_index(store: Path) -> ParseIndex:
    """The saved index, or an empty one if it is missing or corrupt."""
    path = store / "index"
    empty = ParseIndex(path, "")
    try:
        fingerprint, scan_ns, config, rels, stats, shas, blobs, result, memo = read_cache(path, FORMAT)
        if not (len(rels) == len(stats) == len(shas) and len(blobs) == 4
                and all(isinstance(part, bytes) for part in blobs) and isinstance(memo, dict)):
            return empty
    except (ValueError, TypeError):  # missing (None), or not the shape this version writes
        return empty
    return ParseIndex(path, fingerprint, scan_ns, config, None, result, (rels, stats, shas, Records(blobs)), memo)


def save_index(index: ParseIndex, scan_ns: int) -> None:
    """Save the index. One that cannot be written (a read-only checkout) is a note, not an error: a check
    reads, as `git status` does on a read-only repository; the next run reads every file again."""
    rels, shas = index.content()  # the very tuples memo keys hold: marshal stores them once
    if index._columns is not None:
        stats, blobs = index._columns[1], index._columns[3].blobs
    else:
        entries = index.entries
        stats = tuple(e.key for e in entries.values())
        blobs = Records.pack([e.record for e in entries.values()])
    try:
        write_cache(index.path, FORMAT, (index.fingerprint, scan_ns, index.config, rels, stats, shas, blobs,
                                         index.result, index.memo), required=True)
    except OSError as error:
        if not index.noted_unwritable:  # a check may save twice (configinstalled, then checker)
            sys.stderr.write(f"gitspec: note: {cannot_write(index.path, error)}; nothing is cached, so the next "
                             "run reads every file again\n")
            index.noted_unwritable = True
    index.scan_ns = scan_ns  # what this process holds is right, saved or not


def stat_key(stat: os.stat_result) -> tuple[int, int, int, int]:
    """What an entry knows a file by: (size, mtime, inode, ctime)."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns


def now_ns() -> int:
    return time.time_ns()


def stat_digest(keys: Any) -> bytes:
    """A compact, comparable form of every file's stat key (compared, not hashed: cheaper).
    Marshal format 2: later formats mark objects by their reference count, so equal values
    built in two ways could give different bytes."""
    return marshal.dumps(keys, 2)
