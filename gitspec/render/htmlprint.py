"""Print documents: one page (its sections, and its title and contents to lay out apart), the
book's front matter (cover and contents with given page numbers), or the whole site laid out
as one book, as standalone HTML with print CSS for weasyprint.

Pure: returns HTML text and the diagram files it refers to (relative `diagrams/...`
names); never fetches, never writes, never emits script.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gitspec.graphemes import graphemes
from gitspec.render.direction import right_to_left
from gitspec.render.htmlblocks import BOOK, SINGLE, BlockWriter, facts_html, section_html
from gitspec.render.htmltext import badges, esc, isolated, status_badge
from gitspec.render.imagesize import css_width
from gitspec.render.model import (
    Block, Code, Diagram, Footnotes, Heading, ListBlock, Notice, Page, Paragraph, Quote, Section, Site, Table,
    badges_only, built_pages, document_count, inlines_text, version_label,
)
from gitspec.render.printimages import printable, printable_svg
from gitspec.render.printwidths import WIDE_TABLE, TableLayout, goes_landscape, layout, tall_rows
from gitspec.render.properties import Properties, page_properties, site_properties, w3cdtf
from gitspec.render.renderer import Assets, Picture
from gitspec.render.valueblocks import FIELDS_HEADER

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
LONG_CODE = 40  # lines: longer code may break across pages (shorter code is kept on one page)
CODE_LINE = 100  # characters of code a printed line holds (about); a longer line is cut into lines this long
# A run of more than LONG_TOKEN printable ASCII characters without a space (a token, base64,
# minified JSON) gets a break opportunity every LONG_RUN characters. Shorter runs (words, most URLs)
# break as the line breaker finds them, and so does other text: CJK or Thai breaks between words
# without spaces, and a break must not part a letter from its accents.
LONG_TOKEN = 200
LONG_RUN = 8
BREAK = "\u200b"  # zero width space: a break opportunity, no glyph, and absent from the text a reader copies
HEADER_ID = 48  # characters of a document id the running header holds beside "commit abc1234 with uncommitted changes"
_LINES = "<!-- contents lines -->"
_LONG_TOKEN = re.compile(rf"[!-~]{{{LONG_TOKEN + 1},}}")


class PrintWriter(BlockWriter):
    """Blocks as print HTML, shaped for cheap layout: a table of a mapping's fields is a
    definition list (weasyprint lays a table out about twice as slowly), and long code may
    break across pages instead of being pushed whole to the next one."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._layouts: dict[int, tuple[Table, TableLayout]] = {}

    def blocks(self, items) -> str:
        """The blocks, a heading just before a table that needs a landscape page kept with it there."""
        items = list(items)
        wide = [self.landscape(block) for block in items]
        out = []
        for n, block in enumerate(items):
            html = self.block(block)
            if isinstance(block, Heading) and n + 1 < len(items) and wide[n + 1]:
                html = f'<div class="wide">{html}'
            elif wide[n] and n and isinstance(items[n - 1], Heading):
                html = f"{html}</div>"
            out.append(html)
        return "\n".join(out)

    def list_block(self, block: ListBlock) -> str:
        """A numbered list counting from its first number (_counting_from)."""
        out = super().list_block(block)
        return _counting_from(out, block.start) if block.ordered else out

    def footnotes(self, block: Footnotes) -> str:
        """A section's notes numbered on from the notes of the sections before it (_counting_from)."""
        return _counting_from(super().footnotes(block), block.start)

    def list_item(self, item: tuple[Block, ...]) -> str:
        """An item holding a table that needs a landscape page is printed whole on that page."""
        out = super().list_item(item)
        return out.replace("<li", '<li class="wide"', 1) if any(map(self.landscape, item)) else out

    def landscape(self, block: Block) -> bool:
        """Whether the block goes whole on a landscape page (print.css: .wide), as in Word: a table
        printed there, or a quote or an alert holding one (printwidths.goes_landscape)."""
        return not (isinstance(block, Table) and _fields(block)) and goes_landscape(block, self.layout)

    def layout(self, block: Table) -> TableLayout:
        """printwidths.layout, measured once per table though asked for by its list item and its heading."""
        if id(block) not in self._layouts:
            self._layouts[id(block)] = (block, layout(block))  # (the block kept: its id is not reused)
        return self._layouts[id(block)][1]

    def block(self, block) -> str:
        if isinstance(block, Code) and any(len(line) > CODE_LINE for line in block.text.split("\n")):
            block = Code(_cut_lines(block.text), block.language)
        out = super().block(block)
        if isinstance(block, (Quote, Notice)) and self.landscape(block):  # the box whole, not its table alone
            tag = "<blockquote" if isinstance(block, Quote) else '<div class="'
            return out.replace(tag, tag + (' class="wide"' if isinstance(block, Quote) else "wide "), 1)
        if isinstance(block, Paragraph) and badges_only(block):  # an item's verdict: kept with what it is of
            return out.replace("<p", '<p class="badges"', 1)
        if isinstance(block, Code) and block.text.count("\n") >= LONG_CODE:
            return out.replace("<pre>", '<pre class="long">', 1)
        return out

    def text_html(self, text: str) -> str:
        """The text escaped, with a BREAK every LONG_RUN characters of a run of more than LONG_TOKEN
        ASCII non-spaces: weasyprint takes time that grows with the square of an unbroken token's length
        to wrap it (a pasted base64 blob of 40,000 characters: over 15 seconds). A break as a
        character, not `<wbr>` (an element each): weasyprint lays out an element per break slowly."""
        return esc(_LONG_TOKEN.sub(_breakable, text))

    def diagram(self, block: Diagram) -> str:
        out = super().diagram(block)
        missing = '<figure class="diagram diagram-missing">'
        if block.source.count("\n") >= LONG_CODE and out.startswith(missing):
            return '<figure class="diagram diagram-missing long">' + out[len(missing):]
        return out

    def diagram_source(self, block: Diagram) -> str:
        """Nothing: paper cannot unfold it, and the picture's alt text names what it links."""
        return ""

    def diagram_size(self, extension: str, data: bytes) -> str:
        """The diagram's own width: weasyprint would stretch mermaid's SVG (`width="100%"`) to the
        page, and show mmdc's PNG (drawn at twice the size) twice as large."""
        width = css_width(extension, data)
        return f' style="width: {width:.1f}px"' if width else ""

    def section_heading(self, section: Section) -> str:
        """The heading, its title kept apart for its bookmark (print.css), which shows no badges;
        marked to go on the landscape page with a table that starts its section."""
        heading = super().section_heading(section)
        lead = ' class="before-wide"' if self.starts_wide(section.blocks) else ""
        return heading.replace("<h2", f'<h2{lead} data-title="{esc(section.title)}"', 1)

    def starts_wide(self, blocks: tuple[Block, ...]) -> bool:
        """Whether the blocks start on a landscape page: with a table printed there, a heading just
        before one, or a list whose first item holds one."""
        first = blocks[0] if blocks else None
        second = blocks[1] if len(blocks) > 1 else None
        if isinstance(first, ListBlock):
            return bool(first.items) and any(map(self.landscape, first.items[0]))
        return self.landscape(first) or (isinstance(first, Heading) and self.landscape(second))

    def diagram_file(self, extension: str, data: bytes) -> bytes:
        return printable_svg(data) if extension == "svg" else data

    def picture_file(self, picture: Picture) -> str:
        return super().picture_file(printable(picture))

    def table(self, block: Table) -> str:
        if _fields(block):
            rows = "".join(f"<dt{self.direction(inlines_text(name))}>{self.inlines(name)}</dt>"
                           f"<dd{self.direction(inlines_text(value))}>{self.inlines(value)}</dd>"
                           for name, value in block.rows)
            return f'<dl class="fields">{rows}</dl>'
        if block.columns > WIDE_TABLE:
            return self.records(block)
        out = super().table(block)
        table = self.layout(block)
        if not table.widths:
            return out
        cols = "".join(f'<col style="width: {w}%">' for w in table.widths)
        out = _mark_rows(out, tall_rows(block, table), bool(block.header))
        if table.landscape:
            out = out.replace('<div class="table-wrap">', '<div class="table-wrap wide">', 1)
        sized = "sized small" if table.scale != 1 else "sized"
        return out.replace("<table>", f'<table class="{sized}"><colgroup>{cols}</colgroup>', 1)

    def records(self, block: Table) -> str:
        """A table too wide for the page, as one paragraph of "column value" pairs per row: nothing
        is cut off, and running text lays out far faster than a table or a list of that many cells.
        A table of no rows is its column names, one paragraph."""
        if not block.rows:
            names = (f"<b><bdi>{self.inlines(block.header_cell(n))}</bdi></b>" for n in range(len(block.header)))
            return f'<p class="record">{" · ".join(names)}</p>'
        out = []
        for row in block.rows:  # each name and value isolated: an Arabic one must not reorder those beside it
            pairs = " · ".join(f"<b><bdi>{self.inlines(block.header_cell(n))}</bdi></b> "
                               f"<bdi>{self.inlines(cell)}</bdi>" for n, cell in enumerate(row))
            out.append(f'<p class="record">{pairs}</p>')
        return "\n".join(out)


