"""The Word renderer: each .docx reopened with python-docx and its XML read as Word would read it."""
from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from conftest import CONFIG, git, make_repo, requirement, requirements_doc, run_gitspec, task, tasks_doc
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.enum.section import WD_ORIENT
from docx.shared import Inches, Mm, Pt, RGBColor, Twips
from docx.text.run import Run
from rendersite import FakeAssets, sample_site

from gitspec.render.model import (
    OK, WARN, Badge, Change, Code, Contrast, Diagram, Heading, Link, ListBlock, Notice, Page, Paragraph, Section, Site,
    Quote, Rule, Swatch, Swatches, Table, Text,
)
from gitspec.render.renderer import DiagramImage
from gitspec.render.word import WordRenderer

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def tiny_png(width: int = 400, height: int = 100) -> bytes:
    """A grey PNG, built by hand so the test needs no imaging library."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


@dataclass
class PngAssets:
    """Every diagram drawn as the same PNG, or (png=None) as a note."""

    root: Path
    png: bytes | None
    package_assets: Path = Path(".")

    def diagram(self, diagram: Diagram) -> DiagramImage:
        if self.png is None:
            return DiagramImage(None, None, "No renderer: install mmdc.")
        return DiagramImage(b"<svg/>", self.png)


def page_doc(site: Site, page_id: str, assets=None) -> tuple[docx.document.Document, bytes]:
    page = site.page(page_id)
    files = WordRenderer().page_files(site, page, assets or FakeAssets(Path(".")))
    assert list(files) == [f"{page_id}.docx"]
    data = files[f"{page_id}.docx"]
    return docx.Document(io.BytesIO(data)), data


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").decode("utf-8")


def styled(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs]


def test_headings_use_word_builtin_styles_for_navigation_and_toc():
    document, _ = page_doc(sample_site(), "PRD-billing")
    paragraphs = styled(document)
    assert paragraphs[0] == ("Heading 1", "Billing <em>PRD</em>")  # plain text, never markup
    assert ("Heading 2", "Goals") in paragraphs
    assert ("Heading 2", "Risks <b>bold</b>") in paragraphs
    assert ("Heading 3", "Details") in paragraphs  # a model Heading inside a section
    assert document.styles["Heading 1"].builtin and document.styles["Heading 3"].builtin
    # The contents list the document and its sections, as the PDF's and the site's do: not "Details".
    entries = [(name, text) for name, text in paragraphs if name.startswith("toc ")]
    assert ("toc 2", "Goals") in entries and not any(text == "Details" for _, text in entries), entries


def test_toc_field_follows_the_title_with_a_placeholder():
    document, data = page_doc(sample_site(), "REQ-billing")
    xml = document_xml(data)
    assert 'TOC \\o "1-2" \\h \\z \\u' in xml
    begin, separate, end = (xml.index(f'w:fldCharType="{kind}"') for kind in ("begin", "separate", "end"))
    assert begin < xml.index("TOC \\o") < separate < xml.index("Right-click") < end
    names = [name for name, _ in styled(document)]
    assert names.index("Heading 1") < names.index("TOC Heading") < names.index("Heading 2")
    # Filled in for viewers that never update fields: linked entries, Word redoes them with page numbers.
    entries = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("toc ")]
    assert entries[:3] == [("toc 1", "Billing requirements"), ("toc 2", "REQ-001 Export invoice batch 1 as CSV"),
                           ("toc 2", "REQ-002 Export invoice batch 2 as CSV")]
    assert xml.index("REQ-003 Export") < xml.index('w:fldCharType="end"')
    settings = document.settings.element.find(f"{W}updateFields")
    assert settings is not None and settings.get(f"{W}val") == "true"


def test_table_has_a_repeating_header_row_and_cell_text():
    document, _ = page_doc(sample_site(), "TRACE")
    (table,) = document.tables
    assert table.style.name == "Light Grid Accent 1"
    assert [c.text for c in table.rows[0].cells] == ["Requirement", "Source", "Tests"]
    assert [c.text for c in table.rows[1].cells] == ["REQ-001", "PRD-billing", "[covered] "]
    assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)


def test_lists_use_list_styles_and_numbered_lists_restart():
    site = Site("S", "abc1234", False, "A4", (Page("L", "notes", "Lists", "", "draft", (), (
        Section("s", "S", "s", (
            ListBlock(((Paragraph((Text("one"),)),), (Paragraph((Text("two"),)),
                                                       ListBlock(((Paragraph((Text("two.a"),)),),)))), ),
            ListBlock(((Paragraph((Text("first"),)),), (Paragraph((Text("second"),)),)), ordered=True),
            ListBlock(((Paragraph((Text("again"),)),),), ordered=True),
            ListBlock(((Paragraph((Text("fifth"),)),),), ordered=True, start=5),
        )),)),))
    document, _ = page_doc(site, "L")
    by_text = {p.text: p for p in document.paragraphs}
    assert by_text["one"].style.name == by_text["two"].style.name == "List Bullet"
    assert by_text["two.a"].style.name == "List Bullet 2"
    assert by_text["first"].style.name == by_text["again"].style.name == "List Number"
    first_list = by_text["first"]._p.pPr.numPr.numId.val
    assert by_text["second"]._p.pPr.numPr.numId.val == first_list
    assert by_text["again"]._p.pPr.numPr.numId.val != first_list  # a new list starts again at 1
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.num_lst if n.numId == first_list)
    assert num.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val") == "1"
    fifth = next(n for n in numbering.num_lst if n.numId == by_text["fifth"]._p.pPr.numPr.numId.val)
    assert fifth.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val") == "5"  # Markdown's "5. fifth"


def test_code_is_in_a_monospace_paragraph_style():
    document, _ = page_doc(sample_site(), "ARCH-overview")
    code = [p for p in document.paragraphs if p.style.name == "Code"]
    assert "GET /invoices" in [p.text for p in code]
    assert document.styles["Code"].font.name == "Consolas"
    prd, _ = page_doc(sample_site(), "PRD-billing")
    assert any(p.style.name == "Code" and p.text == 'print("<b>hi</b>")' for p in prd.paragraphs)
    inline = [r for p in prd.paragraphs for r in p.runs if r.text == "export"]
    assert inline and inline[0].style.name == "Code Char"


def test_diagram_png_is_embedded_and_fitted_to_the_page(tmp_path):
    png = tiny_png(4000, 500)  # 55 inches wide at 72 dpi: must shrink to the text width
    document, _ = page_doc(sample_site(), "ARCH-overview", PngAssets(tmp_path, png))
    assert len(document.inline_shapes) == 2
    section = document.sections[0]
    room = section.page_width - section.left_margin - section.right_margin
    assert all(0 < shape.width <= room for shape in document.inline_shapes)
    blobs = [rel.target_part.blob for rel in document.part.rels.values() if rel.reltype == RT.IMAGE]
    assert blobs == [png]  # one image part, shared by both diagrams
    assert ("Caption", "Context") in styled(document)
    assert [shape._inline.docPr.get("descr") for shape in document.inline_shapes] == [
        "Context. Flowchart: Web → API", "Login. Sequence diagram: A → B: hi <script>"]  # alt text


def test_small_diagram_keeps_its_own_size(tmp_path):
    document, _ = page_doc(sample_site(), "ARCH-overview", PngAssets(tmp_path, tiny_png(144, 72)))
    assert document.inline_shapes[0].width == Inches(2)  # 144 px at the default 72 dpi


def test_missing_diagram_image_shows_source_and_an_italic_note(tmp_path):
    document, _ = page_doc(sample_site(), "ARCH-overview", PngAssets(tmp_path, None))
    assert len(document.inline_shapes) == 0
    assert any(p.style.name == "Code" and p.text.startswith("graph TD") for p in document.paragraphs)
    notes = [p for p in document.paragraphs if p.text == "No renderer: install mmdc."]
    assert len(notes) == 2 and all(r.italic for r in notes[0].runs)


def test_unreadable_png_falls_back_to_the_source(tmp_path):
    document, _ = page_doc(sample_site(), "ARCH-overview", PngAssets(tmp_path, b"\x89PNG\r\n\x1a\nbroken"))
    assert len(document.inline_shapes) == 0
    assert any("could not be read" in p.text for p in document.paragraphs)


def test_links_external_internal_sibling_and_unknown():
    prd, _ = page_doc(sample_site(), "PRD-billing")
    targets = {rel.target_ref for rel in prd.part.rels.values() if rel.reltype == RT.HYPERLINK}
    assert "https://example.com/docs" in targets
    assert any(t.startswith("REQ-billing.docx#g") for t in targets)  # another page: its sibling file, at the item
    assert not any("javascript" in t or t.startswith("data:") for t in targets)
    anchors = {h.get(f"{W}anchor") for h in prd.element.body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")}
    bookmarks = {b.get(f"{W}name") for b in prd.element.body.iter(f"{W}bookmarkStart")}
    assert anchors and anchors <= bookmarks  # "#goals" inside this page is a live jump
    unknown = [p for p in prd.paragraphs if "unknown" in p.text][0]
    assert not unknown._p.findall(f"{W}hyperlink/{W}r/{W}t[.='unknown']")


def test_a_link_to_an_item_in_another_document_opens_that_document_at_the_item(repo):
    # Before, tasks.docx's link to REQ-002 was to "reqs.docx" alone: Word and LibreOffice opened
    # reqs.docx at its top, the item's bookmark there never reached
    root = repo({"specs/reqs.yaml": requirements_doc(items=requirement("REQ-001") + requirement("REQ-002")),
                 "specs/tasks.yaml": tasks_doc(items=task("TASK-001", "[REQ-002]"))})
    assert run_gitspec(root, "render", "--format", "docx").code == 0
    tasks, reqs = (docx.Document(str(root / f"build/docx/{name}.docx")) for name in ("tasks", "reqs"))
    [link] = [h for h in tasks.element.body.iter(f"{W}hyperlink") if "REQ-002" in "".join(h.itertext())]
    address, _, place = tasks.part.rels[link.get(f"{{{RT_NS}}}id")].target_ref.partition("#")
    assert address == "reqs.docx" and place and not link.get(f"{W}anchor")  # (a w:anchor: looked up in tasks.docx)
    [marked] = [p for p in reqs.paragraphs if p._p.xpath(f"./w:bookmarkStart[@w:name='{place}']")]
    assert marked.text.startswith("REQ-002")

    book = docx.Document(str(root / "build/docx/book.docx"))  # the book's links (the task's, the matrix's) jump inside it
    links = [h for h in book.element.body.iter(f"{W}hyperlink") if "REQ-002" in "".join(h.itertext())]
    assert links and {(h.get(f"{W}anchor"), h.get(f"{{{RT_NS}}}id")) for h in links} == {(place, None)}


def test_badges_are_bold_bracketed_text():
    document, _ = page_doc(sample_site(), "REQ-billing")
    badge_runs = [r for p in document.paragraphs for r in p.runs if r.text.startswith("[")]
    assert "[stale] " in [r.text for r in badge_runs] and all(r.style.name == "Badge" for r in badge_runs)
    assert document.styles["Badge"].font.bold


def test_an_alert_is_a_box_with_a_bar_in_its_tone_holding_its_title_and_what_it_says():
    alert = Notice("careful", WARN, "Warning", (Paragraph((Text("careful "), Link("the guide", "https://e.org/g"))),
                                                ListBlock(((Paragraph((Text("step one"),)),),), False)))
    note = Notice("Diagram not drawn.", WARN)
    page = Page("PRD-a", "prd", "A", "specs/a.md", "draft", (), (Section("s", "S", "s", (alert, note)),))
    site = Site("T", "", False, "A4", (page,), kinds=("prd",))
    document, data = page_doc(site, "PRD-a")
    (box,) = document.tables
    borders = box._tbl.tblPr.find(f"{W}tblBorders")
    assert [(b.tag[len(W):], b.get(f"{W}val"), b.get(f"{W}color")) for b in borders] == [
        ("top", "nil", None), ("left", "single", "9A6700"), ("bottom", "nil", None), ("right", "nil", None),
        ("insideH", "nil", None), ("insideV", "nil", None)]
    cell = box.cell(0, 0)
    assert [(p.style.name, p.text) for p in cell.paragraphs] == [
        ("Normal", "Warning"), ("Normal", "careful the guide"), ("List Bullet", "step one")]
    assert cell.paragraphs[0].runs[0].bold and cell.paragraphs[0].runs[0].font.color.rgb == RGBColor(0x9A, 0x67, 0x00)
    # a note without a title stays an italic line after the box, outside it
    assert [p.text for p in document.paragraphs][-1] == "Diagram not drawn." and document.paragraphs[-1].runs[0].italic


def test_an_alert_ending_in_a_table_keeps_the_paragraph_a_cell_must_end_with():
    alert = Notice("x", OK, "Tip", (Table(("a",), (((Text("1"),),),)),))
    page = Page("PRD-a", "prd", "A", "specs/a.md", "draft", (), (Section("s", "S", "s", (alert,)),))
    document, _ = page_doc(Site("T", "", False, "A4", (page,), kinds=("prd",)), "PRD-a")
    cell = document.tables[0].cell(0, 0)
    assert [t.cell(1, 0).text for t in cell.tables] == ["1"]
    assert cell._tc[-1].tag == f"{W}p"


def test_two_tables_in_a_row_stay_two_tables():
    """Word (and LibreOffice) join tables with nothing between them into one: the second alert's bar
    took over the first's, and two Markdown tables became one."""
    table = Table(("a",), (((Text("1"),),),))
    blocks = (Notice("x", WARN, "Warning"), Notice("y", OK, "Tip"), table, table)
    page = Page("PRD-a", "prd", "A", "specs/a.md", "draft", (), (Section("s", "S", "s", blocks),))
    document, _ = page_doc(Site("T", "", False, "A4", (page,), kinds=("prd",)), "PRD-a")
    body = [child.tag[len(W):] for child in document.element.body]
    tags = "".join("T" if tag == "tbl" else "p" for tag in body)
    assert "TT" not in tags and tags.count("T") == 4


