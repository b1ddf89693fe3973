"""Ids that documents define, references they make, and the table that resolves them.

Records are small and kept as tuples in the parse index, so a run in which one
file changed re-reads only that file and still resolves every reference.
"""
from __future__ import annotations

import marshal
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, NamedTuple

if TYPE_CHECKING:
    from gitspec.unreadable import Unreadable


class Definition(NamedTuple):
    """An id a document defines. Records here are named tuples: a check makes thousands of
    them from the index on every run, and a tuple is several times cheaper to make than a frozen dataclass."""

    id: str
    namespace: str  # "document", "requirement", "task", "feature", ...
    path: str
    line: int
    col: int


class Reference(NamedTuple):
    """A reference a document makes to an id or an address."""

    target: str
    namespaces: tuple[str, ...]  # what the target may be; ("address",) for addresses
    source: str  # the id of the document or item that makes the reference
    relation: str  # "parent", "dependsOn", "links", ... (cycles are looked for per relation)
    path: str
    line: int
    col: int


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    kind: str
    path: str
    sections: tuple[str, ...]
    lines: tuple[int, ...] = ()  # line of each section's key or heading
    hashes: tuple[str, ...] = ()  # hash of each section, as `gitspec.hashing.value_hash`
    broken: tuple[tuple[str, str], ...] = ()  # Markdown: (section, why) for each region that cannot be read
    front: tuple[str, ...] = ()  # Markdown: the sections written in the front matter (Document.in_front_matter)

    def line(self, section: str) -> int:
        if section in self.sections and self.lines:
            return self.lines[self.sections.index(section)]
        return 1


def pack(symbols: list[Definition | Reference]) -> list[tuple]:
    """Plain tuples for the index (dataclasses.astuple deep-copies: too slow here)."""
    return [("d", s.id, s.namespace, s.path, s.line, s.col) if isinstance(s, Definition)
            else ("r", s.target, s.namespaces, s.source, s.relation, s.path, s.line, s.col) for s in symbols]


def unpack(rows: list[tuple]) -> list[Definition | Reference]:
    return [Definition(*row[1:]) if row[0] == "d" else Reference(row[1], tuple(row[2]), *row[3:]) for row in rows]


class SymbolTable:
    """Every document's definitions and references, for workspace-wide checks."""

    def __init__(self, values_loader: Callable[[str], bytes | None],
                 picture_problem: Callable[[str], str | None] = lambda path: None) -> None:
        self.definitions: dict[str, list[Definition]] = {}
        self.references: list[Reference] = []
        self.documents: dict[str, DocumentInfo] = {}
        self._values_loader = values_loader
        self._values: dict[str, Any] = {}
        # why the workspace file at a path cannot be shown as a picture, or None
        self.picture_problem = picture_problem
        # the ids documents that could not be read may have (gitspec.unreadable): what reads one cannot be judged
        self.unreadable: Mapping[str, Unreadable] = {}
        # the item ids (REQ-001) they may define: a reference to one cannot be looked up (gitspec.unreadable)
        self.unreadable_items: Mapping[str, Unreadable] = {}
        # whether HEAD's version of its file has a definition (gitspec.headdefinitions); None: git cannot tell
        self.at_head: Callable[[Definition], bool | None] = lambda definition: None

    def add(self, info: DocumentInfo | None, symbols: list[Definition | Reference]) -> None:
        if info is not None and info.id not in self.documents:
            self.documents[info.id] = info
        for symbol in symbols:
            if isinstance(symbol, Definition):
                self.definitions.setdefault(symbol.id, []).append(symbol)
            else:
                self.references.append(symbol)

    def document(self, doc_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """A document's (header, sections) as parsed (read from the index on demand)."""
        if doc_id not in self._values:
            blob = self._values_loader(doc_id)
            self._values[doc_id] = marshal.loads(blob) if blob is not None else None
        return self._values[doc_id]

    def values(self, doc_id: str) -> dict[str, Any] | None:
        """A document's sections as parsed."""
        document = self.document(doc_id)
        return document[1] if document is not None else None
