"""The book's page numbers (gitspec/render/pdfnumbers.py): printed as weasyprint would lay them
out, from one sample line per page size."""
from __future__ import annotations

import io

import pytest
from rendersite import sample_site

from gitspec.render.htmlprint import print_numbers
from gitspec.render.pdf import html_to_pdf
from gitspec.render.pdfbook import Part, join_book
from gitspec.render.pdfnumbers import SAMPLE, _product

pypdf = pytest.importorskip("pypdf")

A4 = (595.275591, 841.889764)
WIDE = (A4[1], A4[0])  # the wide page: the same size turned landscape


def blank(*sizes: tuple[float, float]) -> bytes:
    writer = pypdf.PdfWriter()
    for width, height in sizes:
        writer.add_blank_page(width=width, height=height)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def shown(page) -> list[tuple[str, float, float, float]]:
    """Each text `page` shows: the text, where it starts (x, y) and its size, in the page's points."""
    found = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            matrix = _product(tm, cm)
            found.append((text.strip(), round(matrix[4], 2), round(matrix[5], 2), round(size * matrix[0], 3)))

    page.extract_text(visitor_text=visit)
    return found


def test_each_book_page_prints_its_number_as_weasyprint_lays_that_line_out_at_one_layout_per_page_size() -> None:
    site = sample_site()
    sizes = [A4] * 12 + [WIDE] + [A4] * 3  # 9 to 10 changes the line's width: right-aligned, it starts further left
    parts = [Part(site.pages[0], blank(*sizes[:8])), Part(site.pages[1], blank(*sizes[8:]))]
    asked: list[list[tuple[float, float, str]]] = []

    def draw_numbers(lines):
        asked.append(lines)
        return html_to_pdf(print_numbers(site, lines), {}, ())[0]

    book = pypdf.PdfReader(io.BytesIO(join_book(site, parts, lambda entries: blank(A4, A4), draw_numbers)))
    total = len(book.pages)
    assert total == 18 and [len(lines) for lines in asked] == [2]  # one line per page size, not one per page
    lines = [(*size, f"Book page {n} of {total}") for n, size in enumerate([A4] + sizes, 2)]
    laid_out = pypdf.PdfReader(io.BytesIO(html_to_pdf(print_numbers(site, lines), {}, ())[0]))
    assert [shown(page) for page in book.pages[1:]] == [shown(page) for page in laid_out.pages]
    assert shown(book.pages[0]) == []  # the cover
    assert book.page_labels == [str(n) for n in range(1, total + 1)]
    assert all(page["/Contents"].get_object().get("/Filter") == "/FlateDecode" for page in book.pages[1:])


def test_a_sample_line_it_cannot_reuse_lays_out_a_line_per_page_instead() -> None:
    """Another font (one with ligatures, or several fonts in the line) must never stop the render:
    each page's line is then laid out on its own and laid over the page, as before the sample."""
    site = sample_site()
    parts = [Part(site.pages[0], blank(A4, A4)), Part(site.pages[1], blank(WIDE))]

    def draw_numbers(lines):
        if lines[0][2] == SAMPLE:  # a sample showing nothing: no font to reuse
            return blank(*[(width, height) for width, height, _ in lines])
        return html_to_pdf(print_numbers(site, lines), {}, ())[0]

    book = pypdf.PdfReader(io.BytesIO(join_book(site, parts, lambda entries: blank(A4), draw_numbers)))
    assert [text for page in book.pages[1:] for text, *_ in shown(page)] == [f"Book page {n} of 4" for n in (2, 3, 4)]
    assert book.page_labels == ["1", "2", "3", "4"]