def test_two_code_blocks_or_two_breaks_in_a_row_stay_two():
    """Word and LibreOffice draw shaded paragraphs in a row as one box, and lines under paragraphs in a
    row as one line: two code blocks read as one script, two thematic breaks as one."""
    blocks = (Code("DELETE FROM invoices;", "sql"), Code("DELETE FROM invoices WHERE void;", "sql"), Rule(), Rule(),
              Paragraph((Text("after"),)), Code("one more", ""))
    page = Page("PRD-a", "prd", "A", "specs/a.md", "draft", (), (Section("s", "S", "s", blocks),))
    document, _ = page_doc(Site("T", "", False, "A4", (page,), kinds=("prd",)), "PRD-a")
    paragraphs = document.paragraphs
    body = paragraphs[next(i for i, p in enumerate(paragraphs) if "DELETE" in p.text):]
    looks = ["code" if p.style.name == "Code" else "rule" if p._p.xpath("./w:pPr/w:pBdr") else p.text or "-"
             for p in body]
    assert looks == ["code", "-", "code", "rule", "-", "rule", "after", "code"], looks


def test_swatches_are_shaded_cells_with_the_contrast_table():
    document, _ = page_doc(sample_site(), "DESIGN-brand")
    swatches, contrast = document.tables
    fills = [(c._tc.tcPr.find(f"{W}shd").get(f"{W}fill") if c._tc.tcPr.find(f"{W}shd") is not None else None)
             for c in swatches.column_cells(0)[1:]]
    assert fills == ["0969DA", "1F2328", None]  # the planted CSS is never used as a colour
    assert [c.text for c in contrast.rows[1].cells][3:] == ["15.80:1", "4.5:1", "[pass] "]


