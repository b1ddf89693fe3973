"""The PDF renderer: weasyprint over the print documents (htmlprint.py), inside the
fetch sandbox (fetcher.py).

Never lets weasyprint read outside the workspace and gitspec's own assets, and never
lets it reach the network; weasyprint is imported only when a PDF is made.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from gitspec.render.htmlblocks import file_stem
from gitspec.render.htmlprint import print_parts
from gitspec.render.model import Page, Site
from gitspec.render.renderer import Assets


class PdfRenderer:
    """The `pdf` renderer: `<id>.pdf` per page and `book.pdf` for the site.

    `refused` lists the URLs the sandbox refused during the latest `page_files` or
    `site_files` call (reset at each call). The render run reads it after each call
    and prints `warning: refused to fetch URL in DOC` for each, so a refused fetch is
    never silent.
    """

    name = "pdf"
    version = "1"

    def __init__(self) -> None:
        self.refused: list[str] = []

    def page_files(self, site: Site, page: Page, assets: Assets) -> dict[str, bytes]:
        html, files = print_parts(site, (page,), assets, book=False)
        pdf, self.refused = html_to_pdf(html, files, _roots(assets))
        return {f"{file_stem(page.id)}.pdf": pdf}

    def site_files(self, site: Site, assets: Assets) -> dict[str, bytes]:
        html, files = print_parts(site, site.pages, assets, book=True)
        pdf, self.refused = html_to_pdf(html, files, _roots(assets))
        return {"book.pdf": pdf}


def _roots(assets: Assets) -> tuple[Path, ...]:
    return (Path(assets.root), Path(assets.package_assets))


def html_to_pdf(html: str, files: Mapping[str, bytes], roots: Iterable[Path]) -> tuple[bytes, list[str]]:
    """Render print HTML to PDF bytes. `files` ({relative name: bytes}) are served from
    memory for the document's relative URLs; `file:` URLs are served only inside
    `roots`. Returns the PDF and the URLs that were refused."""
    from weasyprint import HTML

    from gitspec.render.fetcher import MEMORY_BASE, SandboxFetcher

    fetcher = SandboxFetcher(roots, {MEMORY_BASE + name: data for name, data in files.items()})
    document = HTML(string=html, base_url=MEMORY_BASE, url_fetcher=fetcher)
    return document.write_pdf(), list(fetcher.refused)
