"""Pictures committed in the workspace and shown by a Markdown document (`![alt](img/x.png)`),
in the site, the PDF and the Word file, through the installed CLI."""
from __future__ import annotations

import hashlib
import io
import os
import re
import time
import unicodedata

import docx
import pypdf
import pytest
from conftest import CONFIG, requirement, requirements_doc, run_gitspec, write_files
from PIL import Image as PILImage
from test_render_html import Watched, browser, needs_chromium  # noqa: F401 (browser: a fixture)

PRD = """---
kind: prd
id: prd
title: Pictures
status: draft
---

# Pictures

## Problem

The flow today:

![The checkout flow](img/flow.png "Figure 1: checkout")

A photo ![the team](img/team.jpg) and the logo ![logo](/assets/logo.gif).

## Goals

![shape](img/shape.svg)

![missing](img/nope.png) ![secret](../../secret.png) ![evil](img/evil.svg) ![fake](img/fake.png)

## Non-goals

None.

## Users

| who | face |
| --- | --- |
| The team | ![team face](img/team.jpg) |
| Someone | ![lost face](img/lost.png) gone |

## Requirements

None yet.

## Success metrics

None yet.

## Risks

None.

## Open questions

None.
"""

EVIL_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
SHAPE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="90" height="30"><rect width="90" height="30"/></svg>'


def picture(size: tuple[int, int], colour: tuple[int, int, int], fmt: str) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def workspace(repo, tmp_path):
    (tmp_path / "secret.png").write_bytes(picture((10, 10), (1, 2, 3), "PNG"))  # outside the workspace
    return repo({
        "gitspec.yaml": CONFIG, "specs/prd.md": PRD,
        "specs/img/flow.png": picture((400, 200), (30, 120, 200), "PNG"),
        "specs/img/team.jpg": picture((300, 100), (200, 30, 30), "JPEG"),
        "assets/logo.gif": picture((40, 40), (0, 0, 0), "GIF"),
        "specs/img/shape.svg": SHAPE_SVG, "specs/img/evil.svg": EVIL_SVG,
        "specs/img/fake.png": b"\x89PNG\r\n\x1a\nnot really a picture",
    })


def shown(html: str) -> list[str]:
    return re.findall(r'<img (?:class="inline-image" )?src="(images/[^"]+)" alt="([^"]*)"', html)


def test_the_site_shows_each_picture_and_says_why_one_is_not_shown(workspace, tmp_path) -> None:
    result = run_gitspec(workspace, "render", "--format", "html")
    assert result.code == 1, result  # the check's bad-image errors, as the pictures not shown are
    html = (workspace / "build/html/prd.html").read_text()
    names = dict((alt, src) for src, alt in shown(html))
    assert set(names) == {"The checkout flow", "the team", "logo", "shape", "team face"}
    # a picture among text is in its line, one that is a paragraph of its own a figure
    assert '<p dir="auto">A photo <img class="inline-image" src="images/' in html and "<figure class=\"image\"><img src" in html
    assert names["team face"] == names["the team"]
    assert "<td dir=\"auto\">lost face <span class=\"image-note\" role=\"note\">(The image specs/img/lost.png is not shown: " \
           "no such file.)</span> gone</td>" in html
    flow = (workspace / "specs/img/flow.png").read_bytes()
    assert (workspace / "build/html" / names["The checkout flow"]).read_bytes() == flow
    assert names["The checkout flow"] == f"images/{hashlib.sha256(flow).hexdigest()[:16]}.png"
    assert names["the team"].endswith(".jpg") and names["logo"].endswith(".gif") and names["shape"].endswith(".svg")
    assert "<figcaption dir=\"auto\">Figure 1: checkout</figcaption>" in html
    # each refusal is visible on the page and in the output, and nothing of it is copied
    for text in ("The image specs/img/nope.png is not shown: no such file.",
                 "The image ../secret.png is not shown: it is outside the workspace.",
                 "The image specs/img/evil.svg is not shown: the SVG contains script",
                 "The image specs/img/fake.png is not shown: the PNG image is damaged"):
        assert text in html
    assert "warning: image ../secret.png not shown: it is outside the workspace (in prd)" in result.err
    assert "warning: image specs/img/evil.svg not shown" in result.err
    copied = b"".join(p.read_bytes() for p in (workspace / "build/html/images").iterdir())
    assert b"<script" not in copied and (tmp_path / "secret.png").read_bytes() not in copied
    assert len(list((workspace / "build/html/images").iterdir())) == 4


