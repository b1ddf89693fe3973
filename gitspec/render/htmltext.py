"""Text as HTML: escaped (`esc`), isolated among other facts, and as badges; the smallest pieces
the site's and the print documents' writers build with.

Every string goes through html.escape (quote=True); a script-URL scheme never reaches the output.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable

from gitspec.render.model import BAD, INFO, OK, WARN, Badge

TONES = (OK, INFO, WARN, BAD)
_STATUS_TONES = {
    "approved": OK, "accepted": OK, "done": OK, "verified": OK, "passed": OK, "released": OK,
    "stale": WARN, "changed": WARN, "review": WARN, "in-review": WARN, "blocked": WARN,
    "rejected": BAD, "deprecated": BAD, "failed": BAD, "superseded": BAD,
}

_SCRIPT_SCHEME = re.compile(r"(?i)(javascript|vbscript|livescript)(\s*):")
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def esc(text: str) -> str:
    """Escape text for HTML content or a quoted attribute. A script-URL scheme in visible
    text keeps its look but not its bytes, so `javascript:` never appears in the output.
    A control character (not a tab or line break) becomes U+FFFD, as in the Word files."""
    escaped = _NOT_TEXT.sub("\ufffd", html.escape(text, quote=True))
    return _SCRIPT_SCHEME.sub(r"\1\2&#58;", escaped) if ":" in escaped else escaped


def defang_json(text: str) -> str:
    """The same for JSON text: `javascript:` becomes `javascript\\u003a` (same string value)."""
    return _SCRIPT_SCHEME.sub(r"\1\2\\u003a", text)


def english(language: str) -> str:
    """The attribute that declares gitspec's own words English on a page whose text is in `language`
    (a screen reader picks its voice by it): ' lang="en"', or "" on a page in English already."""
    return "" if language.split("-")[0].strip().lower() in ("en", "") else ' lang="en"'


def scroll_box(name: str) -> str:
    """The attributes of a box that may scroll sideways (a wide table's, a code block's): it takes the
    keyboard's focus, so that arrow keys scroll it where a browser does not make it focusable itself
    (Safari, Chromium before 130), and is a group named `name`, which a screen reader says on focus (a
    group, not a region: a page holds dozens of them, which would crowd its list of landmarks)."""
    return f' tabindex="0" role="group" aria-label="{esc(name)}"'


def table_name(header: Iterable[str], longest: int = 100) -> str:
    """A table's name for its scroll box: "Table: " and its column names ("Table" when it has none)."""
    columns = ", ".join(word for word in (" ".join(h.split()) for h in header) if word)
    if len(columns) > longest:
        columns = columns[:longest - 1].rstrip(", ") + "…"
    return f"Table: {columns}" if columns else "Table"


def status_tone(status: str) -> str:
    return _STATUS_TONES.get(status.strip().lower(), INFO)


def badge(b: Badge, own: str = "") -> str:
    """A badge; `own` is the attribute declaring gitspec's words (all a badge says) English, if any."""
    tone = b.tone if b.tone in TONES else INFO
    return f'<span class="badge badge-{tone}"{own}>{isolated(b.label)}</span>'


def isolated(text: str) -> str:
    """Text set among other facts (a name, a title, a badge's label), escaped and isolated (`<bdi>`):
    an Arabic or Hebrew name must not take the facts beside it into its right-to-left run, as it
    does a date (`فاطمة · 2026-12-06` reads `06-12-2026 · فاطمة`)."""
    return f"<bdi>{esc(text)}</bdi>"


def status_badge(status: str, own: str = "") -> str:
    return badge(Badge(status, status_tone(status)), own) if status else ""


def badges(items: Iterable[Badge], own: str = "") -> str:
    return " ".join(badge(b, own) for b in items)
