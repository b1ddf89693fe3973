"""The PDF renderer: weasyprint over the print documents (htmlprint.py), each document
laid out by pdfpage.py, several at once over the CPUs (pdfpool.py), inside the fetch
sandbox (fetcher.py); the book joins the documents' own PDFs (pdfbook.py).

Never lets weasyprint read outside the workspace and gitspec's own assets, and never
lets it reach the network; weasyprint and pypdf are imported only when a PDF is made.
"""
from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path

from gitspec.render.model import Page, Site
from gitspec.render.packageassets import assets_version
from gitspec.render.pagefiles import file_stem
from gitspec.render.pdfpool import lay_out
from gitspec.render.renderer import Assets

KEY_FIELD = "/gitspecrenderkey"  # where weasyprint puts <meta name="gitspec-render-key">


class PdfRenderer:
    """The `pdf` renderer: `<id>.pdf` per page and `book.pdf` for the site.

    The book is the documents' PDFs joined after a cover and contents, so no page is laid
    out twice: `site_files` takes each document's PDF from this renderer's memory (made
    by `page_files` or `pages_files` in the same run), else from the previous render on disk
    (`assets.previous`, trusted only when the key recorded in it matches), else renders it.

    `pages_files` lays several documents out at once, over the CPUs; the print HTML (and
    so every diagram image) is made in this process, the workers only run weasyprint.

    `refused` lists the URLs the sandbox refused during the latest `page_files` or
    `site_files` call, or for the page `pages_files` yielded last (whichever process laid
    it out). The render run reads it after each and prints `warning: refused to fetch URL
    in DOC` for each, so a refused fetch is never silent.
    """

    name = "pdf"
    page_navigation = None  # a document's PDF shows nothing of the others (a link to one is plain text)

    def __init__(self) -> None:
        self.refused: list[str] = []
        self._made: dict[str, tuple[str, bytes]] = {}  # page id -> (key, PDF), for the book

    @cached_property
    def version(self) -> str:
        return assets_version("63", "print.css")

    def page_files(self, site: Site, page: Page, assets: Assets) -> dict[str, bytes]:
        [(_, files)] = self.pages_files(site, [page], assets)
        return files

    def pages_files(self, site: Site, pages: Iterable[Page], assets: Assets) -> Iterator[tuple[Page, dict[str, bytes]]]:
        from gitspec.render.htmlprint import print_page

        pages = list(pages)
        keys = {page.id: page_key(self.version, site, page) for page in pages}
        jobs = [(page, print_page(site, page, assets, keys[page.id])) for page in pages]
        for page, (pdf, refused) in lay_out(jobs, _roots(assets)):
            self.refused = refused
            self._made[page.id] = (keys[page.id], pdf)
            yield page, {_file_name(page): pdf}

    def site_files(self, site: Site, assets: Assets) -> dict[str, bytes]:
        self.refused = []
        try:
            import pypdf  # noqa: F401  (joins the documents' PDFs)
        except ImportError:  # without it, lay the whole book out as one document (slow)
            from gitspec.render.htmlprint import print_book

            html, files = print_book(site, assets)
            pdf, self.refused = html_to_pdf(html, files, _roots(assets))
            return {"book.pdf": pdf}
        from gitspec.render.htmlprint import print_front, print_numbers
        from gitspec.render.pdfbook import Part, join_book

        known = {page.id: self._known_pdf(site, page, assets) for page in site.pages}
        missing = [page for page in site.pages if known[page.id] is None]
        refused: list[str] = []
        for page, files in self.pages_files(site, missing, assets):
            known[page.id] = files[_file_name(page)]
            refused.extend(u for u in self.refused if u not in refused)
        self.refused = refused
        parts = [Part(page, known[page.id]) for page in site.pages]
        roots = _roots(assets)

        def draw_front(entries):
            pdf, refused = html_to_pdf(print_front(site, entries), {}, roots)
            self.refused.extend(u for u in refused if u not in self.refused)
            return pdf

        def draw_numbers(pages):
            return html_to_pdf(print_numbers(site, pages), {}, roots)[0]  # (names no URL: nothing to refuse)

        return {"book.pdf": join_book(site, parts, draw_front, draw_numbers)}

    def _known_pdf(self, site: Site, page: Page, assets: Assets) -> bytes | None:
        key = page_key(self.version, site, page)
        made_key, pdf = self._made.get(page.id, ("", b""))
        if made_key == key:
            return pdf
        previous = getattr(assets, "previous", None)
        data = previous(self.name, _file_name(page)) if previous else None
        return data if data and recorded_key(data) == key else None


def page_key(version: str, site: Site, page: Page) -> str:
    """What a document's PDF is made from: its content and commit, the page size, the language and the
    renderer's version, print styles included (not HEAD: a commit elsewhere leaves the PDF as it was)."""
    parts = (version, page.key, page.id, page.commit, page.dirty, site.page_size, site.language)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def recorded_key(pdf: bytes) -> str | None:
    """The key a document's PDF was rendered from, or None when it has none or is unreadable."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from gitspec.render.ownmarks import quiet_pypdf

    try:
        with quiet_pypdf():  # a user's file where a page's PDF goes, kept: no "EOF marker not found" on stderr
            value = (PdfReader(io.BytesIO(pdf)).metadata or {}).get(KEY_FIELD)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):  # damaged or foreign: render again
        return None
    return str(value) if value is not None else None


def _file_name(page: Page) -> str:
    return f"{file_stem(page.id)}.pdf"


def _roots(assets: Assets) -> tuple[Path, ...]:
    return (Path(assets.root), Path(assets.package_assets))


def html_to_pdf(html: str, files: Mapping[str, bytes], roots: Iterable[Path]) -> tuple[bytes, list[str]]:
    """Render print HTML to PDF bytes. `files` ({relative name: bytes}) are served from
    memory for the document's relative URLs; `file:` URLs are served only inside
    `roots`. Returns the PDF and the URLs that were refused."""
    from weasyprint import HTML

    from gitspec import stopping
    from gitspec.render.fetcher import MEMORY_BASE, SandboxFetcher

    fetcher = SandboxFetcher(roots, {MEMORY_BASE + name: data for name, data in files.items()})
    document = HTML(string=html, base_url=MEMORY_BASE, url_fetcher=fetcher)
    pdf = document.write_pdf(custom_metadata=True)
    stopping.check()  # a stop weasyprint swallowed (drawing an SVG, it catches all): the book lacks the SVG
    return pdf, list(fetcher.refused)