def test_core_properties_come_from_the_page_and_its_history():
    site = sample_site()
    document, _ = page_doc(site, "REQ-billing")
    props = document.core_properties
    assert props.title == "Billing requirements"
    assert props.author == "Ada Tester" and props.subject == "requirements"
    assert "REQ-billing" in props.keywords and "approved" in props.keywords
    assert props.revision == 3  # three distinct commits last changed its sections
    assert props.version == "abc1234" and props.identifier == "REQ-billing"
    assert props.created.isoformat().startswith("2026-01-02") and props.modified.day == 4


def test_page_without_history_has_no_invented_dates():
    document, data = page_doc(sample_site(), "TRACE")
    assert document.core_properties.author == "gitspec"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        core = package.read("docProps/core.xml").decode()
        assert "2013" not in core and "created" not in core
        assert "docProps/thumbnail.jpeg" not in package.namelist()


@pytest.mark.parametrize("size, width, height", [("A4", Mm(210), Mm(297)), ("Letter", Inches(8.5), Inches(11))])
def test_page_size_follows_the_site(size, width, height):
    document, _ = page_doc(sample_site(page_size=size), "TRACE")
    section = document.sections[0]
    assert abs(section.page_width - width) < Mm(0.1) and abs(section.page_height - height) < Mm(0.1)


def test_same_tree_gives_the_same_bytes():
    site = sample_site()
    renderer, assets = WordRenderer(), FakeAssets(Path("."))
    assert renderer.site_files(site, assets) == renderer.site_files(site, assets)
    page = site.page("PRD-billing")
    assert renderer.page_files(site, page, assets) == renderer.page_files(site, page, assets)


