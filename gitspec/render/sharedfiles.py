"""Files that two results of one renderer plugin give (two pages, or a page and the site files): shared
only with the same bytes. Two results giving one file different contents would each undo the other, so
that no render ever settles; and no path may be a file in one and a folder in another (`pages` and
`pages/a.txt`), which no file system can hold. Reads the format's folder; never writes it.

gitspec's own renderers are not checked: a diagram's file is named by its source's digest, and two
drawings of one source (a diagram server whose output varies) may differ; the last one written stands.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any


class SharedFiles:
    """What one render of a format has given so far, checked against each result before it is written."""

    def __init__(self, renderer: Any, folder: Path, manifest: dict, settled: set[str], site: str) -> None:
        self._fault = getattr(renderer, "fault", None)  # None: one of gitspec's own, not checked
        self._folder, self._site = folder, site
        self._given: dict[str, tuple[str, bytes]] = {}  # path -> (the entry that gave it, its bytes' digest)
        # the files of pages not rendered again (their files are as they left them): their bytes are on disk
        self._settled: dict[str, str] = {}
        self._folders: dict[str, tuple[str, str]] = {}  # folder -> (an entry, its file inside it), settled too
        for name in sorted(settled) if self._fault is not None else ():  # the first by id names the clash
            for rel in manifest.get(name, {}).get("files", {}):
                self._settled.setdefault(rel, name)
                self._note_folders(name, rel)

    def check(self, name: str, files: dict[str, bytes]) -> None:
        """Refuse the result `files` of `name` (a page's id, or the site entry) when it gives a file another
        result gave, or left in place, with other bytes, or a path as a file where one is a folder (its own
        files too); else note what it gives."""
        if self._fault is None:
            return
        for rel in files:  # each file's folders, and each file, against what it and the others give
            self._refuse_folder_clash(name, rel, files)
        for rel, data in files.items():
            digest = hashlib.sha256(data).digest()
            given = self._given.get(rel)
            if given is not None and given[0] != name and given[1] != digest:
                self._clash(rel, given[0], name)
            owner = self._settled.get(rel, name)
            if given is None and owner != name and self._on_disk(rel) not in (None, digest):
                self._clash(rel, owner, name)
            self._given.setdefault(rel, (name, digest))

    def _refuse_folder_clash(self, name: str, rel: str, files: dict[str, bytes]) -> None:
        """Refuse `rel` of `name` when one of its folders is a file of `files` or given before, or it is
        itself a folder of a file given before; else note its folders."""
        for folder in _folders(rel):
            owner = name if folder in files else (self._given[folder][0] if folder in self._given
                                                  else self._settled.get(folder))
            if owner is not None:
                self._folder_clash(folder, owner, rel, name)
        if rel in self._folders:
            owner, inner = self._folders[rel]
            self._folder_clash(rel, name, inner, owner)
        self._note_folders(name, rel)

    def _note_folders(self, name: str, rel: str) -> None:
        for folder in _folders(rel):
            self._folders.setdefault(folder, (name, rel))

    def _folder_clash(self, file: str, file_owner: str, inner: str, inner_owner: str) -> None:
        given = (f"{file!r} and {inner!r} for {self._label(file_owner)}" if file_owner == inner_owner else
                 f"{file!r} for {self._label(file_owner)} and {inner!r} for {self._label(inner_owner)}")
        raise self._fault(f"returned {given}: {file!r} cannot be both a file and a folder")

    def _on_disk(self, rel: str) -> bytes | None:
        """The digest of the file at `rel`, None when there is none: only a regular file is read (a named
        pipe there would hang the render)."""
        target = self._folder / rel
        try:
            return hashlib.sha256(target.read_bytes()).digest() if target.is_file() else None
        except OSError:
            return None

    def _clash(self, rel: str, first: str, then: str) -> None:
        problem = (f"returned {rel!r} for {self._label(first)} and for {self._label(then)}, with different "
                   "contents (its results may share a file only with the same bytes)")
        raise self._fault(problem)

    def _label(self, name: str) -> str:
        return "the site files" if name == self._site else f"page {name}"


def _folders(rel: str) -> list[str]:
    """The folders `rel` is in, within the format's folder: 'a/b/c.txt' -> ['a', 'a/b']."""
    parts = rel.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]
