"""Render-tree blocks and inlines as HTML fragments, shared by the site and the print documents.

Every string from the tree goes through `esc` (htmltext); a link target is written
only after `href` re-checks it. Never emits inline event handlers, inline SVG or a
`javascript:` URL; never reads or writes files.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from functools import partial
from urllib.parse import quote

from gitspec.render.anchors import unique
from gitspec.render.diagramtext import describe
from gitspec.render.direction import right_to_left
from gitspec.render.htmltext import TONES, badge, badges, english, esc, isolated, scroll_box, table_name
from gitspec.render.model import (
    BAD, OK, WARN, Badge, Block, Code, Contrast, Diagram, Footnotes, Heading, Image, Inline, Label, Link, ListBlock,
    NoteRef, Notice, Page, Paragraph, Quote, Rule, Section, Swatches, Table, Text, inlines_text, walk, words_text,
)
from gitspec.render.pagefiles import file_stem
from gitspec.render.renderer import Assets, Picture
from gitspec.hexcolours import is_srgb_hex

SITE, BOOK, SINGLE = "site", "book", "single"
_EXTERNAL = re.compile(r"^(?:https?://|mailto:)[^\s\x00-\x1f\x7f]+$", re.IGNORECASE)
_ALIGNMENTS = ("left", "center", "right")  # a table column's; anything else never reaches a style
_LANGUAGE = re.compile(r"[^a-z0-9+#-]")
_CONTRAST_HEADER = ("Foreground", "Background", "Ratio", "Minimum", "Result")
_LINK_TAGS = ("strong", "em", "code")  # a Link's styles, each an HTML element of the same name
_TEXT_TAGS = (("code", "code"), ("em", "em"), ("strong", "strong"), ("strike", "del"))  # a Text's, innermost first


def facts_html(page: Page, writer: BlockWriter) -> str:
    """The document's owners and front-matter facts for its facts line (" · Owners: Ana, Team Bob
    · Product: <a>product</a>"), "" when it has none."""
    owners = ([f'{writer.own_words("Owners")}: {", ".join(isolated(owner) for owner in page.owners)}']
              if page.owners else [])
    facts = [f"{writer.words(fact.label)}: <bdi>{writer.inlines(fact.inlines)}</bdi>" for fact in page.facts]
    return "".join(f' · <span class="doc-fact">{fact}</span>' for fact in owners + facts)


def diagram_name(diagram: Diagram, extension: str) -> str:
    digest = hashlib.sha256(diagram.source.encode("utf-8")).hexdigest()[:16]
    return f"diagrams/{digest}.{extension}"


def plain_text(blocks: Iterable[Block], diagram_sources: bool = False) -> str:
    """The readable text of blocks, for the search index (with `diagram_sources`: a diagram's
    source too, which the page shows, drawn or not) and for the direction the blocks read in."""
    parts: list[str] = []
    for block in walk(blocks):
        if isinstance(block, Paragraph):
            parts.append(words_text(block.inlines).strip())  # a note's text ends in a space before its ↩
        elif isinstance(block, Heading):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.append(" ".join(words_text(block.header_cell(n)) for n in range(len(block.header))))
            parts.extend(" ".join(words_text(cell) for cell in row) for row in block.rows)
        elif isinstance(block, Code) or (isinstance(block, Notice) and not block.blocks):  # (else: its blocks)
            parts.append(block.text)
        elif isinstance(block, Diagram):
            parts.append(f"{block.title} {block.source}" if diagram_sources else block.title)
        elif isinstance(block, Image):
            parts.append(f"{block.alt} {block.title}".strip())
        elif isinstance(block, Swatches):
            parts.append(" ".join([block.title, *(f"{s.name} {s.hex}" for s in block.swatches)]))
    return " ".join(p for p in parts if p)


