"""What a diagram's text may name before a browser draws it: no URL, no file, and none of the settings
gitspec fixes (LOCKED_KEYS). A diagram naming one is shown as source, and mmdc never runs on it.

Pure, and the first of three layers: mmdc's browser also runs with no network, and mermaid with
LOCKED_KEYS as its `secure` list (gitspec.render.mmdc). It must never fetch or read what it checks.
"""
from __future__ import annotations

import re

from gitspec.render.drawway import LOCKED_KEYS

# Where mermaid loads what a diagram names: an image shape's data (`A@{ img: "…" }`), a click's link,
# CSS in style statements and in the config (url(), @import, image-set()), and an HTML tag that loads
# something. Labels, messages and comments elsewhere are text (no HTML labels, strict security: both
# fixed), so "Avatar URL (optional)" or "GET https://api/v1" in them is drawn.
_TAG = re.compile(r"<(?:img|image|svg|use|iframe|frame|object|embed|link|style|script|video|audio|source|track|"
                  r"picture|input|base|meta)\b", re.I)
_ADDRESS = re.compile(r"\burl\s*\(|@import\b|\bimage-set\s*\(|\b(?:file|https?):|//|\bhref\b|\bxlink\s*:", re.I)
_SHAPE_DATA = re.compile(r"@\{[^}]*\}?")
_IMAGE_KEY = re.compile(r"\bimg[\"']?\s*:", re.I)
_CLICK = re.compile(r"^[ \t]*click\b.*$", re.M)
_LOCKED = re.compile(r"\b(" + "|".join(LOCKED_KEYS) + r")\b")
_COMMENT = re.compile(r"^[ \t]*%%(?!\{).*$", re.M)  # mermaid drops these lines before reading the rest
_DIRECTIVE = re.compile(r"%%\{(?:.*?\}%%|.*)", re.S)
# A backslash in CSS or in a config string can spell any of the above (CSS's "\75 rl(" is url(,
# JSON's "\u0075rl(" too), so it is refused where those are: style statements and the config.
_STYLE = re.compile(r"^[ \t]*(?:classDef|style|linkStyle|cssClass)\b.*$", re.M)


def refusal(source: str) -> str | None:
    """Why `source` may not be drawn ("it names a URL or a file (…)"), or None when it may."""
    text = _COMMENT.sub("", source)
    config = _front_matter(text) + [match.group() for match in _DIRECTIVE.finditer(text)]
    styles = _STYLE.findall(text)
    places = [(match.start(), match.group()) for match in _SHAPE_DATA.finditer(text)]
    for start, part in places:
        found = _IMAGE_KEY.search(part) or _ADDRESS.search(part)
        if found:
            return _reaches(text, start + found.start())
    for part in (*_CLICK.findall(text), *styles, *config):
        found = _ADDRESS.search(part)
        if found:
            return _reaches(part, found.start())
    tag = _TAG.search(text)
    if tag:
        return _reaches(text, tag.start())
    key = next((found for part in config if (found := _LOCKED.search(part))), None)
    if key:
        return f"it sets {key.group(1)}, which gitspec fixes for every diagram"
    escaped = next((part for part in config + styles if "\\" in part), None)
    if escaped is not None:
        return (f"it has a backslash in a style or its config (at {_from(escaped, escaped.index(chr(92)))}), "
                "which could spell a URL")
    return None


def _reaches(text: str, at: int) -> str:
    return (f"it names a URL or a file (at {_from(text, at)}), and gitspec lets no diagram fetch from the "
            "network or read a file")


def _front_matter(text: str) -> list[str]:
    """The lines of the YAML block between "---" lines that opens a diagram, if any."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return []
    end = next((n for n, line in enumerate(lines[1:], start=1) if line.strip() == "---"), None)
    return lines[1:end] if end else []


def _from(text: str, start: int, most: int = 50) -> str:
    """What `text` holds from `start` to the end of that line, at most `most` characters."""
    end = text.find("\n", start)
    shown = text[start:end if end >= 0 else len(text)].strip()
    return shown if len(shown) <= most else shown[:most - 1] + "…"
