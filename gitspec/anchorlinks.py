"""Same-page links of a Markdown document that lead to no anchor on its page (`[x](#nope)`), which
every format shows as a link going nowhere: `check` warns at each.

The page's anchors are the ones the renderers make (render.sitemodel.page_anchor_names): this
module must never hold a rule of its own for making an anchor.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from gitspec.findings import Finding, warning

if TYPE_CHECKING:
    from gitspec.documents import Document

RULE = "unknown-anchor"
# A link whose URL, or a link reference definition whose, starts with "#": most documents have none,
# and then check does not parse their Markdown
_SAME_PAGE = re.compile(r"\]\(\s*<?#|\]:\s*<?#")
_BRACKETED = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]")  # `[x]`, as a reference link's label is written


def anchor_findings(document: Document) -> list[Finding]:
    """A warning at each same-page link in the document's Markdown whose anchor its page does not have."""
    texts = document.markdown_texts()
    if not any(_SAME_PAGE.search(text) for text in texts.values()):
        return []
    import unicodedata
    from urllib.parse import unquote

    from gitspec.printable import shown
    from gitspec.render.anchors import FRAME_IDS, fragment_anchor
    from gitspec.render.sitemodel import page_anchor_names
    from gitspec.suggestions import closest

    from gitspec.render.markdowndefs import DocumentDefinitions

    anchors = page_anchor_names(document, document.titles)
    definitions = DocumentDefinitions(texts)  # a `[label]: #x` in one section makes links in all of them
    findings = []
    for name, text in texts.items():
        for href, offset, col in same_page_links(text, definitions.links_env()):
            fragment = unquote(href[1:])
            # as the render reads it (markdowntree.safe_target); a fragment no anchor can be (an emoji, a
            # zero-width space, `#a!b`) is no link in any format, its label plain text: it leads nowhere too
            anchor = fragment_anchor(fragment) or unicodedata.normalize("NFC", fragment)
            if not anchor or anchor in anchors:  # `#` alone leads to the page's top
                continue
            # a footnote's anchor ("fn:1") or the search box's is no place a reader means to send someone
            close = closest(anchor, (a for a in anchors if ":" not in a and a not in FRAME_IDS))
            hint = f" (did you mean {shown('#' + close)}?)" if close else ""
            findings.append(warning(document.path, document.text_line(name, offset), col,
                                    f"link to {shown('#' + anchor)} leads nowhere: no heading or item on this "
                                    f"page has that anchor{hint}", RULE))
    return findings


def same_page_links(text: str, env: dict[str, Any] | None = None) -> Iterator[tuple[str, int, int]]:
    """Each link in `text` whose URL starts with "#" (as markdown-it gives it), with the line (0 for
    the first) and column (1-based) in `text` of its "#", or of a reference link's `[label]`; not a
    link in a heading, which is text. `env` holds the link reference definitions that apply."""
    from gitspec.render.markdowntree import parse_tokens

    lines = text.split("\n")
    tokens = parse_tokens(text, env)
    for index, token in enumerate(tokens):
        if token.type != "inline" or (index and tokens[index - 1].type == "heading_open"):
            continue
        first, last = token.map or (0, len(lines))
        cursor = (first, 0)  # where the next link of this block is looked for
        for child in token.children or ():
            href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
            if not href.startswith("#"):
                continue
            label = child.meta.get("label")
            if label:  # its URL is written where it is defined, maybe in another section
                cursor = find_from(lines, _labelled(label), cursor, last) or cursor
            else:
                at = _written(href)
                cursor = find_from(lines, at, cursor, last) or find_from(lines, at, (0, 0), len(lines)) or cursor
            yield href, cursor[0], cursor[1] + 1
            cursor = (cursor[0], cursor[1] + 1)


def find_from(lines: list[str], at: Callable[[str, int], int], start: tuple[int, int],
          stop: int) -> tuple[int, int] | None:
    """The first place from `start`, on a line before `stop`, where `at` finds a link, or None."""
    line, col = start
    for number in range(line, min(stop, len(lines))):
        found = at(lines[number], col if number == line else 0)
        if found >= 0:
            return number, found
    return None


def _written(href: str) -> Callable[[str, int], int]:
    """Where, from a column, a line writes `href` (as markdown-it gives it, or with its %-escapes
    read: `#größe` for `#gr%C3%B6%C3%9Fe`), or -1."""
    from urllib.parse import unquote

    forms = {href, unquote(href)}
    return lambda line, col: min((at for form in forms if (at := line.find(form, col)) >= 0), default=-1)


def _labelled(label: str) -> Callable[[str, int], int]:
    """Where, from a column, a line writes `[x]` with x the reference `label` as markdown-it reads
    it (case and spaces aside), or -1."""
    from markdown_it.common.utils import normalizeReference

    return lambda line, col: next((match.start() for match in _BRACKETED.finditer(line, col)
                                   if normalizeReference(match[1]) == label), -1)
