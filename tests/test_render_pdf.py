"""The PDF renderer: contents with page numbers, running headers, page sizes, and the fetch sandbox."""
from __future__ import annotations

import io
import os
import re
import stat
import sys
import threading
from dataclasses import dataclass, replace
from datetime import timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import CONFIG, requirement, requirements_doc, run_gitspec
from rendersite import FakeAssets, sample_site

from gitspec.render.htmlprint import print_book, print_numbers, print_page
from gitspec.render.model import Code, Diagram, Page, Section, Site, Table, Text
from gitspec.render.pdf import PdfRenderer, html_to_pdf
from gitspec.render.printwidths import column_widths, layout, tall_rows
from gitspec.render.renderer import DiagramImage
from gitspec.render.valueblocks import FIELDS_HEADER

pypdf = pytest.importorskip("pypdf")


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def visible_text(pdf: bytes) -> str:
    """The text pdftotext sees inside the pages (pypdf would also give text drawn off the page)."""
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def toc_number(texts: list[str], entry: str) -> int:
    found = re.search(re.escape(entry) + r" ?\.+ ?(\d+)", "\n".join(texts))
    assert found, entry
    return int(found.group(1))


@pytest.fixture
def loopback():
    """A loopback HTTP server that counts the requests it gets."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def link_targets(reader, index: int) -> list[int]:
    """The page indexes the links on page `index` jump to (named or explicit destinations)."""
    found = []
    for ref in reader.pages[index].get("/Annots") or ():
        dest = ref.get_object().get("/Dest")
        if isinstance(dest, str):
            dest = reader.named_destinations[dest]
            found.append(reader.get_destination_page_number(dest))
        elif dest is not None:
            found.append(reader.get_page_number(dest[0].get_object()))
    return found


def test_page_pdf_has_contents_header_and_text(tmp_path: Path) -> None:
    site = sample_site(requirements=40)
    renderer = PdfRenderer()
    files = renderer.page_files(site, site.pages[0], FakeAssets(tmp_path))
    assert list(files) == ["REQ-billing.pdf"] and renderer.refused == []
    reader = pypdf.PdfReader(io.BytesIO(files["REQ-billing.pdf"]))
    texts = pages_text(files["REQ-billing.pdf"])
    # The title and contents come first, numbered i, ii; the sections from page 1.
    assert reader.page_labels == ["i", "ii"] + [str(n) for n in range(1, len(texts) - 1)]
    assert "Billing requirements" in texts[0] and "Contents" in texts[0]
    assert texts[2].startswith("REQ-001 Export invoice batch 1 as CSV") and "Contents" not in texts[2]
    for n in (1, 40):
        title = f"REQ-{n:03d} Export invoice batch {n} as CSV"
        number = toc_number(texts, title)
        assert f"The system shall export invoice batch {n} as CSV" in texts[2 + number - 1]
    assert toc_number(texts, "REQ-040 Export invoice batch 40 as CSV") > 1
    for index, text in enumerate(texts):
        page = f"Page {reader.page_labels[index]} of {'ii' if index < 2 else len(texts) - 2}"
        assert "REQ-billing" in text and "commit abc1234" in text and page in text
    assert "Last change: commit 0000002 · Ada Tester · 2026-01-03" in "\n".join(texts)
    # Each contents line jumps to its section's page; the outline has the title, then the sections.
    jumps = [i for front in (0, 1) for i in dict.fromkeys(link_targets(reader, front))]
    assert jumps[0] == 2 and jumps == sorted(jumps) and "batch 40 as CSV within" in texts[jumps[-1]]
    assert [(title, index) for title, index, _ in outline(files["REQ-billing.pdf"])] == [("Billing requirements", 0)]
    sections = outline(files["REQ-billing.pdf"])[0][2]
    assert len(sections) == 40 and sections[0][1] == 2
    assert all(f"REQ-{n:03d} Export invoice batch {n} as CSV" in texts[index] for n, (_, index) in enumerate(sections, 1))


def test_page_without_sections_is_all_body(tmp_path: Path) -> None:
    site = sample_site()
    page = replace(site.pages[2], sections=())
    pdf = PdfRenderer().page_files(replace(site, pages=(page,)), page, FakeAssets(tmp_path))["DESIGN-brand.pdf"]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.page_labels == ["1"] and "Contents" not in pages_text(pdf)[0]
    assert "Brand design" in pages_text(pdf)[0] and "Page 1 of 1" in pages_text(pdf)[0]


def test_a_long_diagram_shown_as_source_starts_under_its_heading(tmp_path: Path) -> None:
    """A diagram too long for a page, shown as its source (no renderer), runs on from under its
    section's heading. Before, it was moved whole to the next page, leaving the heading alone on one
    page and the caption alone on another."""
    source = "erDiagram\n" + "\n".join(f"    ENTITY{n} ||--o{{ OTHER{n} : has" for n in range(120))
    site = sample_site()
    page = replace(site.pages[2], sections=(Section("er", "Er diagram", "er", (Diagram(source, title="Er diagram"),)),))
    pdf = PdfRenderer().page_files(replace(site, pages=(page,)), page, FakeAssets(tmp_path))["DESIGN-brand.pdf"]
    with_heading = next(text for text in pages_text(pdf) if "Er diagram" in text and "Contents" not in text)
    assert "ENTITY0 " in with_heading


def outline(pdf: bytes) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """The book's bookmarks: (title, page index, [(section title, page index)])."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found: list[tuple[str, int, list[tuple[str, int]]]] = []
    for item in reader.outline:
        if isinstance(item, list):
            found[-1][2].extend((c.title, reader.get_destination_page_number(c)) for c in item)
        else:
            found.append((item.title, reader.get_destination_page_number(item), []))
    return found


@dataclass(frozen=True)
class Book:
    site: Site
    files: dict[str, bytes]
    refused: list


@pytest.fixture(scope="module")
def book_of_40(tmp_path_factory) -> Book:
    """The book of sample_site(requirements=40), laid out once in the run for the tests that only read it."""
    from conftest import made_once

    def lay_out(folder: Path) -> dict:
        renderer = PdfRenderer()
        files = renderer.site_files(sample_site(requirements=40), FakeAssets(folder))
        for name, data in files.items():
            (folder / name).write_bytes(data)
        return {"files": list(files), "refused": list(renderer.refused)}

    folder, made = made_once(tmp_path_factory, "book-of-40", lay_out)
    return Book(sample_site(requirements=40), {name: (folder / name).read_bytes() for name in made["files"]},
                made["refused"])