def test_book_has_a_title_page_toc_and_every_page_in_order():
    site = sample_site()
    files = WordRenderer().site_files(site, FakeAssets(Path(".")))
    assert list(files) == ["book.docx"]
    book = docx.Document(io.BytesIO(files["book.docx"]))
    paragraphs = styled(book)
    assert paragraphs[0] == ("Title", site.title)
    assert paragraphs[3] == ("TOC Heading", "Contents")
    titles = [p for p in book.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in titles] == [p.title for p in site.pages]
    starts = [p.text for p in book.paragraphs if p._p.getprevious() is not None
              and p._p.getprevious().xpath("./w:pPr/w:sectPr")]
    assert starts == [p.text for p in titles]  # each document opens a section (a new page): title page and TOC first
    assert book.paragraphs[3].paragraph_format.page_break_before
    anchors = [h.get(f"{W}anchor") for h in book.element.body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    bookmarks = {b.get(f"{W}name") for b in book.element.body.iter(f"{W}bookmarkStart")}
    assert anchors and set(anchors) <= bookmarks  # links between pages jump inside the book
    assert book.core_properties.title == site.title


def test_text_that_xml_cannot_hold_does_not_break_the_file():
    site = Site("S\x00", "", True, "A4", (Page("P", "notes", "Bad \x01 title", "", "draft", (Badge("x\x0b", WARN),), (
        Section("s", "S\x1f", "s", (Paragraph((Text("nul \x00 here\tand\nthere"),)),
                                    Heading(3, "h\x02", "h"), Code("a\x07b"),
                                    Table(("c\x03",), (((Text("v\x04"), Badge("ok", OK)),),)))),)),))
    document, _ = page_doc(site, "P")
    assert document.paragraphs[0].text == "Bad \ufffd title"
    WordRenderer().site_files(site, FakeAssets(Path(".")))


def test_two_thousand_requirement_items_render_in_seconds():
    blocks = []
    for n in range(2000):
        blocks += [Heading(3, f"REQ-{n:04d} Export batch {n}", f"req-{n:04d}"),
                   Paragraph((Text(f"The system shall export batch {n} "), Link("goals", "doc:P#s"))),
                   Table(("Field", "Value"), (((Text("priority"),), (Badge("approved", OK),)),))]
    page = Page("P", "requirements", "Items", "", "approved", (),
                (Section("s", "S", "s", tuple(blocks), change=Change("c1", "Ann", "2026-01-01")),))
    site = Site("S", "abc", False, "A4", (page,))
    start = time.perf_counter()
    data = WordRenderer().page_files(site, page, FakeAssets(Path(".")))["P.docx"]
    elapsed = time.perf_counter() - start
    assert elapsed < 15, f"{elapsed:.1f} s"  # about 1 s here; python-docx's own add_* took 16 s
    document = docx.Document(io.BytesIO(data))
    assert len(document.tables) == 2000
    assert sum(p.style.name == "Heading 3" for p in document.paragraphs) == 2000


def test_a_title_or_path_too_long_for_a_core_property_is_cut_not_a_crash(repo):
    title = "A very long title " * 20  # 360 characters
    deep = "/".join(["a" * 60] * 4)
    root = repo({f"specs/{deep}/reqs.yaml": f"kind: requirements\nid: reqs\ntitle: {title.strip()}\nitems:\n"
                                           + requirement("REQ-001")},
                CONFIG.replace("formats: []", "formats: [docx]"))
    result = run_gitspec(root, "render")
    assert result.code == 0 and "internal error" not in result.err, result
    props = docx.Document(str(root / "build" / "docx" / "reqs.docx")).core_properties
    assert len(props.title) == 255 and props.title.startswith("A very long title") and props.title.endswith("…")
    assert len(props.comments) <= 255


def test_struck_out_text_is_struck_out_in_word_and_html():
    from gitspec.render.html import HtmlRenderer

    site = Site("S", "abc1234", False, "A4", (Page("P", "notes", "P", "", "draft", (), (
        Section("s", "S", "s", (Paragraph((Text("kept "), Text("dropped", "strike"))),)),)),))
    _, data = page_doc(site, "P")
    xml = document_xml(data)
    assert "<w:strike/>" in xml.split(">dropped<")[0].rsplit("<w:r>", 1)[-1]
    html = HtmlRenderer().page_files(site, site.page("P"), FakeAssets(Path(".")))["P.html"].decode()
    assert "kept <del>dropped</del>" in html


def test_a_quote_is_set_apart_in_word_and_html():
    """A quote is a box with a grey bar down its left side, as on the site, holding all it quotes: before,
    only its paragraphs were styled, so a quoted list or code read as the document's own, and a quote in
    a quote was not told apart."""
    from gitspec.render.html import HtmlRenderer

    inner = Quote((Paragraph((Text("nested words"),)),))
    quoted = Quote((Paragraph((Text("their words"),)), ListBlock(((Paragraph((Text("their point"),)),),), False),
                    Code("their code", ""), inner))
    site = Site("S", "abc1234", False, "A4", (Page("P", "notes", "P", "", "draft", (), (
        Section("s", "S", "s", (quoted, ListBlock(((Paragraph((Text("our point"),)),),), False))),)),))
    document, _ = page_doc(site, "P")
    (box,) = document.tables
    assert box._tbl.tblPr.find(f"{W}tblBorders/{W}left").get(f"{W}color") == "D1D9E0"
    cell = box.cell(0, 0)
    assert [(p.style.name, p.text) for p in cell.paragraphs] == [
        ("Quote", "their words"), ("List Bullet", "their point"), ("Code", "their code"),
        ("Normal", "")]  # after the quote in it: a cell ends in a paragraph
    (nested,) = cell.tables
    assert [(p.style.name, p.text) for p in nested.cell(0, 0).paragraphs] == [("Quote", "nested words")]
    assert ("List Bullet", "our point") in styled(document)  # ours: outside the box
    html = HtmlRenderer().page_files(site, site.page("P"), FakeAssets(Path(".")))["P.html"].decode()
    assert '<blockquote dir="auto">\n<p dir="auto">their words</p>' in html


def test_one_document_outside_git_is_counted_and_described_in_plain_words(tmp_path):
    root = tmp_path / "ws"  # no git repository: nothing is committed
    (root / "specs").mkdir(parents=True)
    (root / "gitspec.yaml").write_text(CONFIG)
    sections = ("Problem", "Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions")
    (root / "specs" / "plan.md").write_text("---\nkind: prd\nid: plan\ntitle: Plan\n---\n\n# Plan\n"
                                            + "".join(f"\n## {name}\n\nFast.\n" for name in sections))
    result = run_gitspec(root, "render", "--format", "docx")
    assert result.code == 0, result
    book = docx.Document(str(root / "build" / "docx" / "book.docx"))
    assert "1 document: Plan" in [p.text for p in book.paragraphs], [p.text for p in book.paragraphs][:5]
    assert book.core_properties.comments == "Rendered by gitspec: 1 document, outside git."
    page = docx.Document(str(root / "build" / "docx" / "plan.docx"))
    assert page.core_properties.comments == "Rendered by gitspec from specs/plan.md, not committed."


def test_a_block_newer_than_the_renderer_is_said_not_dropped_in_word_and_html():
    from gitspec.render.html import HtmlRenderer

    @dataclass(frozen=True)
    class Sparkline:  # a block a later gitspec (or a plugin's tree) might hold
        values: tuple[int, ...]

    site = Site("S", "abc1234", False, "A4", (Page("P", "notes", "P", "", "draft", (), (
        Section("s", "S", "s", (Paragraph((Text("before"),)), Sparkline((1, 2)), Paragraph((Text("after"),)))),)),))
    document, _ = page_doc(site, "P")
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("before") + 1:texts.index("after")] == ["Unsupported block: Sparkline"]
    html = HtmlRenderer().page_files(site, site.page("P"), FakeAssets(Path(".")))["P.html"].decode()
    assert "Unsupported block: Sparkline" in html


