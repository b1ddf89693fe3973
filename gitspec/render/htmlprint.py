"""Print documents: one page, the book's front matter (cover and contents with given page
numbers), or the whole site laid out as one book, as standalone HTML with print CSS for weasyprint.

Pure: returns HTML text and the diagram files it refers to (relative `diagrams/...`
names); never fetches, never writes, never emits script.
"""
from __future__ import annotations

from collections.abc import Iterable

from gitspec.render.htmlblocks import (
    BOOK, SINGLE, BlockWriter, badges, esc, section_html, status_badge,
)
from gitspec.render.model import Badge, Code, Diagram, Page, Site, Table, version_label
from gitspec.render.renderer import Assets
from gitspec.render.valueblocks import FIELDS_HEADER

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
LONG_CODE = 40  # lines: longer code may break across pages (shorter code is kept on one page)
LINE_CHARS = 100  # about how many characters of table text fit across the page


class PrintWriter(BlockWriter):
    """Blocks as print HTML, shaped for cheap layout: a table of a mapping's fields is a
    definition list (weasyprint lays a table out about twice as slowly), and long code may
    break across pages instead of being pushed whole to the next one."""

    def block(self, block) -> str:
        out = super().block(block)
        if isinstance(block, Code) and block.text.count("\n") >= LONG_CODE:
            return out.replace("<pre>", '<pre class="long">', 1)
        return out

    def diagram(self, block: Diagram) -> str:
        out = super().diagram(block)
        missing = '<figure class="diagram diagram-missing">'
        if block.source.count("\n") >= LONG_CODE and out.startswith(missing):
            return '<figure class="diagram diagram-missing long">' + out[len(missing):]
        return out

    def table(self, block: Table) -> str:
        if block.header == FIELDS_HEADER and all(len(row) == 2 for row in block.rows):
            rows = "".join(f"<dt>{self.inlines(name)}</dt><dd>{self.inlines(value)}</dd>"
                           for name, value in block.rows)
            return f'<dl class="fields">{rows}</dl>'
        out = super().table(block)
        widths = column_widths(block)
        if not widths:
            return out
        cols = "".join(f'<col style="width: {w}%">' for w in widths)
        return out.replace("<table>", f'<table class="sized"><colgroup>{cols}</colgroup>', 1)


def column_widths(block: Table) -> list[int]:
    """Column widths in percent, worked out from the text as the browser's automatic table
    layout would (every column gets its longest word, the rest of the line is shared by how
    much more each column wants), so weasyprint can use the cheap fixed layout."""
    count = max([len(block.header), *(len(row) for row in block.rows)], default=0)
    if count < 2 or count > 12:
        return []
    least, most = [], []
    for n in range(count):
        header = block.header[n] if n < len(block.header) else ""
        texts = ["".join(i.label if isinstance(i, Badge) else i.text for i in row[n]) for row in block.rows
                 if n < len(row)]
        # a word should not break: header words are bold, a very long token may
        word = max([len(w) * 1.35 for w in header.split()] + [min(len(w), 16) * 1.1 for t in texts for w in t.split()],
                   default=1)
        least.append(word + 2)  # + cell padding
        most.append(max(min(max([len(header), *(len(t) for t in texts)]), 80) + 2, least[-1]))
    spare = LINE_CHARS - sum(least)
    wanted = sum(most) - sum(least)
    if sum(most) <= LINE_CHARS or spare <= 0 or not wanted:
        chars = most if sum(most) <= LINE_CHARS else least
    else:
        chars = [lo + spare * (hi - lo) / wanted for lo, hi in zip(least, most, strict=True)]
    total = sum(chars)
    widths = [max(round(100 * c / total), 3) for c in chars]
    widths[widths.index(max(widths))] += 100 - sum(widths)
    return widths


def print_document(site: Site, page: Page, assets: Assets) -> str:
    """One page as a standalone print document."""
    return print_parts(site, (page,), assets, book=False)[0]


def print_book(site: Site, assets: Assets) -> str:
    """Every page, in reading order, after a cover and a table of contents."""
    return print_parts(site, site.pages, assets, book=True)[0]


