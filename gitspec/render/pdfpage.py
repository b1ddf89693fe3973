"""One document's PDF: its body laid out once, then its title and contents with the body's
page numbers, joined into one PDF by weasyprint (links, bookmarks and fonts shared).

Runs in the PDF renderer's worker processes as well as in-process: takes only picklable
input, returns bytes and the refused URLs, writes nothing. Fetches only through the
sandbox (fetcher.py). Imports weasyprint only when called: the renderer's own process
imports this module just to name the function its workers run.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from gitspec.render.htmlprint import PrintPage


def page_pdf(page: PrintPage, roots: Iterable[Path]) -> tuple[bytes, list[str]]:
    """The PDF of `page` and the URLs the sandbox refused while making it.

    weasyprint's own `target-counter()` would lay the whole document out again once the
    contents' targets are known (for a long document, nearly doubling the time); laying
    the front out apart, after the body, costs only the front's few pages."""
    import warnings

    from gitspec import stopping
    from gitspec.render.fetcher import MEMORY_BASE, SandboxFetcher

    # Pictures were checked against gitspec's own pixel limit (imagecheck.MAX_PIXELS); Pillow's
    # lower one would print its warning from here, about a picture already let through.
    warnings.filterwarnings("ignore", message=r"Image size \(\d+ pixels\) exceeds limit")
    fetcher = SandboxFetcher(roots, {MEMORY_BASE + name: data for name, data in page.files.items()})
    fonts = _fonts()  # the same for both parts: the joined document paints with both's fonts
    try:
        pdf = _joined(page, fetcher, fonts, [_stylesheet(page.css)])
    finally:
        if getattr(fonts, "_folder", "unknown") is not None:  # the document loaded fonts of its own
            _fonts.cache_clear()  # (an SVG's @font-face): the next document must not see them
    stopping.check()  # a stop weasyprint swallowed (drawing an SVG, it catches all): this PDF lacks the SVG
    return pdf, list(fetcher.refused)


def _joined(page: PrintPage, fetcher, fonts, style: list) -> bytes:
    from weasyprint import HTML

    from gitspec.render.fetcher import MEMORY_BASE

    body = HTML(string=page.body, base_url=MEMORY_BASE, url_fetcher=fetcher).render(
        font_config=fonts, stylesheets=style)
    if not page.entries:
        return body.write_pdf(custom_metadata=True, finisher=_catalog(0))
    numbers: dict[str, int] = {}
    for number, laid_out in enumerate(body.pages, 1):
        for anchor in laid_out.anchors:
            numbers.setdefault(anchor, number)
    front = HTML(string=page.front(numbers), base_url=MEMORY_BASE, url_fetcher=fetcher).render(
        font_config=fonts, stylesheets=style)
    joined = body.copy(front.pages + body.pages)  # the body's metadata (title, render key)
    return joined.write_pdf(custom_metadata=True, finisher=_catalog(len(front.pages)))


@lru_cache(maxsize=1)
def _fonts():
    """One font configuration per process while no document adds fonts to it, so fonts are
    found and loaded once, not per document (a sixth of a short document's time). The
    print styles declare no fonts; only an image (an SVG's @font-face) could, and then
    page_pdf drops the configuration, so one document's fonts never reach another's."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=4)
def _stylesheet(css: str):
    """gitspec's print styles, parsed once per process (a worker lays out many documents).
    They are our own and name no URL; should they ever, the fetcher here refuses it."""
    from weasyprint import CSS

    from gitspec.render.fetcher import SandboxFetcher

    return CSS(string=css, url_fetcher=SandboxFetcher(()))


def _catalog(front_pages: int):
    """A finisher that tells PDF viewers to open the bookmarks panel (as the book does) and, when
    the document has `front_pages`, the printed numbers: i, ii, ... then 1, 2, ..."""
    import pydyf  # weasyprint's own PDF writer

    def finish(document, pdf) -> None:
        pdf.catalog["PageMode"] = "/UseOutlines"
        if front_pages:
            pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array([
                0, pydyf.Dictionary({"S": "/r"}), front_pages, pydyf.Dictionary({"S": "/D"})])})

    return finish