def test_book_has_cover_contents_and_every_page(book_of_40: Book) -> None:
    site, files = book_of_40.site, book_of_40.files
    assert list(files) == ["book.pdf"] and book_of_40.refused == []
    texts = pages_text(files["book.pdf"])
    assert "Billing <Dashboard> & specs" in texts[0] and "commit abc1234" in texts[0]
    assert "4 documents" in texts[0] and "Page 1" not in texts[0]  # no running header or footer
    assert "Contents" in texts[1]
    starts = []
    for page in site.pages:
        number = toc_number(texts, f"{page.id} · {page.title}")
        first = f"{page.id} · {page.kind}"  # the line under the document's title
        assert first in texts[number - 1] and page.title in texts[number - 1], page.id
        assert not any(first in text for text in texts[:number - 1]), page.id  # it starts there
        starts.append(number - 1)
    assert starts == sorted(starts) and starts[0] == 2
    everything = "\n".join(texts)
    for n in (1, 40):
        assert f"The system shall export invoice batch {n} as CSV" in everything
    prd = texts[toc_number(texts, "PRD-billing · Billing <em>PRD</em>")]  # after its title and contents
    assert "<script>alert(1)</script>" in prd  # planted markup printed as text
    assert "No mermaid renderer" in everything and "REQ-003 PRD-billing" in everything
    marks = outline(files["book.pdf"])
    assert [(title, index) for title, index, _ in marks] == [
        (f"{page.id} · {page.title}", start) for page, start in zip(site.pages, starts, strict=True)]
    sections = {title: index for _, _, children in marks for title, index in children}
    assert list(sections)[:2] == ["REQ-001 Export invoice batch 1 as CSV", "REQ-002 Export invoice batch 2 as CSV"]
    for n in (1, 40):
        section = sections[f"REQ-{n:03d} Export invoice batch {n} as CSV"]
        assert f"The system shall export invoice batch {n} as CSV" in texts[section]
    assert starts[1] <= sections["Risks <b>bold</b>"] < starts[2]
    reader = pypdf.PdfReader(io.BytesIO(files["book.pdf"]))
    assert reader.metadata.title == "Billing <Dashboard> & specs"


def test_book_links_jump_to_pages_of_the_book(book_of_40: Book) -> None:
    site, book = book_of_40.site, book_of_40.files["book.pdf"]
    reader = pypdf.PdfReader(io.BytesIO(book))
    texts = pages_text(book)

    def targets(index: int) -> list[int]:
        found = []
        for ref in reader.pages[index].get("/Annots") or ():
            annotation = ref.get_object()
            assert "/A" not in annotation or "/URI" not in annotation["/A"]  # no placeholder left
            found.append(reader.get_page_number(annotation["/Dest"][0].get_object()))
        return list(dict.fromkeys(found))  # a link may be drawn as several boxes

    contents = targets(1)  # the book's contents: each line jumps to its document's first page
    assert [texts[i].split("\n")[0] for i in contents] == [page.title for page in site.pages]
    req = contents[0]  # a document's own contents jump inside the book, not into another document
    jumps = targets(req)
    assert "The system shall export invoice batch 40 as CSV" in texts[jumps[-1]]
    assert all(req <= index < contents[1] for index in jumps)


def test_book_joins_the_page_pdfs_instead_of_laying_pages_out_again(tmp_path: Path, monkeypatch) -> None:
    import gitspec.render.pdf as pdf_module

    site = sample_site()
    assets = FakeAssets(tmp_path)
    drawn: list[str] = []  # the documents laid out, "cover" for the book's front, "numbers" for its page numbers
    real_lay_out, real_html_to_pdf = pdf_module.lay_out, pdf_module.html_to_pdf

    def laying_out(jobs, roots):
        drawn.extend(page.id for page, _ in jobs)
        return real_lay_out(jobs, roots)

    def drawing(html, files, roots):
        drawn.append("cover" if '<section class="cover">' in html else "numbers" if 'class="number ' in html else "other")
        return real_html_to_pdf(html, files, roots)

    monkeypatch.setattr(pdf_module, "lay_out", laying_out)
    monkeypatch.setattr(pdf_module, "html_to_pdf", drawing)
    renderer = PdfRenderer()
    pages = {}
    for page in site.pages:
        pages.update(renderer.page_files(site, page, assets))
    ids = [page.id for page in site.pages]
    assert drawn == ids
    drawn.clear()
    book = renderer.site_files(site, assets)["book.pdf"]
    assert drawn == ["cover", "numbers"]  # only the cover and contents, and the book's page numbers, are laid out
    assert book == PdfRenderer().site_files(site, assets)["book.pdf"]  # same bytes, made from scratch

    # A later run where nothing was re-rendered: the page PDFs come from the output folder.
    @dataclass
    class Previous(FakeAssets):
        def previous(self, format_name: str, relpath: str) -> bytes | None:
            assert format_name == "pdf"
            return pages.get(relpath)

    drawn.clear()
    assert PdfRenderer().site_files(site, Previous(tmp_path))["book.pdf"] == book
    assert drawn == ["cover", "numbers"]
    # A previous PDF made from other content (here: another commit) is not trusted.
    drawn.clear()
    moved = replace(site, commit="def5678", pages=tuple(replace(page, commit="def5678") for page in site.pages))
    texts = pages_text(PdfRenderer().site_files(moved, Previous(tmp_path))["book.pdf"])
    assert drawn == ids + ["cover", "numbers"]
    assert "commit abc1234" not in "\n".join(texts)


def test_a_picture_several_documents_show_is_stored_once_in_the_book(repo) -> None:
    """Before, book.pdf held a copy of the picture (and of its transparency mask) per document showing it."""
    from PIL import Image

    noise = Image.effect_noise((300, 200), 80).convert("RGB")
    picture = io.BytesIO()
    Image.merge("RGBA", (*noise.split(), noise.getchannel(0))).save(picture, "PNG")  # with transparency
    body = ("## Problem\n\n![Photo](img/photo.png)\n\nSee [Goals](#goals) and [the docs](https://example.com/).\n\n"
            "## Goals\n\nFast.\n")  # the same links in the same places in both documents
    files = {"specs/one.md": prd(body, "one"), "specs/two.md": prd(body, "two"), "specs/img/photo.png": picture.getvalue()}
    root = repo(files, PDF_CONFIG)
    assert run_gitspec(root, "render", "--format", "pdf").code == 0
    reader = pypdf.PdfReader(root / "build" / "pdf" / "book.pdf")
    starts = [reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)]
    pictures, links = set(), []
    for number, page in enumerate(reader.pages):
        for ref in ((page.get("/Resources") or {}).get("/XObject") or {}).values():
            if ref.get_object().get("/Subtype") == "/Image":
                pictures.add((ref.idnum, ref.get_object().raw_get("/SMask").idnum))
        for ref in page.get("/Annots") or ():
            links.append(ref.idnum)
            if "/Dest" in ref.get_object() and number >= starts[0]:  # a document's link jumps inside it
                target = reader.get_page_number(ref.get_object()["/Dest"][0].get_object())
                document = [start for start in starts if start <= number][-1]
                assert document <= target < min([s for s in starts if s > document] or [len(reader.pages)])
    assert len(pictures) == 1, pictures  # one picture, one mask
    assert len(links) == len(set(links)) > 0, links  # a link belongs to one page, however alike two are


