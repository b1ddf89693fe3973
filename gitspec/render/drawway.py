"""What every way of drawing a Mermaid diagram shares: the Mermaid settings, the size limits, where a
diagram's front matter ends, the background its theme needs, and how a way says it failed
(DrawFailed, which gitspec.render.mermaid turns into a note)."""
from __future__ import annotations

import re
from collections.abc import Callable

from gitspec.render.imagecheck import ImageRefused

# weasyprint drops labels drawn as HTML inside <foreignObject>; SVG <text> survives.
MERMAID_CONFIG = {"htmlLabels": False, "flowchart": {"htmlLabels": False}, "class": {"htmlLabels": False}}
MAX_BYTES = 20_000_000
# mermaid's maxTextSize (a locked key): over it, mermaid draws a box saying "Maximum text size in
# diagram exceeded" instead of the diagram, and reports no error.
MAX_TEXT_SIZE = 50_000
# mermaid's dark theme draws light lines and text for its own background (`background` in its
# theme-dark.js): on the white the pages have, they all but vanish; on nothing (transparent) they would too.
DARK_BACKGROUND = "#333"
_DIRECTIVE = re.compile(r"%%\{.*?(?:\}%%|\Z)", re.S)  # to its `}%%`, or the end when it has none
_DIRECTIVE_START = re.compile(r"%%\{\s*init(?:ialize)?\s*:")
_THEME_KEY = re.compile(r"""["']?theme["']?\s*:\s*["']([\w-]+)["']""")
# Settings a diagram's own config (an init directive, front matter `config:`) may not change: they
# carry CSS that can fetch (themeCSS, fontFamily), turn HTML labels back on, or loosen what mermaid
# allows. The first six are mermaid's own default `secure` list, which gitspec's replaces.
LOCKED_KEYS = ("secure", "securityLevel", "startOnLoad", "maxTextSize", "suppressErrorRendering", "maxEdges",
               "themeCSS", "fontFamily", "altFontFamily", "htmlLabels", "dompurifyConfig", "arrowMarkerAbsolute")


class DrawFailed(Exception):
    """One way of rendering failed; the message names what happened, for the note. `down`: the way
    would fail every diagram alike for the rest of the run (a server that timed out or could not be
    reached, an mmdc that timed out or whose browser would not start), so a run asks it no more
    rather than wait out the timeout once per diagram. `temporary`: the cause may be gone by the next
    render (a timeout, no browser, a crash, a busy server), so a page showing the diagram as source is
    rendered again then; not for an invalid diagram or a refused image, which the same way of drawing
    gives again. `invalid`: mermaid rejected the diagram's text (the message says how); only the text
    can change that, so no tool is worth installing."""

    def __init__(self, message: str, down: bool = False, temporary: bool = False, invalid: bool = False) -> None:
        super().__init__(message)
        self.down = down
        self.temporary = (temporary or down) and not invalid
        self.invalid = invalid


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the "---" line closing the YAML front matter a diagram opens with (`lines` as
    splitlines gives them), or None when it opens with none."""
    if not lines or lines[0].strip() != "---":
        return None
    return next((n for n, line in enumerate(lines[1:], start=1) if line.strip() == "---"), None)


def front_matter_lines(source: str) -> list[str]:
    """The lines of the YAML block between "---" lines that opens a diagram, if any."""
    lines = source.splitlines()
    end = front_matter_end(lines)
    return lines[1:end] if end else []


def over_text_limit(source: str) -> str | None:
    """Why mermaid would not draw `source` for its size, or None. Measured as mermaid's preprocessDiagram
    leaves it: in UTF-16 units (JavaScript's), without the front matter, the directives (`%%{init: …}%%`,
    over several lines too), the comment lines (`%% …`; a bare `%%` stays) and the leading white space."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").splitlines(keepends=True)
    end = front_matter_end(lines)
    body = _DIRECTIVE.sub("", "".join(lines[end + 1 if end is not None else 0:]))
    body = _without_comments(body).lstrip()
    size = len(body.encode("utf-16-le")) // 2
    if size <= MAX_TEXT_SIZE:
        return None
    return (f"it is {size:,} characters long, and mermaid draws no diagram over {MAX_TEXT_SIZE:,} "
            "(maxTextSize); split it into smaller diagrams")


def _without_comments(text: str) -> str:
    """`text` as mermaid's cleanupComments leaves it: each `%% …` line gone (not a bare `%%`, nor a
    `%%{`), with the blank lines before it (its pattern's `^\\s*` reaches back over them). Line by line:
    that pattern is quadratic on a long run of blank lines."""
    kept: list[str] = []
    blanks: list[str] = []  # blank lines not yet known to be kept
    for line in text.splitlines(keepends=True):
        rest = line.lstrip()
        if rest.startswith("%%") and not rest.startswith("%%{") and rest[2:].rstrip("\n"):
            blanks.clear()
        elif not rest:
            blanks.append(line)
        else:
            kept += blanks
            kept.append(line)
            blanks.clear()
    return "".join(kept + blanks)


def background(source: str) -> str:
    """The colour a diagram is drawn on: white, as the page it goes on is, unless it chose mermaid's
    dark theme (front matter `config: theme: dark`, or an init directive), which needs its own."""
    return DARK_BACKGROUND if theme(source) == "dark" else "white"


def theme(source: str) -> str | None:
    """The mermaid theme a diagram chooses: its init directive's (which mermaid applies last), else its
    front matter's `config: theme:`; None when it chooses none, or its front matter cannot be read."""
    import yaml

    chosen = None  # mermaid merges its init directives in order: the last theme one names is the one
    for start in _DIRECTIVE_START.finditer(source):
        following = source.find("%%{", start.end())  # its text ends at its `}%%`, or where the next begins:
        limit = following if following >= 0 else len(source)  # so no text is read twice
        close = source.find("}%%", start.end(), limit)
        named = _THEME_KEY.search(source, start.end(), close if close >= 0 else limit)
        chosen = named.group(1) if named else chosen
    if chosen is not None:
        return chosen
    lines = front_matter_lines(source)
    if not lines:
        return None
    try:
        front = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError:
        return None
    config = front.get("config") if isinstance(front, dict) else None
    chosen = config.get("theme") if isinstance(config, dict) else None
    return chosen if isinstance(chosen, str) else None


def checked(check: Callable[[bytes], None], data: bytes) -> None:
    """Run an imagecheck check, turning its refusal into DrawFailed."""
    try:
        check(data)
    except ImageRefused as refused:
        raise DrawFailed(str(refused)) from None
