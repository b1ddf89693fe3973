"""Opening a workspace for a command: its config (cached) and its parse index, refreshed.

Shared by check, status and build so that each sees the same documents the same way.
"""
from __future__ import annotations

import marshal
from dataclasses import dataclass
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


@dataclass
class LoadedDocument:
    id: str
    kind: str
    path: str
    header: dict[str, Any]
    sections: dict[str, Any]
    sha: str  # of the file as read: a rewrite checks nobody changed it meanwhile


def loaded_documents(index: ParseIndex) -> dict[str, LoadedDocument]:
    """Every document that parsed, by id, from a refreshed index (first file wins on duplicates)."""
    documents: dict[str, LoadedDocument] = {}
    for rel, entry in sorted(index.entries.items()):
        _, _, info, values = entry.record
        if info is None or values is None or info[0] in documents:
            continue
        header, sections = marshal.loads(values)
        documents[info[0]] = LoadedDocument(info[0], info[1], rel, header, sections, entry.sha)
    return documents