def test_previous_files_come_only_from_the_format_folder(tmp_path: Path) -> None:
    from gitspec.render.resources import RenderAssets

    (tmp_path / "build" / "pdf").mkdir(parents=True)
    (tmp_path / "build" / "pdf" / "a.pdf").write_bytes(b"%PDF-a")
    (tmp_path / "build" / "secret.txt").write_bytes(b"no")
    assets = RenderAssets(tmp_path, tmp_path, tmp_path / "cache", None, 1.0, tmp_path / "build")
    assert assets.previous("pdf", "a.pdf") == b"%PDF-a"
    assert assets.previous("pdf", "missing.pdf") is None
    assert assets.previous("pdf", "../secret.txt") is None
    assert RenderAssets(tmp_path, tmp_path, tmp_path / "cache", None, 1.0).previous("pdf", "a.pdf") is None


@pytest.mark.parametrize(("size", "box"), [("A4", (595, 842)), ("Letter", (612, 792)), ("bogus", (595, 842))])
def test_page_size(tmp_path: Path, size: str, box: tuple[int, int]) -> None:
    site = sample_site(page_size=size)
    pdf = PdfRenderer().page_files(site, site.pages[2], FakeAssets(tmp_path))["DESIGN-brand.pdf"]
    mediabox = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(mediabox.width)), round(float(mediabox.height))) == box


def test_print_html_is_standalone_and_deterministic(tmp_path: Path) -> None:
    site = sample_site()
    assets = FakeAssets(tmp_path)
    book, _ = print_book(site, assets)
    assert (book, _) == print_book(site, assets)
    assert "<script" not in book and "<link" not in book and "javascript:" not in book.lower()
    assert '<section class="cover">' in book and 'href="#REQ-billing--req-001"' in book
    single = print_page(site, site.pages[1], assets)
    assert single == print_page(site, site.pages[1], assets)
    for html in (single.body, single.front({})):
        assert "<script" not in html and "<link" not in html and "<style" not in html  # styles passed apart
    assert 'href="#req-001"' not in single.body and "see REQ-001" in single.body  # other documents: text only
    assert "@page { size: A4; }" in single.css
    assert '<table class="sized"><colgroup>' in book  # the matrix: fixed layout, widths worked out
    renderer = PdfRenderer()
    first = renderer.page_files(site, site.pages[3], assets)
    assert first == renderer.page_files(site, site.pages[3], assets)


def test_fetcher_refuses_network_and_outside_files(tmp_path: Path, loopback) -> None:
    base, hits = loopback
    root = tmp_path / "workspace"
    root.mkdir()
    (root / "ok.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"/>')
    (root / "escape.svg").symlink_to("/etc/passwd")
    html = f"""<html><head><link rel="stylesheet" href="{base}/style.css">
      <style>@import url("{base}/import.css"); body {{ background: url("{base}/bg.png") }}
      @font-face {{ font-family: x; src: url("{base}/font.woff") }} p {{ font-family: x }}</style></head>
      <body><p>hello</p><img src="{base}/x.png"><img src="file:///etc/passwd">
      <img src="{(root / 'ok.svg').as_uri()}"><img src="{(root / 'escape.svg').as_uri()}">
      <img src="{root.as_uri()}/../../../../etc/hostname"><img src="data:image/svg+xml,%3Csvg%2F%3E">
      <img src="ftp://127.0.0.1/x.png"></body></html>"""
    pdf, refused = html_to_pdf(html, {}, [root])
    assert pdf.startswith(b"%PDF")
    assert hits == []
    assert f"{base}/x.png" in refused and "file:///etc/passwd" in refused
    for url in (f"{base}/style.css", f"{base}/import.css", f"{base}/bg.png", f"{base}/font.woff",
                (root / "escape.svg").as_uri(), "ftp://127.0.0.1/x.png"):
        assert url in refused
    assert any(u.startswith("data:") for u in refused)
    assert any(u.endswith("/etc/hostname") for u in refused)
    assert (root / "ok.svg").as_uri() not in refused


@dataclass
class LeakyAssets(FakeAssets):
    """Diagram images that try to reach the network (as some mermaid SVGs do for fonts)."""

    base: str = ""

    def diagram(self, diagram: Diagram) -> DiagramImage:
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
               f'width="50" height="50"><style>@import url("{self.base}/fa.css");</style>'
               f'<image href="{self.base}/logo.png" width="10" height="10"/></svg>')
        return DiagramImage(svg.encode(), None)


def test_renderer_reports_refusals(tmp_path: Path, loopback) -> None:
    base, hits = loopback
    site = sample_site()
    renderer = PdfRenderer()
    renderer.page_files(site, site.pages[3], LeakyAssets(tmp_path, base=base))
    assert hits == []
    assert f"{base}/logo.png" in renderer.refused
    renderer.page_files(site, site.pages[2], FakeAssets(tmp_path))
    assert renderer.refused == []  # reset at each call