class BlockWriter:
    """Writes one page's blocks. `mode` decides how ids and `doc:` links are spelled:
    SITE (a file per page), BOOK (all pages in one document) or SINGLE (one page alone).
    Diagram and picture files the HTML refers to are collected in `files`. `language` is the page's:
    gitspec's own words (a Label, a badge, a note) are declared English on a page in another."""

    def __init__(self, mode: str, page_id: str, page_ids: Iterable[str], assets: Assets, language: str = "en") -> None:
        self.mode, self.page_id, self.assets = mode, page_id, assets
        self.own = english(language)  # ' lang="en"' for gitspec's own words, or ""
        self.in_english = False  # writing inside an element declared English: its Labels need no span
        self.page_ids = frozenset(page_ids)
        self.files: dict[str, bytes] = {}
        self.used_ids: set[str] = set()
        self.reading = "ltr"  # in print: the direction of the quote or list item being written, or the page's

    # --- ids and links --------------------------------------------------------

    def element_id(self, anchor: str, page_id: str | None = None) -> str:
        """The id attribute for an anchor of a page (prefixed in a book, where ids must not clash)."""
        page_id = self.page_id if page_id is None else page_id
        return f"{page_id}--{anchor}" if self.mode == BOOK else anchor

    def direction(self, text: str) -> str:
        """The dir attribute of an element holding document text (`text`, or the text it opens with):
        "auto" on the site, where the browser reads the text; in print, where weasyprint does not
        honour "auto", the direction itself, when it is not the one the element sits in."""
        if self.mode == SITE:
            return ' dir="auto"'
        wanted = "rtl" if right_to_left(text) else "ltr"
        return "" if wanted == self.reading else f' dir="{wanted}"'

    def directed(self, text: str, render: Callable[[], str]) -> tuple[str, str]:
        """The dir attribute of an element holding blocks (a quote, a list item) opening with `text`,
        and those blocks as `render` writes them, in print knowing the direction they sit in."""
        attribute, outer = self.direction(text), self.reading
        if self.mode != SITE:
            self.reading = "rtl" if right_to_left(text) else "ltr"
        try:
            return attribute, render()
        finally:
            self.reading = outer

    def lang(self, text: str) -> str:
        """The lang attribute of an element holding `text`: English for gitspec's own words (a Label)."""
        return self.own if isinstance(text, Label) else ""

    def own_words(self, words: str) -> str:
        """gitspec's own words among others' (a name, a commit): escaped, declared English when the page is not."""
        return f"<span{self.own}>{esc(words)}</span>" if self.own else esc(words)

    def labelled(self, inlines: tuple[Inline, ...]) -> tuple[str, str]:
        """The lang attribute of an element holding `inlines` (a cell, a paragraph), English when all are
        gitspec's own words (a field's name), and their HTML."""
        if not (self.own and inlines and all(isinstance(i, Text) and isinstance(i.text, Label) for i in inlines)):
            return "", self.inlines(inlines)
        self.in_english = True
        try:
            return self.own, self.inlines(inlines)
        finally:
            self.in_english = False

    def words(self, text: str) -> str:
        """Text escaped, as gitspec's own words when it is a Label."""
        return self.own_words(text) if isinstance(text, Label) else esc(text)

    def scroll_box(self, name: str) -> str:
        """The attributes of a box that scrolls sideways on screen (htmltext.scroll_box); none in print."""
        return scroll_box(name) if self.mode == SITE else ""

    def code_box(self, name: str, language: str, text: str) -> str:
        """Code, or a diagram's source, in its box: `<pre>`, which scrolls a long line sideways."""
        cls = f' class="language-{language}"' if language else ""
        return f"<pre{self.scroll_box(name)}><code{cls}>{esc(text)}</code></pre>"

    def unique_id(self, anchor: str) -> str:
        return unique(self.element_id(anchor), self.used_ids)

    def alias_marks(self, aliases: Iterable[str]) -> str:
        """Empty elements holding a heading's other anchors (its `aliases`), which links lead to as to its own."""
        return "".join(f'<span id="{esc(self.unique_id(alias))}"></span>' for alias in aliases)

    def href(self, target: str) -> str | None:
        """The href for a model link target, or None when it cannot be a link here."""
        if _EXTERNAL.match(target):
            return target
        if not target.startswith("doc:"):
            return None
        page_id, _, anchor = target[4:].partition("#")
        if page_id not in self.page_ids:
            return None
        if self.mode == SITE:
            fragment = "#" + quote(anchor, safe="-._~:") if anchor else ""
            return f"{quote(file_stem(page_id))}.html{fragment}"
        if self.mode == SINGLE and page_id != self.page_id:
            return None
        element = self.element_id(anchor, page_id) if anchor else f"doc-{page_id}"
        return "#" + quote(element, safe="-._~:")

    # --- inlines --------------------------------------------------------------

    def inline(self, item: Inline) -> str:
        if isinstance(item, Badge):
            return badge(item, self.own)
        if isinstance(item, Image):
            return self.inline_image(item)
        if isinstance(item, NoteRef):
            return self.note_ref(item)
        if isinstance(item, Link):  # (a label of inlines has them struck out already)
            return f"<del>{self.link(item)}</del>" if item.struck and not item.inlines else self.link(item)
        text = self.text_html(item.text).replace("\n", "<br>")  # a hard line break (Word's w:br)
        for style, tag in _TEXT_TAGS:  # innermost first: <del><strong><em><code>
            if style in item.styles:
                text = f"<{tag}>{text}</{tag}>"
        return f"<span{self.own}>{text}</span>" if self.lang(item.text) and not self.in_english else text

    def link(self, item: Link) -> str:
        text = self.text_html(item.text)
        if item.inlines:  # a label holding a picture or several styles: <a><img></a>, as GitHub writes it
            text = self.inlines(item.inlines)
        elif item.style in _LINK_TAGS:  # inside the link, as GitHub writes a link in bold text or to code
            text = f"<{item.style}>{text}</{item.style}>"
        href = self.href(item.target)
        if href is None:
            return f'<span class="unlinked">{text}</span>'
        external = ' rel="noopener noreferrer"' if href.lower().startswith(("http://", "https://")) else ""
        return f'<a href="{esc(href)}"{external}>{text}</a>'

    def note_ref(self, item: NoteRef) -> str:
        """A footnote's mark: its number raised, linking to the note, with the id the note links back to."""
        mark = f' id="{esc(self.element_id(item.anchor))}"' if item.anchor else ""
        href = self.href(item.target)
        number = (f'<a href="{esc(href)}"{mark} role="doc-noteref">{esc(item.text)}</a>' if href
                  else f"<span{mark}>{esc(item.text)}</span>")
        return f'<sup class="footnote-ref">{number}</sup>'

    def inlines(self, items: Iterable[Inline]) -> str:
        return "".join(self.inline(i) for i in items)

    def text_html(self, text: str) -> str:
        """A run of text as HTML: escaped (print also lets its long tokens break)."""
        return esc(text)

    # --- blocks ---------------------------------------------------------------

    def blocks(self, items: Iterable[Block]) -> str:
        return "\n".join(self.block(b) for b in items)

    def block(self, block: Block) -> str:
        if isinstance(block, Paragraph):
            lang, inner = self.labelled(block.inlines)
            return f"<p{self.direction(inlines_text(block.inlines))}{lang}>{inner}</p>"
        if isinstance(block, Heading):
            level = min(max(block.level, 3), 6)
            attributes = f"{self.direction(block.text)}{self.lang(block.text)}"
            return (f'<h{level} id="{esc(self.unique_id(block.anchor))}"{attributes}>'
                    f"{self.alias_marks(block.aliases)}{esc(block.text)}</h{level}>")
        if isinstance(block, Footnotes):
            return self.footnotes(block)
        if isinstance(block, ListBlock):
            return self.list_block(block)
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Code):
            language = _LANGUAGE.sub("", block.language.lower())
            return self.code_box(f"Code ({language})" if language else "Code", language, block.text)
        if isinstance(block, Diagram):
            return self.diagram(block)
        if isinstance(block, Image):
            return self.image(block)
        if isinstance(block, Swatches):
            return self.swatches(block)
        if isinstance(block, Quote):
            attribute, quoted = self.directed(plain_text(block.blocks), lambda: self.blocks(block.blocks))
            return f"<blockquote{attribute}>\n{quoted}\n</blockquote>"
        if isinstance(block, Notice):
            return self.notice(block)
        if isinstance(block, Rule):
            return "<hr>"
        return f'<p class="notice notice-warn"{self.own}>Unsupported block: {esc(type(block).__name__)}</p>'

    def notice(self, block: Notice) -> str:
        """A note in its tone; an alert (one with a title) as a box: its title, then what it says. A
        note is gitspec's own words (a part nested too deep), as an alert's title is ("Warning")."""
        tone = block.tone if block.tone in TONES else WARN
        if not block.title:
            return (f'<p class="notice notice-{tone}" role="note"{self.direction(block.text)}{self.own}>'
                    f"{esc(block.text)}</p>")
        said = (self.blocks(block.blocks) if block.blocks
                else f"<p{self.direction(block.text)}>{esc(block.text)}</p>" if block.text else "")
        return (f'<div class="notice notice-{tone}" role="note">\n'
                f'<p class="notice-title"{self.own}>{esc(block.title)}</p>\n'
                f"{said}\n</div>")

    def footnotes(self, block: Footnotes) -> str:
        """A section's footnotes under a short line, numbered, each with the id its marks link to and,
        as a list item has, its text's direction (an Arabic note's number at its right)."""
        items = []
        for n, item in enumerate(block.items):
            attribute, content = self.directed(plain_text(item), partial(self.blocks, item))
            items.append(f"<li{self.note_id(block, n)}{attribute}>{content}</li>")
        start = f' start="{block.start}"' if block.start != 1 else ""
        return f'<div class="footnotes" role="doc-endnotes"><ol{start}>{"".join(items)}</ol></div>'

    def note_id(self, block: Footnotes, n: int) -> str:
        return f' id="{esc(self.element_id(block.anchors[n]))}"' if n < len(block.anchors) else ""

    def list_block(self, block: ListBlock) -> str:
        tag = "ol" if block.ordered else "ul"
        items = "".join(self.list_item(item) for item in block.items)
        start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
        return f"<{tag}{start}>{items}</{tag}>"

    def list_item(self, item: tuple[Block, ...]) -> str:
        if len(item) == 1 and isinstance(item[0], Paragraph):
            return f"<li{self.direction(plain_text(item))}>{self.inlines(item[0].inlines)}</li>"
        attribute, content = self.directed(plain_text(item), lambda: self.blocks(item))
        return f"<li{attribute}>{content}</li>"

    def cell(self, tag: str, attributes: str, inlines: tuple[Inline, ...]) -> str:
        """A table's cell, declared English when it holds gitspec's own words alone (a field's name)."""
        lang, inner = self.labelled(inlines)
        return f"<{tag}{attributes}{lang}>{inner}</{tag}>"

    def table(self, block: Table) -> str:
        aligned = [_aligned(block.alignment(n)) for n in range(block.columns)]
        head = "".join(self.cell("th", f' scope="col"{aligned[n]}{self.direction(h)}', block.header_cell(n))
                       for n, h in enumerate(block.header))
        anchors = block.row_anchors or ("",) * len(block.rows)
        rows = "".join((f'<tr id="{esc(self.unique_id(anchor))}">' if anchor else "<tr>")
                       + "".join(self.cell("td", f"{aligned[n]}{self.direction(inlines_text(cell))}", cell)
                                 for n, cell in enumerate(row))
                       + "</tr>\n" for row, anchor in zip(block.rows, anchors))
        thead = f"<thead><tr>{head}</tr></thead>" if head else ""
        # rows one links to make a long listing: its header stays in view as the page scrolls (site.css)
        wrap = "table-wrap table-listing" if block.row_anchors else "table-wrap"
        box = self.scroll_box(table_name(inlines_text(block.header_cell(n)) for n in range(len(block.header))))
        return f'<div class="{wrap}"{box}><table>{thead}<tbody>\n{rows}</tbody></table></div>'

    def diagram(self, block: Diagram) -> str:
        image = self.assets.diagram(block)
        caption = (f"<figcaption{self.direction(block.title)}{self.lang(block.title)}>{esc(block.title)}</figcaption>"
                   if block.title else "")
        for extension, data in (("svg", image.svg), ("png", image.png)):
            if data:
                name = diagram_name(block, extension)
                self.files[name] = self.diagram_file(extension, data)
                alt = esc(describe(block.source, block.title))
                size = self.diagram_size(extension, data)
                return (f'<figure class="diagram"><img src="{esc(name)}" alt="{alt}"{size}>{caption}'
                        f'{self.diagram_source(block)}</figure>')
        note = image.note or "No diagram renderer was available; the diagram source is shown instead."
        return (f'<figure class="diagram diagram-missing">{caption}'
                f'{self.code_box("Diagram source", _LANGUAGE.sub("", block.language), block.source)}'
                f'<p class="notice notice-warn" role="note"{self.own}>{esc(note)}</p></figure>')

    def section_heading(self, section: Section) -> str:
        """A section's heading: its title and badges."""
        flags = f" {badges(section.badges, self.own)}" if section.badges else ""
        return (f"<h2{self.direction(section.title)}{self.lang(section.title)}>{self.alias_marks(section.aliases)}"
                f"{esc(section.title)}{flags}</h2>")

    def diagram_source(self, block: Diagram) -> str:
        """Under a drawn diagram, its source, folded: what a screen reader can read of it in full."""
        box = self.code_box("Diagram source", _LANGUAGE.sub("", block.language), block.source)
        return f'<details class="diagram-source"><summary{self.own}>Diagram source</summary>{box}</details>'

    def diagram_size(self, extension: str, data: bytes) -> str:
        """Attributes sizing a diagram's <img>: none here (the site's styles size it)."""
        return ""

    def diagram_file(self, extension: str, data: bytes) -> bytes:
        """The bytes of a diagram's image file: as drawn, here."""
        return data

    def image(self, block: Image) -> str:
        """A workspace picture as a file named by its content (pages share it), or its alt text and why not."""
        picture = self.assets.image(block)
        caption = f"<figcaption{self.direction(block.title)}>{esc(block.title)}</figcaption>" if block.title else ""
        if picture.data:
            name = self.picture_file(picture)
            return f'<figure class="image"><img src="{esc(name)}" alt="{esc(block.alt)}">{caption}</figure>'
        alt = f"<p{self.direction(block.alt)}>{esc(block.alt)}</p>" if block.alt else ""
        return (f'<figure class="image image-missing">{alt}{caption}'
                f'<p class="notice notice-warn" role="note"{self.own}>{esc(picture.note)}</p></figure>')

    def inline_image(self, item: Image) -> str:
        """A picture among text: in the line (its title a tooltip), or its alt text and why not."""
        picture = self.assets.image(item)
        if picture.data:
            title = f' title="{esc(item.title)}"' if item.title else ""
            return f'<img class="inline-image" src="{esc(self.picture_file(picture))}" alt="{esc(item.alt)}"{title}>'
        alt = f"{esc(item.alt)} " if item.alt else ""
        return f'{alt}<span class="image-note" role="note"{self.own}>({esc(picture.note)})</span>'

    def picture_file(self, picture: Picture) -> str:
        name = f"images/{hashlib.sha256(picture.data).hexdigest()[:16]}.{picture.extension}"
        self.files[name] = picture.data
        return name

    def swatches(self, block: Swatches) -> str:
        chips = "".join(
            f'<li class="swatch">{_chip(s.hex)}<span class="swatch-name">{esc(s.name)}</span> '
            f'<code>{esc(s.hex)}</code>'
            + (f' <span class="swatch-note">{esc(s.note)}</span>' if s.note else "") + "</li>"
            for s in block.swatches)
        title = f"<h3{self.lang(block.title)}>{esc(block.title)}</h3>" if block.title else ""  # under its section's h2
        out = f'<div class="swatches">{title}<ul class="swatch-row">{chips}</ul>'
        if block.contrast:
            out += _contrast_table(block.contrast, self.own, self.scroll_box(table_name(_CONTRAST_HEADER)))
        return out + "</div>"