def print_front(site: Site, entries: Iterable[tuple[Page, int, str]]) -> str:
    """The book's cover and contents: each entry is a page, the book page it starts on,
    and the link its line gets (the PDF renderer turns it into a jump to that page)."""
    items = "".join(f'<li class="toc-doc"><a href="{esc(link)}" data-page="{number}">{esc(page.id)} · '
                    f"{esc(page.title)}</a></li>" for page, number, link in entries)
    body = _cover(site) + f'<nav class="toc book-toc"><h2>Contents</h2><ol>{items}</ol></nav>\n'
    return _document(site, site.title, body)


def print_parts(site: Site, pages: Iterable[Page], assets: Assets, book: bool,
                key: str = "") -> tuple[str, dict[str, bytes]]:
    """The print HTML and the diagram files it refers to ({"diagrams/<hash>.png": bytes}).
    `key`, when given, is recorded in the document's metadata (`gitspec-render-key`)."""
    pages = tuple(pages)
    ids = [p.id for p in (site.pages if book else pages)]
    files: dict[str, bytes] = {}
    articles = []
    tocs = []
    for page in pages:
        writer = PrintWriter(BOOK if book else SINGLE, page.id, ids, assets, prefer_png=True)
        article, toc = _article(page, writer, with_toc=not book)
        articles.append(article)
        tocs.append(f'<li class="toc-doc"><a href="#doc-{esc(page.id)}">{esc(page.id)} · {esc(page.title)}</a>'
                    f"<ol>{toc}</ol></li>")
        files.update(writer.files)
    front = ""
    if book:
        front = _cover(site) + f'<nav class="toc book-toc"><h2>Contents</h2><ol>{"".join(tocs)}</ol></nav>\n'
    title = site.title if book else f"{pages[0].id} · {pages[0].title}" if pages else site.title
    shown = site if book or not pages else pages[0]
    return _document(site, title, front + "\n".join(articles), key, shown), dict(sorted(files.items()))


def _document(site: Site, title: str, body: str, key: str = "", shown: Page | Site | None = None) -> str:
    """`shown` is what the running header names the commit of: a page, or (by default) the site."""
    from gitspec.render.html import package_asset

    size = PAGE_SIZES.get(site.page_size.strip().lower(), "A4")
    css = package_asset("print.css").decode("utf-8") + f"\n@page {{ size: {size}; }}\n"
    meta = f'<meta name="gitspec-render-key" content="{esc(key)}">\n' if key else ""
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{esc(title)}</title>\n{meta}<style>\n{css}</style>\n</head>\n"
            f'<body data-commit="{esc(version_label(shown or site))}">\n{body}\n</body>\n</html>\n')


def _cover(site: Site) -> str:
    return ('<section class="cover">\n'
            f'<h1 class="cover-title">{esc(site.title)}</h1>\n'
            f'<p class="cover-commit">{esc(version_label(site))}</p>\n'
            f'<p class="cover-count">{len(site.pages)} documents</p>\n'
            "</section>\n")


def _article(page: Page, writer: BlockWriter, with_toc: bool) -> tuple[str, str]:
    """The page as an <article>, and its table-of-contents entries (<li>s)."""
    ids = [writer.unique_id(s.anchor) for s in page.sections]
    toc = "".join(f'<li><a href="#{esc(i)}">{esc(s.title)}</a></li>' for s, i in zip(page.sections, ids, strict=True))
    sections = "\n".join(section_html(s, i, writer) for s, i in zip(page.sections, ids, strict=True))
    source = f'<p class="doc-source">Source: <code>{esc(page.source)}</code></p>' if page.source else ""
    own_toc = (f'<nav class="toc"><h2>Contents</h2><ol>{toc}</ol></nav>\n' if with_toc and toc else "")
    article = (f'<article class="doc" id="doc-{esc(page.id)}" data-docid="{esc(page.id)}">\n'
               f'<header class="doc-head"><h1>{esc(page.title)}</h1>\n'
               f'<p class="doc-meta"><span class="doc-id">{esc(page.id)}</span> · {esc(page.kind)} '
               f"{status_badge(page.status)} {badges(page.badges)}</p>\n{source}</header>\n"
               f"{own_toc}{sections}\n</article>")
    return article, toc