def test_a_changed_picture_renders_its_page_again_and_the_old_file_goes(workspace) -> None:
    assert run_gitspec(workspace, "render", "--format", "html").code == 1  # bad-image errors
    assert "rendered 0 " in run_gitspec(workspace, "render", "--format", "html").err
    old = dict((alt, src) for src, alt in shown((workspace / "build/html/prd.html").read_text()))["The checkout flow"]
    write_files(workspace, {"specs/img/flow.png": picture((400, 200), (0, 200, 0), "PNG"),
                            "specs/img/nope.png": picture((20, 20), (9, 9, 9), "PNG")})
    result = run_gitspec(workspace, "render", "--format", "html")
    assert "html:prd" in result.err or "rendered" in result.err
    html = (workspace / "build/html/prd.html").read_text()
    names = dict((alt, src) for src, alt in shown(html))
    assert names["The checkout flow"] != old and not (workspace / "build/html" / old).exists()
    assert "missing" in names and "img/nope.png is not shown" not in html


def test_word_holds_the_raster_pictures_and_names_the_rest(workspace) -> None:
    assert run_gitspec(workspace, "render", "--format", "docx").code == 1  # bad-image errors
    document = docx.Document(str(workspace / "build/docx/prd.docx"))
    sizes = sorted((shape.width, shape.height) for shape in document.inline_shapes)
    assert len(sizes) == 4  # the PNG, the JPEG (twice) and the GIF; Word files cannot hold an SVG
    assert any(abs(w / h - 2) < 0.01 for w, h in sizes) and any(abs(w / h - 3) < 0.01 for w, h in sizes)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Figure 1: checkout" in text
    assert "The image specs/img/shape.svg is an SVG, which this Word file cannot hold" in text
    assert "The image specs/img/nope.png is not shown: no such file." in text
    # pictures among text stay in their line, in a paragraph or a table cell
    photo = next(p for p in document.paragraphs if p.text.startswith("A photo"))
    assert len(photo._p.xpath(".//w:drawing")) == 2
    cells = {cell.text: cell for table in document.tables for row in table.rows for cell in row.cells}
    assert len(cells["The team"]._tc.xpath(".//w:drawing")) == 0 and len(cells[""]._tc.xpath(".//w:drawing")) == 1
    assert "lost face (The image specs/img/lost.png is not shown: no such file.) gone" in cells



def test_word_gives_each_picture_its_alt_text_and_title(workspace) -> None:
    assert run_gitspec(workspace, "render", "--format", "docx").code == 1  # bad-image errors
    document = docx.Document(str(workspace / "build/docx/prd.docx"))
    described = [(shape._inline.docPr.get("descr"), shape._inline.docPr.get("title"))
                 for shape in document.inline_shapes]
    assert described == [("The checkout flow", "Figure 1: checkout"), ("the team", None), ("logo", None),
                         ("team face", None)]  # what a screen reader says for each, as the site's alt does

def test_the_pdf_draws_the_pictures(workspace) -> None:
    assert run_gitspec(workspace, "render", "--format", "pdf").code == 1  # bad-image errors
    reader = pypdf.PdfReader(str(workspace / "build/pdf/prd.pdf"))
    sizes = sorted({image.image.size for page in reader.pages for image in page.images})  # pages share resources
    assert sizes == [(40, 40), (300, 100), (400, 200)]  # and the SVG is drawn as vectors
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Figure 1: checkout" in text and "specs/img/evil.svg is not shown" in text
    assert "specs/img/lost.png is not shown" in text  # beside its alt text, in its table cell


