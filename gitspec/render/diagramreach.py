"""What a diagram's text may name before a browser draws it: no URL, no file, and none of the settings
gitspec fixes (LOCKED_KEYS). A diagram naming one is shown as source, and mmdc never runs on it.

Pure, and the first of three layers: mmdc's browser also runs with no network, and mermaid with
LOCKED_KEYS as its `secure` list (gitspec.render.mmdc). It must never fetch or read what it checks.
"""
from __future__ import annotations

import re

from gitspec.render.drawway import LOCKED_KEYS, front_matter_lines

# Refused wherever it is written: a file address, and an HTML tag that loads something.
_LOADS = re.compile(r"\bfile:/|\bxlink\s*:", re.I)
_TAG = re.compile(r"<(?:img|image|svg|use|iframe|frame|object|embed|link|style|script|video|audio|source|track|"
                  r"picture|input|base|meta)\b", re.I)
# An address, or CSS that fetches, in the places mermaid reads them: a statement that styles or links
# (`style`, `classDef`, `click`...: a statement starts a line or follows a ";"), a node's shape data
# (`A@{ img: "…" }`), the config. Elsewhere (labels, messages, comments, a class's `+url()` method) it is
# text, drawn as such: HTML labels are off and the security level strict (both fixed).
_ADDRESS = re.compile(r"\b(?:https?|file):|//|\bhref\b|\bsrc\s*=|\burl\s*\(|@import\b|\bimage-set\s*\(", re.I)
_STATEMENT = re.compile(r"(?:^|;)[ \t]*((?:classDef|style|linkStyle|cssClass|click|link|links)\b[^;\n]*)", re.M)
_IMAGE_KEY = re.compile(r"\bimg[\"']?\s*:", re.I)
_LOCKED = re.compile(r"\b(" + "|".join(LOCKED_KEYS) + r")\b")
_COMMENT = re.compile(r"^[ \t]*%%(?!\{).*$", re.M)  # mermaid drops these lines before reading the rest
_DIRECTIVE = re.compile(r"%%\{(?:.*?\}%%|.*)", re.S)


def refusal(source: str) -> str | None:
    """Why `source` may not be drawn ("it names a URL or a file (…)"), or None when it may."""
    text = _COMMENT.sub("", source)
    config = front_matter_lines(text) + [match.group() for match in _DIRECTIVE.finditer(text)]
    statements = [match.group(1) for match in _STATEMENT.finditer(text)]
    for found in (_LOADS.search(text), _TAG.search(text)):
        if found:
            return _reaches(text, found.start())
    for start, part in _shape_data(text):
        found = _IMAGE_KEY.search(part) or _ADDRESS.search(part)
        if found:
            return _reaches(text, start + found.start())
    for part in (*statements, *config):
        found = _ADDRESS.search(part)
        if found:
            return _reaches(part, found.start())
    key = next((found for part in config if (found := _LOCKED.search(part))), None)
    if key:
        return f"it sets {key.group(1)}, which gitspec fixes for every diagram"
    # a backslash in CSS or in a config string can spell any of the above (CSS's "\75 rl(" is url(,
    # JSON's "\u0075rl(" too): refused where those are read
    escaped = next((part for part in config + statements if "\\" in part), None)
    if escaped is not None:
        return (f"it has a backslash in a style or its config (at {_from(escaped, escaped.index(chr(92)))}), "
                "which could spell a URL")
    return None


def _shape_data(text: str) -> list[tuple[int, str]]:
    """Each node's shape data (`@{ … }`) with where it starts: to its closing brace, a brace inside a
    quoted string not counted (mermaid reads those as text), or to the end of the text."""
    found = []
    start = text.find("@{")
    while start >= 0:
        at, quote = start + 2, ""
        while at < len(text) and (quote or text[at] != "}"):
            if quote and text[at] == "\\":
                at += 1
            elif text[at] in "\"'" and (not quote or text[at] == quote):
                quote = "" if quote else text[at]
            at += 1
        found.append((start, text[start:at + 1]))
        start = text.find("@{", at)
    return found


def _reaches(text: str, at: int) -> str:
    return (f"it names a URL or a file (at {_from(text, at)}), and gitspec lets no diagram fetch from the "
            "network or read a file")


def _from(text: str, start: int, most: int = 50) -> str:
    """What `text` holds from `start` to the end of that line, at most `most` characters."""
    end = text.find("\n", start)
    shown = text[start:end if end >= 0 else len(text)].strip()
    return shown if len(shown) <= most else shown[:most - 1] + "…"
