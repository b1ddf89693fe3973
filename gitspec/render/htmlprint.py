"""Print documents: one page, or the whole site as a book (cover, contents, every page),
as standalone HTML with print CSS for weasyprint.

Pure: returns HTML text and the diagram files it refers to (relative `diagrams/...`
names); never fetches, never writes, never emits script.
"""
from __future__ import annotations

from collections.abc import Iterable

from gitspec.render.htmlblocks import (
    BOOK, SINGLE, BlockWriter, badges, esc, section_html, status_badge,
)
from gitspec.render.model import Page, Site
from gitspec.render.renderer import Assets

PAGE_SIZES = {"a4": "A4", "letter": "letter"}


def print_document(site: Site, page: Page, assets: Assets) -> str:
    """One page as a standalone print document."""
    return print_parts(site, (page,), assets, book=False)[0]


def print_book(site: Site, assets: Assets) -> str:
    """Every page, in reading order, after a cover and a table of contents."""
    return print_parts(site, site.pages, assets, book=True)[0]


def print_parts(site: Site, pages: Iterable[Page], assets: Assets, book: bool) -> tuple[str, dict[str, bytes]]:
    """The print HTML and the diagram files it refers to ({"diagrams/<hash>.png": bytes})."""
    from gitspec.render.html import package_asset

    pages = tuple(pages)
    ids = [p.id for p in (site.pages if book else pages)]
    files: dict[str, bytes] = {}
    articles = []
    tocs = []
    for page in pages:
        writer = BlockWriter(BOOK if book else SINGLE, page.id, ids, assets, prefer_png=True)
        article, toc = _article(page, writer, with_toc=not book)
        articles.append(article)
        tocs.append(f'<li class="toc-doc"><a href="#doc-{esc(page.id)}">{esc(page.id)} · {esc(page.title)}</a>'
                    f"<ol>{toc}</ol></li>")
        files.update(writer.files)
    front = ""
    if book:
        front = _cover(site) + f'<nav class="toc book-toc"><h2>Contents</h2><ol>{"".join(tocs)}</ol></nav>\n'
    size = PAGE_SIZES.get(site.page_size.strip().lower(), "A4")
    css = package_asset("print.css").decode("utf-8") + f"\n@page {{ size: {size}; }}\n"
    title = site.title if book else f"{pages[0].id} · {pages[0].title}" if pages else site.title
    html = ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{esc(title)}</title>\n<style>\n{css}</style>\n</head>\n"
            f'<body data-commit="{esc(_commit_label(site))}">\n{front}' + "\n".join(articles)
            + "\n</body>\n</html>\n")
    return html, dict(sorted(files.items()))


def _commit_label(site: Site) -> str:
    label = f"commit {site.commit}" if site.commit else "not in git"
    return label + " (uncommitted changes)" if site.dirty else label


def _cover(site: Site) -> str:
    return ('<section class="cover">\n'
            f'<h1 class="cover-title">{esc(site.title)}</h1>\n'
            f'<p class="cover-commit">{esc(_commit_label(site))}</p>\n'
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