def _fields(block: Table) -> bool:
    """Whether the table is a mapping's fields, printed as a definition list."""
    return block.header == FIELDS_HEADER and all(len(row) == 2 for row in block.rows)


def _breakable(token: re.Match) -> str:
    return BREAK.join(token[0][i:i + LONG_RUN] for i in range(0, len(token[0]), LONG_RUN))


def _mark_rows(table: str, tall: set[int], has_head: bool) -> str:
    """The table's HTML with the body rows numbered in `tall` as `<tr class="tall">`."""
    first, *rows = table.split("<tr>")
    skip = 1 if has_head else 0
    return first + "".join(('<tr class="tall">' if n - skip in tall else "<tr>") + row for n, row in enumerate(rows))


def _counting_from(html: str, start: int) -> str:
    """The HTML of a list written `<ol start="N">` counting from N: weasyprint ignores `start`, but not the counter."""
    if start == 1:
        return html
    return html.replace(f'<ol start="{start}">', f'<ol start="{start}" style="counter-reset: list-item {start - 1}">', 1)


def _cut_lines(text: str) -> str:
    """Code with each line longer than CODE_LINE cut into lines of CODE_LINE characters as a reader
    sees them (a letter is never parted from its accents): it would wrap when printed anyway, and
    weasyprint takes time that grows with the square of a line's length to wrap it (a minified file
    of 100,000 characters on one line: over a minute)."""
    return "\n".join(piece for line in text.split("\n") for piece in _cut_line(line))


