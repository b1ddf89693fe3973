"""The format-neutral render tree: what every renderer (HTML, PDF, Word, plugins) receives.

Pure records only. Text in the tree is plain text, never markup: a renderer
escapes it for its format, so planted HTML in a document can never come out live.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Union

# Badge tones, in the order renderers may sort them.
OK, INFO, WARN, BAD = "ok", "info", "warn", "bad"


class Label(str):
    """Words gitspec writes itself, in English (a field's name shown as words, a table's header, a
    verdict's reason), set apart from the documents' own text, which is in their `language`: a renderer
    may declare it English (the site's `lang="en"`). Equal to, and shown as, the same plain string."""


def labels(*words: str) -> tuple[Label, ...]:
    return tuple(Label(word) for word in words)


# --- Inline content ------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A run of plain text; `style` is "", "strong", "em", "code", "strike" (struck out: no longer
    meant) or "strike-code" (code, struck out). `also` holds the run's other styles, of "strong",
    "em", "code" and "strike", when it has several (`***not***`, `**never *ever***`: `style` is the
    outer one, or "strike" when struck out; "" only when the run has none); `styles` is all of them."""

    text: str
    style: str = ""
    also: tuple[str, ...] = ()

    @property
    def styles(self) -> frozenset[str]:
        """Every style of the run, `style` ("strike-code" being "strike" and "code") and `also` alike."""
        return frozenset((*self.style.split("-"), *self.also)) - {""}


@dataclass(frozen=True)
class Link:
    """A link. `target` is either internal (`doc:DOC-ID` or `doc:DOC-ID#anchor`)
    or an external `http(s)://`/`mailto:` URL (its scheme in lower case); anything else never reaches the tree. `struck`: in
    struck-out text, so struck out too (no longer meant). `style` sets its text apart as a Text run's
    style does: "strong" or "em" in bold or italic text, "code" when its label is code (`[`sync`](url)`).

    `inlines` is the label as inlines when it holds more than text in one style: a picture
    (`[![chart](c.png)](url)`, an Image among them, linked) or text in several styles (`[a **b**](url)`,
    each Text run in its own); () when `text` in `style` says it all. A renderer that knows this
    field shows `inlines`, inside the link, in place of `text` (which is their plain text, a
    picture's alt text, for one that does not)."""

    text: str
    target: str
    struck: bool = False
    style: str = ""
    inlines: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class NoteRef(Link):
    """A footnote's mark in the text (GitHub's `[^1]`): its number as `text`, a superscript linking
    (`target`, `doc:PAGE#fn:1`) to the note in the section's Footnotes; `anchor` is the mark's own
    id, which the note links back to. A Link, so a renderer that does not know it shows a link."""

    anchor: str = ""


@dataclass(frozen=True)
class Badge:
    """A short status label: `tone` is one of OK, INFO, WARN, BAD."""

    label: str
    tone: str = INFO


@dataclass(frozen=True)
class Image:
    """A picture committed in the workspace (Markdown's `![alt](img/flow.png "title")`). `path` is
    workspace-relative (it starts with `../` when it leads outside, and is then never read);
    `digest` is the sha256 of its bytes, "" when it could not be read. A renderer gets the checked
    bytes from Assets.image, or a note to show with the alt text instead.

    A picture that is a paragraph of its own is a block: a figure, its title the caption. Among
    text, or in a table cell, it is an inline: shown in the line, at most as wide as the text."""

    path: str
    alt: str = ""
    title: str = ""
    digest: str = ""


Inline = Union[Text, Link, Badge, Image]


def inline_text(item: Inline) -> str:
    """What an inline reads as in plain text: a badge's label, a picture's alt text."""
    if isinstance(item, Badge):
        return item.label
    if isinstance(item, Image):
        return item.alt
    return item.text


def inlines_text(inlines: Iterable[Inline]) -> str:
    """A run of inlines (a paragraph's, a table cell's) as plain text."""
    return "".join(inline_text(item) for item in inlines)


def words_text(inlines: Iterable[Inline]) -> str:
    """A run of inlines as the words it says (for search, an alert's text): without its footnote
    marks (`note2` would be no word) and the links back to them that end a note (`↩`)."""
    return "".join(inline_text(item) for item in inlines if not isinstance(item, NoteRef)
                   and not (isinstance(item, Link) and "#fnref:" in item.target))


# --- Blocks --------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]


def badges_only(block: Paragraph) -> bool:
    """Whether the paragraph is only badges (a requirement's verdict), spaces between them aside: a
    line that belongs with what follows it, as a heading does."""
    return any(isinstance(item, Badge) for item in block.inlines) and all(
        isinstance(item, Badge) or (isinstance(item, Text) and not item.text.strip()) for item in block.inlines)


@dataclass(frozen=True)
class Heading:
    """A heading inside a section (level 3 and deeper); `anchor` is unique within the page.
    `aliases`: other anchors that lead to it too, unique within the page (GitHub's, where they differ)."""

    level: int
    text: str
    anchor: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListBlock:
    """A bullet (or numbered) list; each item is a tuple of blocks. A numbered list counts from
    `start` (Markdown's `3.` opening a list that went on after a code block)."""

    items: tuple[tuple["Block", ...], ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True)
class Footnotes(ListBlock):
    """A section's footnotes (GitHub's `[^1]: The limit...`), after its text: a numbered list, each
    note ending in links back (`↩`, to a `fnref:` anchor) to its marks (NoteRef). `anchors` holds each note's id, which its
    marks link to. A ListBlock, so a renderer that does not know it shows a numbered list."""

    anchors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table; each cell is a tuple of inlines. `align` is each column's alignment, as Markdown's
    `|:--|:-:|--:|` sets it: "left", "center", "right" or "" (the renderer's own); () when none is set.
    `header` is the header's cells as plain text; `header_inlines`, when given (a Markdown table's),
    the same cells with their code, links, emphasis and footnote marks: see `header_cell`.
    `row_anchors`, when given (the traceability matrix's, a row per requirement), is each row's anchor,
    unique within the page, which `doc:PAGE#anchor` links lead to ("" for a row without one)."""

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    align: tuple[str, ...] = ()
    header_inlines: tuple[tuple[Inline, ...], ...] = ()
    row_anchors: tuple[str, ...] = ()

    def header_cell(self, column: int) -> tuple[Inline, ...]:
        """Header cell `column` as inlines: as its Markdown styles it, else its plain text."""
        if column < len(self.header_inlines):
            return self.header_inlines[column]
        return (Text(self.header[column]),) if column < len(self.header) and self.header[column] else ()

    def alignment(self, column: int) -> str:
        """Column `column`'s alignment ("" when it has none)."""
        return self.align[column] if column < len(self.align) else ""

    @property
    def columns(self) -> int:
        """How many columns the widest row (or the header) has: rows may be shorter or longer."""
        return max([len(self.header), *(len(row) for row in self.rows)], default=0)


@dataclass(frozen=True)
class Code:
    text: str
    language: str = ""


@dataclass(frozen=True)
class Diagram:
    """Diagram source (`language` is "mermaid"); renderers turn it into an image or a visible fallback."""

    source: str
    language: str = "mermaid"
    title: str = ""


@dataclass(frozen=True)
class Contrast:
    """A measured text/background pair: `foreground` and `background` name the colours (a theme's
    roles, `text` on `surface`); `*_hex` are the colours themselves, "" when unknown."""

    foreground: str
    background: str
    ratio: float
    minimum: float
    passes: bool
    foreground_hex: str = ""
    background_hex: str = ""

    @property
    def colours(self) -> tuple[str, str]:
        """The pair's (foreground, background) colours; a name that is itself a colour stands for it."""
        return self.foreground_hex or self.foreground, self.background_hex or self.background


@dataclass(frozen=True)
class Swatch:
    name: str
    hex: str
    note: str = ""


@dataclass(frozen=True)
class Swatches:
    """A row of colour swatches, with the contrast pairs measured between them."""

    title: str
    swatches: tuple[Swatch, ...]
    contrast: tuple[Contrast, ...] = ()


@dataclass(frozen=True)
class Quote:
    """Quoted text (Markdown's `>`): someone else's words, set apart from the document's own."""

    blocks: tuple["Block", ...]


@dataclass(frozen=True)
class Notice:
    """A visible note to the reader (a missing diagram image, a refused fetch), or a GitHub alert
    (Markdown's `> [!WARNING]`): then `title` names it ("Warning") and `blocks` hold what it says,
    links, lists and all. `text` is always that as plain text, for a renderer that shows only text."""

    text: str
    tone: str = WARN
    title: str = ""
    blocks: tuple["Block", ...] = ()


@dataclass(frozen=True)
class Rule:
    """A thematic break (Markdown's `---`, `***` or `___` on a line of its own): a line drawn across
    the text, parting what comes before it from what follows."""


Block = Union[Paragraph, Heading, ListBlock, Footnotes, Table, Code, Diagram, Image, Swatches, Quote, Notice, Rule]


def walk(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every block, in reading order, with the blocks inside lists, quotes and notices after the list,
    quote or notice."""
    for block in blocks:
        yield block
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from walk(item)
        elif isinstance(block, (Quote, Notice)):
            yield from walk(block.blocks)


# --- Pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """The last commit that changed a section (from git), or the document."""

    commit: str
    author: str
    date: str  # ISO 8601
    summary: str = ""


# A committed document's last change when the history at hand ends before it (a shallow clone's cut, a
# commit git cannot read): what gitspec.history's file_change answers then, so that no commit is named.
BEFORE_HISTORY = Change("", "", "")


@dataclass(frozen=True)
class Section:
    """A section of a page; `aliases`: other anchors that lead to it too, as a Heading's."""

    name: str
    title: str
    anchor: str
    blocks: tuple[Block, ...]
    badges: tuple[Badge, ...] = ()
    change: Change | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fact:
    """What a Markdown document's front matter says besides its header (a PRD's `product`): `label`
    names it ("Product"), `inlines` give its value, a Link where it names a page or an item."""

    label: str
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class Page:
    """One document (or a synthetic page such as the traceability matrix).

    `key` is the content hash of everything the page is rendered from, so the
    render cache can skip an unchanged page.
    """

    id: str
    kind: str
    title: str
    source: str  # workspace-relative path, "" for synthetic pages
    status: str
    badges: tuple[Badge, ...]
    sections: Sequence[Section]  # a tuple, or sitemodel's lazy Deferred: read it as a sequence
    key: str = ""
    commit: str = ""  # short id of the commit that last changed the document, "" if never committed
    dirty: bool = False  # the document differs from HEAD
    change: Change | None = None  # that commit (its header changed alone counts), None if never committed
    # committed, but last changed before the history at hand (a shallow clone's cut): commit "", change None
    before_history: bool = False
    owners: tuple[str, ...] = ()  # the people or teams who own the document (its `owners`), as written
    facts: tuple[Fact, ...] = ()  # the other keys of a Markdown document's front matter


@dataclass(frozen=True)
class Site:
    """The whole spec set: pages in reading order, grouped by kind for the index."""

    title: str
    commit: str  # short commit id of HEAD, "" outside git or before the first commit
    dirty: bool
    page_size: str  # "A4" or "Letter"
    pages: tuple[Page, ...]
    kinds: tuple[str, ...] = field(default=())  # index order of kinds
    in_git: bool = False  # the workspace is in a git repository (with commit "": it has no commits yet)
    language: str = "en"  # the documents' language, a BCP 47 tag (gitspec.yaml's `language`)

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.pages if p.id == page_id), None)


def document_count(site: Site) -> str:
    """"1 document", "2 documents": how many documents the site shows, as its cover, index and Word
    say it (the traceability matrix is a page of the site, built from them, not one of them)."""
    from gitspec.findings import count_of

    return count_of(sum(1 for page in site.pages if page.source), "document")


def built_pages(site: Site) -> str:
    """" and the traceability matrix": the pages gitspec built from the documents, which a book's
    contents list after them and which are no documents of their own ("" when there are none)."""
    return "".join(f" and the {page.title[:1].lower()}{page.title[1:]}" for page in site.pages if not page.source)


def version_label(of: Page | Site) -> str:
    """Which commit a page or the whole site shows, as printed in headers and properties."""
    if of.commit:
        label = f"commit {of.commit}"
    elif isinstance(of, Site):
        return "no commits yet" if of.in_git else "outside git"
    elif of.before_history:  # not the commit where the history is cut, nor HEAD: neither need have changed it
        label = "last change not in this clone"
    else:
        return "not committed"
    return label + " with uncommitted changes" if of.dirty else label
