"""What a diagram's text may name before a browser draws it: no URL, no file, and none of the settings
gitspec fixes (LOCKED_KEYS). A diagram naming one is shown as source, and mmdc never runs on it.

Pure, and the first of three layers: mmdc's browser also runs with no network, and mermaid with
LOCKED_KEYS as its `secure` list (gitspec.render.mmdc). It must never fetch or read what it checks.
"""
from __future__ import annotations

import re

from gitspec.render.drawway import LOCKED_KEYS

# What makes a browser fetch or read a file: an image shape, CSS url()/@import/image-set(), an HTML tag
# that loads something, a link attribute, or an address (a scheme, or "//" of a protocol-relative one).
_REACHES = re.compile(
    r"""\bimg["']?\s*:|\burl\s*\(|@import\b|\bimage-set\s*\(|\bsrc\s*[=(]|\bsrcset\b|\bhref\b|\bxlink\s*:"""
    r"""|<(?:img|image|svg|use|iframe|frame|object|embed|link|style|script|video|audio|source|track|"""
    r"""picture|input|base|meta)\b|\b(?:file|https?):(?!\s)|//""", re.I)
_LOCKED = re.compile(r"\b(" + "|".join(LOCKED_KEYS) + r")\b")
_COMMENT = re.compile(r"^[ \t]*%%(?!\{).*$", re.M)  # mermaid drops these lines before reading the rest
_DIRECTIVE = re.compile(r"%%\{(?:.*?\}%%|.*)", re.S)
# A backslash in CSS or in a config string can spell any of the above (CSS's "\75 rl(" is url(,
# JSON's "\u0075rl(" too), so it is refused where those are: style statements and the config.
_STYLE = re.compile(r"^[ \t]*(?:classDef|style|linkStyle|cssClass)\b.*$", re.M)


def refusal(source: str) -> str | None:
    """Why `source` may not be drawn ("it names a URL or a file (…)"), or None when it may."""
    text = _COMMENT.sub("", source)
    found = _REACHES.search(text)
    if found:
        return (f"it names a URL or a file (at {_from(text, found.start())}), and gitspec lets no diagram "
                "fetch from the network or read a file")
    config = _front_matter(text) + [match.group() for match in _DIRECTIVE.finditer(text)]
    key = next((found for part in config if (found := _LOCKED.search(part))), None)
    if key:
        return f"it sets {key.group(1)}, which gitspec fixes for every diagram"
    escaped = next((part for part in config + _STYLE.findall(text) if "\\" in part), None)
    if escaped is not None:
        return (f"it has a backslash in a style or its config (at {_from(escaped, escaped.index(chr(92)))}), "
                "which could spell a URL")
    return None


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