@needs_chromium
def test_chromium_shows_every_picture_from_disk(browser, workspace) -> None:
    assert run_gitspec(workspace, "render", "--format", "html").code == 1  # bad-image errors
    watched = Watched(browser)
    watched.page.goto((workspace / "build/html/prd.html").as_uri())
    sizes = watched.page.eval_on_selector_all('img[src^="images/"]', "els => els.map(e => [e.alt, e.naturalWidth])")
    assert sorted(sizes) == [["The checkout flow", 400], ["logo", 40], ["shape", 90], ["team face", 300],
                             ["the team", 300]]
    assert watched.problems == []
    watched.close()


def test_an_svg_may_start_with_a_long_comment_and_other_xml_is_refused(tmp_path) -> None:
    from gitspec.render.imagecheck import ImageRefused
    from gitspec.render.localimages import load_picture

    write_files(tmp_path, {"licensed.svg": b"<!-- " + b"licence " * 1000 + b"-->\n" + SHAPE_SVG,
                           "page.svg": b"<html><body>hi</body></html>"})
    assert load_picture(tmp_path, "licensed.svg").extension == "svg"
    with pytest.raises(ImageRefused, match="it is not an SVG image"):
        load_picture(tmp_path, "page.svg")


def _age(root, *names: str) -> None:
    """Make files older than the racy-clean window, as committed files normally are."""
    past = time.time() - 60
    for name in names:
        os.utime(root / name, (past, past))


def test_check_names_each_picture_that_cannot_be_shown_at_its_line(workspace) -> None:
    result = run_gitspec(workspace, "check")
    assert result.code == 1, result
    lines = PRD.split("\n")

    def where(src: str) -> str:
        line = next(n for n, text in enumerate(lines) if f"]({src})" in text)
        return f"specs/prd.md:{line + 1}:{lines[line].index(src) + 1}: error: "

    found = result.out.splitlines()
    assert len(found) == 5, result
    for line, wanted in zip(found, [
            f"{where('img/nope.png')}image specs/img/nope.png cannot be shown: no such file [bad-image]",
            f"{where('../../secret.png')}image ../secret.png cannot be shown: it is outside the workspace [bad-image]",
            f"{where('img/evil.svg')}image specs/img/evil.svg cannot be shown: the SVG contains script",
            f"{where('img/fake.png')}image specs/img/fake.png cannot be shown: the PNG image is damaged",
            f"{where('img/lost.png')}image specs/img/lost.png cannot be shown: no such file [bad-image]"]):
        assert line.startswith(wanted) and line.endswith("[bad-image]"), (line, wanted)


def test_check_sees_a_picture_change_although_no_document_changed(workspace) -> None:
    names = ["specs/prd.md", "specs/img/flow.png", "specs/img/team.jpg", "specs/img/evil.svg",
             "specs/img/fake.png", "specs/img/shape.svg", "assets/logo.gif"]
    _age(workspace, *names)
    first = run_gitspec(workspace, "check")
    assert run_gitspec(workspace, "check", env={"GITSPEC_TRACE_HOOKS": "1"}).err.count("gitspec hook:") == 0
    # a good picture is damaged, a bad one mended, a missing one added: each is seen
    write_files(workspace, {"specs/img/team.jpg": b"\xff\xd8\xffnot a photo", "specs/img/evil.svg": SHAPE_SVG,
                            "specs/img/nope.png": picture((5, 5), (1, 1, 1), "PNG")})
    _age(workspace, "specs/img/team.jpg", "specs/img/evil.svg", "specs/img/nope.png")
    second = run_gitspec(workspace, "check")
    assert "team.jpg cannot be shown: the JPEG image is damaged" in second.out
    assert "evil.svg" not in second.out and "nope.png" not in second.out and "evil.svg" in first.out
    (workspace / "specs/img/flow.png").unlink()
    assert "image specs/img/flow.png cannot be shown: no such file" in run_gitspec(workspace, "check").out