def _cut_line(line: str) -> list[str]:
    if len(line) <= CODE_LINE:
        return [line]
    clusters = graphemes(line)
    return ["".join(clusters[i:i + CODE_LINE]) for i in range(0, len(clusters), CODE_LINE)]


@dataclass(frozen=True)
class PrintPage:
    """One page for print as two documents laid out apart, so that its contents can give
    page numbers without weasyprint laying the page out twice: the `body` (its sections),
    laid out first, then the front (title and contents), made by `front(numbers)` from the
    body's page numbers. The front's pages are numbered i, ii, ...; the body's from 1, so a
    longer contents never moves a number. A page without sections is all body (`entries`
    empty, the title in the body). Picklable: PDF workers get it whole."""

    body: str
    css: str  # the print styles both parts use (not in their HTML: parsed once per process)
    files: dict[str, bytes]
    entries: tuple[tuple[str, str], ...] = ()  # (element id, title) per section
    front_start: str = ""  # the front document up to its contents' lines
    front_end: str = ""

    def front(self, numbers: Mapping[str, int]) -> str:
        """The front with each contents line giving `numbers[element id]`, its body page."""
        lines = "".join(f'<li><a href="#{esc(i)}" data-page="{numbers.get(i, "")}">{isolated(title)}</a></li>'
                        for i, title in self.entries)
        return self.front_start + lines + self.front_end