def test_contents_numbers_allow_for_the_contents_own_length() -> None:
    from gitspec.render.pdfbook import Part, join_book

    def blank(count: int) -> bytes:
        writer = pypdf.PdfWriter()
        for _ in range(count):
            writer.add_blank_page(width=595, height=842)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    site = sample_site()
    parts = [Part(site.pages[n % len(site.pages)], blank(n % 3 + 1)) for n in range(130)]
    calls: list[list[int]] = []

    def draw_front(entries):
        calls.append([number for _, number, _ in entries])
        return blank(1 + -(-len(entries) // 40))  # a cover, then 40 lines a page: 5 pages

    def draw_numbers(lines):  # a sample line per page size (one here)
        return html_to_pdf(print_numbers(site, lines), {}, ())[0]

    book = pypdf.PdfReader(io.BytesIO(join_book(site, parts, draw_front, draw_numbers)))
    assert calls[-1][0] == 6 and len(calls) <= 3
    assert calls[-1][1:] == [number + n % 3 + 1 for n, number in enumerate(calls[-1][:-1])]
    assert len(book.pages) == 5 + sum(n % 3 + 1 for n in range(130))


def test_print_shapes_blocks_for_cheap_layout(tmp_path: Path) -> None:
    fields = Table(FIELDS_HEADER, (((Text("Route"),), (Text("/invoices"),)), ((Text("Owner"),), ())))
    wide = Table(("Requirement", "Title", "Why"), (((Text("REQ-001"),), (Text("Refunds"),),
                                                     (Text("evidence ev-0001 was taken on an old commit"),)),))
    long_code = Code("\n".join(f"line {n}" for n in range(60)), "yaml")
    site = replace(sample_site(), pages=(Page("P", "design", "P", "p.yaml", "", (), (
        Section("s", "S", "s", (fields, wide, Code("short", "sql"), long_code)),), key="p"),))
    html = print_page(site, site.pages[0], FakeAssets(tmp_path)).body
    assert '<dl class="fields"><dt>Route</dt><dd>/invoices</dd><dt>Owner</dt><dd></dd></dl>' in html
    assert html.count('<pre class="long">') == 1 and "<pre><code" in html
    widths = column_widths(wide)
    assert round(sum(widths), 6) == 100 and widths[2] == max(widths) and min(widths) >= 10
    assert column_widths(Table(("Only",), ((((Text("x"),),),)))) == [100]


@pytest.mark.parametrize("columns", [7, 9])
def test_a_table_of_many_columns_keeps_its_words_whole(tmp_path: Path, columns: int) -> None:
    """The fields of a data-model entity: no header word or value is broken across lines. Nine
    columns do not fit at the body's size, and are printed smaller rather than break words."""
    header = ("Name", "Type", "Primary key", "Required", "References", "Values", "Default", "Unique", "Description")
    names = ("currentPeriodStart", "pricingModel", "displayName", "subscriptionId", "reconciledAt")
    rows = tuple(tuple((Text(text),) for text in (name, "timestamp", "yes", "yes", "Subscription", "month, year",
                                                  "boolean", "yes", "When the period starts."))[:columns]
                 for name in names)
    site = sample_site()
    page = replace(site.pages[2], sections=(Section("s", "S", "s", (Table(header[:columns], rows),)),))
    html = print_page(replace(site, pages=(page,)), page, FakeAssets(tmp_path)).body
    assert ('<table class="sized small">' in html) == (columns == 9)
    pdf = PdfRenderer().page_files(replace(site, pages=(page,)), page, FakeAssets(tmp_path))["DESIGN-brand.pdf"]
    words = set(visible_text(pdf).split())
    assert {"Required", "References", "Default", "timestamp", "Subscription", *names} <= words, sorted(words)


def test_a_very_long_code_line_is_printed_whole_cut_into_lines(tmp_path: Path) -> None:
    site = sample_site()
    minified = "".join(f"{n:04d}" for n in range(2500))  # 10,000 characters, no space to wrap at
    page = replace(site.pages[2], sections=(Section("code", "Code", "code", (Code(f"start\n{minified}\nend"),)),))
    pdf = PdfRenderer().page_files(replace(site, pages=(page,)), page, FakeAssets(tmp_path))["DESIGN-brand.pdf"]
    lines = [line.strip() for text in pages_text(pdf) for line in text.splitlines()]
    first, last = lines.index("start"), lines.index("end")
    cut = [line for line in lines[first + 1:last] if line.isdigit()]  # not the running header and footer
    assert "".join(cut) == minified and {len(line) for line in cut} == {100}  # printed whole, 100 a line


def test_a_long_code_line_is_cut_between_letters_never_between_a_letter_and_its_accent(repo) -> None:
    """Before, a line was cut at its 100th code point: "e" ended one printed line and its accent
    (U+0301) began the next, as did a Devanagari vowel sign (U+093F) after its consonant."""
    accented = "x" * 99 + "e\u0301 tail"  # é as e + combining acute at characters 100-101
    hindi = "# " + "a" * 97 + "\u0915\u093f end"  # कि at characters 100-101
    body = f"## Problem\n\n```\n{accented}\n{hindi}\n```\n"
    lines = visible_text(rendered_pdf(repo({"specs/p.md": prd(body)}, PDF_CONFIG)).read_bytes()).splitlines()
    assert "x" * 99 + "e\u0301" in lines and "# " + "a" * 97 + "\u0915\u093f" in lines, lines
    assert "tail" in lines and "end" in lines, lines  # still cut: a hundred characters as a reader sees them


def test_a_long_word_or_url_breaks_across_lines_instead_of_running_off_the_page(tmp_path: Path) -> None:
    from gitspec.render.model import Paragraph

    token = "tok" + "x" * 1500
    site = sample_site()
    page = replace(site.pages[2], sections=(Section("s", "S", "s", (Paragraph((Text(token),)),)),))
    pdf = PdfRenderer().page_files(replace(site, pages=(page,)), page, FakeAssets(tmp_path))["DESIGN-brand.pdf"]
    runs = re.findall("x+", visible_text(pdf))
    assert sum(map(len, runs)) == 1500 and max(map(len, runs)) < 200, [len(run) for run in runs]  # wrapped, all there


def test_a_table_too_wide_for_the_page_is_printed_a_row_at_a_time_with_nothing_cut_off(tmp_path: Path) -> None:
    header = tuple(f"Column{n}" for n in range(14))
    rows = tuple(tuple((Text(f"Internationalisation{r}{n:02}"),) for n in range(14)) for r in range(2))
    site = sample_site()
    page = replace(site.pages[2], sections=(Section("s", "S", "s", (Table(header, rows),)),))
    pdf = PdfRenderer().page_files(replace(site, pages=(page,)), page, FakeAssets(tmp_path))["DESIGN-brand.pdf"]
    words = set(re.findall(r"Internationalisation\d+|Column\d+", visible_text(pdf)))
    assert words == {*header, *(f"Internationalisation{r}{n:02}" for r in range(2) for n in range(14))}, words


# --- As the user sees it: `gitspec render --format pdf` -------------------------------------------

PDF_CONFIG = CONFIG.replace("formats: []", "formats: [pdf]")


def prd(body: str, doc_id: str = "p") -> str:
    """A valid PRD holding `body`: the required sections it does not write follow it."""
    rest = "".join(f"\n## {name}\n\nNone.\n" for name in PRD_SECTIONS if f"## {name}\n" not in body)
    return f"---\nkind: prd\nid: {doc_id}\ntitle: Plan\n---\n\n# Plan\n\n{body}\n{rest}"


PRD_SECTIONS = ("Problem", "Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions")


def rendered_pdf(root: Path, doc_id: str = "p", env: dict | None = None, code: int = 0) -> Path:
    result = run_gitspec(root, "render", "--format", "pdf", doc_id, env=env)
    assert result.code == code, result
    return root / "build" / "pdf" / f"{doc_id}.pdf"


def word_boxes(pdf: Path) -> list[dict[str, list[tuple[float, float, float, float]]]]:
    """For each page of `pdf`, where pdftotext finds each word: (x0, y0, x1, y1) in points from the top left."""
    import html
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        words: dict[str, list] = {}
        for found in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page):
            words.setdefault(html.unescape(found.group(5)), []).append(tuple(map(float, found.groups()[:4])))
        pages.append(words)
    return pages


# A stand-in for mermaid-cli drawing as it does: an SVG sized width="100%" with a viewBox of its CSS
# size, and a PNG at the scale asked (-s 2: twice that size). A "tall" diagram is 3000px high.
DRAWING_MMDC = """
import sys
from PIL import Image
args = sys.argv[1:]
out = args[args.index("-o") + 1]
scale = int(args[args.index("-s") + 1]) if "-s" in args else 1
height = 3000 if "tall" in open(args[args.index("-i") + 1]).read() else 60
if out.endswith(".svg"):
    open(out, "w").write(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 200 {height}" style="max-width: 200px">'
        f'<text x="0" y="20" font-size="12">West</text><text x="160" y="20" font-size="12">East</text>'
        f'<text x="0" y="{height - 5}" font-size="12">Foot</text></svg>')
else:
    Image.new("RGB", (200 * scale, height * scale), (200, 220, 255)).save(out)
"""


def stand_in_mmdc(folder: Path) -> dict:
    """The environment that puts the stand-in mmdc first on PATH."""
    folder.mkdir()
    script = folder / "mmdc"
    script.write_text(f"#!{sys.executable}\n{DRAWING_MMDC}")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def test_a_diagram_prints_at_its_own_size_and_a_tall_one_fits_its_page(repo, tmp_path: Path) -> None:
    env = stand_in_mmdc(tmp_path / "bin")
    body = "## Problem\n\n```mermaid\nflowchart LR\n  A --> B\n```\n\n## Goals\n\n```mermaid\nflowchart TD\n  tall\n```\n"
    root = repo({"specs/p.md": prd(body)}, PDF_CONFIG)
    pages = word_boxes(rendered_pdf(root, env=env))
    [small] = [page for page in pages if "West" in page and "Foot" in page and "Problem" in page]
    (west, *_), (east, *_) = small["West"], small["East"]
    assert 110 < east[0] - west[0] < 130, (west, east)  # 160px apart: 120pt, neither stretched nor doubled
    [tall] = [page for page in pages if "Goals" in page and "Contents" not in page]
    assert "West" in tall and "Foot" in tall, tall  # the whole diagram on the page of its section
    (top, *_), (foot, *_) = tall["West"], tall["Foot"]
    assert foot[3] < 842 - 56 and foot[1] - top[1] < 22 / 2.54 * 72, (top, foot)  # scaled to fit, not cut


def words_past_the_margin(pdf: Path) -> list[str]:
    """Words pdftotext finds right of the right margin (18mm), outside the running header and footer."""
    margin = 595 - 18 / 25.4 * 72
    return [word for page in word_boxes(pdf) for word, boxes in page.items()
            if any(x1 > margin + 1 and 60 < y0 and y1 < 842 - 45 for _, y0, x1, y1 in boxes)]


def test_a_one_column_table_and_a_wide_table_without_rows_stay_inside_the_margins(repo) -> None:
    url = "https://example.com/" + "a" * 100 + "/end"
    headings = [f"Heading{n:02}" for n in range(1, 14)]
    body = (f"## Problem\n\n| Link |\n|---|\n| {url} |\n\n"
            f"| {' | '.join(headings)} |\n|{'---|' * len(headings)}\n")
    pdf = rendered_pdf(repo({"specs/p.md": prd(body)}, PDF_CONFIG))
    assert words_past_the_margin(pdf) == []
    text = visible_text(pdf.read_bytes())
    assert "a" * 100 + "/end" in re.sub(r"\s+", "", text)  # wrapped, all there
    assert all(heading in text for heading in headings), text


def test_a_row_taller_than_a_page_breaks_under_the_header_on_every_page(repo) -> None:
    words = " ".join(f"word{n}" for n in range(1500))
    body = f"## Problem\n\n| Name | Description | Owner |\n|---|---|---|\n| first | {words} | me |\n| second | short | you |\n"
    pdf = rendered_pdf(repo({"specs/p.md": prd(body)}, PDF_CONFIG))
    body_pages = [page for page in pages_text(pdf.read_bytes()) if "Contents" not in page]
    assert "word0" in body_pages[0], body_pages[0]  # the row starts under its heading, no near-blank page
    with_words = [page for page in body_pages if re.search(r"word\d", page)]
    assert len(with_words) > 2 and all("Description" in page for page in with_words), with_words


def test_a_16_bit_greyscale_picture_prints_in_its_greys(repo, tmp_path: Path) -> None:
    import shutil
    import subprocess

    from PIL import Image

    if not shutil.which("pdfimages"):
        pytest.skip("pdfimages (poppler-utils) not installed")
    ramp = Image.new("I;16", (256, 8))
    for x in range(256):
        for y in range(8):
            ramp.putpixel((x, y), x * 257)  # black to white
    out = io.BytesIO()
    ramp.save(out, "PNG")
    pdf = rendered_pdf(repo({"specs/p.md": prd("## Problem\n\n![ramp](ramp.png)\n"), "specs/ramp.png": out.getvalue()},
                            PDF_CONFIG))
    subprocess.run(["pdfimages", "-png", str(pdf), str(tmp_path / "out")], check=True)
    [printed] = tmp_path.glob("out-*.png")
    with Image.open(printed) as image:
        greys = [image.convert("L").getpixel((x, 4)) for x in range(0, 256, 32)]
    assert all(abs(grey - x) <= 2 for grey, x in zip(greys, range(0, 256, 32), strict=True)), greys


def test_what_follows_a_long_field_name_starts_below_it(repo) -> None:
    brand = ("kind: brand\nid: p\ntitle: Fields\nvoice:\n  whatWeSayWhenSomethingGoesWrongDuringCheckoutOrBilling: Calm\n"
             "  examples:\n    - First example sentence\n    - Second example sentence\n")
    pdf = rendered_pdf(repo({"specs/p.yaml": brand}, PDF_CONFIG), code=1)  # (a brand lacking most of its keys)
    [page] = [page for page in word_boxes(pdf) if "Calm" in page]
    name_foot = page["billing"][0][3]
    assert page["Examples"][0][1] >= name_foot and page["First"][0][1] > name_foot, page


def test_a_section_heading_stays_with_the_picture_it_starts_with(repo) -> None:
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (600, 600), (90, 140, 220)).save(picture, "PNG")
    text = "".join(f"Paragraph {n} of the problem statement.\n\n" for n in range(24))
    body = f"## Problem\n\n{text}## Goals\n\n![Flow](flow.png \"The flow\")\n"
    pdf = rendered_pdf(repo({"specs/p.md": prd(body), "specs/flow.png": picture.getvalue()}, PDF_CONFIG))
    [goals] = [page for page in pages_text(pdf.read_bytes()) if "Goals" in page and "Contents" not in page]
    assert "The flow" in goals, goals


