"""The combined book (gitspec/render/pdfbook.py), as a reader opens and prints it."""
from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CONFIG, run_gitspec
from rendersite import FakeAssets, sample_site

from gitspec.render.pdf import PdfRenderer

pypdf = pytest.importorskip("pypdf")

PDF_CONFIG = CONFIG.replace("formats: []", "formats: [pdf]")


def spec(doc_id: str, paragraphs: int = 8) -> str:
    """A valid PRD whose Goals heading sits part way down its page, under `paragraphs` paragraphs."""
    problem = "\n\n".join(f"Problem paragraph {n}." for n in range(paragraphs))
    return (f"---\nkind: prd\nid: {doc_id}\ntitle: Plan {doc_id}\n---\n\n# Plan\n\n"
            f"## Problem\n\n{problem}\n\n## Goals\n\nGoal text.\n"
            + "".join(f"\n## {name}\n\nNone.\n" for name in PRD_SECTIONS))


PRD_SECTIONS = ("Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions")


def rendered(root: Path) -> Path:
    result = run_gitspec(root, "render", "--format", "pdf")
    assert result.code == 0, result
    return root / "build" / "pdf"


def where(reader, item) -> tuple[int, str, float]:
    """Where a bookmark lands: its page index, how the page is shown, and the top shown (None: fitted)."""
    return reader.get_destination_page_number(item), item.typ, item.get("/Top")


def test_the_books_bookmarks_and_contents_open_at_the_heading_as_the_documents_own_pdf_does(repo) -> None:
    root = repo({"specs/a.md": spec("a"), "specs/b.md": spec("b", 3)}, PDF_CONFIG)
    out = rendered(root)
    book = pypdf.PdfReader(out / "book.pdf")
    [a, a_sections, b, b_sections] = book.outline
    titles = []
    for doc_id, mark, sections in (("a", a, a_sections), ("b", b, b_sections)):
        own = pypdf.PdfReader(out / f"{doc_id}.pdf")
        [own_title, own_sections] = own.outline
        number, fit, top = where(own, own_title)
        start = where(book, mark)[0] - number
        assert fit == "/XYZ" and where(book, mark) == (start + number, "/XYZ", top)
        assert [where(book, s) for s in sections] == [
            (start + n, "/XYZ", t) for n, _, t in (where(own, s) for s in own_sections)]
        titles.append(where(book, mark))
    contents = []  # the book's contents lines open each document's title, not its page fitted
    for ref in book.pages[1].get("/Annots") or ():
        dest = ref.get_object()["/Dest"]
        contents.append((book.get_page_number(dest[0].get_object()), str(dest[1]), float(dest[3])))
    assert list(dict.fromkeys(contents)) == [(n, fit, float(top)) for n, fit, top in titles]



def test_a_documents_pdf_opens_with_its_bookmarks_shown_as_the_book_does(repo) -> None:
    root = repo({"specs/a.md": spec("a")}, PDF_CONFIG)
    out = rendered(root)
    for name in ("a.pdf", "book.pdf"):
        reader = pypdf.PdfReader(out / name)
        assert reader.outline and reader.page_mode == "/UseOutlines", name


def test_a_page_without_sections_opens_with_its_bookmarks_shown(tmp_path: Path) -> None:
    site = sample_site()
    page = replace(site.pages[2], sections=())  # all body: laid out without a front
    pdf = PdfRenderer().page_files(replace(site, pages=(page,)), page, FakeAssets(tmp_path))["DESIGN-brand.pdf"]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.outline and reader.page_mode == "/UseOutlines" and reader.page_labels == ["1"]


def test_the_page_number_the_books_contents_give_is_printed_on_that_page_and_shown_by_viewers(repo) -> None:
    root = repo({"specs/a.md": spec("a", 60), "specs/b.md": spec("b")}, PDF_CONFIG)
    book = pypdf.PdfReader(rendered(root) / "book.pdf")
    texts = [page.extract_text() for page in book.pages]
    total = len(texts)
    for doc_id in ("a", "b"):
        found = re.search(rf"{doc_id} · Plan {doc_id} ?\.+ ?(\d+)", texts[1])
        assert found, texts[1]
        number = int(found.group(1))
        assert f"Plan {doc_id}" in texts[number - 1] and f"Book page {number} of {total}" in texts[number - 1]
    assert all(f"Book page {n} of {total}" in text for n, text in enumerate(texts[1:], 2))
    assert "Book page" not in texts[0]  # the cover
    assert book.page_labels == [str(n) for n in range(1, total + 1)]
