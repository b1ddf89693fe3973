"""Opening a workspace for a command: its config (cached) and its parse index, refreshed.

Shared by check, status and build so that each sees the same documents the same way.
"""
from __future__ import annotations

import marshal
import threading
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from operator import itemgetter
from pathlib import Path

from gitspec.config import CONFIG_FILE, Config, parse_config
from gitspec.errors import GitspecError
from gitspec.fingerprint import fingerprint
from gitspec.herepaths import opened
from gitspec.index import ParseIndex, load_index
from gitspec.workspace import Workspace, find_root_of, store_of, stored_folders

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms) on a no-op check
if TYPE_CHECKING:
    from typing import Any


def open_workspace(use_cache: bool = True, start: Path | None = None,
                   paths: Sequence[str] = (), verb: str = "check") -> tuple[Workspace, ParseIndex]:
    """The workspace holding `start` (the current folder), else the one holding all of `paths` (given on
    the command line: `gitspec check docs/specs/a.yaml` from the top of a repository whose workspace is `docs/`),
    `verb` naming the command for an error about them."""
    root = find_root_of(start or Path.cwd(), paths, verb)
    opened(root)  # from now on, messages name its files from the current folder
    try:
        config_bytes = (root / CONFIG_FILE).read_bytes()
    except OSError as error:  # chmod 000, or a file another user made private
        raise GitspecError(f"cannot read {CONFIG_FILE}: {error.strerror or error}") from None
    store = store_of(root)
    index = load_index(store) if use_cache else ParseIndex(store / "index", "")
    config = _cached_config(index, config_bytes)
    current = fingerprint(root, config_bytes, config.schemas, store) if config is not None else None
    if current != index.fingerprint:  # read by another gitspec (or none): its checks may not be ours
        config = parse_config(config_bytes, CONFIG_FILE)
        current = fingerprint(root, config_bytes, config.schemas, store)
    folders = stored_folders(root, config)  # the index keeps them as written: their spelling on disk may change
    store_of(root, folders)  # now that the configured folders are known
    index = index.rebased(current)
    index.config = (config_bytes, config.to_dict())
    return Workspace(root, folders), index


def _cached_config(index: ParseIndex, config_bytes: bytes) -> Config | None:
    """The config as the index holds it for exactly these bytes, if it still makes a Config."""
    if not index.config or index.config[0] != config_bytes:
        return None
    try:
        return Config.from_dict(index.config[1])
    except TypeError:  # saved by a gitspec whose Config had other keys
        return None


class LoadedDocument:
    """A document as commands see it: header and sections, unpacked from the index only when asked.

    `sha` is of the file as read, so a rewrite can check nobody changed it
    meanwhile; `hashes` are the sections' hashes recorded at parse time; `broken`, the
    sections whose generated region cannot be read, with why (gitspec.documents.Document.broken); `front`,
    the sections a Markdown document holds in its front matter (gitspec.documents.Document.in_front_matter).
    """

    __slots__ = ("_blob", "_hashes", "_header", "_names", "_sections", "broken", "front", "id", "kind", "path",
                 "sha")

    def __init__(self, id: str, kind: str, path: str, header: dict[str, Any] | None = None,
                 sections: dict[str, Any] | None = None, sha: str = "", blob: bytes | None = None,
                 hashes: dict[str, str] | None = None) -> None:
        self.id, self.kind, self.path, self.sha = id, kind, path, sha
        self._header, self._sections, self._blob = header, sections, blob
        self.broken: dict[str, str] = {}
        self.front: tuple[str, ...] = ()
        self._names, self._hashes = (tuple(hashes), tuple(hashes.values())) if hashes is not None else (None, None)

    @classmethod
    def from_index(cls, rel: str, sha: str, info: tuple, values: bytes) -> LoadedDocument:
        """From a parse-index record: `info` is (id, kind, path, sections, lines, hashes, broken, front)."""
        document = cls(info[0], info[1], rel, sha=sha, blob=values)
        if len(info) > 5:
            document._names, document._hashes = info[3], info[5]
        if len(info) > 6:
            document.broken = dict(info[6])
        if len(info) > 7:
            document.front = tuple(info[7])
        return document

    def _unpack(self) -> None:
        self._header, self._sections = marshal.loads(self._blob) if self._blob else ({}, {})

    @property
    def header(self) -> dict[str, Any]:
        if self._header is None:
            self._unpack()
        return self._header

    @property
    def sections(self) -> dict[str, Any]:
        if self._sections is None:
            self._unpack()
        return self._sections

    def has_section(self, name: str) -> bool:
        return name in self._names if self._names is not None else name in self.sections

    def section_hash(self, name: str) -> str | None:
        if self._names is not None:
            return self._hashes[self._names.index(name)] if name in self._names else None
        from gitspec.hashing import value_hash

        return value_hash(self.sections[name]) if name in self.sections else None


def loaded_documents(index: ParseIndex) -> dict[str, LoadedDocument]:
    """Every document that parsed, by id, from a refreshed index (first file wins on duplicates)."""
    return _documents(index.parsed())


def _documents(rows: Iterable[tuple]) -> dict[str, LoadedDocument]:
    documents: dict[str, LoadedDocument] = {}
    for rel, sha, info, values in sorted(rows, key=itemgetter(0)):
        if info is None or values is None or info[0] in documents:
            continue
        documents[info[0]] = LoadedDocument.from_index(rel, sha, info, values)
    return documents


class Documents(MutableMapping):
    """`loaded_documents(index)` as the index is now, unpacked only when first asked for.

    `judged` may hold what was concluded from exactly these documents (see
    gitspec.judgement); putting or removing any document drops it.
    """

    def __init__(self, index: ParseIndex) -> None:
        self._rows: Iterable[tuple] | None = index.parsed()
        self._documents: dict[str, LoadedDocument] = {}
        self._lock = threading.Lock()  # stages first read their inputs on several threads at once
        self.judged: Any = None

    def _all(self) -> dict[str, LoadedDocument]:
        if self._rows is not None:
            with self._lock:
                if self._rows is not None:
                    self._documents, self._rows = _documents(self._rows), None
        return self._documents

    def __getitem__(self, doc_id: str) -> LoadedDocument:
        return self._all()[doc_id]

    def get(self, doc_id: str, default: Any = None) -> Any:
        return self._all().get(doc_id, default)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def keys(self) -> Any:
        return self._all().keys()

    def values(self) -> Any:
        return self._all().values()

    def items(self) -> Any:
        return self._all().items()

    def __setitem__(self, doc_id: str, document: LoadedDocument) -> None:
        self._all()[doc_id] = document
        self.judged = None

    def __delitem__(self, doc_id: str) -> None:
        del self._all()[doc_id]
        self.judged = None