def test_a_documents_bookmarks_are_its_section_titles_without_badges(repo) -> None:
    root = repo({"specs/p.md": prd("## Problem\n\nSlow invoices.\n\n## Goals\n\nFast invoices.\n")})
    spec = root / "specs" / "p.md"
    spec.write_text(spec.read_text().replace("Fast invoices.", "Faster invoices."))  # Goals: "uncommitted"
    reader = pypdf.PdfReader(rendered_pdf(root))
    [title, sections] = reader.outline
    assert [item.title for item in sections][:3] == ["Problem", "Goals", "Non-goals"], [i.title for i in sections]
    assert "uncommitted" in visible_text(rendered_pdf(root).read_bytes())  # the badge is still shown


def test_the_book_cover_counts_one_document_in_the_singular(repo) -> None:
    root = repo({"specs/p.md": prd("## Problem\n\nSlow invoices.\n")}, PDF_CONFIG)
    assert run_gitspec(root, "render", "--format", "pdf").code == 0
    cover = pages_text((root / "build" / "pdf" / "book.pdf").read_bytes())[0]
    assert "1 document" in cover and "1 documents" not in cover, cover


WIDE_WORDS = ("paymentMethodId", "subscriptionId", "reconciliationAt", "creditNoteNumber", "invoiceLineItem",
              "jurisdictionKey", "displayCurrency", "processorToken", "settlementBatch")