def test_a_commit_to_the_header_alone_is_the_documents_last_modification(repo):
    """Approving a document changes only its header (`status:`): its Word file says who approved it,
    when, and counts that commit, as the book does."""
    import subprocess

    spec = "kind: requirements\nid: reqs\ntitle: Requirements\nstatus: draft\nitems:\n" + requirement("REQ-001")
    root = repo({"specs/reqs.yaml": spec}, CONFIG.replace("formats: []", "formats: [docx]"))
    (root / "specs" / "reqs.yaml").write_text(spec.replace("status: draft", "status: approved"))
    subprocess.run(["git", "commit", "-qam", "Approve", "--author", "Bo Approver <bo@example.invalid>",
                    "--date", "2031-03-05T09:30:00+00:00"], cwd=root, check=True, capture_output=True)
    result = run_gitspec(root, "render")
    assert result.code == 0, result
    for name in ("reqs.docx", "book.docx"):
        props = docx.Document(str(root / "build" / "docx" / name)).core_properties
        assert props.last_modified_by == "Bo Approver", (name, props.last_modified_by)
        assert props.modified.isoformat().startswith("2031-03-05T09:30:00"), (name, props.modified)
        assert props.revision == 2, (name, props.revision)  # the items' commit and the approval


PRD = ("---\nkind: prd\nid: checkout\ntitle: Checkout\n---\n\n# Checkout\n\n"
       + "".join(f"## {name}\n\n{name} text.\n\n" for name in ("Problem", "Goals", "Non-goals", "Users", "Requirements",
                                                              "Success metrics", "Risks", "Open questions")))


def test_the_last_commit_in_history_not_the_latest_author_date_is_the_documents_last_modification(tmp_path):
    """After a rebase the commit that last changed a document may carry an older author date than one
    before it: its Word file and PDF named the author and date of the latest dated, its version HEAD."""
    import subprocess

    from pypdf import PdfReader

    def commit_as(author: str, date: str, old: str, new: str) -> None:
        path = root / "specs" / "checkout.md"
        path.write_text(path.read_text().replace(old, new))
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        subprocess.run(["git", "commit", "-qm", f"{author}'s change", "--author", f"{author} <{author}@example.invalid>",
                        "--date", date], cwd=root, check=True, capture_output=True)

    root = make_repo(tmp_path / "ws", {"gitspec.yaml": CONFIG.replace("formats: []", "formats: [pdf, docx]"),
                                       "specs/checkout.md": PRD}, commit=False)
    commit_as("Ada", "2026-01-01T10:00:00+00:00", "", "")
    commit_as("Bob", "2026-01-06T10:00:00+00:00", "Goals text.", "Bob's goals.")
    commit_as("Alice", "2026-01-05T10:00:00+00:00", "Users text.", "Alice's users.")  # rebased onto Bob's
    result = run_gitspec(root, "render")
    assert result.code == 0, result
    props = docx.Document(str(root / "build" / "docx" / "checkout.docx")).core_properties
    head = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], cwd=root, capture_output=True, text=True).stdout
    assert (props.version, props.author, props.last_modified_by) == (head.strip(), "Alice", "Alice")
    assert (props.created.isoformat(), props.modified.isoformat()) == ("2026-01-01T10:00:00+00:00", "2026-01-05T10:00:00+00:00")
    metadata = PdfReader(root / "build" / "pdf" / "checkout.pdf").metadata
    assert (metadata["/Author"], metadata["/ModDate"]) == ("Alice", "D:20260105100000Z")


def test_arabic_and_hebrew_stretches_of_a_run_become_right_to_left_runs_of_their_own() -> None:
    from gitspec.render.wordbidi import stretches

    # the brackets and spaces around a name stay out of its run, for Word to place by the letters beside them
    assert stretches("[approved by فاطمة] ") == [(False, "[approved by "), (True, "فاطمة"), (False, "] ")]
    assert stretches("عدد 5 items. שלום") == [(True, "عدد 5"), (False, " items. "), (True, "שלום")]
    assert stretches("plain") == [(False, "plain")] and stretches("") == []


WIDE_HEADER = ("Requirement", "Description", "Acceptance", "Owner", "Priority", "Estimate", "Dependencies",
               "Milestone", "Component", "Verification")  # ten columns whose words do not fit across a portrait page
WIDE_ROW = ("REQ-001", "Reconciliation", "Administrators", "Engineering", "Important", "Substantial",
            "Authentication", "Implementation", "Infrastructure", "Demonstration")
PLANS = ("Feature", "Free", "Starter", "Basic", "Team", "Business", "Growth", "Scale", "Premium", "Enterprise",
         "Partner", "Reseller", "Internal")  # thirteen columns: more than any page holds


def _markdown_table(header: tuple[str, ...], row: tuple[str, ...], prefix: str = "") -> str:
    return "\n".join(prefix + "| " + " | ".join(cells) + " |" for cells in (header, ("---",) * len(header), row))