def print_page(site: Site, page: Page, assets: Assets, key: str = "") -> PrintPage:
    """One page as a PrintPage; `key`, when given, is recorded in the body's metadata."""
    writer = PrintWriter(SINGLE, page.id, [page.id], assets)
    entries, sections = _sections(page, writer)
    title = f"{page.id} · {page.title}"
    css, files = print_css(site), dict(sorted(writer.files.items()))
    if not entries:
        head = f"{_article_tag(page, True)}\n{_head(page, writer)}</article>"
        body = _document(site, title, head, key, page, styled=False)
        return PrintPage(body, css, files)
    body = _document(site, title, f"{_article_tag(page, False)}\n{sections}\n</article>", key, page, styled=False)
    front = (f'<div class="front">{_article_tag(page, True)}\n{_head(page, writer)}'
             f'<nav class="toc"><h2>Contents</h2><ol>{_LINES}</ol></nav>\n</article></div>')
    start, _, end = _document(site, title, front, shown=page, styled=False).rpartition(_LINES)  # no text follows it
    return PrintPage(body, css, files, entries, start, end)


def print_front(site: Site, entries: Iterable[tuple[Page, int, str]]) -> str:
    """The book's cover and contents: each entry is a page, the book page it starts on,
    and the link its line gets (the PDF renderer turns it into a jump to that page)."""
    items = "".join(f'<li class="toc-doc"><a href="{esc(link)}" data-page="{number}">{isolated(page.id)} · '
                    f"{isolated(page.title)}</a></li>" for page, number, link in entries)
    body = _cover(site) + f'<nav class="toc book-toc joined"><h2>Contents</h2><ol>{items}</ol></nav>\n'
    return _document(site, site.title, body)


def print_numbers(site: Site, pages: Iterable[tuple[float, float, str]]) -> str:
    """Lines alone where the book prints a page's number, a page each: each entry is a page's width
    and height (points) and the text, printed in the bottom right corner, beside the document's own
    footer (print.css puts that in the centre). The book lays out one sample line per page size and
    writes each page's number in its font and place (pdfnumbers.py)."""
    sizes: dict[tuple[float, float], str] = {}
    divs = []
    for width, height, footer in pages:
        name = sizes.setdefault((width, height), f"size{len(sizes)}")
        divs.append(f'<div class="number {name}" data-footer="{esc(footer)}"></div>')
    rules = "".join(f"@page {name} {{ size: {w}pt {h}pt; }}\n.{name} {{ page: {name}; }}\n"
                    for (w, h), name in sizes.items())
    style = ("<style>\n@page { @top-left { content: none; } @top-right { content: none; }\n"
             "  @bottom-center { content: none; }\n"
             '  @bottom-right { content: string(footer); font: 9pt "DejaVu Sans", sans-serif; color: #59636e; } }\n'
             ".number { string-set: footer attr(data-footer); height: 1pt; }\n"
             f".number + .number {{ break-before: page; }}\n{rules}</style>\n")
    return _document(site, site.title, style + "\n".join(divs))


def print_book(site: Site, assets: Assets) -> tuple[str, dict[str, bytes]]:
    """Every page, in reading order, after a cover and a table of contents, as one print
    document (for when the documents' PDFs cannot be joined), and the diagram files it
    refers to ({"diagrams/<hash>.svg": bytes})."""
    ids = frozenset(p.id for p in site.pages)  # shared by the pages' writers, not copied by each
    files: dict[str, bytes] = {}
    articles = []
    tocs = []
    for page in site.pages:
        writer = PrintWriter(BOOK, page.id, ids, assets)
        article, toc = _article(page, writer)
        articles.append(article)
        tocs.append(f'<li class="toc-doc"><a href="#doc-{esc(page.id)}">{isolated(page.id)} · {isolated(page.title)}</a>'
                    f"<ol>{toc}</ol></li>")
        files.update(writer.files)
    front = _cover(site) + f'<nav class="toc book-toc"><h2>Contents</h2><ol>{"".join(tocs)}</ol></nav>\n'
    return _document(site, site.title, front + "\n".join(articles)), dict(sorted(files.items()))