@pytest.mark.parametrize(("size", "landscape"), [("A4", (842, 595)), ("Letter", (792, 612))])
def test_a_table_too_wide_for_small_print_is_printed_whole_on_a_landscape_page(repo, size, landscape) -> None:
    """Nine columns of long ids do not fit across a portrait page even at 7.5pt: rather than break
    "paymentMeth|odId", the table and the heading above it go on a landscape page of the configured size."""
    rows = f"| {' | '.join(WIDE_WORDS)} |\n" * 3
    body = (f"## Problem\n\nSlow invoices.\n\n### Fields\n\n| {' | '.join(f'H{n}' for n in range(9))} |\n"
            f"|{'---|' * 9}\n{rows}\nAfter the table.\n\n## Goals\n\nFast invoices.\n")
    config = PDF_CONFIG.replace("page_size: A4", f"page_size: {size}")
    pdf = rendered_pdf(repo({"specs/p.md": prd(body)}, config))
    reader = pypdf.PdfReader(pdf)
    sizes = [(round(float(page.mediabox.width)), round(float(page.mediabox.height))) for page in reader.pages]
    texts = pages_text(pdf.read_bytes())
    [wide] = [n for n, text in enumerate(texts) if "paymentMethodId" in text]
    assert sizes[wide] == landscape and sizes.count(landscape) == 1, sizes
    assert "Fields" in texts[wide] and "Slow invoices." not in texts[wide], texts[wide]  # its heading with it
    words = set(visible_text(pdf.read_bytes()).split())
    assert set(WIDE_WORDS) <= words, sorted(words)  # none broken
    assert "p" in texts[wide] and re.search(r"commit [0-9a-f]{7}", texts[wide]), texts[wide]  # the running header
    label = re.search(r"Page (\d+) of (\d+)", texts[wide])
    assert label and int(label.group(2)) == len(texts) - 1, texts[wide]  # the contents page is numbered apart
    [goals] = [n for n, text in enumerate(texts) if "Fast invoices." in text]
    assert toc_number(texts, "Goals") == int(re.search(r"Page (\d+) of", texts[goals]).group(1))
    assert goals == wide + 1 and "After the table." in texts[goals] and sizes[goals] == landscape[::-1]  # back upright


@pytest.mark.parametrize("opening", ["> [!WARNING]\n> Before the table.\n", "> Before the table.\n"])
def test_an_alert_or_quote_holding_a_table_for_a_landscape_page_goes_there_whole_with_its_heading(repo, opening) -> None:
    """As in Word. Before, the heading, the alert's title and an empty box to the foot of the page were
    printed on a portrait page, and the table alone on a landscape page after it."""
    table = "\n".join(f"> {line}" for line in (f"| {' | '.join(f'H{n}' for n in range(9))} |", f"|{'---|' * 9}",
                                               f"| {' | '.join(WIDE_WORDS)} |"))
    body = f"## Problem\n\nSlow invoices.\n\n### Fields\n\n{opening}>\n{table}\n>\n> After the table.\n\nAfter the box.\n"
    reader = pypdf.PdfReader(rendered_pdf(repo({"specs/p.md": prd(body)}, PDF_CONFIG)))
    texts = [page.extract_text() for page in reader.pages]
    [wide] = [n for n, text in enumerate(texts) if "paymentMethodId" in text]
    page = reader.pages[wide]
    assert page.mediabox.width > page.mediabox.height, texts[wide]
    for words in ("Fields", "Before the table.", "After the table."):
        assert [n for n, text in enumerate(texts) if words in text] == [wide], (words, texts)
    assert "Slow invoices." not in texts[wide] and "After the box." not in texts[wide], texts[wide]


def test_a_list_item_holding_a_table_for_a_landscape_page_goes_there_whole(tmp_path: Path) -> None:
    """A data-model entity: its name and description go to the landscape page with its fields table."""
    from gitspec.render.model import Heading, ListBlock

    name = Table(FIELDS_HEADER, (((Text("Name"),), (Text("Payment"),)),))
    fields = Table(tuple(f"H{n}" for n in range(9)), (tuple((Text(word),) for word in WIDE_WORDS),))
    narrow = Table(("Name", "Type"), (((Text("id"),), (Text("uuid"),)),))
    entities = ListBlock(((name, Heading(5, "Fields", "fields"), fields), (name, narrow)))
    site = sample_site()
    page = replace(site.pages[2], sections=(Section("s", "S", "s", (entities,)),))
    html = print_page(replace(site, pages=(page,)), page, FakeAssets(tmp_path)).body
    assert html.count('<li class="wide"><dl class="fields">') == 1 and html.count("<li><dl") == 1, html


def test_a_numbered_list_counts_from_its_first_number(tmp_path: Path) -> None:
    """Markdown's `3. three` / `4. four`: weasyprint ignores `<ol start>`, so the print HTML sets the counter."""
    from gitspec.render.model import ListBlock, Paragraph

    def items(*words: str) -> tuple:
        return tuple((Paragraph((Text(word),)),) for word in words)

    lists = (ListBlock(items("three", "four"), ordered=True, start=3),
             ListBlock(items("zero", "one"), ordered=True, start=0),
             ListBlock(items("first", "second"), ordered=True))
    site = sample_site()
    page = replace(site.pages[2], sections=(Section("s", "S", "s", lists),))
    pdf = PdfRenderer().page_files(replace(site, pages=(page,)), page, FakeAssets(tmp_path))["DESIGN-brand.pdf"]
    numbered = re.findall(r"(-?\d+)\. (three|four|zero|one|first|second)", visible_text(pdf))
    assert numbered == [("3", "three"), ("4", "four"), ("0", "zero"), ("1", "one"), ("1", "first"), ("2", "second")]