def section_html(section: Section, element_id: str, writer: BlockWriter) -> str:
    """A section: its heading with badges, its last change (with its commit's message, as text: a tooltip
    is out of reach of a keyboard, a touch screen and, mostly, a screen reader), its blocks."""
    change = ""
    if section.change is not None:
        c = section.change
        said = f": {isolated(c.summary)}" if c.summary else ""  # as Word says it
        change = (f'<p class="change">{writer.own_words("Last change: commit")} <code>{esc(c.commit[:7])}</code>'
                  f" · {isolated(c.author)} · {esc(c.date[:10])}{said}</p>\n")
    return (f'<section id="{esc(element_id)}">\n{writer.section_heading(section)}\n'
            f"{change}{writer.blocks(section.blocks)}\n</section>")


def _aligned(how: str) -> str:
    """The style attribute aligning a table cell's text, "" for the stylesheet's own alignment."""
    return f' style="text-align: {how}"' if how in _ALIGNMENTS else ""


def _chip(colour: str) -> str:
    """A colour chip; the colour reaches the style attribute only when it is a plain #rrggbb."""
    if is_srgb_hex(colour):
        return f'<span class="chip" style="background-color: {colour}"></span>'
    return '<span class="chip chip-unknown"></span>'


def _contrast_table(pairs: Iterable[Contrast], own: str = "", box: str = "") -> str:
    """The measured pairs; `own` declares the header English (BlockWriter.own), `box` makes its box a
    focusable region (BlockWriter.scroll_box)."""
    rows = []
    for c in pairs:
        verdict = badge(Badge("pass", OK) if c.passes else Badge("fail", BAD), own)
        foreground, background = c.colours
        rows.append(f"<tr><td>{_chip(foreground)} <code>{esc(c.foreground)}</code></td>"
                    f"<td>{_chip(background)} <code>{esc(c.background)}</code></td>"
                    f"<td>{c.ratio:.2f}:1</td><td>{c.minimum:g}:1</td><td>{verdict}</td></tr>")
    head = "".join(f'<th scope="col">{name}</th>' for name in _CONTRAST_HEADER)
    return (f'<div class="table-wrap"{box}><table class="contrast"><thead{own}><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')
