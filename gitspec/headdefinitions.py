"""Which definitions HEAD's version of their file already had: of an id defined twice, the copy a change
brought is the newer one, which `check` blames (gitspec.builtin.references).

Git is opened, and HEAD's version of a file parsed, only when asked: only for an id defined twice.
Reads; never writes.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from gitspec.errors import GitspecError
from gitspec.symbols import Definition, unpack

UNKNOWN = ""  # the HEAD a judgement was made against, when its id cannot be read from the .git files


class HeadDefinitions:
    """Answers `SymbolTable.at_head`: whether HEAD's version of a definition's file defines its id (in
    the same namespace), None when git cannot tell (outside git, no commit yet, a HEAD version that
    does not parse). `process` parses a file's bytes as the check does (gitspec.engine.Engine.process)."""

    def __init__(self, root: Path, store: Path, process: Callable[[str, bytes], tuple]) -> None:
        self.root, self.store, self._process = root, store, process
        self._history: Any = None
        self._files: dict[str, frozenset[tuple[str, str]] | None] = {}
        self.head: str | None = None  # the HEAD asked about (UNKNOWN when unsure); None while none was asked

    def __call__(self, definition: Definition) -> bool | None:
        held = self._defined(definition.path)
        return None if held is None else (definition.id, definition.namespace) in held

    def _defined(self, path: str) -> frozenset[tuple[str, str]] | None:
        if path not in self._files:
            self._files[path] = self._read(path)
        return self._files[path]

    def _read(self, path: str) -> frozenset[tuple[str, str]] | None:
        history = self._opened()
        if history is None or not history.head:  # outside git, or no commit yet
            return None
        before = history.uncommitted_rename(path) or path  # a file moved since HEAD: its definitions moved with it
        data = history.file_at("HEAD", before)
        if data is None:  # not in HEAD's tree (a new file); or unreadable, which gitspec.history notes
            return frozenset() if not history.unread else None
        symbols = unpack(self._process(path, data)[1])
        if not symbols:  # HEAD's version does not parse: what it held is unknown
            return None
        return frozenset((s.id, s.namespace) for s in symbols if isinstance(s, Definition))

    def _opened(self) -> Any:
        if self.head is None:
            from gitspec.headfacts import read_head
            from gitspec.history import open_history

            self.head = read_head(self.root) or UNKNOWN
            try:
                self._history = open_history(self.root, self.store)
            except GitspecError:  # a repository git refuses (another user's): nothing can be told
                self._history = None
        return self._history