def test_a_sections_footnotes_count_on_from_the_notes_before_them_in_the_pdf_and_the_book(repo) -> None:
    """Before, Goals' note, marked 2, was listed as "1. Second note." (weasyprint ignores `<ol start>`)."""
    body = "## Problem\n\nFirst claim.[^a]\n\n[^a]: First note.\n\n## Goals\n\nSecond claim.[^b]\n\n[^b]: Second note.\n"
    root = repo({"specs/p.md": prd(body)}, PDF_CONFIG)
    assert run_gitspec(root, "render", "--format", "pdf").code == 0
    for name in ("p", "book"):
        text = visible_text((root / "build" / "pdf" / f"{name}.pdf").read_bytes())
        notes = re.findall(r"(\d+)\. (First|Second) note", text)
        assert notes == [("1", "First"), ("2", "Second")], (name, text)


def png(width: int, height: int, colour: tuple[int, int, int] = (120, 160, 220)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(("columns", "picture"), [(2, (1280, 6000)), (9, (400, 6000))])  # 9: a landscape page
def test_a_table_whose_first_row_holds_a_full_page_screenshot_keeps_its_header(repo, columns, picture) -> None:
    """Kept whole at its full height, the row and the header could not share a page, and weasyprint
    printed the row without the header: the header's words were nowhere in the PDF."""
    header = ["Screen", "What the finance operator can do on this screen", *(f"H{n}" for n in range(columns - 2))]
    row = ["![Invoice list](page.png) Invoice list, full page, as it shows in a browser window 1280 pixels wide "
           "with the filters panel open", "Filter, sort and open invoices", *WIDE_WORDS[:columns - 2]]
    body = f"## Problem\n\n| {' | '.join(header)} |\n|{'---|' * columns}\n| {' | '.join(row)} |\n"
    config = PDF_CONFIG.replace("page_size: A4", "page_size: Letter")
    pdf = rendered_pdf(repo({"specs/p.md": prd(body), "specs/page.png": png(*picture)}, config))
    [page] = [" ".join(text.split()) for text in pages_text(pdf.read_bytes()) if "Filter, sort" in text]
    assert "What the finance operator can do" in page, page


def test_a_row_is_tall_by_its_pictures_as_well_as_its_text() -> None:
    """A row of a picture and text that together pass half a page may break under the header."""
    from gitspec.render.model import Image

    words = (Text(" ".join(["word"] * 150)),)  # about 300pt of text: alone, the row is kept whole
    rows = [Table(("Screen", "Note"), ((cell, (Text("x"),)),)) for cell in (words, (Image("shot.png", "Shot"), *words))]
    assert [tall_rows(table, layout(table)) for table in rows] == [set(), {0}]


def test_a_picture_on_a_landscape_page_fits_it_with_its_caption(repo) -> None:
    """A phone screenshot in a list item that holds a table for a landscape page: printed up to 22cm
    tall, it ran off the foot of the 17cm landscape page and its caption went alone to the next."""
    table = (f"  | {' | '.join(f'H{n}' for n in range(9))} |\n  |{'---|' * 9}\n"
             f"  | {' | '.join(WIDE_WORDS)} |\n")
    body = f"## Problem\n\n- The invoice list and its columns:\n\n{table}\n  ![Invoice list](phone.png \"The invoice list\")\n"
    pdf = rendered_pdf(repo({"specs/p.md": prd(body), "specs/phone.png": png(1170, 2532)}, PDF_CONFIG))
    reader = pypdf.PdfReader(pdf)
    [page] = [page for page in reader.pages if b" Do" in page.get_contents().get_data()]  # draws the picture
    assert page.mediabox.width > page.mediabox.height  # on the landscape page
    assert "The invoice list" in page.extract_text(), [p.extract_text() for p in reader.pages]


@pytest.mark.parametrize("start", ["", "### Fields\n\n", "- The fields:\n\n"])
def test_a_section_that_starts_with_a_table_for_a_landscape_page_takes_its_heading_there(repo, start) -> None:
    """Before, the section's heading and its last change stayed alone on a portrait page."""
    indent = "  " if start.startswith("-") else ""
    table = (f"{indent}| {' | '.join(f'H{n}' for n in range(9))} |\n{indent}|{'---|' * 9}\n"
             f"{indent}| {' | '.join(WIDE_WORDS)} |\n")
    pdf = rendered_pdf(repo({"specs/p.md": prd(f"## Problem\n\n{start}{table}\n## Goals\n\nFast invoices.\n")},
                            PDF_CONFIG))
    reader = pypdf.PdfReader(pdf)
    [heading] = [page for page in reader.pages if "Problem\nLast change" in page.extract_text()]
    assert heading.mediabox.width > heading.mediabox.height, heading.extract_text()  # on the landscape page
    assert "paymentMethodId" in heading.extract_text(), heading.extract_text()  # with its table


def test_a_requirements_heading_and_verdict_stay_with_its_statement_and_its_fields_with_its_text(repo) -> None:
    """Before, a page could end with a requirement's heading and its "missing" badge, its statement
    on the next page; and a page could open with the previous requirement's lone priority row."""
    items = ""
    for n in range(1, 41):
        words = " ".join(["the invoice list of the billing dashboard"] * (1 + n * 7 % 9))
        items += (f"  - id: REQ-{n:03}\n    title: Requirement {n}\n    statement: The system shall show {words}.\n"
                  f"    acceptance:\n      - It shows {words}.\n      - It does {n}.\n    priority: must\n")
    pdf = rendered_pdf(repo({"specs/reqs.yaml": requirements_doc(items=items)}, PDF_CONFIG), "reqs")
    for text in layout_text(pdf).split("\f")[:-1]:
        lines = [line.strip() for line in text.splitlines()
                 if line.strip() and not re.match(r"(reqs|Page \d+ of \d+)", line.strip())]
        assert lines[-1] != "missing" and not lines[0].startswith("Priority"), lines


def test_an_alerts_title_stays_with_the_first_lines_of_what_it_says(repo) -> None:
    """Before, an alert could break right after its title: "Note" alone at the foot of a page."""
    alerts = "\n\n".join(f"Paragraph {n}.\n\n> [!NOTE]\n> {'text ' * (20 * (n % 5) + 12)}" for n in range(40))
    pages = layout_text(rendered_pdf(repo({"specs/p.md": prd(f"## Problem\n\n{alerts}\n")}, PDF_CONFIG))).split("\f")
    for text in pages[:-1]:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        body = [line for line in lines if not re.match(r"(p +commit|Page \d+ of \d+$)", line)]
        assert body[-1] != "Note", lines


def layout_text(pdf: Path) -> str:
    """The text of `pdf` as pdftotext lays it out (a fields list's names and values on one line), a form feed after each page."""
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


TOKEN = ("eyJhbGciOiJIUzI1NiJ9QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo" * 2000)[:80_000]  # a pasted JWT / base64 blob


def test_a_long_token_in_print_gets_a_break_opportunity_every_8_characters(tmp_path: Path) -> None:
    from gitspec.render.model import Link, Paragraph

    url = "https://example.com/" + "a" * 150  # a run of up to 200 characters is left whole
    thai = "ภาษาไทยเขียนติดกันโดยไม่เว้นวรรค" * 10  # as is text in a script that breaks without spaces
    blocks = (Paragraph((Text("Key: "), Text(TOKEN[:210], "code"), Text(" and <" + TOKEN[:210] + ">"), Text(thai))),
              Paragraph((Link(TOKEN[:210], "https://example.com/"), Text(f" see {url}"))),
              Table(("Name", "Value"), (((Text("key"),), (Text(TOKEN[:210]),)),)))
    site = sample_site()
    page = replace(site.pages[2], sections=(Section("s", "S", "s", blocks),))
    html = print_page(replace(site, pages=(page,)), page, FakeAssets(tmp_path)).body

    def broken(token: str) -> str:
        return "\u200b".join(token[i:i + 8] for i in range(0, len(token), 8))

    assert html.count(broken(TOKEN[:210])) == 3 and TOKEN[:9] not in html, html  # each place, and only so
    assert "&lt;" + broken("<" + TOKEN[:210] + ">")[1:-1] + "&gt;" in html, html  # escaped as before
    assert "Key: " in html and f" see {url}</p>" in html and thai in html, html  # left as they were


def test_a_pdf_holding_an_80000_character_token_renders_in_seconds_and_reads_whole(repo) -> None:
    """weasyprint took time growing with the square of an unbroken token's length to wrap it:
    about a minute for this one in a paragraph, as long again in inline code."""
    import time

    body = f"## Problem\n\nKey: {TOKEN}\n\n## Goals\n\nThe key is `{TOKEN[:40_000]}`.\n"
    root = repo({"specs/p.md": prd(body)}, PDF_CONFIG)
    start = time.monotonic()
    pdf = rendered_pdf(root)
    assert time.monotonic() - start < 30
    text = "".join(visible_text(pdf.read_bytes()).split())
    text = re.sub(r"pcommit[0-9a-f]{7}|Page\d+of\d+", "", text)  # without the running headers and footers
    assert f"Key:{TOKEN}Goals" in text and f"Thekeyis{TOKEN[:40_000]}." in text


@pytest.fixture(scope="module")
def plan_and_reqs(tmp_path_factory) -> Path:
    """A workspace of a PRD and a requirements document, rendered to PDF and Word once in the run: the
    tests that use it only read what the render wrote."""
    from conftest import made_once, make_repo

    def render(folder: Path) -> dict:
        config = CONFIG.replace("formats: []", "formats: [pdf, docx]")
        root = make_repo(folder / "ws", {
            "gitspec.yaml": config, "specs/.keep": "", "specs/p.md": prd("## Problem\n\nSlow invoices.\n"),
            "specs/reqs.yaml": requirements_doc(items=requirement("REQ-001"))})
        result = run_gitspec(root, "render")
        assert result.code == 0, result
        return {}

    return made_once(tmp_path_factory, "plan-and-reqs", render)[0] / "ws"


def test_the_book_cover_names_the_traceability_matrix_its_contents_list(plan_and_reqs: Path) -> None:
    """Before, the cover said "2 documents" above contents of three: the matrix is no document."""
    root = plan_and_reqs
    cover, contents = pages_text((root / "build" / "pdf" / "book.pdf").read_bytes())[:2]
    assert "2 documents and the traceability matrix" in cover, cover
    assert "Traceability matrix" in contents and contents.count(" · ") == 3, contents
    import docx  # Word's title page named the matrix among "2 documents: P, Requirements, Traceability matrix"

    lines = [p.text for p in docx.Document(str(root / "build" / "docx" / "book.docx")).paragraphs][:4]
    assert "2 documents: Plan, Requirements and the traceability matrix" in lines, lines


def test_a_pdf_carries_the_author_subject_and_keywords_its_word_file_does(plan_and_reqs: Path) -> None:
    """Before, the PDFs had a title only; the Word files named their author, subject and keywords."""
    import docx

    root = plan_and_reqs
    for name in ("p", "book"):
        words = docx.Document(root / "build" / "docx" / f"{name}.docx").core_properties
        info = pypdf.PdfReader(root / "build" / "pdf" / f"{name}.pdf").metadata
        assert (info.author, info.subject, info.get("/Keywords")) == (words.author, words.subject, words.keywords)
        assert words.author == "Ada Tester" and words.keywords, words.keywords
        assert (info.creation_date, info.modification_date) == (
            words.created.replace(tzinfo=timezone.utc), words.modified.replace(tzinfo=timezone.utc))


def test_the_traceability_matrix_pdf_carries_the_author_and_dates_of_the_documents_it_is_built_from(
        plan_and_reqs: Path) -> None:
    """Before, its Author was "gitspec" and it had no creation or modification date."""
    import docx

    root = plan_and_reqs
    reqs, matrix = (pypdf.PdfReader(root / "build" / "pdf" / f"{name}.pdf").metadata for name in ("reqs", "traceability"))
    assert matrix.author == reqs.author == "Ada Tester", matrix
    assert matrix.modification_date == reqs.modification_date and matrix.creation_date is not None, matrix
    words = docx.Document(root / "build" / "docx" / "traceability.docx").core_properties
    assert (words.author, words.modified.replace(tzinfo=timezone.utc)) == (matrix.author, matrix.modification_date)


def test_the_column_names_of_a_records_table_without_rows_keep_their_code_links_pictures_and_marks(repo) -> None:
    # Before, a table of more than 12 columns and no rows printed its column names as plain text:
    # "Plan[1]" for a footnote mark, the link's label without its link, the picture's alt text
    names = ("`plan_id`", "Plan[^n]", "[Docs](https://example.com/docs)", "![icon](icon.png)",
             *(f"Column{n}" for n in range(4, 13)))
    body = f"## Problem\n\nNo rows:\n\n| {' | '.join(names)} |\n|{'---|' * len(names)}\n\n[^n]: The plan's name.\n"
    pdf = rendered_pdf(repo({"specs/icon.png": png(40, 40), "specs/p.md": prd(body)}, PDF_CONFIG))
    text = visible_text(pdf.read_bytes())
    assert "plan_id · Plan1 ·" in " ".join(text.split()) and "[1]" not in text and "icon" not in text, text
    reader = pypdf.PdfReader(pdf)
    [page] = [page for page in reader.pages if "plan_id" in page.extract_text()]
    uris = [annot.get_object().get("/A", {}).get("/URI") for annot in page.get("/Annots", ())]
    assert "https://example.com/docs" in uris, uris
    assert b" Do" in page.get_contents().get_data()  # draws the picture
