"""Anchors: the rules making an anchor from a heading, a YAML key or a link's fragment, in any script,
and unique on a page; shared by the tree and the HTML writer. An ASCII anchor must never change: readers link to them."""
from __future__ import annotations

import unicodedata

# Ids the HTML page frame gives its own elements (html._top_bar: the search box, its results and its
# live status line): no section or heading may take them. tests/test_render_html.py checks it has them all.
FRAME_IDS = frozenset({"gitspec-search", "gitspec-results", "gitspec-status"})


def unique(base: str, used: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ... : the first one not in `used`, which it is added to."""
    found, n = base, 1
    while found in used:
        n += 1
        found = f"{base}-{n}"
    used.add(found)
    return found


def heading_anchor(text: str) -> str:
    """A Markdown heading's anchor, as GitHub's keep letters in any script: lower-cased letters and
    digits, each run of anything else one "-" (`Größe & Café` -> `größe-café`, `背景と課題` unchanged)."""
    return _anchor(text.lower(), "") or "section"


def key_anchor(text: str) -> str:
    """A YAML key's or item id's anchor: its letters, digits, "_", "." and "-", each run of anything else one "-"."""
    return _anchor(text, "_.-") or "item"


def github_anchor(text: str) -> str:
    """A heading's anchor as GitHub makes it, before numbering: lower-cased, without punctuation
    but "-" and "_", each space a "-" (`What's new?` -> `whats-new`, `v1.2 rollout` -> `v12-rollout`)."""
    text = unicodedata.normalize("NFC", text.strip().lower())
    return "".join("-" if c == " " else c for c in text if _kept(c, "-_ ") or unicodedata.category(c) == "Pc")


def github_unique(base: str, counts: dict[str, int]) -> str:
    """`base`, or `base-1`, `base-2`, ... as GitHub numbers a page's headings of the same anchor;
    `counts` holds the page's anchors so far (github-slugger's `occurrences`)."""
    found = base
    while found in counts:
        counts[base] += 1
        found = f"{base}-{counts[base]}"
    counts[found] = 0
    return found


def fragment_anchor(fragment: str) -> str | None:
    """The anchor a same-page link's fragment (without its "#") names, or None when no anchor made
    here could be it: letters, digits, "_", "." and "-" (GitHub's anchors may start with "-" or "_")."""
    fragment = unicodedata.normalize("NFC", fragment)
    if fragment and all(_kept(c, "_.-") or unicodedata.category(c) == "Pc" for c in fragment):
        return fragment
    return None


def _anchor(text: str, also: str) -> str:
    # NFC composes an accent typed as a mark of its own, so that a heading and a link to it give one anchor
    kept = "".join(c if _kept(c, also) else " " for c in unicodedata.normalize("NFC", text))
    return "-".join(kept.split()).strip("-")


def _kept(c: str, also: str) -> bool:
    """A letter, digit or combining mark (the vowel signs of Hindi or Thai are marks), or one of `also`."""
    return unicodedata.category(c)[0] in "LNM" or c in also