def print_css(site: Site) -> str:
    """The print styles, with the site's page size."""
    from gitspec.render.packageassets import package_asset

    size = PAGE_SIZES.get(site.page_size.strip().lower(), "A4")
    return (package_asset("print.css").decode("utf-8")
            + f"\n@page {{ size: {size}; }}\n@page wide {{ size: {size} landscape; }}\n")


def _document(site: Site, title: str, body: str, key: str = "", shown: Page | Site | None = None,
              styled: bool = True) -> str:
    """`shown` is what the running header names the commit of: a page, or (by default) the
    site. The print styles are included when `styled` (else the caller passes them apart)."""
    style = f"<style>\n{print_css(site)}</style>\n" if styled else ""
    meta = _properties(page_properties(shown) if isinstance(shown, Page) else site_properties(site))
    meta += f'<meta name="gitspec-render-key" content="{esc(key)}">\n' if key else ""
    return (f"<!doctype html>\n<html lang=\"{esc(site.language)}\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{esc(title)}</title>\n{meta}{style}</head>\n"
            f'<body data-commit="{esc(version_label(shown or site))}">\n{body}\n</body>\n</html>\n')


def _properties(properties: Properties) -> str:
    """The metadata weasyprint gives the PDF (Author, Subject, Keywords, its dates): Word's core properties."""
    dates = (("dcterms.created", properties.created), ("dcterms.modified", properties.modified))
    meta = [("author", properties.author), ("description", properties.subject),
            ("keywords", ", ".join(properties.keywords)),
            *((name, w3cdtf(when)) for name, when in dates if when is not None)]
    return "".join(f'<meta name="{name}" content="{esc(value)}">\n' for name, value in meta)


def _cover(site: Site) -> str:
    return ('<section class="cover">\n'
            f'<h1 class="cover-title">{esc(site.title)}</h1>\n'
            f'<p class="cover-commit">{esc(version_label(site))}</p>\n'
            f'<p class="cover-count">{esc(document_count(site) + built_pages(site))}</p>\n'
            "</section>\n")


def _article(page: Page, writer: BlockWriter) -> tuple[str, str]:
    """The page as an <article>, and its table-of-contents entries (<li>s)."""
    entries, sections = _sections(page, writer)
    toc = "".join(f'<li><a href="#{esc(i)}">{isolated(title)}</a></li>' for i, title in entries)
    return f"{_article_tag(page, True)}\n{_head(page, writer)}{sections}\n</article>", toc


def _sections(page: Page, writer: BlockWriter) -> tuple[tuple[tuple[str, str], ...], str]:
    """The page's sections as HTML, and (element id, title) for each, in order."""
    ids = [writer.unique_id(s.anchor) for s in page.sections]
    sections = "\n".join(section_html(s, i, writer) for s, i in zip(page.sections, ids, strict=True))
    return tuple(zip(ids, (s.title for s in page.sections), strict=True)), sections


def _article_tag(page: Page, with_id: bool) -> str:
    """`with_id`: the article holds the page's title, where a link to the page lands."""
    element_id = f' id="doc-{esc(page.id)}"' if with_id else ""
    return f'<article class="doc"{element_id} data-docid="{esc(_header_id(page.id))}">'


def _header_id(page_id: str) -> str:
    """The id as the running header prints it: one that would run into the commit beside it is cut."""
    return page_id if len(page_id) <= HEADER_ID else page_id[:HEADER_ID - 1] + "…"


def _head(page: Page, writer: BlockWriter) -> str:
    """The page's title block: its title, id, kind, owners and facts, status and badges, and source file."""
    source = f'<p class="doc-source">Source: <code>{esc(page.source)}</code></p>' if page.source else ""
    direction = ' dir="rtl"' if right_to_left(page.title) else ""  # weasyprint does not honour dir="auto"
    return (f'<header class="doc-head"><h1{direction}>{esc(page.title)}</h1>\n'
            f'<p class="doc-meta"><span class="doc-id">{isolated(page.id)}</span> · {isolated(page.kind)}'
            f"{facts_html(page, writer)} {status_badge(page.status)} {badges(page.badges)}</p>\n{source}</header>\n")
