"""Anchors: one rule for making an anchor unique on a page, shared by the tree and the HTML writer."""
from __future__ import annotations

# Ids the HTML page frame gives its own elements (the search box): no section or heading may take them
FRAME_IDS = frozenset({"gitspec-search", "gitspec-results"})


def unique(base: str, used: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ... : the first one not in `used`, which it is added to."""
    found, n = base, 1
    while found in used:
        n += 1
        found = f"{base}-{n}"
    used.add(found)
    return found
