"""Opening a workspace for a command: its config (cached) and its parse index, refreshed.

Shared by check, status and build so that each sees the same documents the same way.
"""
from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

from gitspec.config import CONFIG_FILE, Config, parse_config
from gitspec.fingerprint import fingerprint
from gitspec.index import ParseIndex, load_index
from gitspec.workspace import Workspace, find_root


def open_workspace(use_cache: bool = True, start: Path | None = None) -> tuple[Workspace, ParseIndex]:
    root = find_root(start or Path.cwd())
    config_bytes = (root / CONFIG_FILE).read_bytes()
    store = root / ".gitspec"
    index = load_index(store) if use_cache else ParseIndex(store / "index", "")
    config = (Config.from_dict(index.config[1]) if index.config and index.config[0] == config_bytes
              else parse_config(config_bytes, CONFIG_FILE))
    index = index.rebased(fingerprint(root, config_bytes, config.schemas))
    index.config = (config_bytes, config.to_dict())
    return Workspace(root, config), index


class LoadedDocument:
    """A document as commands see it: header and sections, unpacked from the index only when asked.

    `sha` is of the file as read, so a rewrite can check nobody changed it
    meanwhile; `hashes` are the sections' hashes recorded at parse time.
    """

    def __init__(self, id: str, kind: str, path: str, header: dict[str, Any] | None = None,
                 sections: dict[str, Any] | None = None, sha: str = "", blob: bytes | None = None,
                 hashes: dict[str, str] | None = None) -> None:
        self.id, self.kind, self.path, self.sha = id, kind, path, sha
        self._header, self._sections, self._blob, self._hashes = header, sections, blob, hashes

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
        return name in self._hashes if self._hashes is not None else name in self.sections

    def section_hash(self, name: str) -> str | None:
        if self._hashes is not None:
            return self._hashes.get(name)
        from gitspec.hashing import value_hash

        return value_hash(self.sections[name]) if name in self.sections else None


def loaded_documents(index: ParseIndex) -> dict[str, LoadedDocument]:
    """Every document that parsed, by id, from a refreshed index (first file wins on duplicates)."""
    documents: dict[str, LoadedDocument] = {}
    for rel, entry in sorted(index.entries.items()):
        _, _, info, values = entry.record
        if info is None or values is None or info[0] in documents:
            continue
        hashes = dict(zip(info[3], info[5])) if len(info) > 5 else None
        documents[info[0]] = LoadedDocument(info[0], info[1], rel, sha=entry.sha, blob=values, hashes=hashes)
    return documents
