"""Markdown as a reader sees it in every format: one document rendered by `gitspec render` to the
HTML site, the PDF and Word, each read back as its reader gets it (page text, pdftotext, python-docx)."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import docx
import pytest
from conftest import CONFIG, git, make_repo, run_gitspec

from gitspec.render.direction import right_to_left
from gitspec.render.searchparts import bucket_name

PRD_SECTIONS = ("Problem", "Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

ALERT = """## Problem

> [!WARNING]
> Read [the billing guide](https://example.com/guide) before you run `sync`:
>
> - step one
> - step two
"""
TABLE = """## Goals

| Item | Quantity | Price |
|:--|:-:|--:|
| Widget | 42 | 9.99 |
| Gadget with a long name | 42000 | 1234.50 |
"""
DEEP_LIST = """## Users

- level one
  - level two
    - level three
      1. level four
         - level five
           1. level six

              Six goes on.
"""
STRUCK = """## Risks

~~We support `SAML` and [OIDC](https://example.com/oidc)~~ but not yet.
"""
RULE = """## Non-goals

Before the line.

---

After the line.
"""
LINKS = """## Success metrics

**Read [the handbook](https://example.com/handbook) first** or [the handbook](https://example.com/handbook) again,
*see [the notes](https://example.com/notes)* and run [`sync`](https://example.com/sync).
"""
ANCHORS = """## Requirements

See [背景](#背景と課題), [café](#café), [Größe](#gr%C3%B6%C3%9Fe), [cafe](#cafe) and [plain](#plain-text).

### 背景と課題

### Café

### Größe

### Cafe

### Plain text
"""
ARABIC = """## Open questions

يدعم النظام تسجيل الدخول عبر Keycloak

Signing in with OIDC.
"""
BODY = ALERT + TABLE + DEEP_LIST + STRUCK + RULE + LINKS + ANCHORS + ARABIC


def prd(body: str) -> str:
    """A valid PRD holding `body`: the required sections it does not write follow it."""
    rest = "".join(f"\n## {name}\n\nNone.\n" for name in PRD_SECTIONS if f"## {name}\n" not in body)
    return f"---\nkind: prd\nid: p\ntitle: Plan\n---\n\n# Plan\n\n{body}\n{rest}"


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    """The output folder of one render of BODY to every format, made once in the run (conftest.made_once)."""
    from conftest import made_once

    def render(folder: Path) -> dict:
        root = make_repo(folder / "ws", {"gitspec.yaml": CONFIG, "specs/p.md": prd(BODY)})
        result = run_gitspec(root, "render", "--format", "html,pdf,docx", "p")
        assert result.code == 0, result
        return {}

    return made_once(tmp_path_factory, "markdown-body", render)[0] / "ws" / "build"


def pdf_text(build: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    return subprocess.run(["pdftotext", "-layout", str(build / "pdf" / "p.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_links(build: Path) -> list[str]:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(build / "pdf" / "p.pdf")
    return [annot.get_object()["/A"].get("/URI") for page in reader.pages for annot in page.get("/Annots") or ()
            if "/A" in annot.get_object()]


def pdf_words(build: Path) -> dict[str, list[tuple[int, float, float, float, float]]]:
    """Where pdftotext finds each word of the PDF, for every place it is: (page number, left, top,
    right, bottom), in points from the page's top left."""
    import html

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = subprocess.run(["pdftotext", "-bbox", str(build / "pdf" / "p.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    words: dict[str, list[tuple[int, float, float, float, float]]] = {}
    for number, page in enumerate(out.split("<page ")[1:], 1):
        for found in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page):
            words.setdefault(html.unescape(found.group(5)), []).append((number, *map(float, found.groups()[:4])))
    return words


def rendered(tmp_path: Path, text: str, formats: str = "html,pdf,docx") -> Path:
    """The build folder of a workspace whose one document `p` is `text`, rendered in `formats`."""
    root = make_repo(tmp_path / "ws", {"gitspec.yaml": CONFIG, "specs/p.md": text})
    result = run_gitspec(root, "render", "--format", formats, "p")
    assert result.code == 0, result
    return root / "build"


def word(build: Path) -> docx.document.Document:
    return docx.Document(io.BytesIO((build / "docx" / "p.docx").read_bytes()))


def test_an_alert_is_a_toned_box_with_its_title_links_code_and_list_items(build: Path) -> None:
    html = (build / "html" / "p.html").read_text()
    box = re.search(r'<div class="notice notice-warn" role="note">.*?</div>', html, re.DOTALL)
    assert box, html
    assert '<p class="notice-title">Warning</p>' in box.group(0)
    assert ('Read <a href="https://example.com/guide" rel="noopener noreferrer">the billing guide</a> before you run '
            "<code>sync</code>:") in box.group(0)
    assert '<li dir="auto">step one</li><li dir="auto">step two</li>' in box.group(0)

    text = pdf_text(build)
    assert re.search(r"Warning\s+Read the billing guide before you run sync:\s+• step one\s+• step two", text), text
    assert "https://example.com/guide" in pdf_links(build)

    document = word(build)
    [box] = [t for t in document.tables if t.cell(0, 0).paragraphs[0].text == "Warning"]  # a one-cell box
    paragraphs = box.cell(0, 0).paragraphs
    assert paragraphs[0].runs[0].bold
    assert [p.text for p in paragraphs[1:]] == ["Read the billing guide before you run sync:", "step one", "step two"]
    assert [p.style.name for p in paragraphs[2:]] == ["List Bullet", "List Bullet"]
    link = paragraphs[1]._p.find(f"{W}hyperlink")
    assert link is not None and document.part.rels[link.get(
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")].target_ref == "https://example.com/guide"


def test_a_tables_columns_are_aligned_as_the_markdown_says(build: Path) -> None:
    html = (build / "html" / "p.html").read_text()
    assert ('<th scope="col" style="text-align: left" dir="auto">Item</th><th scope="col" style="text-align: center" '
            'dir="auto">Quantity</th><th scope="col" style="text-align: right" dir="auto">Price</th>') in html
    assert ('<td style="text-align: left" dir="auto">Widget</td><td style="text-align: center" dir="auto">42</td>'
            '<td style="text-align: right" dir="auto">9.99</td>') in html

    words = pdf_words(build)
    [(_, left, _, right, _)], [(_, wide_left, _, wide_right, _)] = words["9.99"], words["1234.50"]
    assert abs(right - wide_right) < 1 and left - wide_left > 5, words  # right-aligned: their right edges meet
    [(_, left, _, right, _)], [(_, wide_left, _, wide_right, _)] = words["42"], words["42000"]
    assert abs((left + right) / 2 - (wide_left + wide_right) / 2) < 1, words  # centred

    from docx.enum.text import WD_ALIGN_PARAGRAPH

    [table] = [t for t in word(build).tables if t.cell(0, 0).text == "Item"]
    assert [[cell.paragraphs[0].alignment for cell in row.cells] for row in table.rows] == [
        [WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT]] * 3
    assert [cell.text for cell in table.rows[1].cells] == ["Widget", "42", "9.99"]


def left_indent(document: docx.document.Document, paragraph) -> int:
    """Where Word starts a paragraph's text, in twips: its own indent, else its style's, else that of
    the numbering (bullets or numbers) its style or the paragraph itself uses, else 0."""
    for props in (paragraph._p.pPr, paragraph.style.element.pPr):
        ind = props.find(f"{W}ind") if props is not None else None
        if ind is not None:
            return int(ind.get(f"{W}left"))
    found = [props.find(f"{W}numPr") for props in (paragraph._p.pPr, paragraph.style.element.pPr) if props is not None]
    num_pr = next((num_pr for num_pr in found if num_pr is not None), None)
    if num_pr is None:
        return 0  # at the margin
    numbering = document.part.numbering_part.element
    [num] = [n for n in numbering.num_lst if n.numId == int(num_pr.find(f"{W}numId").get(f"{W}val"))]
    [abstract] = [a for a in numbering.findall(f"{W}abstractNum")
                  if a.get(f"{W}abstractNumId") == str(num.abstractNumId.val)]
    return int(abstract.find(f"{W}lvl/{W}pPr/{W}ind").get(f"{W}left"))


def test_each_level_of_a_list_nested_deeper_than_three_steps_further_in_in_word(build: Path) -> None:
    document = word(build)
    levels = {p.text: p for p in document.paragraphs if p.text.startswith("level ") or p.text == "Six goes on."}
    indents = [left_indent(document, levels[f"level {n}"]) for n in ("one", "two", "three", "four", "five", "six")]
    assert indents == sorted(set(indents)), indents  # each level further in than the one it is in
    assert indents[5] - indents[4] == indents[4] - indents[3] == indents[3] - indents[2] == indents[2] - indents[1]
    assert left_indent(document, levels["Six goes on."]) == indents[5]  # the item's next paragraph, under its text


def struck_through(build: Path, word: str) -> bool:
    """Whether the PDF draws a line through `word`: a row of dark pixels across the middle third of it."""
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed")
    [(page, left, top, right, bottom)] = pdf_words(build)[word]
    scale = 4  # pixels a point (288 dpi)
    image = subprocess.run(["pdftoppm", "-r", str(72 * scale), "-f", str(page), "-l", str(page), "-gray",
                            str(build / "pdf" / "p.pdf")], capture_output=True, check=True).stdout
    with Image.open(io.BytesIO(image)) as picture:
        grey = picture.convert("L")
        xs = range(int(left * scale) + 1, int(right * scale) - 1)
        third = (bottom - top) / 3
        return any(all(grey.getpixel((x, y)) < 160 for x in xs)
                   for y in range(int((top + third) * scale), int((bottom - third) * scale)))


def test_code_and_links_in_struck_out_text_are_struck_out_too(build: Path) -> None:
    html = (build / "html" / "p.html").read_text()
    assert ('<del>We support </del><del><code>SAML</code></del><del> and </del>'
            '<del><a href="https://example.com/oidc" rel="noopener noreferrer">OIDC</a></del> but not yet.') in html

    assert struck_through(build, "SAML") and struck_through(build, "OIDC")
    assert struck_through(build, "support") and not struck_through(build, "yet.")  # (the check sees a strike)

    document = word(build)
    [paragraph] = [p for p in document.paragraphs if p.text.startswith("We support")]
    runs = {run.text: run for run in paragraph.iter_inner_content() if hasattr(run, "font")}
    assert runs["SAML"].font.strike and runs["SAML"].style.name == "Code Char"
    [link] = [item for item in paragraph.iter_inner_content() if not hasattr(item, "font")]
    assert link.text == "OIDC" and link.url == "https://example.com/oidc" and all(r.font.strike for r in link.runs)
    assert not runs[" but not yet."].font.strike


def test_a_thematic_break_is_a_line_across_the_text_in_every_format(build: Path) -> None:
    from PIL import Image

    html = (build / "html" / "p.html").read_text()
    assert '<p dir="auto">Before the line.</p>\n<hr>\n<p dir="auto">After the line.</p>' in html

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed")
    words = pdf_words(build)
    [(page, left, above, _, _)], [(_, _, below, _, _)] = words["Before"], words["After"]
    scale = 2  # pixels a point (144 dpi)
    image = subprocess.run(["pdftoppm", "-r", str(72 * scale), "-f", str(page), "-l", str(page), "-gray",
                            str(build / "pdf" / "p.pdf")], capture_output=True, check=True).stdout
    with Image.open(io.BytesIO(image)) as picture:
        grey = picture.convert("L")
        width = grey.width - 2 * int(left * scale)  # the text's width: the page's, less its margins
        drawn = [y for y in range(int(above * scale), int(below * scale))
                 if sum(grey.getpixel((x, y)) < 240 for x in range(grey.width)) > 0.9 * width]
    assert drawn, "no line across the text between the two paragraphs"

    document = word(build)
    texts = [p.text for p in document.paragraphs]
    at = texts.index("Before the line.")
    assert texts[at + 1:at + 3] == ["", "After the line."]
    border = document.paragraphs[at + 1]._p.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert border is not None and border.get(f"{W}val") == "single"


def test_a_link_in_bold_or_italic_text_or_to_code_keeps_that_style_in_every_format(build: Path) -> None:
    html = (build / "html" / "p.html").read_text()
    assert ('<strong>Read </strong><a href="https://example.com/handbook" rel="noopener noreferrer"><strong>the handbook'
            '</strong></a><strong> first</strong>') in html
    assert '<a href="https://example.com/notes" rel="noopener noreferrer"><em>the notes</em></a>' in html
    assert '<a href="https://example.com/sync" rel="noopener noreferrer"><code>sync</code></a>' in html

    [(_, left, _, right, _), (_, plain_left, _, plain_right, _)] = pdf_words(build)["handbook"]
    assert right - left > 1.05 * (plain_right - plain_left)  # the first in bold, which is wider

    [paragraph] = [p for p in word(build).paragraphs if p.text.startswith("Read the handbook")]
    bold, plain, notes, code = [link for link in paragraph.iter_inner_content() if not hasattr(link, "font")]
    assert [bold.text, plain.text, notes.text, code.text] == ["the handbook", "the handbook", "the notes", "sync"]
    assert all(run.bold for run in bold.runs) and not any(run.bold for run in plain.runs)
    assert all(run.italic for run in notes.runs)
    [run] = code.runs
    assert run.style.name == "Code Hyperlink" and run.style.font.name == "Consolas" and code.url == "https://example.com/sync"
    assert run.style.base_style.name == "Hyperlink"  # blue and underlined, as every link


def test_code_tables_and_quotes_in_a_list_item_sit_under_its_text_in_word(tmp_path: Path) -> None:
    body = ("## Problem\n\n- item one\n\n  ```\n  code in one\n  ```\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n\n"
            "  > quoted in one\n\n  - item two\n\n    ```\n    code in two\n    ```\n\n    ---\n")
    build = rendered(tmp_path, prd(body), "docx")
    document = word(build)
    at = {p.text: p for p in document.paragraphs}
    one, two = left_indent(document, at["item one"]), left_indent(document, at["item two"])
    assert left_indent(document, at["code in one"]) == one
    assert left_indent(document, at["code in two"]) == two > one
    [rule] = [p for p in document.paragraphs if p._p.find(f"{W}pPr/{W}pBdr") is not None]
    assert left_indent(document, rule) == two

    table, quote = document.tables  # the quote: a box with a bar, under the item's text as the table is
    assert quote.cell(0, 0).paragraphs[0].text == "quoted in one"
    assert table._tbl.tblPr.find(f"{W}tblInd").get(f"{W}w") == quote._tbl.tblPr.find(f"{W}tblInd").get(f"{W}w") == str(one)
    section = document.sections[0]
    widths = sum(int(col.get(f"{W}w")) for col in table._tbl.tblGrid.findall(f"{W}gridCol"))
    assert one + widths <= (section.page_width - section.left_margin - section.right_margin) / 635  # within the margins


def test_headings_in_any_script_get_their_own_anchors_which_links_reach_in_every_format(build: Path) -> None:
    # Before, non-ASCII letters were dropped: ids "section", "caf", "gr-e", and links to them were plain text
    html = (build / "html" / "p.html").read_text()
    ids = re.findall(r'<h3 id="([^"]*)" dir="auto">', html)
    assert ids == ["背景と課題", "café", "größe", "cafe", "plain-text"]  # an ASCII heading's as it always was
    see = re.search(r'<p dir="auto">See .*?</p>', html).group()
    assert [unquote(href) for href in re.findall(r'href="p\.html#([^"]*)"', see)] == ids

    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(build / "pdf" / "p.pdf")
    internal = {annot.get_object().get("/Dest") for page in reader.pages for annot in page.get("/Annots") or ()}
    assert set(ids) <= internal - {None} <= set(reader.named_destinations)

    document = word(build).element.body
    bookmarks = {b.get(f"{W}name") for b in document.iter(f"{W}bookmarkStart")}
    [paragraph] = [p for p in word(build).paragraphs if p.text.startswith("See ")]
    anchors = [link.get(f"{W}anchor") for link in paragraph._p.iter(f"{W}hyperlink")]
    assert len(set(anchors)) == 5 and set(anchors) <= bookmarks


def test_a_line_wrapped_inside_japanese_text_is_no_space_in_any_format_or_the_search(tmp_path: Path) -> None:
    # Before, the wrap read as a space: `…毎月の請求 書を確認…`, and a search for 請求書 found nothing
    body = "## Users\n\n経理担当者は毎月の請求\n書を確認する必要がある。\n\nA line\nwrapped in English.\n"
    build = rendered(tmp_path, prd(body))
    html = (build / "html" / "p.html").read_text()
    assert "経理担当者は毎月の請求書を確認する必要がある。" in html and "A line wrapped in English." in html
    search = (build / "html" / bucket_name("p")).read_text()
    assert "請求書" in re.sub(r"\\u([0-9a-f]{4})", lambda code: chr(int(code.group(1), 16)), search)
    assert "経理担当者は毎月の請求書を確認する必要がある。" in [p.text for p in word(build).paragraphs]
    assert "請求書を確認" in pdf_text(build)



def test_an_arabic_author_keeps_the_date_after_the_name_on_the_site_and_in_the_pdf(tmp_path: Path) -> None:
    # Before, the name took the date into its right-to-left run: "… · 06-12-2026 · فاطمة"
    root = make_repo(tmp_path / "ws", {"gitspec.yaml": CONFIG, "specs/p.md": prd("")}, commit=False)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "specs", "--author", "فاطمة <f@example.invalid>", "--date", "2026-12-06T10:00:00")
    assert run_gitspec(root, "render", "--format", "html,pdf", "p").code == 0
    html = (root / "build" / "html" / "p.html").read_text()
    assert "Last change: commit <code>" in html and "</code> · <bdi>فاطمة</bdi> · 2026-12-06: <bdi>specs</bdi></p>" in html
    words = pdf_words(root / "build")  # as laid out: pdftotext's text reorders right-to-left runs its own way
    dates = words.get("2026-12-06:", [])
    assert len(dates) == len(PRD_SECTIONS) and not any(  # each "Last change" line ends with the date and the message
        (page, top) == (other[0], other[2]) and other[1] > left and word != "specs"
        for page, left, top, _, _ in dates for word, places in words.items() for other in places)


def test_an_arabic_paragraph_reads_right_to_left_from_the_right_margin_in_every_format(build: Path) -> None:
    # Before, every format laid it out left to right from the left margin, "Keycloak" at its right end
    html = (build / "html" / "p.html").read_text()
    assert '<html lang="en">' in html and '<p dir="auto">يدعم النظام تسجيل الدخول عبر Keycloak</p>' in html

    words = pdf_words(build)
    [(page, keycloak_left, top, keycloak_right, _)] = words["Keycloak"]
    [(_, oidc_left, *_)] = words["OIDC."]
    arabic = [place for word, places in words.items() if right_to_left(word) or right_to_left(word[::-1])
              for place in places if place[:1] == (page,) and place[2] == top]
    assert len(arabic) == 5 and all(place[1] > keycloak_right for place in arabic)  # Keycloak ends the line: at its left
    assert max(place[3] for place in arabic) > 500 > oidc_left  # from the right margin (A4: 595 points wide)

    document = word(build)
    [rtl] = [p for p in document.paragraphs if p.text.startswith("يدعم")]
    [ltr] = [p for p in document.paragraphs if p.text == "Signing in with OIDC."]
    assert rtl._p.find(f"{W}pPr/{W}bidi") is not None and ltr._p.find(f"{W}pPr/{W}bidi") is None
    # the Arabic words a right-to-left run of their own, as Word writes them
    assert [(run.text, run._r.find(f"{W}rPr/{W}rtl") is not None) for run in rtl.runs] == [
        ("يدعم النظام تسجيل الدخول عبر", True), (" Keycloak", False)]


def test_nested_emphasis_keeps_every_style_in_every_format(tmp_path: Path) -> None:
    body = ("## Problem\n\nDo ***not*** skip. **Never *ever* share** the list. [**Sign up**](https://example.com/up) "
            "or [read **this** first](https://example.com/read).\n")
    build = rendered(tmp_path, prd(body))

    html = (build / "html" / "p.html").read_text()
    assert ('<p dir="auto">Do <strong><em>not</em></strong> skip. <strong>Never </strong><strong><em>ever</em></strong><strong> '
            'share</strong> the list. <a href="https://example.com/up" rel="noopener noreferrer"><strong>Sign up</strong>'
            '</a> or <a href="https://example.com/read" rel="noopener noreferrer">read <strong>this</strong> first</a>.'
            '</p>') in html

    if shutil.which("pdffonts"):  # the PDF draws "not" and "ever" in bold italics
        fonts = subprocess.run(["pdffonts", str(build / "pdf" / "p.pdf")], capture_output=True, text=True,
                               check=True).stdout
        assert "Bold-Oblique" in fonts or "BoldItalic" in fonts, fonts

    [paragraph] = [p for p in word(build).paragraphs if p.text.startswith("Do not")]
    runs = [(item.text, bool(item.bold), bool(item.italic)) for item in paragraph.iter_inner_content()
            if hasattr(item, "font")]
    assert runs[:5] == [("Do ", False, False), ("not", True, True), (" skip. ", False, False),
                        ("Never ", True, False), ("ever", True, True)]
    up, read = [item for item in paragraph.iter_inner_content() if not hasattr(item, "font")]
    assert [(run.text, bool(run.bold)) for run in up.runs] == [("Sign up", True)]
    assert [(run.text, bool(run.bold), run.style.name) for run in read.runs] == [
        ("read ", False, "Hyperlink"), ("this", True, "Hyperlink"), (" first", False, "Hyperlink")]
    assert read.url == "https://example.com/read"


def test_footnotes_are_raised_numbers_linking_to_notes_at_the_end_of_the_section_in_every_format(
        tmp_path: Path) -> None:
    body = ("## Problem\n\nFamilies of up to six use it free.[^1]\n\n[^1]: The limit comes from the survey.\n\n"
            "## Goals\n\nKeep it free.[^1]\n\n[^1]: For families.\n")
    build = rendered(tmp_path, prd(body))

    html = (build / "html" / "p.html").read_text()
    assert "[^1]" not in html
    assert ('free.<sup class="footnote-ref"><a href="p.html#fn:1" id="fnref:1" role="doc-noteref">1</a></sup></p>\n'
            '<div class="footnotes" role="doc-endnotes"><ol><li id="fn:1" dir="auto"><p dir="auto">The limit comes from the survey. '
            '<a href="p.html#fnref:1">↩</a></p></li></ol></div>\n</section>') in html
    # the next section's own note, numbered on through the document
    assert ('<a href="p.html#fn:2" id="fnref:2" role="doc-noteref">2</a>' in html
            and '<ol start="2"><li id="fn:2" dir="auto"><p dir="auto">For families. <a href="p.html#fnref:2">↩</a>' in html)

    text = " ".join(pdf_text(build).split())
    assert "[^1]" not in text and "free.1" in text and "1. The limit comes from the survey. ↩" in text
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(build / "pdf" / "p.pdf")
    assert {"fn:1", "fnref:1", "fn:2", "fnref:2"} <= set(reader.named_destinations)
    dests = [annot.get_object().get("/Dest") for page in reader.pages for annot in page.get("/Annots") or ()]
    assert {"fn:1", "fnref:1", "fn:2", "fnref:2"} <= set(dests)

    document = word(build)
    [mark] = [p for p in document.paragraphs if p.text.startswith("Families")]
    [note] = [p for p in document.paragraphs if p.text.startswith("1. The limit")]
    [number] = [link for link in mark.iter_inner_content() if not hasattr(link, "font")]
    [back] = [link for link in note.iter_inner_content() if not hasattr(link, "font")]
    assert number.text == "1" and number.runs[0].font.superscript and back.text == "↩"
    assert number.fragment in note._p.xml and back.fragment in mark._p.xml  # each links to the other's bookmark


def test_a_heading_keeps_its_anchor_though_a_footnote_comes_before_it(tmp_path: Path) -> None:
    body = ("## Problem\n\nFree.[^1] See [the limits](#fn-1).\n\n[^1]: The survey.\n\n"
            "## Goals\n\n### fn 1\n\nThe limits.\n")
    build = rendered(tmp_path, prd(body), "html")
    html = (build / "html" / "p.html").read_text()
    assert '<h3 id="fn-1" dir="auto">fn 1</h3>' in html and '<a href="p.html#fn-1">the limits</a>' in html
    assert '<li id="fn:1" dir="auto">' in html and 'href="p.html#fn:1" id="fnref:1"' in html


def test_an_arabic_footnote_has_its_number_at_its_right_in_the_pdf(tmp_path: Path) -> None:
    body = "## Problem\n\nيدعم النظام تسجيل الدخول[^1]\n\nSigned in.[^2]\n\n[^1]: يدعم النظام عبر Keycloak\n\n[^2]: With OIDC.\n"
    build = rendered(tmp_path, prd(body), "pdf")
    words = pdf_words(build)
    [(page, _, top, keycloak_right, _)] = words["Keycloak"]
    [number] = [place for word, places in words.items() if word.strip(".") == "1" for place in places
                if place[:1] == (page,) and place[2] == top]
    assert number[1] > keycloak_right  # before: at the left margin, the note's text at the right
    [(_, oidc_left, oidc_top, _, _)] = words["OIDC."]
    [english] = [place for word, places in words.items() if word.strip(".") == "2" for place in places
                 if place[2] == oidc_top]
    assert english[3] < oidc_left  # a left-to-right note keeps its number at its left


def test_the_search_text_has_the_words_without_footnote_marks_or_links_back(tmp_path: Path) -> None:
    body = ("## Problem\n\nRead a note[^2] and more[^1].\n\n> [!NOTE]\n> An alert[^1] here.\n\n"
            "[^1]: The survey.\n\n[^2]: Families.\n")
    build = rendered(tmp_path, prd(body), "html")
    part = (build / "html" / bucket_name("p")).read_text()
    assert "Read a note and more. An alert here. Families. The survey." in part
    assert "↩" not in part and "\\u21a9" not in part and "note2" not in part


GITHUB_LINKS = """## Problem

See [non-goals](#nongoals), [Q&A](#qa), [retries](#max_retries), [rollout](#v12-rollout), [limits](#limits-1),
[goals](#goals) and, as before, [Q&A](#q-a) and [non-goals](#non-goals).

### Q&A

### max_retries

### v1.2 rollout

### Limits

### Limits

## Non–goals

Much (an en dash, which GitHub's anchor leaves out).
"""


def test_links_written_for_github_lead_to_their_headings_in_every_format(tmp_path: Path) -> None:
    # Before, GitHub's anchors (`#qa` for "Q&A") were no id on the page: the links went nowhere
    text = prd(GITHUB_LINKS).replace("\n## Non-goals\n\nNone.\n", "")  # the section is "## Non–goals"
    build = rendered(tmp_path, text)
    wanted = ["nongoals", "qa", "max_retries", "v12-rollout", "limits-1", "goals", "q-a", "non-goals"]

    html = (build / "html" / "p.html").read_text()
    see = re.search(r'<p dir="auto">See .*?</p>', html, re.DOTALL).group()
    assert re.findall(r'href="p\.html#([^"]*)"', see) == wanted
    assert set(wanted) <= set(re.findall(r' id="([^"]*)"', html))
    # gitspec's own anchors are what they were: links already written to them keep working
    assert re.findall(r'<h3 id="([^"]*)"', html) == ["q-a", "max-retries", "v1-2-rollout", "limits", "limits-2"]
    assert '<section id="non-goals">\n<h2 dir="auto"><span id="nongoals"></span>Non–goals</h2>' in html
    assert '<h3 id="limits-2" dir="auto"><span id="limits-1"></span>Limits</h3>' in html

    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(build / "pdf" / "p.pdf")
    internal = {annot.get_object().get("/Dest") for page in reader.pages for annot in page.get("/Annots") or ()}
    assert set(wanted) <= internal - {None} <= set(reader.named_destinations)

    document = word(build)
    bookmarks = {b.get(f"{W}name") for b in document.element.body.iter(f"{W}bookmarkStart")}
    [paragraph] = [p for p in document.paragraphs if p.text.startswith("See ")]
    anchors = [link.get(f"{W}anchor") for link in paragraph._p.iter(f"{W}hyperlink")]
    assert len(anchors) == len(wanted) and set(anchors) <= bookmarks


def test_only_web_and_mail_addresses_become_links_not_bare_file_or_domain_names_in_every_format(
        tmp_path: Path) -> None:
    body = ("## Problem\n\nThe fix is in main.py, described in prd.md; see example.com, www.example.com/docs "
            "or mail bob@example.com.\n")
    build = rendered(tmp_path, prd(body))
    wanted = ["http://www.example.com/docs", "mailto:bob@example.com"]  # as GitHub links them

    html = (build / "html" / "p.html").read_text()
    assert 'The fix is in main.py, described in prd.md; see example.com, <a href="http://www.example.com/docs"' in html
    assert re.findall(r'href="((?:http|mailto)[^"]*)"', html.split("The fix is in")[1].split("</p>")[0]) == wanted
    assert sorted(pdf_links(build)) == wanted
    rels = word(build).part.rels.values()
    assert sorted(rel.target_ref for rel in rels if rel.is_external) == wanted


def test_link_references_and_footnotes_defined_at_the_end_reach_every_section_in_every_format(tmp_path: Path) -> None:
    body = ("## Problem\n\nSee the [pricing page][pricing] and churn[^churn]. No [such][nowhere] link.\n\n"
            "## Goals\n\nCut churn[^churn], see [pricing].\n\n"
            "## Risks\n\nNone.\n\n[pricing]: https://example.com/pricing\n[^churn]: Churn is 4% a month (Q3 data).\n")
    build = rendered(tmp_path, prd(body))

    html = (build / "html" / "p.html").read_text()
    assert ('See the <a href="https://example.com/pricing" rel="noopener noreferrer">pricing page</a> and churn'
            '<sup class="footnote-ref"><a href="p.html#fn:1" id="fnref:1" role="doc-noteref">1</a></sup>. '
            'No [such][nowhere] link.</p>\n<div class="footnotes" role="doc-endnotes"><ol><li id="fn:1" dir="auto">'
            '<p dir="auto">Churn is 4% a month (Q3 data). <a href="p.html#fnref:1">↩</a>') in html
    # a later section's mark is the same note's number, linking to its one text
    assert ('Cut churn<sup class="footnote-ref"><a href="p.html#fn:1" id="fnref:1-2" role="doc-noteref">1</a></sup>, '
            'see <a href="https://example.com/pricing" rel="noopener noreferrer">pricing</a>.</p>') in html
    assert html.count("Churn is 4%") == 1 and "[^churn]" not in html

    text = " ".join(pdf_text(build).split())
    assert text.count("Churn is 4% a month") == 1 and "1. Churn is 4% a month (Q3 data). ↩" in text
    assert "[pricing]" not in text and "No [such][nowhere] link." in text
    assert pdf_links(build).count("https://example.com/pricing") == 2

    document = word(build)
    assert [p.text for p in document.paragraphs if "Churn is" in p.text] == ["1. Churn is 4% a month (Q3 data). ↩"]
    [goal] = [p for p in document.paragraphs if p.text.startswith("Cut churn")]
    assert goal.text == "Cut churn1, see pricing."
    assert [link.url for link in goal.iter_inner_content() if hasattr(link, "url") and link.url] == [
        "https://example.com/pricing"]


def test_a_footnote_cited_in_a_note_defined_in_another_section_is_a_note_too_in_every_format(tmp_path: Path) -> None:
    """Note 1 read "Survey of May.[^b]", and Goals showed "2. 40 customers answered." with no link back."""
    body = ("## Problem\n\nChurn is high.[^a]\n\n"
            "## Goals\n\nHalve churn.\n\n[^a]: Survey of May.[^b]\n\n[^b]: 40 customers answered.\n")
    build = rendered(tmp_path, prd(body))

    html = (build / "html" / "p.html").read_text()
    assert ('<li id="fn:1" dir="auto"><p dir="auto">Survey of May.<sup class="footnote-ref"><a href="p.html#fn:2" '
            'id="fnref:2" role="doc-noteref">2</a></sup> <a href="p.html#fnref:1">↩</a></p></li>'
            '<li id="fn:2" dir="auto"><p dir="auto">40 customers answered. <a href="p.html#fnref:2">↩</a></p></li>'
            '</ol></div>\n</section>') in html  # as when both notes are defined in Problem
    goals = html.split('<section id="goals">')[1].split("</section>")[0]
    assert "footnote" not in goals and "40 customers" not in goals and "[^" not in html

    text = " ".join(pdf_text(build).split())
    assert "Churn is high.1 1. Survey of May.2 ↩ 2. 40 customers answered. ↩ Goals" in text
    assert text.count("40 customers answered") == 1

    paragraphs = word(build).paragraphs
    texts = [p.text for p in paragraphs]
    start = texts.index("1. Survey of May.2 ↩")
    assert texts[start:start + 3] == ["1. Survey of May.2 ↩", "2. 40 customers answered. ↩", "Goals"]
    assert sum("40 customers answered" in text for text in texts) == 1
    [number, back] = [link for link in paragraphs[start].iter_inner_content() if not hasattr(link, "font")]
    assert number.text == "2" and number.runs[0].font.superscript and number.fragment in paragraphs[start + 1]._p.xml


def test_notes_defined_in_an_earlier_section_than_the_one_citing_them_are_shown_there(tmp_path: Path) -> None:
    """Problem showed "1. 40 customers answered." with no link back (cited only in a note Problem does
    not show), and Goals' note 2 linked up to it."""
    body = ("## Problem\n\nChurn.\n\n[^a]: Survey of May.[^b]\n\n[^b]: 40 customers answered.\n\n"
            "## Goals\n\nHalve churn.[^a]\n")
    html = (rendered(tmp_path, prd(body), "html") / "html" / "p.html").read_text()
    problem = html.split('<section id="problem">')[1].split("</section>")[0]
    assert "footnote" not in problem and "40 customers" not in problem
    assert ('Halve churn.<sup class="footnote-ref"><a href="p.html#fn:1" id="fnref:1" role="doc-noteref">1</a></sup>'
            '</p>\n<div class="footnotes" role="doc-endnotes"><ol><li id="fn:1" dir="auto"><p dir="auto">Survey of May.'
            '<sup class="footnote-ref"><a href="p.html#fn:2" id="fnref:2" role="doc-noteref">2</a></sup> '
            '<a href="p.html#fnref:1">↩</a></p></li><li id="fn:2" dir="auto"><p dir="auto">40 customers answered. '
            '<a href="p.html#fnref:2">↩</a></p></li></ol></div>') in html


def test_an_html_comment_with_text_after_it_on_its_line_is_hidden_and_the_text_shown_in_every_format(
        tmp_path: Path) -> None:
    body = ("## Problem\n\n<!-- internal: Acme pays 40% less, do not share --> Customers cannot export invoices.\n\n"
            "<!--\nreviewer note: legal has not cleared this\n--> Exports must keep seven years of history.\n")
    build = rendered(tmp_path, prd(body))
    secret = re.compile(r"Acme|do not share|reviewer note|legal has not|&lt;!--|<!--")

    html = (build / "html" / "p.html").read_text()
    assert ('<p dir="auto">Customers cannot export invoices.</p>\n'
            '<p dir="auto">Exports must keep seven years of history.</p>') in html
    assert not secret.search(html.split("<main")[1])
    text = " ".join(pdf_text(build).split())
    assert "Customers cannot export invoices. Exports must keep seven years of history." in text
    assert not secret.search(text)
    paragraphs = [p.text for p in word(build).paragraphs]
    assert "Customers cannot export invoices." in paragraphs and "Exports must keep seven years of history." in paragraphs
    assert not any(secret.search(text) for text in paragraphs)


def test_a_footnote_ending_in_a_list_keeps_its_link_back_in_every_format(tmp_path: Path) -> None:
    body = ("## Problem\n\nChurn is high[^a] and support is slow[^b].\n\n[^a]: Measured over Q3.\n[^b]: Sources:\n\n"
            "    - the ticket export\n    - the CSAT survey\n")
    build = rendered(tmp_path, prd(body))

    html = (build / "html" / "p.html").read_text()
    assert ('<li id="fn:2" dir="auto"><p dir="auto">Sources:</p>\n<ul><li dir="auto">the ticket export</li>'
            '<li dir="auto">the CSAT survey</li></ul>\n<p dir="auto"><a href="p.html#fnref:2">↩</a></p></li>') in html
    text = " ".join(pdf_text(build).split())
    assert "2. Sources: ◦ the ticket export ◦ the CSAT survey ↩" in text
    dests = [annot.get_object().get("/Dest") for page in pytest.importorskip("pypdf").PdfReader(
        build / "pdf" / "p.pdf").pages for annot in page.get("/Annots") or ()]
    assert {"fnref:1", "fnref:2"} <= set(dests)

    paragraphs = word(build).paragraphs
    texts = [p.text for p in paragraphs]
    start = texts.index("2. Sources:")
    assert texts[start:start + 4] == ["2. Sources:", "the ticket export", "the CSAT survey", "↩"]
    [back] = [link for link in paragraphs[start + 3].iter_inner_content() if not hasattr(link, "font")]
    [mark] = [p for p in paragraphs if p.text.startswith("Churn is high")]
    assert back.fragment and back.fragment in mark._p.xml  # to the mark's bookmark


def test_a_table_headers_code_links_and_emphasis_are_kept_in_every_format(tmp_path: Path) -> None:
    body = ("## Problem\n\n| *Feature* | Status | [`api_key`](https://example.com/docs) |\n|---|---|---|\n"
            "| Export | done | yes |\n")
    build = rendered(tmp_path, prd(body))

    html = (build / "html" / "p.html").read_text()
    assert ('<thead><tr><th scope="col" dir="auto"><em>Feature</em></th><th scope="col" dir="auto">Status</th>'
            '<th scope="col" dir="auto"><a href="https://example.com/docs" rel="noopener noreferrer"><code>api_key</code>'
            '</a></th></tr></thead>') in html
    assert "https://example.com/docs" in pdf_links(build)
    if shutil.which("pdffonts"):  # the header's code is in the monospace font, bold as the header is
        fonts = subprocess.run(["pdffonts", str(build / "pdf" / "p.pdf")], capture_output=True, text=True,
                               check=True).stdout
        assert "Mono-Bold" in fonts or "MonoBold" in fonts, fonts

    [table] = word(build).tables
    feature, status, key = (cell.paragraphs[0] for cell in table.rows[0].cells)
    assert [(run.text, run.bold, run.italic) for run in feature.runs] == [("Feature", True, True)]
    assert [(run.text, run.bold) for run in status.runs] == [("Status", True)]
    [link] = [item for item in key.iter_inner_content() if not hasattr(item, "font")]
    assert link.url == "https://example.com/docs"
    assert [(run.text, run.bold, run.style.name) for run in link.runs] == [("api_key", True, "Code Hyperlink")]


def test_text_between_single_tildes_is_struck_out_in_every_format(tmp_path: Path) -> None:
    body = "## Problem\n\nPrice is ~$49~ $39 a month.\n"
    build = rendered(tmp_path, prd(body))

    assert '<p dir="auto">Price is <del>$49</del> $39 a month.</p>' in (build / "html" / "p.html").read_text()
    assert struck_through(build, "$49") and not struck_through(build, "$39")
    [paragraph] = [p for p in word(build).paragraphs if p.text.startswith("Price is")]
    assert [(run.text, bool(run.font.strike)) for run in paragraph.runs] == [
        ("Price is ", False), ("$49", True), (" $39 a month.", False)]