def test_a_table_too_wide_for_a_portrait_page_is_on_a_landscape_page_or_records_as_in_the_pdf(repo):
    # Before, Word squeezed every table into the portrait width: 13 columns of 0.48 in, "Fea/tur/e".
    wide, plans = _markdown_table(WIDE_HEADER, WIDE_ROW), _markdown_table(PLANS, ("Invoices",) + ("Available",) * 12)
    rest = "".join(f"\n## {name}\n\nNone.\n" for name in
                   ("Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions"))
    body = (f"Before.\n\n### Plan\n\n{wide}\n\n{wide}\n\nBetween.\n\n- First\n- Second:\n\n"
            f"{_markdown_table(WIDE_HEADER, WIDE_ROW, '  ')}\n- Third\n\n"
            f"> Quoted:\n>\n{_markdown_table(WIDE_HEADER, WIDE_ROW, '> ')}\n\n"
            f"> [!NOTE]\n> Plans:\n>\n{_markdown_table(PLANS, ('Invoices',) + ('Available',) * 12, '> ')}\n\n"
            f"{plans}\n\n| a | b |\n| --- | --- |\n| small | table |\n")
    root = repo({"specs/prd.md": f"---\nkind: prd\nid: prd\ntitle: P\nstatus: draft\n---\n\n# P\n\n## Problem\n\n"
                                 f"{body}{rest}"})
    assert run_gitspec(root, "render", "--format", "docx").code == 0
    document = docx.Document(str(root / "build/docx/prd.docx"))

    # The body as (what, section): a paragraph's text or a table's first cell, numbered by its section.
    shown, section = [], 0
    for child in document.element.body.iterchildren(f"{W}p", f"{W}tbl"):
        text = "".join(child.xpath(".//w:t/text()")).strip()
        shown.append(((text[:12] if child.tag == f"{W}tbl" else text) or None, section))
        section += 1 if child.xpath("./w:pPr/w:sectPr") else 0
    sections = {what: n for what, n in shown if what}
    turned = [s.orientation == WD_ORIENT.LANDSCAPE for s in document.sections]
    assert turned == [False, True, False, True, False, True, False], turned
    assert [sections[what] for what in ("Before.", "Plan", "Between.", "First", "Second:", "Third", "Quoted:Requi")
            ] == [0, 1, 2, 2, 3, 4, 5]  # a heading or list item goes with its table; a quote whole, in its box
    assert [n for what, n in shown if what == "RequirementD"] == [1, 1, 3]  # two in a row share their pages
    assert all(s.page_width > s.page_height for s in document.sections if s.orientation == WD_ORIENT.LANDSCAPE)
    assert {s.footer.paragraphs[0].text.split(" · ")[0] for s in document.sections} == {"prd"}  # every page's footer

    landscape = document.sections[1]
    text_width = landscape.page_width - landscape.left_margin - landscape.right_margin
    first = document.tables[0]
    assert abs(sum(Twips(int(w)) for w in first._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")) - text_width) < Twips(20)

    records = [p.text for p in document.paragraphs if p.text.startswith("Feature Invoices")]
    assert records == [" · ".join(f"{name} {value}" for name, value in zip(PLANS, ("Invoices",) + ("Available",) * 12))]
    in_alert = [t for t in document.tables if t.cell(0, 0).paragraphs[0].text == "Note"]
    assert in_alert[0].cell(0, 0).paragraphs[-1].text == records[0] and not in_alert[0].cell(0, 0).tables
    assert [len(t.columns) for t in document.tables if len(t.columns) > 2] == [10, 10, 10]
    assert [len(t.columns) for t in document.tables[3].cell(0, 0).tables] == [10]  # the quote's, in its box


def test_a_records_tables_column_names_keep_their_code_links_pictures_and_note_marks(repo):
    # Before, a table of more than 12 columns wrote its column names as plain text: "Plan[1]" for a
    # footnote mark, `code` as plain text, a link's label without the link and a picture's alt text
    names = ("`plan_id`", "Plan[^n]", "[Docs](https://example.com/docs)", "![icon](icon.png)", *PLANS[4:])
    rest = "".join(f"\n## {name}\n\nNone.\n" for name in
                   ("Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions"))
    body = (f"{_markdown_table(names, ('Invoices',) + ('Available',) * 12)}\n\nNo rows:\n\n"
            f"| {' | '.join(names)} |\n|{'---|' * len(names)}\n\n[^n]: The plan's name.\n")
    root = repo({"specs/icon.png": tiny_png(), "specs/prd.md": f"---\nkind: prd\nid: prd\ntitle: P\nstatus: draft\n"
                                                             f"---\n\n# P\n\n## Problem\n\n{body}{rest}"})
    assert run_gitspec(root, "render", "--format", "docx").code == 0
    document = docx.Document(str(root / "build/docx/prd.docx"))
    records = [p for p in document.paragraphs if p.text.startswith("plan_id")]
    assert [p.text for p in records] == [
        "plan_id Invoices · Plan1 Available · Docs Available ·  Available · " + " · ".join(
            f"{name} Available" for name in PLANS[4:]),
        "plan_id · Plan1 · Docs ·  · " + " · ".join(PLANS[4:])], [p.text for p in records]
    for record in records:
        code = record._p.xpath("./w:r[w:t='plan_id']")[0]
        assert code.xpath("./w:rPr/w:rStyle/@w:val") == ["CodeChar"] and code.xpath("./w:rPr/w:b")
        [mark] = record._p.xpath("./w:hyperlink[@w:anchor]/w:r[w:t='1']")  # the note's number, raised, bold
        assert mark.xpath("./w:rPr/w:vertAlign/@w:val") == ["superscript"] and mark.xpath("./w:rPr/w:b")
        [link] = record._p.xpath("./w:hyperlink[@r:id]")
        assert document.part.rels[link.get(f"{{{RT_NS}}}id")].target_ref == "https://example.com/docs"
        assert link.xpath(".//w:r/w:rPr/w:b") and record._p.xpath(".//w:drawing")  # the picture
        assert not any("[" in t for t in record._p.xpath(".//w:t/text()"))


def test_each_link_gets_its_relationship_without_python_docx_looking_through_all_of_them(monkeypatch):
    # Before, python-docx's relate_to looked through every relationship of the part for each link:
    # time grew with the square of the links (a book of 16,000 links took a minute)
    from docx.opc.rel import Relationships

    searches = []
    search = Relationships._get_matching
    monkeypatch.setattr(Relationships, "_get_matching", lambda *args, **kwargs: searches.append(1) or search(*args, **kwargs))
    urls = [f"https://tracker.example.com/T-{n % 2500}" for n in range(3000)]  # 500 links repeat a URL
    items = tuple((Paragraph((Link(f"ticket {n}", url), Text(" and "), Link("docs", "https://e.org/docs"))),)
                  for n, url in enumerate(urls))
    page = Page("PRD-a", "prd", "A", "specs/a.md", "draft", (), (Section("s", "S", "s", (ListBlock(items, False),)),))
    document, _ = page_doc(Site("T", "", False, "A4", (page,), kinds=("prd",)), "PRD-a")
    assert len(searches) < 10  # (the document's own parts are related as before)
    rels = document.part.rels
    linked = [rels[h.get(f"{{{RT_NS}}}id")].target_ref for h in document.element.body.iter(f"{W}hyperlink")
              if h.get(f"{{{RT_NS}}}id")]  # (not the contents' links to headings)
    assert linked == [target for url in urls for target in (url, "https://e.org/docs")]
    assert len({rel.rId for rel in rels.values() if rel.reltype == RT.HYPERLINK}) == 2501


def _prd(body: str) -> str:
    rest = "".join(f"\n## {name}\n\nNone.\n" for name in
                   ("Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions"))
    return f"---\nkind: prd\nid: prd\ntitle: P\nstatus: draft\n---\n\n# P\n\n## Problem\n\n{body}\n{rest}"


def _shares(tbl) -> list[float]:
    """A `w:tbl`'s column widths in percent of the table, after checking that its grid, its cells and the
    table itself say the same widths (Word and LibreOffice each read a different one)."""
    grid = [int(w) for w in tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    for tr in tbl.tr_lst:
        assert [int(w) for w in tr.xpath("./w:tc/w:tcPr/w:tcW/@w:w")] == grid
    assert tbl.xpath("./w:tblPr/w:tblW/@w:w") == [str(sum(grid))]
    return [100 * w / sum(grid) for w in grid]


def test_a_tables_columns_are_as_wide_as_the_pdfs_and_its_text_as_big(repo):
    # Before, a table on a portrait page had equal columns in Word, whatever they held, in 11pt text:
    # LibreOffice broke "Requirem|ent" and "Authenticatio|n" while the "#" column stood half empty
    header = ("#", "Requirement", "Responsibility", "Identification", "Subscriptions")
    row = ("1", "Authentication", "Accountability", "Reconciliation", "`Internationalization`")
    root = repo({"specs/prd.md": _prd(_markdown_table(header, row))})
    assert run_gitspec(root, "render", "--format", "docx").code == 0
    document = docx.Document(str(root / "build/docx/prd.docx"))
    table = document.tables[0]
    shares = _shares(table._tbl)
    assert shares[0] < 8 and shares[-1] == max(shares), shares  # "#" narrow, "Internationalization" widest
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    assert abs(sum(Twips(int(w)) for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")) - width) < Twips(20)
    sizes = {run.text: (run.font.size, run.style.name) for row in table.rows for cell in row.cells
             for run in cell.paragraphs[0].runs}  # the size printwidths measured the words at, code as ever
    assert sizes["Requirement"] == sizes["Authentication"] == (Pt(10), "Default Paragraph Font")
    assert sizes["Internationalization"] == (Pt(9), "Code Char")
    assert table._tbl.xpath("./w:tblPr/w:tblCellMar/w:left/@w:w") == ["80"]  # padded as the PDF's cells

    # A badge in such a table is as small as the PDF's: its brackets, bold, would not fit at 10pt
    table = Table(("Requirement", "Verdict"), (((Link("REQ-001", "doc:P#req-001"),), (Badge("missing", WARN),)),))
    page = Page("P", "notes", "P", "specs/p.md", "draft", (), (Section("s", "S", "s", (table,)),))
    document, _ = page_doc(Site("T", "", False, "A4", (page,), kinds=("notes",)), "P")
    [link, badge] = [Run(cell._tc.xpath(".//w:r")[0], None) for cell in document.tables[0].rows[1].cells]
    assert (badge.text, badge.font.size, link.font.size) == ("[missing] ", Pt(7.5), Pt(10))


def test_a_table_in_the_pdfs_small_print_is_in_small_print_in_word_too(repo):
    # Before, a table whose words fit only in the PDF's 7.5pt small print, on a portrait page or a
    # landscape one, was sized for it but set in Word's 11pt: "Identifier0ab|c" broke on every cell
    def table(columns: int) -> str:
        return _markdown_table(tuple(f"Column{n}" for n in range(columns)),
                               tuple(f"`Identifier{n}abc`" if n == 1 else f"Identifier{n}abc" for n in range(columns)))

    root = repo({"specs/prd.md": _prd(f"{table(6)}\n\nThen:\n\n{table(9)}")})
    assert run_gitspec(root, "render", "--format", "docx").code == 0
    document = docx.Document(str(root / "build/docx/prd.docx"))
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    for tbl in (t._tbl for t in document.tables):
        runs = {run.text: run.font.size for run in map(lambda r: Run(r, None), tbl.xpath(".//w:r"))}
        assert runs["Column0"] == runs["Identifier0abc"] == Pt(7.5)  # as the PDF's (print.css table.small)
        assert runs["Identifier1abc"] == Pt(7)  # code, as much smaller


def test_a_headings_last_change_and_an_items_verdict_keep_with_what_follows(repo):
    # Before, only the heading kept with the next paragraph: a section's heading and its "Last changed"
    # line, or a requirement's heading and its verdict, were left at a page's foot, its text on the next
    root = repo({"specs/checkout.md": PRD, "specs/reqs.yaml": requirements_doc(items=requirement("REQ-001"))})
    assert run_gitspec(root, "render", "--format", "docx").code == 0
    for name, heading, line in (("checkout", "Goals", "Last changed in "), ("reqs", "REQ-001 Title of REQ-001", "[")):
        paragraphs = docx.Document(str(root / f"build/docx/{name}.docx")).paragraphs
        at = [(p.style.name.startswith("Heading"), p.text) for p in paragraphs].index((True, heading))
        kept, first = paragraphs[at + 1], paragraphs[at + 2]
        assert kept.text.startswith(line) and kept.paragraph_format.keep_with_next, (name, kept.text)
        assert not first.paragraph_format.keep_with_next, (name, first.text)  # the text itself may break


def test_code_of_more_than_forty_lines_may_break_across_pages_as_in_the_pdf(repo):
    # Before, every code block was kept on one page (the Code style's keepLines): a long one always
    # started on a new page, the page before it left mostly empty; the PDF lets more than 40 lines break
    long_code = "\n".join(f"line_{n} = {n}" for n in range(41))
    root = repo({"specs/prd.md": _prd(f"```python\nshort = 1\n```\n\nThen:\n\n```python\n{long_code}\n```")})
    assert run_gitspec(root, "render", "--format", "docx").code == 0
    document = docx.Document(str(root / "build/docx/prd.docx"))
    assert document.styles["Code"].paragraph_format.keep_together  # a short block: kept on one page
    code = {p.text.split("\n")[0]: p.paragraph_format.keep_together for p in document.paragraphs
            if p.style.name == "Code"}
    assert code == {"short = 1": None, "line_0 = 0": False}

    # a diagram shown as its source (none drawn) likewise, as the PDF's figure.diagram.long
    diagram = Diagram("graph TD\n" + "".join(f"  A{n} --> A{n + 1}\n" for n in range(41)), title="Flow")
    page = Page("P", "notes", "P", "specs/p.md", "draft", (), (Section("s", "S", "s", (diagram,)),))
    document, _ = page_doc(Site("T", "", False, "A4", (page,), kinds=("notes",)), "P", PngAssets(Path("."), None))
    [source] = [p for p in document.paragraphs if p.style.name == "Code"]
    assert source.text.startswith("graph TD") and source.paragraph_format.keep_together is False


def test_each_document_in_the_book_has_a_footer_naming_it(repo):
    # Before, every page of book.docx had one footer, "Specification · commit … · page N": a page never
    # said which document it was of, as book.pdf's running header and each document's own .docx do
    wide = _markdown_table(WIDE_HEADER, WIDE_ROW)
    root = repo({"specs/alpha.md": _prd("Alpha.").replace("id: prd", "id: alpha") + f"\n{wide}\n",
                 "specs/beta.md": _prd("Beta.").replace("id: prd", "id: beta")},
                CONFIG.replace("formats: []", "formats: [docx]"))
    assert run_gitspec(root, "render").code == 0
    book = docx.Document(str(root / "build/docx/book.docx"))
    head = git(root, "rev-parse", "--short=7", "HEAD").strip()
    footers = [(s.orientation, s.footer.paragraphs[0].text) for s in book.sections]
    assert footers == [(WD_ORIENT.PORTRAIT, f"{book.core_properties.title} · commit {head} · page 1"),
                       (WD_ORIENT.PORTRAIT, f"alpha · commit {head} · page 1"),
                       (WD_ORIENT.LANDSCAPE, f"alpha · commit {head} · page 1"),  # its wide table, at its end
                       (WD_ORIENT.PORTRAIT, f"beta · commit {head} · page 1")]  # (its number: a PAGE field)
    assert not any(s.footer.is_linked_to_previous for s in book.sections)  # none takes the one before's


def test_a_link_to_an_anchor_no_heading_has_is_plain_text_as_in_the_pdf(repo):
    # Before, `[the risks](#risk)` (check: unknown-anchor) was a hyperlink to a bookmark the file does
    # not have: blue and underlined, and a click went nowhere. The PDF shows it as plain text
    prd = _prd("See [the risks](#risk), [`sync`](#sync) and [goals](#goals).")
    root = repo({"specs/prd.md": prd, "specs/other.md": _prd("[Risk](doc:prd#risk)").replace("id: prd", "id: other")},
                CONFIG.replace("formats: []", "formats: [docx]"))
    assert run_gitspec(root, "render").code == 0
    for name in ("prd", "book"):
        document = docx.Document(str(root / f"build/docx/{name}.docx"))
        bookmarks = {b.get(f"{W}name") for b in document.element.body.iter(f"{W}bookmarkStart")}
        jumps = {h.get(f"{W}anchor"): "".join(h.xpath(".//w:t/text()"))
                 for h in document.element.body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")}
        assert set(jumps) <= bookmarks and "goals" in jumps.values(), (name, jumps)  # no dead jump; a live one kept
        [see] = [p for p in document.paragraphs if p.text.startswith("See ")]
        assert see.text == "See the risks, sync and goals."
        looks = {r.text: r.style.name for r in see.runs}  # (runs outside any hyperlink)
        plain = "Default Paragraph Font"
        assert looks == {"See ": plain, "the risks": plain, ", ": plain, "sync": "Code Char", " and ": plain,
                         ".": plain}
    book = docx.Document(str(root / "build/docx/book.docx"))  # another document's link to it, in the book
    [risk] = [p for p in book.paragraphs if p.text == "Risk"]
    assert not risk._p.xpath("./w:hyperlink") and risk.runs[0].style.name == "Default Paragraph Font"


def test_only_a_plain_rrggbb_colour_is_shaded_as_in_the_other_formats():
    """Word took '#abc', 'abcdef' (no '#') and an int 123456 for colours, which HTML, PDF and the contrast
    measurement treat as unknown, and painted a contrast sample whose ratio was never measured."""
    odd = ("#abc", "abcdef", "123456", " #0969da", "#0969da\n")
    swatches = Swatches("Theme", (Swatch("ok", "#0969dA"), *(Swatch(f"odd{i}", hex) for i, hex in enumerate(odd))),
                        (Contrast("text", "surface", 4.6, 4.5, True, "#1f2328", "#ffffff"),
                         *(Contrast("text", "surface", 4.6, 4.5, True, "#1f2328", hex) for hex in odd)))
    page = Page("DESIGN-t", "design", "T", "specs/t.yaml", "draft", (), (Section("c", "C", "c", (swatches,)),))
    document, _ = page_doc(Site("T", "", False, "A4", (page,), kinds=("design",)), "DESIGN-t")
    table, contrast = document.tables

    def fill(cell) -> str | None:
        shading = cell._tc.tcPr.find(f"{W}shd") if cell._tc.tcPr is not None else None
        return shading.get(f"{W}fill") if shading is not None else None

    assert [fill(c) for c in table.column_cells(0)[1:]] == ["0969DA"] + [None] * len(odd)
    samples = contrast.column_cells(2)[1:]
    assert [fill(c) for c in samples] == ["FFFFFF"] + [None] * len(odd)
    assert [c.text for c in samples] == ["Sample Aa"] + [""] * len(odd)
