"""Markdown (GitHub-flavoured) to render-tree blocks, through markdown-it-py's syntax tree.

Safe by construction: raw HTML becomes visible plain text, links keep only
http(s)/mailto and same-page `#anchor` targets, images are never fetched: a remote
one is a link to it, a local one an Image (a block, or inline among text) naming a workspace file.
This module must never emit markup or pass a URL through without the allow-list.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import unquote

from gitspec.render.anchors import fragment_anchor, heading_anchor, unique
from gitspec.render.inlineruns import Runs, merge_runs, text_run
from gitspec.render.localimages import image_path
from gitspec.render.markdowndefs import DocumentDefinitions
from gitspec.render.markdownparse import MAX_DEPTH, inline_nodes, parse_tokens, within_depth
from gitspec.render.model import (
    BAD, INFO, OK, WARN, Block, Code, Diagram, Footnotes, Heading, Image, Inline, Link, ListBlock, NoteRef, Notice,
    Paragraph, Quote, Rule, Table, Text, walk, words_text,
)
from gitspec.render.segmentbreaks import soft_break

_EXTERNAL = re.compile(r"^(?:https?://[^\s]+|mailto:[^\s]+)$", re.IGNORECASE)
# An HTML comment as a browser reads it: `<!-->` and `<!--->` are empty ones, and one never closed runs to the end
_COMMENT = re.compile(r"<!--(?:-?>|.*?-->|.*)", re.DOTALL)
_ALERT = re.compile(r"^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*", re.IGNORECASE)
_ALERT_TONES = {"note": INFO, "tip": OK, "important": INFO, "warning": WARN, "caution": BAD}  # GitHub's colours
_STYLES = {"strong": "strong", "em": "em"}
_LINK_STYLES = {"strike": "", "strike-code": "code"}  # a Link's style: its being struck out is `struck`
_ALIGN = re.compile(r"^text-align:(left|center|right)$")
_TASK = re.compile(r"^\[([ xX])\](?:[ \t]+|$)")


def markdown_blocks(text: str, *, page_id: str = "", taken: Iterable[str] = (), source: str = "",
                    images: Mapping[str, str] | None = None, definitions: DocumentDefinitions | None = None,
                    section: str = "") -> tuple[Block, ...]:
    """Convert one section's Markdown to blocks.

    `page_id` turns same-page `[x](#anchor)` links into `doc:PAGE#anchor` (without it
    they become plain text); `taken` lists anchors already used on the page (section
    anchors, earlier headings) so heading anchors stay unique within the page.
    `source` is the document's workspace-relative path, which local image paths are
    relative to, and `images` maps such a path to its file's digest ("" when unreadable).
    `definitions` are the link references and footnotes of the document whose section `section` is
    (converted in the document's order): without them, only the section's own apply.
    """
    text, env = text.replace("\r\n", "\n"), {}
    if definitions:
        text, env = definitions.prepare(section, text)
    tokens = parse_tokens(text, env)
    tokens, elsewhere = definitions.number(section, tokens, env) if definitions else (tokens, {})
    tokens, cut = within_depth(tokens)
    from markdown_it.tree import SyntaxTreeNode

    converter = _Converter(page_id, set(taken), source, images or {}, elsewhere)
    blocks = converter.blocks(SyntaxTreeNode(tokens).children)
    if definitions:
        definitions.shown_at(lambda note: converter.note_anchor("fn", note))
    if cut:
        blocks += (Notice(f"Part of this section is nested more than {MAX_DEPTH} levels deep (lists or "
                          "quotes within each other) and is not shown.", WARN),)
    return blocks


def heading_text(markdown: str) -> str:
    """A `#` or `##` heading's Markdown as the reader sees it: code spans, emphasis and links are their text."""
    return " ".join(_joined(inline_nodes(markdown)).split())


def safe_target(url: str, page_id: str = "") -> str | None:
    """The Link target for a Markdown URL, or None when it must not be a link."""
    url = url.strip()
    if _EXTERNAL.match(url) and not any(ord(c) < 32 for c in url):
        scheme, rest = url.split(":", 1)
        return scheme.lower() + ":" + rest  # `HTTPS://x` as `https://x`, so a renderer need not fold case
    # markdown-it gives a fragment's non-ASCII characters percent-encoded
    anchor = fragment_anchor(unquote(url[1:])) if url.startswith("#") and page_id else None
    return f"doc:{page_id}#{anchor}" if anchor else None


class _Converter:
    """Walks markdown-it's syntax tree; holds only the anchors used so far."""

    def __init__(self, page_id: str, taken: set[str], source: str, images: Mapping[str, str],
                 elsewhere: Mapping[int, str]) -> None:
        self.page_id = page_id
        self.elsewhere = elsewhere  # the notes shown in an earlier section, by id: their anchor there
        self.taken = taken
        self.source, self.images = source, images
        self.note_anchors: dict[tuple[str, int, int], str] = {}  # a footnote's, and each of its marks'

    # --- blocks ---------------------------------------------------------------

    def blocks(self, nodes: Iterable[Any]) -> tuple[Block, ...]:
        out: list[Block] = []
        for node in nodes:
            out.extend(self.block(node))
        return tuple(out)

    def block(self, node: Any) -> list[Block]:
        kind = node.type
        if kind == "paragraph":
            return self.paragraph(self.inlines(node))
        if kind == "heading":
            return [self.heading(node)]
        if kind in ("bullet_list", "ordered_list"):
            items = tuple(_task_box(self.blocks(item.children)) for item in node.children)
            start = node.attrs.get("start", 1) if kind == "ordered_list" else 1
            return [ListBlock(items, ordered=kind == "ordered_list", start=int(start))]
        if kind in ("fence", "code_block"):
            info = node.info.split() if kind == "fence" else []
            language = info[0].lower() if info else ""
            if language == "mermaid":
                return [Diagram(node.content.rstrip("\n"))]
            return [Code(node.content.rstrip("\n"), language)]
        if kind == "blockquote":
            return self.quote(node)
        if kind == "table":
            return [self.table(node)]
        if kind == "html_block":
            # A comment is invisible on GitHub too, the text beside it not; anything else is shown as the text it is.
            text = _COMMENT.sub("", node.content).strip()
            return [Paragraph((Text(text),))] if text else []
        if kind == "hr":
            return [Rule()]
        if kind == "footnote_block":
            notes = self.footnotes(node)
            return [notes] if notes.items else []
        # A node type this module does not know: keep its text visible rather than drop it.
        text = _plain(node)
        return [Paragraph((Text(text),))] if text else []

    def paragraph(self, inlines: tuple[Inline, ...]) -> list[Block]:
        """A paragraph; one made only of pictures is those pictures, each a block (a figure) of its own."""
        if any(isinstance(item, Image) for item in inlines) and all(
                isinstance(item, Image) or (isinstance(item, Text) and not item.text.strip()) for item in inlines):
            return [item for item in inlines if isinstance(item, Image)]
        return [Paragraph(inlines)] if inlines else []

    def heading(self, node: Any) -> Heading:
        """A heading; a footnote mark in it is its number as text (`Limits[1]`), which its anchor
        leaves out (`limits`), as a link to it is written."""
        level = min(max(int(node.tag[1:]), 3), 6)
        return Heading(level, _plain(node), unique(heading_anchor(_plain(node, marks=False)), self.taken))

    def quote(self, node: Any) -> list[Block]:
        """A quote; or a GitHub alert (`> [!WARNING]` opening it), a Notice holding what follows its marker."""
        quoted = self.blocks(node.children)
        first = quoted[0] if quoted else None
        opening = first.inlines[0] if isinstance(first, Paragraph) and first.inlines else None
        alert = _ALERT.match(opening.text) if isinstance(opening, Text) and opening.style == "" else None
        if not alert:
            return [Quote(quoted)] if quoted else []
        rest = merge_runs([Text(opening.text[alert.end():]), *first.inlines[1:]])
        blocks = (*self.paragraph(rest), *quoted[1:])
        kind = alert.group(1).lower()
        return [Notice(_blocks_text(blocks), _ALERT_TONES[kind], kind.title(), blocks)]

    def footnotes(self, node: Any) -> Footnotes:
        """The notes, numbered in the order they are first referred to, as on GitHub."""
        notes = [note for note in node.children if note.type == "footnote" and note.meta["id"] not in self.elsewhere]
        items = tuple(self.note(note) for note in notes)
        start = notes[0].meta["id"] + 1 if notes else 1
        return Footnotes(items, ordered=True, start=start,
                         anchors=tuple(self.note_anchor("fn", note.meta["id"]) for note in notes))

    def note(self, node: Any) -> tuple[Block, ...]:
        """A note's blocks. Its links back to its marks end its last paragraph (markdown-it puts them
        there); after a list or code, they are a paragraph of their own, as on GitHub."""
        blocks = self.blocks(child for child in node.children if child.type != "footnote_anchor")
        back = [item for child in node.children if child.type == "footnote_anchor" for item in self.back_link(child)]
        return (*blocks, Paragraph(merge_runs(back[1:]))) if back else blocks  # (without the space before the first)

    def back_link(self, node: Any) -> list[Inline]:
        """A note's link back to one of its marks in the text, after a space; none to a mark in a heading
        or a table's header, which are text: there is none to go back to."""
        note, mark = node.meta["id"], node.meta["subId"]
        if not self.page_id or ("fnref", note, mark) not in self.note_anchors:
            return []
        return [Text(" "), Link("↩" + (str(mark + 1) if mark else ""),
                                f"doc:{self.page_id}#{self.note_anchor('fnref', note, mark)}")]

    def note_anchor(self, kind: str, note: int, mark: int = 0) -> str:
        """The page-unique anchor of footnote `note` ("fn") or of its `mark`th mark in the text ("fnref"):
        `fn:1`, `fnref:1-2`, with a ":" that no heading's, key's or id's anchor keeps, so that a note
        never takes the anchor of a heading further down the page (`### fn 1` is `fn-1`)."""
        key = (kind, note, mark)
        if key not in self.note_anchors:
            self.note_anchors[key] = unique(f"{kind}:{note + 1}" + (f"-{mark + 1}" if mark else ""), self.taken)
        return self.note_anchors[key]

    def table(self, node: Any) -> Table:
        header: tuple[str, ...] = ()
        heads: tuple[tuple[Inline, ...], ...] = ()
        align: tuple[str, ...] = ()
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        for part in node.children:
            if part.type == "thead":
                header = tuple(_plain(cell) for row in part.children for cell in row.children)
                heads = tuple(self.inlines(cell) for row in part.children for cell in row.children)
                align = tuple(_alignment(cell) for row in part.children for cell in row.children)
            elif part.type == "tbody":
                rows += [tuple(self.inlines(cell) for cell in row.children) for row in part.children]
        styled = any(cell != ((Text(text),) if text else ()) for cell, text in zip(heads, header, strict=True))
        return Table(header, tuple(rows), align if any(align) else (), heads if styled else ())

    # --- inlines --------------------------------------------------------------

    def inlines(self, node: Any) -> tuple[Inline, ...]:
        """The inlines of a paragraph or table cell (their one `inline` child): a local image is
        an Image among them (a heading's is its alt text: see `heading`)."""
        out = Runs()
        for child in node.children:
            if child.type == "footnote_anchor":  # a note's link back to its mark in the text
                out.extend(self.back_link(child))
            else:
                self._inline(child.children, "", frozenset(), out)
        return merge_runs(out.inlines())

    def _inline(self, nodes: Iterable[Any], style: str, active: frozenset[str], out: Runs) -> None:
        """`style`: the outermost style in effect, a Text's `style` (struck out wins: no longer meant);
        `active`: every style in effect, nested ones included (`**never *ever***`)."""
        nodes = list(nodes)
        for at, node in enumerate(nodes):
            kind = node.type
            if kind == "softbreak":
                out.text(_soft_break(nodes, at), style, active)
            elif kind in ("text", "hardbreak", "html_inline"):
                if kind != "html_inline" or not node.content.startswith("<!--"):  # a comment: invisible
                    out.text("\n" if kind == "hardbreak" else node.content, style, active)
            elif kind == "code_inline":
                out.text(node.content, "strike-code" if style == "strike" else "code", active | {"code"})
            elif kind == "s":  # struck-out text must not read as asserted: strike wins over other styles
                self._inline(node.children, "strike", active | {"strike"}, out)
            elif kind in _STYLES:
                self._inline(node.children, style or _STYLES[kind], active | {_STYLES[kind]}, out)
            elif kind == "image" and (path := image_path(self.source, str(node.attrs.get("src", "")))):
                out.append(Image(path, alt_text(node), str(node.attrs.get("title") or ""),
                                 self.images.get(path, "")))
            elif kind == "image" and not re.match(r"^\s*https?://", str(node.attrs.get("src", "")), re.IGNORECASE):
                # file:, data:, ftp:...: never read or fetched; the reader is told, as for a picture
                # outside the workspace
                url = " ".join(str(node.attrs.get("src", "")).split())
                shown = url if len(url) <= 60 else url[:59] + "…"
                alt = _joined(node.children).strip()
                out.text(f"{alt} " if alt else "", style, active)
                out.append(Text(f"(The image {shown} is not shown: only pictures in the workspace are.)", "em"))
            elif kind in ("link", "image"):
                out.extend(self.link(node, style, active))
            elif kind == "footnote_ref":
                note, mark = node.meta["id"], node.meta["subId"]
                target = self.elsewhere.get(note) or self.note_anchor("fn", note)
                out.append(NoteRef(str(note + 1), f"doc:{self.page_id}#{target}",
                                   anchor=self.note_anchor("fnref", note, mark)) if self.page_id
                           else text_run(f"[{note + 1}]", style, active))

    def link(self, node: Any, style: str, active: frozenset[str]) -> list[Inline]:
        """A link, its text in the style of the text around it and of its label (`[**Sign up**](url)`
        is bold, a label that is all code is code); a label in several styles, or holding a picture,
        is kept as inlines. A refused link is its label, unlinked."""
        label = _joined(node.children).strip()
        url = str(node.attrs.get("src" if node.type == "image" else "href", ""))
        if node.type == "image":  # an http(s) one: never fetched, a link to it
            target, inner = safe_target(url), ()
        else:
            target, inner = safe_target(url, self.page_id), self.label(node.children, style, active)
        if not target:
            return list(inner) or [text_run(label, style, active)]
        if len(inner) == 1 and isinstance(inner[0], Text) and not inner[0].also:
            style, inner = inner[0].style, ()  # one style, which the Link's says
        return [Link(label or url.strip(), target, "strike" in active, _LINK_STYLES.get(style, style), inner)]

    def label(self, nodes: Iterable[Any], style: str, active: frozenset[str]) -> tuple[Inline, ...]:
        """A link's label as inlines. A link to a remote picture inside it (links do not nest) is that
        picture's alt text."""
        out = Runs()
        self._inline(nodes, style, active, out)
        return merge_runs([text_run(item.text, style, active) if isinstance(item, Link) else item
                           for item in out.inlines()])


def page_anchors(blocks: Iterable[Block]) -> Iterator[str]:
    """Every anchor that blocks from markdown_blocks take on their page: their headings' (and
    their aliases), their footnotes' and their footnote marks' (which later sections must not take)."""
    for block in walk(blocks):
        if isinstance(block, Heading):
            yield block.anchor
            yield from block.aliases
        elif isinstance(block, Footnotes):
            yield from block.anchors
        inlines = block.inlines if isinstance(block, Paragraph) else [
            item for row in (block.header_inlines, *block.rows) for cell in row for item in cell] if isinstance(
            block, Table) else []
        yield from (item.anchor for item in inlines if isinstance(item, NoteRef))


def _alignment(cell: Any) -> str:
    """A header cell's column alignment, which markdown-it gives as its style: "left", "center", "right" or ""."""
    found = _ALIGN.match(str(cell.attrs.get("style", "")))
    return found.group(1) if found else ""


def _task_box(item: tuple[Block, ...]) -> tuple[Block, ...]:
    """A task list item as on GitHub: `[ ]` or `[x]` opening it is a box, empty (☐) or ticked (☑)."""
    first = item[0] if item else None
    if isinstance(first, Paragraph) and first.inlines and isinstance(first.inlines[0], Text) \
            and first.inlines[0].style == "" and (task := _TASK.match(first.inlines[0].text)):
        box = "☐" if task.group(1) == " " else "☑"
        text = first.inlines[0].text[task.end():]
        return (Paragraph((Text(f"{box} {text}"), *first.inlines[1:])), *item[1:])
    return item


def _blocks_text(blocks: Iterable[Block]) -> str:
    """Blocks as plain text, a line for each paragraph, list item, heading or table row."""
    lines: list[str] = []
    for block in walk(blocks):
        if isinstance(block, Paragraph):
            lines.append(words_text(block.inlines))
        elif isinstance(block, (Heading, Code)) or (isinstance(block, Notice) and not block.blocks):
            lines.append(block.text)
        elif isinstance(block, Diagram):
            lines.append(block.source)
        elif isinstance(block, Image):
            lines.append(block.alt)
        elif isinstance(block, Table):
            lines += [" ".join(block.header)] + [" ".join(map(words_text, row)) for row in block.rows]
    return "\n".join(line for line in lines if line.strip())


def _plain(node: Any, marks: bool = True) -> str:
    """The visible text of a block (a heading, table cell, paragraph), on one line."""
    return _joined(node.children, marks).strip()


def alt_text(image: Any) -> str:
    """An image's alt text as every format shows it: its label's words, without markup."""
    return _joined(image.children or ()).strip()


def _joined(nodes: Iterable[Any], marks: bool = True) -> str:
    """`marks`: with each footnote mark as its number in brackets (`[1]`), as a text-only place shows it."""
    parts: list[str] = []
    nodes = list(nodes)
    for at, node in enumerate(nodes):
        kind = node.type
        if kind == "footnote_ref":
            parts.append(f"[{node.meta['id'] + 1}]" if marks else "")
        elif kind in ("text", "code_inline"):
            parts.append(node.content)
        elif kind in ("html_inline", "html_block"):
            parts.append(_COMMENT.sub("", node.content).strip("\n"))
        elif kind == "softbreak":
            parts.append(_soft_break(nodes, at, marks))
        elif kind == "hardbreak":
            parts.append(" ")
        elif kind in ("fence", "code_block"):
            parts.append(node.content.strip("\n"))
        else:  # (a token stream's em_open and the like hold no children: the text between them is beside them)
            parts.append(_joined(node.children or (), marks))
    return "".join(parts)


def _soft_break(nodes: list[Any], at: int, marks: bool = True) -> str:
    """What the soft line break `nodes[at]` reads as: a space, or nothing inside Chinese or Japanese
    text (see segmentbreaks), by the characters its neighbours end and start with (past the empty
    text nodes markdown-it leaves beside emphasis)."""
    before = next((text[-1] for i in range(at - 1, -1, -1) if (text := _joined([nodes[i]], marks))), "")
    after = next((text[0] for i in range(at + 1, len(nodes)) if (text := _joined([nodes[i]], marks))), "")
    return soft_break(before, after)