def test_a_picture_linked_composed_is_shown_from_its_decomposed_file(repo) -> None:
    # Before, `![Front](img/façade.png)` typed composed was "no such file" though `ls` showed façade.png,
    # stored decomposed as macOS writes it: the picture was left out of every format.
    doc = PRD.replace("id: prd", "id: pics").split("## Problem")[0] + "## Problem\n\n![Front](img/façade.png)\n" + \
        "".join(f"\n## {name}\n\nNone.\n" for name in ("Goals", "Non-goals", "Users", "Requirements",
                                                         "Success metrics", "Risks", "Open questions"))
    stored = unicodedata.normalize("NFD", "specs/img/façade.png")
    root = repo({"gitspec.yaml": CONFIG.replace("formats: []", "formats: [html]"),
                 "specs/pics.md": unicodedata.normalize("NFC", doc), stored: picture((20, 10), (9, 9, 9), "PNG")})
    checked = run_gitspec(root, "check")
    assert checked.code == 0 and checked.out == "", checked
    rendered = run_gitspec(root, "render")
    assert rendered.code == 0, rendered
    [(src, alt)] = shown((root / "build/html/pics.html").read_text())
    assert alt == "Front" and (root / "build/html" / src).read_bytes() == (root / stored).read_bytes()
    (root / stored).unlink()  # and its verdict follows the file it found
    assert "image specs/img/façade.png cannot be shown: no such file" in run_gitspec(root, "check").out


def test_a_render_warning_names_every_document_showing_the_picture(repo) -> None:
    doc = "---\nkind: prd\nid: {id}\ntitle: {id}\nstatus: draft\n---\n\n# {id}\n\n## Problem\n\nSee ![plan](/plan.png).\n"
    root = repo({"specs/one.md": doc.format(id="one"), "specs/two.md": doc.format(id="two")})
    result = run_gitspec(root, "render", "--format", "html")
    warnings = [line for line in result.err.splitlines() if line.startswith("warning:")]
    assert warnings == ["warning: image plan.png not shown: no such file (in one, two)"], result


