"""The requirement ids a PRD's Markdown text mentions, as its page shows them: in its words, emphasised
or not, in a link's text, a table, a code span or block; not in a link's or a picture's address, a link
definition, or an HTML comment, which the page does not show.

Read with markdown-it as the renderers read it (gitspec.render.markdownparse). Pure: text in, places out.
"""
from __future__ import annotations

import re
from typing import Any

from gitspec.anchorlinks import find_from

# In the text as shown (`_REQ-404_` shows "REQ-404"): an `_` left in it is shown, and no part of the id.
REQ_MENTION = re.compile(r"(?<![A-Za-z0-9])REQ-[0-9]+(?![A-Za-z0-9])")
# An HTML comment as the renderers read it (gitspec.render.markdowntree): one never closed runs to the end.
_COMMENT = re.compile(r"<!--(?:-?>|.*?-->|.*)", re.DOTALL)
_AUTOLINKS = ("autolink", "linkify")  # a link whose text is its address: `<https://…>`, a bare https://…
# What can make the text shown differ from the text written, but for emphasis: an escape or an entity, HTML
# (a comment), a link, a picture or a link definition (their addresses), an address linked as it is.
_HIDING = re.compile(r"[\\&<\[]|://|www\.", re.IGNORECASE)


def requirement_mentions(text: str) -> list[tuple[str, int, int]]:
    """Each `REQ-…` that `text` shows, with its line (0 for the first) and column (1-based) in `text`."""
    if "REQ-" not in text:
        return []  # most sections: spare the parse
    lines = text.split("\n")
    if not _HIDING.search(text):  # as written is as shown (emphasis hides no letter): spare the parse
        return [(m.group(), n, m.start() + 1) for n, line in enumerate(lines) for m in REQ_MENTION.finditer(line)]
    return _parsed(text, lines)


def _parsed(text: str, lines: list[str]) -> list[tuple[str, int, int]]:
    from gitspec.render.markdownparse import parse_tokens

    found: list[tuple[str, int, int]] = []
    for token in parse_tokens(text):
        if token.type == "inline":
            found += _inline(token, lines)
        elif token.type in ("fence", "code_block") and token.map:
            first, last = token.map
            body = range(first + 1, last - _closed(token, lines)) if token.type == "fence" else range(first, last)
            found += [(m.group(), n, m.start() + 1) for n in body for m in REQ_MENTION.finditer(lines[n])]
        elif token.type == "html_block" and token.map:
            first, last = token.map
            shown = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), "\n".join(lines[first:last]))
            found += [(m.group(), first + n, m.start() + 1) for n, line in enumerate(shown.split("\n"))
                      for m in REQ_MENTION.finditer(line)]
    return found


def _closed(fence: Any, lines: list[str]) -> int:
    """1 when a fenced code block's last line is its closing fence (one left open runs to the end)."""
    last = lines[fence.map[1] - 1].strip() if fence.map[1] - 1 > fence.map[0] else ""
    return int(bool(last) and set(last) == {fence.markup[0]} and len(last) >= len(fence.markup))


def _inline(token: Any, lines: list[str]) -> list[tuple[str, int, int]]:
    """The ids a paragraph, heading or table cell shows: its text, code spans and raw HTML but comments
    (shown as the text it is), in links' text too, but not an address shown as a link's text."""
    first, last = token.map or (0, len(lines))
    cursor = (first, 0)  # where the next piece is looked for: the page shows them in the order they are written
    found: list[tuple[str, int, int]] = []
    autolink = False
    for child in token.children or ():
        if child.type == "link_open":
            autolink = child.markup in _AUTOLINKS
        elif child.type == "link_close":
            autolink = False
        shown = child.type in ("text", "code_inline") or child.type == "html_inline" and not \
            child.content.startswith("<!--")
        if shown and not autolink and "REQ-" in child.content:
            cursor = _placed(lines, child.content, cursor, last, found)
    return found


def _placed(lines: list[str], piece: str, cursor: tuple[int, int], last: int,
            found: list[tuple[str, int, int]]) -> tuple[int, int]:
    """Each id in `piece` (text as the page shows it) added to `found` where it is written: inside the piece,
    where the piece is written as shown; else (an escape or an entity changed it) at the first place from
    `cursor` that writes the id, else on the block's first line. Returns where the next piece is looked for."""
    written = find_from(lines, lambda line, col: line.find(piece, col), cursor, last)
    if written is not None:
        found += [(m.group(), written[0], written[1] + m.start() + 1) for m in REQ_MENTION.finditer(piece)]
        return written[0], written[1] + len(piece)
    for match in REQ_MENTION.finditer(piece):
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(match.group())}(?![A-Za-z0-9])")
        place = find_from(lines, lambda line, col: m.start() if (m := pattern.search(line, col)) else -1, cursor, last)
        line, col = place if place is not None else (cursor[0], 0)
        found.append((match.group(), line, col + 1))
        if place is not None:
            cursor = (line, col + len(match.group()))
    return cursor
