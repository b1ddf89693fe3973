"""File and folder names as the user types them and as the file system stores them: one rule for the
whole tool. A name is used as it is stored; one that differs from the name asked for only in Unicode
normalisation (macOS writes `e` + U+0301 where the user types `é`) is found as that name.

Nothing here creates, renames or writes a file: it only says which stored name a given name means.
"""
from __future__ import annotations

import os
import unicodedata
from pathlib import Path


def composed(text: str) -> str:
    """`text` in composed form (NFC): what names are compared as, never what a file is called."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def on_disk(path: Path) -> Path | None:
    """`path` when it exists, else the file or folder whose names differ from it only in Unicode
    normalisation (at any level: a folder on the way may be the one spelt otherwise); None if neither
    exists. The exact name wins where both spellings are there."""
    if path.exists():
        return path
    parent = on_disk(path.parent) if path.parent != path else None
    if parent is None:
        return None
    try:
        names = os.listdir(parent)
    except OSError:
        return None
    wanted = composed(path.name)
    return next((parent / name for name in sorted(names) if composed(name) == wanted), None)


def stored(root: Path, rel: str) -> str:
    """The workspace-relative path `rel` as the file system spells it: `rel` itself when it exists or
    when no name differing from it only in normalisation does (a folder not made yet), else that name."""
    if rel.isascii():  # composed and decomposed ASCII are the same letters
        return rel
    path = root / rel
    found = on_disk(path)
    if found is None or found == path:
        return rel
    try:
        return found.relative_to(root).as_posix()
    except ValueError:  # `root` itself is spelt otherwise on disk: keep what was asked for
        return rel