def test_a_warning_from_the_book_names_the_document_though_only_another_was_rendered(repo) -> None:
    root = repo({"specs/prd.md": _prd("![x](missing.png)"),
                 "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))},
                CONFIG.replace("formats: []", "formats: [docx]"))
    run_gitspec(root, "render")
    write_files(root, {"specs/prd.md": _prd("![x](missing.png)\n\nMore.")})  # the book lays prd out again
    result = run_gitspec(root, "render", "reqs")
    assert "warning: image specs/missing.png not shown: no such file (in prd)" in result.err.splitlines(), result


def _prd(body: str) -> str:
    """A whole PRD whose Problem section is `body` (line 12 on)."""
    rest = "".join(f"\n## {name}\n\nNone.\n" for name in
                   ("Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions"))
    return f"---\nkind: prd\nid: prd\ntitle: P\nstatus: draft\n---\n\n# P\n\n## Problem\n\n{body}\n{rest}"


def _findings(root) -> list[str]:
    """`path:line:col picture` of each finding; all of them must be about pictures."""
    result = run_gitspec(root, "check")
    assert all("[bad-image]" in line for line in result.out.splitlines()), result
    return [line.split(": error: ")[0] + " " + line.split("error: image ")[1].split(" cannot")[0]
            for line in result.out.splitlines()]


def test_check_points_at_each_picture_where_it_is_written(repo) -> None:
    body = ("The diagram gone.png is below.\n![gone.png](gone.png)\n\n"
            "# A big heading inside the section\n\n"
            "Twice: ![a](twice.png) and ![b](twice.png).\n\n"
            "\u00a0\n\n![nb](nb.png)")
    root = repo({"specs/prd.md": _prd(body)})
    lines = _prd(body).split("\n")
    at = {name: lines.index(next(t for t in lines if name in t and "![" in t)) + 1
          for name in ("gone.png", "twice.png", "nb.png")}
    twice = lines[at["twice.png"] - 1]
    assert _findings(root) == [
        f"specs/prd.md:{at['gone.png']}:13 specs/gone.png",
        f"specs/prd.md:{at['twice.png']}:{twice.index('twice.png') + 1} specs/twice.png",
        f"specs/prd.md:{at['twice.png']}:{twice.rindex('twice.png') + 1} specs/twice.png",
        f"specs/prd.md:{at['nb.png']}:7 specs/nb.png",
    ]


def test_check_reports_only_pictures_the_render_shows(repo) -> None:
    body = ("[![badge](badge.png)](https://ci.example/)\n\n### Sub ![head](head.png)\n\n"
            "| ![th](th.png) | b |\n| --- | --- |\n| ![td](td.png) | y |\n\n"
            "> [!NOTE]\n> See ![alert](alert.png)\n\n![outer ![inner](inner.png)](outer.png)")
    root = repo({"specs/prd.md": _prd(body)})
    # An alert, a link and a table's header show their pictures as GitHub does: those are reported too.
    assert [f.split()[1] for f in _findings(root)] == [
        "specs/badge.png", "specs/th.png", "specs/td.png", "specs/alert.png", "specs/outer.png"]
    result = run_gitspec(root, "render", "--format", "html")
    assert [line for line in result.err.splitlines() if line.startswith("warning:")] == [
        "warning: image specs/badge.png not shown: no such file (in prd)",
        "warning: image specs/th.png not shown: no such file (in prd)",
        "warning: image specs/td.png not shown: no such file (in prd)",
        "warning: image specs/alert.png not shown: no such file (in prd)",
        "warning: image specs/outer.png not shown: no such file (in prd)"]


def test_a_cached_check_sees_a_picture_folder_become_a_link_out_of_the_workspace(repo, tmp_path) -> None:
    root = repo({"specs/prd.md": _prd("![flow](img/flow.png)"),
                 "specs/img/flow.png": picture((20, 10), (1, 2, 3), "PNG")})
    _age(root, "specs/prd.md", "specs/img/flow.png")
    assert run_gitspec(root, "check").code == 0
    (root / "specs/img").rename(tmp_path / "elsewhere")
    (root / "specs/img").symlink_to(tmp_path / "elsewhere")
    result = run_gitspec(root, "check")
    assert "image specs/img/flow.png cannot be shown: a symlink leads it outside the workspace" in result.out
    (root / "specs/img").unlink()
    (tmp_path / "elsewhere").rename(root / "specs/img")
    assert run_gitspec(root, "check").code == 0


def test_check_with_a_picture_path_reports_the_documents_showing_it(repo) -> None:
    root = repo({"specs/prd.md": _prd("![flow](img/flow.png)"), "specs/img/flow.png": b"garbage"})
    result = run_gitspec(root, "check", "specs/img/flow.png")  # what pre-commit passes when only it changed
    assert result.code == 1 and "specs/prd.md:12:9: error: image specs/img/flow.png cannot be shown" in result.out
    assert run_gitspec(root, "check", "specs/img").code == 1


def test_a_damaged_or_huge_picture_is_named_plainly(tmp_path) -> None:
    from gitspec.render.imagecheck import MAX_PIXELS, ImageRefused, check_raster

    damaged = bytearray(picture((40, 20), (9, 9, 9), "PNG"))
    damaged[30] ^= 0xFF
    huge = io.BytesIO()
    PILImage.new("1", (40000, 40000)).save(huge, "PNG")
    with pytest.raises(ImageRefused) as refused:
        check_raster(bytes(damaged), "PNG")
    assert str(refused.value) == "the PNG image is damaged (cannot identify image file)"
    with pytest.raises(ImageRefused, match=f"the PNG image has more than {MAX_PIXELS} pixels"):
        check_raster(huge.getvalue(), "PNG")


def test_word_fits_a_picture_to_its_table_cell_and_keeps_a_list_item_picture_in_its_bullet(repo) -> None:
    body = "| a | b |\n| --- | --- |\n| ![wide](wide.png) | x |\n\n- ![item](wide.png \"Caption\")\n- next"
    root = repo({"specs/prd.md": _prd(body), "specs/wide.png": picture((2000, 100), (0, 0, 0), "PNG")})
    assert run_gitspec(root, "render", "--format", "docx").code == 0
    document = docx.Document(str(root / "build/docx/prd.docx"))
    text_width = document.sections[0].page_width - document.sections[0].left_margin - document.sections[0].right_margin
    in_cell, in_list = (shape.width for shape in document.inline_shapes)
    assert in_cell <= _column_width(document.tables[0], 0) < text_width and in_list == text_width
    bullet = next(p for p in document.paragraphs if p._p.xpath(".//w:drawing"))
    assert bullet.style.name == "List Bullet"


def test_word_fits_a_linked_picture_to_its_table_cell_as_a_plain_one(repo) -> None:
    body = ("| chart | note |\n| --- | --- |\n| [![wide chart](wide.png)](https://example.com/c) | linked |\n"
            "| ![wide chart](wide.png) | plain |")
    root = repo({"specs/prd.md": _prd(body), "specs/wide.png": picture((2000, 100), (0, 0, 0), "PNG")})
    assert run_gitspec(root, "render", "--format", "docx").code == 0
    document = docx.Document(str(root / "build/docx/prd.docx"))
    [table] = document.tables
    linked, plain = (int(row.cells[0]._tc.xpath(".//wp:extent/@cx")[0]) for row in table.rows[1:])
    assert table.rows[1].cells[0]._tc.xpath(".//w:hyperlink//w:drawing")  # still in its link
    text_width = document.sections[0].page_width - document.sections[0].left_margin - document.sections[0].right_margin
    assert linked == plain <= _column_width(table, 0) < text_width


def _column_width(table, column: int) -> int:
    """The width of a Word table's column, in EMU (the grid's is in twips)."""
    from docx.oxml.ns import qn

    return int(table._tbl.tblGrid[column].get(qn("w:w"))) * 635


def test_a_section_opening_with_a_no_break_space_line_counts_it(repo) -> None:
    root = repo({"specs/prd.md": _prd("\u00a0\n![x](first.png)")})
    assert _findings(root) == ["specs/prd.md:13:6 specs/first.png"]  # the Problem section's text starts on line 12


def test_an_svg_whose_uses_multiply_its_shapes_is_refused_and_a_big_picture_is_quiet(repo) -> None:
    levels = "".join(f"<g id='l{i}'>" + f"<use href='#l{i - 1}' x='{i}'/>" * 10 + "</g>" for i in range(1, 7))
    bomb = ("<svg xmlns='http://www.w3.org/2000/svg' width='9' height='9'><defs><g id='l0'><rect width='1' "
            f"height='1'/></g>{levels}</defs><use href='#l6'/></svg>").encode()  # a million rectangles from 1.6 KB
    arrows = (b"<svg xmlns='http://www.w3.org/2000/svg' width='9' height='9'><defs><path id='a' d='M0 0L9 9'/></defs>"
              + b"<use href='#a'/>" * 50 + b"</svg>")  # uses as a drawing has them
    big = io.BytesIO()
    PILImage.new("1", (10000, 10000)).save(big, "PNG")  # over Pillow's warning size, under gitspec's limit
    root = repo({"specs/prd.md": _prd("![bomb](bomb.svg) ![arrows](arrows.svg)\n\n![big](big.png)"),
                 "specs/bomb.svg": bomb, "specs/arrows.svg": arrows, "specs/big.png": big.getvalue()})
    result = run_gitspec(root, "check")
    assert result.out == ("specs/prd.md:12:9: error: image specs/bomb.svg cannot be shown: its <use> elements repeat "
                          "its shapes over 20,000 times (a drawing that size takes minutes to lay out) [bad-image]\n")
    assert "Warning" not in result.err
    rendered = run_gitspec(root, "render", "--format", "pdf")
    assert rendered.code == 1 and "Warning" not in rendered.err, rendered  # the check's error about the bomb


def test_a_picture_rewritten_with_its_old_mtime_is_seen(repo) -> None:
    root = repo({"specs/prd.md": _prd("![flow](img/flow.png)"),
                 "specs/img/flow.png": picture((20, 10), (1, 2, 3), "PNG")})
    _age(root, "specs/prd.md", "specs/img/flow.png")
    assert run_gitspec(root, "check").code == 0
    path = root / "specs/img/flow.png"
    st = path.stat()
    data = bytearray(path.read_bytes())
    data[30] ^= 0xFF  # damaged, same size
    with open(path, "r+b") as file:
        file.write(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert "image specs/img/flow.png cannot be shown: the PNG image is damaged" in run_gitspec(root, "check").out


def test_word_shows_jpegs_python_docx_cannot_read_as_they_are(repo) -> None:
    plain = picture((200, 100), (255, 0, 0), "JPEG")
    header = int.from_bytes(plain[4:6], "big")
    bare = plain[:2] + plain[4 + header:]  # no JFIF segment: a valid JPEG many cameras and tools write
    cmyk = io.BytesIO()
    PILImage.new("CMYK", (200, 100), (0, 255, 0, 0)).save(cmyk, "JPEG")  # an Adobe marker, no JFIF
    body = "![Bare](bare.jpg)\n\n![CMYK](cmyk.jpg)\n\nInline ![bare](bare.jpg) too."
    root = repo({"specs/prd.md": _prd(body), "specs/bare.jpg": bare, "specs/cmyk.jpg": cmyk.getvalue()})
    assert run_gitspec(root, "check").code == 0
    assert run_gitspec(root, "render", "--format", "docx").code == 0
    document = docx.Document(str(root / "build/docx/prd.docx"))
    assert len(document.inline_shapes) == 3
    assert not any("could not be read" in p.text for p in document.paragraphs)
    for shape in document.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        with PILImage.open(io.BytesIO(document.part.related_parts[blip].blob)) as shown:
            assert shown.size == (200, 100) and shown.mode == "RGB"


def test_word_turns_a_phone_photo_upright_as_its_exif_orientation_says(repo) -> None:
    # Before, Word placed a photo taken sideways (Orientation 6: turn it a quarter clockwise) as stored,
    # on its side, while the site and the PDF showed it upright.
    sideways = PILImage.new("RGB", (80, 40), "white")
    sideways.paste((255, 0, 0), (0, 0, 10, 40))  # the band along its left side is the top of the photo
    exif = PILImage.Exif()
    exif[0x0112] = 6
    photo, stored = io.BytesIO(), picture((80, 40), (0, 0, 255), "JPEG")
    sideways.save(photo, "JPEG", exif=exif.tobytes())
    body = "![Whiteboard](photo.jpg \"Whiteboard\")\n\nInline ![photo](photo.jpg) and ![stored](stored.jpg)."
    root = repo({"specs/prd.md": _prd(body), "specs/photo.jpg": photo.getvalue(), "specs/stored.jpg": stored})
    assert run_gitspec(root, "render", "--format", "docx").code == 0
    document = docx.Document(str(root / "build/docx/prd.docx"))
    figure, inline, plain = document.inline_shapes
    assert figure.height == 2 * figure.width and inline.height == 2 * inline.width
    blobs = [document.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
             for s in (figure, inline, plain)]
    with PILImage.open(io.BytesIO(blobs[0])) as shown:
        assert shown.size == (40, 80) and shown.getexif().get(0x0112, 1) == 1
        top, bottom = shown.convert("RGB").getpixel((20, 3)), shown.convert("RGB").getpixel((20, 60))
    assert top[0] > 200 > 80 > top[2] and min(bottom) > 200  # red on top, white below
    assert blobs[2] == stored  # a picture not turned keeps its bytes


def test_a_picture_inside_a_link_is_shown_linked_in_every_format(repo) -> None:
    body = "[![Weekly trips chart](img/chart.png)](https://example.com/dashboard)"
    root = repo({"specs/prd.md": _prd(body), "specs/img/chart.png": picture((200, 150), (200, 60, 60), "PNG")})
    assert _findings(root) == []
    assert run_gitspec(root, "render", "--format", "html,pdf,docx").code == 0

    html = (root / "build/html/prd.html").read_text()
    [(src, alt)] = shown(html)
    assert alt == "Weekly trips chart" and (root / "build/html" / src).exists()
    assert f'<a href="https://example.com/dashboard" rel="noopener noreferrer"><img class="inline-image" src="{src}"' in html

    reader = pypdf.PdfReader(str(root / "build/pdf/prd.pdf"))
    assert {image.image.size for page in reader.pages for image in page.images} == {(200, 150)}  # pages share resources
    links = [annot.get_object()["/A"].get("/URI") for page in reader.pages for annot in page.get("/Annots") or ()
             if "/A" in annot.get_object()]
    assert "https://example.com/dashboard" in links

    document = docx.Document(str(root / "build/docx/prd.docx"))
    [link] = [item for p in document.paragraphs for item in p.iter_inner_content() if hasattr(item, "url")
              and item.url == "https://example.com/dashboard"]
    assert link._hyperlink.xpath(".//w:drawing")  # the picture, inside the hyperlink


def test_word_shows_a_picture_whose_alt_text_or_title_holds_a_control_character(repo) -> None:
    # Before, lxml refused the text for the drawing's alt text and Word said the picture "could not be read".
    body = "![fine](ok.png)\n\nA form feed: ![page\x0cbreak](ok.png)\n\n![figure](ok.png \"Title with \x01 in it\")"
    root = repo({"specs/prd.md": _prd(body), "specs/ok.png": picture((20, 20), (255, 0, 0), "PNG")})
    result = run_gitspec(root, "render", "--format", "docx")
    assert result.code == 0 and "could not be read" not in result.err, result
    document = docx.Document(str(root / "build/docx/prd.docx"))
    assert [(s._inline.docPr.get("descr"), s._inline.docPr.get("title")) for s in document.inline_shapes] == [
        ("fine", None), ("page\ufffdbreak", None), ("figure", "Title with \ufffd in it")]
    assert not any("could not be read" in p.text for p in document.paragraphs)


def test_word_links_an_address_whose_scheme_is_in_capitals_as_the_site_does(repo) -> None:
    body = "[site](HTTPS://example.com/a), [mail](MAILTO:a@example.com), <Https://example.com/auto>."
    root = repo({"specs/prd.md": _prd(body)})
    assert run_gitspec(root, "render", "--format", "html,docx").code == 0
    document = docx.Document(str(root / "build/docx/prd.docx"))
    targets = sorted(rel.target_ref for rel in document.part.rels.values() if rel.is_external)
    assert targets == ["https://example.com/a", "https://example.com/auto", "mailto:a@example.com"], targets
    page = (root / "build/html/prd.html").read_text()
    assert 'href="https://example.com/a"' in page and 'href="mailto:a@example.com"' in page


def test_check_warns_at_each_picture_shown_without_alt_text_naming_it(repo) -> None:
    """`![](img/flow.png)`, the commonest way to paste a picture, was shown with alt="" (marked as
    decorative: a screen reader skips it) and check said nothing, even of one with a title."""
    body = ("The flow:\n\n![](img/flow.png)\n\nInline, titled: ![ ](img/flow.png \"Figure 1: checkout\").\n\n"
            "![The checkout flow](img/flow.png)\n\n### ![](img/flow.png) in a heading, which is text\n\n"
            "![](https://example.com/remote.png)\n\n![The *checkout* `flow`, **in** [short](#x)](img/flow.png)")
    root = repo({"specs/prd.md": _prd(body), "specs/img/flow.png": picture((40, 20), (30, 120, 200), "PNG")})
    result = run_gitspec(root, "check")  # (formatting in an alt text stopped check with an internal error)
    assert result.code == 0, result  # a warning
    lines = _prd(body).split("\n")
    first = lines.index("![](img/flow.png)") + 1
    titled = next(n for n, t in enumerate(lines, 1) if "Figure 1" in t)
    said = ("has no alt text, so a screen reader skips it: write what it shows between its brackets "
            "(![what it shows](...)) [missing-alt]")
    column = lines[titled - 1].index("img/flow.png") + 1
    assert result.out.splitlines() == [f"specs/prd.md:{first}:5: warning: picture 'img/flow.png' {said}",
                                       f"specs/prd.md:{titled}:{column}: warning: picture 'img/flow.png' {said}"]
