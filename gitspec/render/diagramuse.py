"""Which stored diagram images (gitspec.render.diagramcache) the renders on disk show: each entry of a
render manifest (gitspec.render.manifest) lists the cache keys of its pages' diagrams, and `cache gc` keeps
those entries and drops the rest, as it keeps the generations the documents' stamps name.

Never draws, writes or deletes anything itself.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gitspec.render.model import Diagram, Page
from gitspec.render.shown import shown
from gitspec.store import read_plain

FIELD = "diagrams"  # a manifest entry's list of cache keys


def note_diagrams(entry: dict, pages: Iterable[Page], assets: Any) -> None:
    """Record in a manifest `entry` the cache keys of the diagrams `pages` show, as `assets` draws them
    (which mmdc, which server); assets that do not say (a plugin's stand-in) record nothing."""
    key = getattr(assets, "diagram_key", None)
    if key is None:
        return
    sources = {item.source for page in pages for item in shown(page.sections) if isinstance(item, Diagram)}
    entry[FIELD] = sorted(key(source) for source in sources)


def joined_diagrams(entry: dict, pages: Iterable[dict]) -> None:
    """Record in the manifest `entry` of what joins pages (the book) the keys the entries of its `pages`
    list: it shows their diagrams, and reading every page's sections again would cost a run that
    rendered one page the time of building them all."""
    lists = (page.get(FIELD) for page in pages)
    entry[FIELD] = sorted({key for keys in lists if isinstance(keys, list) for key in keys})


def shown_keys(renders: Path) -> set[str] | None:
    """The cache keys every render manifest in `renders` (`.gitspec/renders/`) lists. None when one of
    them has an entry listing none at all (an older gitspec wrote it): no stored image can then be told
    unused. No folder: none. A manifest that cannot be read raises OSError; one that is not JSON is as
    good as none (the next render is a cold one, and draws what it needs)."""
    if not renders.is_dir():
        return set()
    found: set[str] = set()
    for path in sorted(renders.glob("*.json")):
        try:
            manifest = json.loads(read_plain(path))
        except ValueError:
            continue
        if not isinstance(manifest, dict):
            continue
        for entry in manifest.values():
            if not isinstance(entry, dict):  # the folder it describes
                continue
            keys = entry.get(FIELD)
            if not isinstance(keys, list):
                return None
            found.update(key for key in keys if isinstance(key, str))
    return found
