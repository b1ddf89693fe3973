"""Markdown (GitHub-flavoured) to render-tree blocks, through mistune's syntax tree.

Safe by construction: raw HTML becomes visible plain text, links keep only
http(s)/mailto and same-page `#anchor` targets, images are never fetched.
This module must never emit markup or pass a URL through without the allow-list.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from gitspec.render.model import (
    BAD, INFO, WARN, Block, Code, Diagram, Heading, Inline, Link, ListBlock, Notice, Paragraph,
    Table, Text,
)

_EXTERNAL = re.compile(r"^(?:https?://[^\s]+|mailto:[^\s]+)$", re.IGNORECASE)
_ANCHOR = re.compile(r"^#([A-Za-z0-9][A-Za-z0-9._-]*)$")
_SLUG = re.compile(r"[^a-z0-9]+")
_COMMENT = re.compile(r"^\s*<!--.*?-->\s*$", re.DOTALL)
_ALERT = re.compile(r"^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*", re.IGNORECASE)
_ALERT_TONES = {"note": INFO, "tip": INFO, "important": INFO, "warning": WARN, "caution": BAD}
_STYLES = {"strong": "strong", "emphasis": "em"}


def markdown_blocks(text: str, *, page_id: str = "", taken: Iterable[str] = ()) -> tuple[Block, ...]:
    """Convert one section's Markdown to blocks.

    `page_id` turns same-page `[x](#anchor)` links into `doc:PAGE#anchor` (without it
    they become plain text); `taken` lists anchors already used on the page (section
    anchors, earlier headings) so heading anchors stay unique within the page.
    """
    tokens = _parser()(text.replace("\r\n", "\n"))
    return _Converter(page_id, set(taken)).blocks(tokens)


@lru_cache(maxsize=1)
def _parser() -> Callable[[str], Any]:
    import mistune

    return mistune.create_markdown(renderer=None, plugins=["table", "strikethrough"])


def safe_target(url: str, page_id: str = "") -> str | None:
    """The Link target for a Markdown URL, or None when it must not be a link."""
    url = url.strip()
    if _EXTERNAL.match(url) and not any(ord(c) < 32 for c in url):
        return url
    anchor = _ANCHOR.match(url)
    if anchor and page_id:
        return f"doc:{page_id}#{anchor.group(1)}"
    return None


def slugify(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "section"


class _Converter:
    """Walks mistune's token list; holds only the anchors used so far."""

    def __init__(self, page_id: str, taken: set[str]) -> None:
        self.page_id = page_id
        self.taken = taken

    # --- blocks ---------------------------------------------------------------

    def blocks(self, tokens: list[dict[str, Any]]) -> tuple[Block, ...]:
        out: list[Block] = []
        for token in tokens:
            out.extend(self.block(token))
        return tuple(out)

    def block(self, token: dict[str, Any]) -> list[Block]:
        kind = token["type"]
        if kind in ("paragraph", "block_text"):
            inlines = self.inlines(token.get("children", ()))
            return [Paragraph(inlines)] if inlines else []
        if kind == "heading":
            return [self.heading(token)]
        if kind == "list":
            items = tuple(self.blocks(item.get("children", [])) for item in token.get("children", []))
            return [ListBlock(items, ordered=bool(token.get("attrs", {}).get("ordered")))]
        if kind == "block_code":
            info = (token.get("attrs", {}).get("info") or "").split()
            language = info[0].lower() if info else ""
            source = token.get("raw", "")
            if language == "mermaid":
                return [Diagram(source.rstrip("\n"))]
            return [Code(source.rstrip("\n"), language)]
        if kind == "block_quote":
            return self.quote(token)
        if kind == "table":
            return [self.table(token)]
        if kind == "block_html":
            raw = token.get("raw", "")
            # A comment is invisible on GitHub too; anything else is shown as the text it is.
            return [] if _COMMENT.match(raw) else [Paragraph((Text(raw.strip("\n")),))]
        if kind in ("blank_line", "thematic_break"):
            return []
        # A token type this module does not know: keep its text visible rather than drop it.
        text = _plain(token["children"]) if "children" in token else str(token.get("raw", "")).strip()
        return [Paragraph((Text(text),))] if text else []

    def heading(self, token: dict[str, Any]) -> Heading:
        level = min(max(int(token.get("attrs", {}).get("level", 3)), 3), 6)
        text = _plain(token.get("children", ()))
        base = slugify(text)
        anchor, n = base, 1
        while anchor in self.taken:
            n += 1
            anchor = f"{base}-{n}"
        self.taken.add(anchor)
        return Heading(level, text, anchor)

    def quote(self, token: dict[str, Any]) -> list[Block]:
        children = token.get("children", [])
        first = _plain(children[0].get("children", ())) if children else ""
        alert = _ALERT.match(first)
        if not alert:
            return list(self.blocks(children))
        text = " ".join(_plain(c.get("children", ())) if "children" in c else c.get("raw", "")
                        for c in children)
        return [Notice(_ALERT.sub("", text, count=1).strip(), _ALERT_TONES[alert.group(1).lower()])]

    def table(self, token: dict[str, Any]) -> Table:
        header: tuple[str, ...] = ()
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        for part in token.get("children", []):
            if part["type"] == "table_head":
                header = tuple(_plain(cell.get("children", ())) for cell in part.get("children", []))
            elif part["type"] == "table_body":
                for row in part.get("children", []):
                    rows.append(tuple(self.inlines(cell.get("children", ())) for cell in row["children"]))
        return Table(header, tuple(rows))

    # --- inlines --------------------------------------------------------------

    def inlines(self, tokens: Iterable[dict[str, Any]]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        self._inline(tokens, "", out)
        return _merge(out)

    def _inline(self, tokens: Iterable[dict[str, Any]], style: str, out: list[Inline]) -> None:
        for token in tokens:
            kind = token["type"]
            if kind == "text":
                out.append(Text(html.unescape(token.get("raw", "")), style))
            elif kind == "codespan":
                out.append(Text(html.unescape(token.get("raw", "")), "code"))
            elif kind in _STYLES:
                self._inline(token.get("children", ()), style or _STYLES[kind], out)
            elif kind == "strikethrough":
                self._inline(token.get("children", ()), style, out)
            elif kind in ("link", "image"):
                out.append(self.link(token, style))
            elif kind == "softbreak":
                out.append(Text(" ", style))
            elif kind == "linebreak":
                out.append(Text("\n", style))
            elif kind == "inline_html":
                raw = token.get("raw", "")
                if not _COMMENT.match(raw):
                    out.append(Text(raw, style))

    def link(self, token: dict[str, Any], style: str) -> Inline:
        label = _plain(token.get("children", ()))
        url = token.get("attrs", {}).get("url", "")
        if token["type"] == "image":
            # Never fetched: an http(s) image is a link to it, anything else its alt text.
            target = safe_target(url) if re.match(r"^\s*https?://", url, re.IGNORECASE) else None
            return Link(label or url.strip(), target) if target else Text(label, style)
        target = safe_target(url, self.page_id)
        return Link(label or url, target) if target else Text(label, style)


def _plain(tokens: Iterable[dict[str, Any]]) -> str:
    """The visible text of inline tokens (for headings, table headers, notices)."""
    return _joined(tokens).strip()


def _joined(tokens: Iterable[dict[str, Any]]) -> str:
    parts: list[str] = []
    for token in tokens:
        kind = token["type"]
        if kind in ("text", "codespan", "inline_html"):
            raw = token.get("raw", "")
            if kind != "inline_html" or not _COMMENT.match(raw):
                parts.append(html.unescape(raw) if kind != "inline_html" else raw)
        elif kind in ("softbreak", "linebreak"):
            parts.append(" ")
        elif "children" in token:
            parts.append(_joined(token["children"]))
    return "".join(parts)


def _merge(inlines: list[Inline]) -> tuple[Inline, ...]:
    """Join neighbouring Text runs of one style; drop empty runs."""
    out: list[Inline] = []
    for item in inlines:
        if isinstance(item, Text):
            if not item.text:
                continue
            if out and isinstance(out[-1], Text) and out[-1].style == item.style:
                out[-1] = Text(out[-1].text + item.text, item.style)
                continue
        out.append(item)
    if out and isinstance(out[0], Text) and not out[0].text.strip():
        out.pop(0)
    return tuple(out)
