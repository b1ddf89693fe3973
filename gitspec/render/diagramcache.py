"""Rendered diagram images kept on disk by content hash, so each diagram pays mmdc's seconds once.

Entries are `<key>.svg`, `<key>.png` and `<key>.json` (their SHA-256s, written
last). An entry whose files do not match, or no longer pass the image checks, is
deleted and drawn again, never trusted. Only images are stored: a fallback note is never cached, so a later run
with mmdc installed or the server back draws the image.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Callable

from gitspec.atomic import write_atomic
from gitspec.store import read_plain
from gitspec.render.renderer import DiagramImage

# Bump when what a key stands for changes (the mermaid config, the PNG scale, the checks, what a server
# is asked: 4 asks it for a dark theme's background).
CACHE_VERSION = "4"
# An entry's files, and the temp files a killed write of one left (gitspec.atomic names them so).
ENTRY_FILE = re.compile(r"\.?([0-9a-f]{64})\.(?:svg|png|json)(?:\.[0-9a-f]{12}\.tmp)?")


class DiagramCache:
    """Diagram images under `folder` (e.g. `.gitspec/diagrams/`), keyed by `key()`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def get_or_draw(self, source: str, mmdc: str | None, server: str | None,
                    draw: Callable[[], DiagramImage]) -> DiagramImage:
        """The stored images for `source` drawn by `mmdc`/`server`, else `draw()`'s result, stored
        when it holds an image. Never raises for a store it cannot write."""
        key = self.key(source, mmdc, server)
        found = self.load(key)
        if found is not None:
            return found
        drawn = draw()
        if drawn.svg is not None or drawn.png is not None:
            try:
                self.store(key, drawn)
            except OSError:
                pass  # a read-only or full store costs a redraw next time, not the build
        return drawn

    @staticmethod
    def key(source: str, mmdc: str | None, server: str | None) -> str:
        """SHA-256 over canonical JSON of the source, the ways of drawing it (mmdc's version, the
        server's address) and CACHE_VERSION."""
        from gitspec.render.mmdc import mmdc_version

        method = {"mmdc": mmdc_version(mmdc) if mmdc else None,
                  "server": server.rstrip("/") if server else None}
        payload = {"source": source, "method": method, "version": CACHE_VERSION}
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def load(self, key: str) -> DiagramImage | None:
        """A stored entry, or None when absent; a damaged entry is deleted and None returned."""
        try:
            manifest = json.loads(read_plain(self.folder / f"{key}.json"))
        except (OSError, ValueError):
            return None
        if not isinstance(manifest, dict) or not (manifest.get("svg") or manifest.get("png")):
            self.discard(key)
            return None
        parts: dict[str, bytes | None] = {"svg": None, "png": None}
        for suffix in parts:
            expected = manifest.get(suffix)
            if expected is None:
                continue
            try:
                data = read_plain(self.folder / f"{key}.{suffix}")
            except OSError:
                data = None
            if data is None or hashlib.sha256(data).hexdigest() != expected or not _inert(suffix, data):
                self.discard(key)
                return None
            parts[suffix] = data
        return DiagramImage(parts["svg"], parts["png"])

    def store(self, key: str, image: DiagramImage) -> None:
        # No fsync: a torn entry fails its hash check on load and is drawn again.
        manifest = {}
        for suffix, data in (("svg", image.svg), ("png", image.png)):
            if data is not None:
                write_atomic(self.folder / f"{key}.{suffix}", data, durable=False)
                manifest[suffix] = hashlib.sha256(data).hexdigest()
        write_atomic(self.folder / f"{key}.json", json.dumps(manifest, sort_keys=True).encode(),
                     durable=False)

    def files(self) -> dict[str, list[Path]]:
        """The files of every entry, torn ones' too, by key; anything else in the folder is not the
        cache's. No folder (or a symlink there, which gitspec never makes): none. A folder that
        cannot be listed raises OSError, rather than look empty."""
        found: dict[str, list[Path]] = {}
        if os.path.islink(self.folder) or not self.folder.is_dir():
            return found
        for name in sorted(os.listdir(self.folder)):
            match = ENTRY_FILE.fullmatch(name)
            if match:  # a symlink too: deleting one removes the link, and the cache never reads through it
                found.setdefault(match[1], []).append(self.folder / name)
        return found

    def stats(self) -> tuple[int, int]:
        """How many entries the folder holds, and their size in bytes: a symlink's own, never that of
        the file it leads to."""
        entries = self.files()
        size = 0
        for paths in entries.values():
            for path in paths:
                try:
                    size += path.lstat().st_size
                except OSError:  # removed meanwhile
                    continue
        return len(entries), size

    def discard(self, key: str) -> None:
        for suffix in ("json", "svg", "png"):
            try:
                (self.folder / f"{key}.{suffix}").unlink()
            except OSError:
                pass


def _inert(suffix: str, data: bytes) -> bool:
    """Whether a stored image passes the checks a drawn one passed: the store is only a folder,
    and whoever can write it (or commit it) must not get a script into the site this way."""
    from gitspec.render.imagecheck import ImageRefused, check_png, check_svg

    try:
        (check_svg if suffix == "svg" else check_png)(data)
    except ImageRefused:
        return False
    return True
