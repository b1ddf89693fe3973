"""A YAML value's shape decides its blocks: machine documents as compact YAML, files' text as
code, named records as one table."""
from __future__ import annotations

import json
import re

import docx
import yaml
from conftest import run_gitspec
from hypothesis import given
from hypothesis import strategies as st

from gitspec.render.model import Code, Diagram, Heading, Link, Table, Text
from gitspec.render.scalars import number_text
from gitspec.render.valueblocks import ValueBlocks
from gitspec.render.yamlshown import dump_yaml

OPENAPI = {"openapi": "3.1.0", "info": {"title": "API", "version": "1.0.0"},
           "paths": {"/customers": {"get": {
               "parameters": [{"name": "q", "in": "query", "required": False, "schema": {"type": "string"}}],
               "responses": {"200": {"description": "OK", "content": {"application/json": {
                   "schema": {"$ref": "#/components/schemas/CustomerList"}}}}}}}}}

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.floats(allow_nan=False)
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=25)


def test_machine_documents_are_compact_yaml():
    (block,) = ValueBlocks({}).section("architecture", "openapi", OPENAPI)
    assert isinstance(block, Code) and block.language == "yaml"
    assert yaml.safe_load(block.text) == OPENAPI
    assert "info: {title: API, version: 1.0.0}" in block.text  # a short mapping takes one line
    assert "parameters: [{name: q, in: query, required: false, schema: {type: string}}]" in block.text
    assert block.text.count("\n") < len(json.dumps(OPENAPI, indent=2).splitlines()) / 2


@given(documents)
def test_dumped_yaml_reads_back_the_same(value):
    assert yaml.safe_load(dump_yaml(value)) == value


def test_a_files_text_is_code_in_its_language_not_a_table_cell():
    files = [{"path": "app/main.py", "language": "python", "content": "import os\n\nprint(os.sep)\n"},
             {"path": "web/a.ts", "language": "typescript", "content": "export const a = 1;\nexport const b = 2;\n"}]
    blocks = ValueBlocks({}).section("code", "files", files)
    codes = [b for b in blocks if isinstance(b, Code)]
    assert codes == [Code(files[0]["content"], "python"), Code(files[1]["content"], "typescript")]
    cells = [cell for b in blocks if isinstance(b, Table) for row in b.rows for cell in row]
    assert (Text("python"),) in cells and not any("import os" in str(cell) for cell in cells)
    # Each file is a heading naming it, its fields one level below: the section's h2, h3 the path, h4 Content.
    headings = [(b.level, b.text) for b in blocks if isinstance(b, Heading)]
    assert headings == [(3, "app/main.py"), (4, "Content"), (3, "web/a.ts"), (4, "Content")]


def test_named_records_make_one_table():
    properties = {"id": {"type": "string", "format": "uuid"}, "total": {"type": "integer"},
                  "status": {"enum": ["open", "paid"]}}
    blocks = ValueBlocks({}).value({"type": "object", "properties": properties}, 3)
    assert Heading(3, "Properties", "properties") in blocks
    (table,) = [b for b in blocks if isinstance(b, Table) and b.header[0] == "Name"]
    assert table.header == ("Name", "Type", "Format", "Enum")
    assert [row[0] for row in table.rows] == [(Text("id"),), (Text("total"),), (Text("status"),)]
    assert table.rows[2][3] == (Text("open"), Text(", "), Text("paid"))


def test_a_flows_mermaid_is_a_diagram_not_a_table_cell_and_prose_is_never_one():
    flow = {"id": "FLOW-001", "name": "Month-end close", "steps": ["SCR-001", "SCR-002"],
            "mermaid": "flowchart LR\n  SCR_001 --> SCR_002\n"}
    blocks = ValueBlocks({}).section("ui", "flows", [flow])
    diagrams = [b for b in blocks if isinstance(b, Diagram)]
    assert [d.source for d in diagrams] == ["flowchart LR\n  SCR_001 --> SCR_002"]
    assert diagrams[0].title == "Month-end close"  # its caption names the flow (it was "Diagram")
    cells = [text for b in blocks if isinstance(b, Table) for row in b.rows for cell in row for text in cell]
    assert not any("flowchart" in getattr(text, "text", "") for text in cells)
    assert not any(isinstance(b, Heading) and b.text == "Mermaid" for b in blocks)
    # One line of prose that opens with a diagram's keyword stays prose.
    item = {"id": "JOUR-001", "name": "Onboarding", "description": "journey of a new finance lead"}
    assert not any(isinstance(b, Diagram) for b in ValueBlocks({}).section("product", "journeys", [item]))


def light_theme_shown(example, colours: dict[str, str], formats: str) -> str:
    """The light theme's part of the design page, rendered in `formats` once its roles have `colours`,
    written by hand into design#color and pinned."""
    design = example / "specs/design.yaml"
    text = design.read_text()
    light = text.index("  lightTheme:")
    for role, colour in colours.items():
        start = text.index(f"      {role}:\n", light)
        old = text[start:].split("hex: '", 1)[1][:7]
        text = text[:start] + text[start:].replace(f"hex: '{old}'", f"hex: '{colour}'", 1)
    design.write_text(text)
    assert run_gitspec(example, "pin", "design#color").code == 0
    assert run_gitspec(example, "build", "--no-render").code == 0  # the assembly's index of it
    result = run_gitspec(example, "render", "--format", formats, "design")
    assert result.code == 0, result
    page = (example / "build/html/design.html").read_text()
    return page[page.index("Light theme"):page.index("Dark theme")]


def test_a_themes_contrast_is_measured_from_the_colours_shown_not_taken_from_the_file(example):
    """A pinned hand edit of a theme colour keeps the contrast list the stage wrote for the old
    colour: the pages showed `text #c0c0c0` with "12.02:1 pass", where WCAG gives 1.69:1, a fail."""
    light = light_theme_shown(example, {"text": "#c0c0c0"}, "html,docx")
    row = re.search(r"<tr><td>[^\n]*?<code>text</code></td><td>[^\n]*?<code>background</code></td>(.*?)</tr>", light)
    assert re.sub(r"<[^>]+>", " ", row.group(1)).split() == ["1.69:1", "4.5:1", "fail"]
    assert "text on background: stated 12.02:1 (pass), measured 1.69:1 (fail)" in light
    document = docx.Document(str(example / "build/docx/design.docx"))
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    assert ["text", "background", "Sample Aa", "1.69:1", "4.5:1", "[fail] "] in rows
    assert any("measured 1.69:1 (fail)" in p.text for p in document.paragraphs)


def test_a_themes_measured_contrast_is_the_wcag_formulas_at_the_boundaries(example):
    """Measured with coloraide's wcag21 (an XYZ round trip), black on white read 20.99:1 and #358094 on
    white 4.50:1, a pass, where WCAG 2.x gives 21:1 and 4.4999977:1, a fail."""
    light = light_theme_shown(example, {"primary": "#358094", "text": "#000000"}, "html")

    def shown(foreground: str) -> list[str]:
        row = re.search(rf"<tr><td>[^\n]*?<code>{foreground}</code></td><td>[^\n]*?<code>surface</code></td>(.*?)</tr>",
                        light)
        return re.sub(r"<[^>]+>", " ", row.group(1)).split()

    assert shown("primary") == ["4.49:1", "4.5:1", "fail"]
    assert shown("text") == ["21.00:1", "4.5:1", "pass"]


def test_a_known_sections_address_is_a_link_to_that_section_as_an_id_is_to_its_item():
    blocks = ValueBlocks({"REQ-001": "doc:r#REQ-001", "p#goals": "doc:p#goals", "architecture#apiContract":
                          "doc:architecture#apiContract"})
    assert blocks.cell(["REQ-001", "p#goals", "p#nowhere", "p#goals and more"]) == (
        Link("REQ-001", "doc:r#REQ-001"), Text(", "), Link("p#goals", "doc:p#goals"), Text(", "), Text("p#nowhere"),
        Text(", "), Text("p#goals and more"))
    assert blocks.cell("architecture#apiContract/paths/~1users") == (
        Link("architecture#apiContract/paths/~1users", "doc:architecture#apiContract"),)


def test_a_requirements_link_to_a_section_leads_to_it_in_every_format(repo):
    import re
    import subprocess

    import docx
    import pypdf
    from conftest import requirement, requirements_doc, run_gitspec

    prd = ("---\nkind: prd\nid: p\ntitle: P\n---\n\n# P\n\n" + "".join(
        f"## {name}\n\nNone.\n\n" for name in ("Problem", "Goals", "Non-goals", "Users", "Requirements",
                                              "Success metrics", "Risks", "Open questions")))
    root = repo({"specs/p.md": prd, "specs/r.yaml": requirements_doc(
        "r", requirement("REQ-001") + requirement("REQ-002", links='[REQ-001, "p#goals", "r#items"]'))})
    assert run_gitspec(root, "render", "--format", "html,pdf,docx").code == 0
    html = (root / "build/html/r.html").read_text()
    assert ('<a href="r.html#REQ-001">REQ-001</a>, <a href="p.html#goals">p#goals</a>, '
            '<a href="r.html#items">r#items</a>') in html
    assert '<section id="goals">' in (root / "build/html/p.html").read_text()

    # A document's PDF links within it (a link to another document's section is its text, as an
    # id of another document's item is): `r#items` is a link, over its words, to the Items section
    pdf = str(root / "build/pdf/r.pdf")
    words = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True).stdout
    pages = words.split("<page ")[1:]
    [(at, box)] = [(n, found) for n, page in enumerate(pages) for found in re.finditer(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">r#items<', page)]
    reader = pypdf.PdfReader(pdf)
    x, y = float(box.group(1)) + 1, float(reader.pages[at].mediabox.height) - float(box.group(2)) - 1
    [dest] = [annot.get_object()["/Dest"] for annot in reader.pages[at].get("/Annots") or ()
              if "/Dest" in annot.get_object() and _covers(annot.get_object()["/Rect"], x, y)]
    assert dest == "items" and ">Items<" in pages[reader.get_page_number(reader.named_destinations[dest].page)]

    book = docx.Document(str(root / "build/docx/book.docx"))
    links = {item.text: item for table in book.tables for row in table.rows for cell in row.cells
             for p in cell.paragraphs for item in p.iter_inner_content() if not hasattr(item, "font")}
    [goals_heading] = [p for p in book.paragraphs if p.text == "Goals" and p.style.name == "Heading 2"]
    assert links["p#goals"].fragment and links["p#goals"].fragment in goals_heading._p.xml


def test_a_word_that_only_spells_a_documents_id_is_text_and_a_declared_reference_links_in_every_format(repo):
    """A task's `ownerRole: backend` linked to the document whose id is `backend` (in the example,
    `ownerRole: design` to the design system, a data model's `brand` field to the brand book): in the
    site, the PDF book and Word. A reference the schema declares (a task's requirements, an evidence
    record's `previous` document) or an address still links."""
    import subprocess

    import pypdf
    from conftest import git, requirement, requirements_doc

    task = ("kind: tasks\nid: tasks\ntitle: Tasks\nitems:\n  - id: TASK-001\n    title: Build it\n"
            "    requirements: [REQ-001]\n    status: todo\n    priority: p1\n    ownerRole: backend\n")
    items = requirement("REQ-001", links='["backend#items"]') + "    tags: [backend, api]\n"
    root = repo({"specs/backend.yaml": requirements_doc("backend", items), "specs/tasks.yaml": task})
    commit = git(root, "rev-parse", "HEAD").strip()
    for n, previous in ((1, "null"), (2, "ev-1")):
        (root / f"specs/ev-{n}.yaml").write_text(
            f"kind: evidence\nid: ev-{n}\ntitle: Run {n}\nrequirements: [REQ-001]\nsource: run\ncommand: pytest\n"
            f'exitCode: 0\nverdict: passed\nstartedAt: "2026-12-0{n}T10:00:00Z"\ncommit: "{commit}"\n'
            f"dirty: false\nprevious: {previous}\npreviousHash: null\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "evidence")
    result = run_gitspec(root, "render", "--format", "html,pdf,docx")
    assert result.code == 0, result
    page = (root / "build/html/tasks.html").read_text()
    assert '<td dir="auto">Owner role</td><td dir="auto">backend</td>' in page
    assert '<a href="backend.html#REQ-001">REQ-001</a>' in page
    requirements = (root / "build/html/backend.html").read_text()
    assert '<td dir="auto">Tags</td><td dir="auto">backend, api</td>' in requirements  # free labels too
    assert '<a href="backend.html#items">backend#items</a>' in requirements
    assert '<p dir="auto"><a href="ev-1.html">ev-1</a></p>' in (root / "build/html/ev-2.html").read_text()

    book = docx.Document(str(root / "build/docx/book.docx"))
    linked = {item.text for table in book.tables for row in table.rows for cell in row.cells
              for p in cell.paragraphs for item in p.iter_inner_content() if not hasattr(item, "font")}
    assert {"REQ-001", "ev-1"} <= linked and "backend" not in linked

    # A PDF links within its document (and the book within itself): nothing links over the tag, the
    # word after "Tags" (it linked to the top of its own document), nor over the owner role
    found = 0
    for name in ("backend", "book"):
        pdf = str(root / f"build/pdf/{name}.pdf")
        words = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True).stdout
        reader = pypdf.PdfReader(pdf)
        for at, text in enumerate(words.split("<page ")[1:]):
            for box in re.finditer(r'>(?:Tags|role)</word>\s*<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>backend', text):
                x, y = float(box.group(1)) + 1, float(reader.pages[at].mediabox.height) - float(box.group(2)) - 1
                found += 1
                assert not [a for a in reader.pages[at].get("/Annots") or () if _covers(a.get_object()["/Rect"], x, y)]
    assert found == 3


def _covers(rect, x: float, y: float) -> bool:
    left, right, bottom, top = sorted(map(float, rect[0::2])) + sorted(map(float, rect[1::2]))
    return left <= x <= right and bottom <= y <= top


def test_prose_over_several_lines_that_opens_with_a_diagrams_keyword_is_prose_in_every_format(repo):
    """A statement reading "graph data must load ...\\nfor every customer." was a Mermaid figure
    (its source under "Diagram shown as source", and sent to a configured mermaid server)."""
    items = ("  - id: REQ-001\n    title: Fast graphs\n    statement: |\n      graph data must load within two seconds\n"
             "      for every customer.\n    acceptance: [Loads in 2 s]\n    priority: must\n"
             "  - id: REQ-002\n    title: Plan split\n    statement: |\n      pie charts show the revenue split by plan;\n"
             "      each slice is labelled.\n    acceptance: [Labelled]\n    priority: must\n")
    root = repo({"specs/reqs.yaml": f"kind: requirements\nid: reqs\ntitle: Reqs\nitems:\n{items}"})
    result = run_gitspec(root, "render", "--format", "html,docx")
    assert result.code == 0, result
    page = (root / "build/html/reqs.html").read_text()
    assert "<figure" not in page and "language-mermaid" not in page
    assert "<p dir=\"auto\">graph data must load within two seconds<br>for every customer.</p>" in page
    text = [p.text for p in docx.Document(str(root / "build/docx/reqs.docx")).paragraphs]
    assert not any("Diagram shown as source" in line for line in text)
    assert "pie charts show the revenue split by plan;\neach slice is labelled." in text


def test_a_diagram_opens_with_a_mermaid_header_alone_or_with_what_mermaid_allows_after_it():
    from gitspec.render.valueblocks import is_diagram

    diagrams = ["graph TD;\n  A-->B", "flowchart\n  A-->B", "pie showData title Plans\n  \"a\": 1",
                "gitGraph LR:\n  commit", "erDiagram  %% data\n  A ||--o{ B : has", "journey\n  title Day",
                "%%{init: {}}%%\n\nsequenceDiagram\n  A->>B: hi", "---\ntitle: Flow\n---\nflowchart LR\n  A-->B",
                "graph TD; A-->B;\n  B-->C"]  # statements may follow the header's ";"
    prose = ["graph data must load\nfor every customer.", "pie charts show the split;\neach is labelled.",
             "timeline of the launch\nis short.", "journey of a new finance lead\nends on the dashboard.",
             "flowchart for refunds\nis in the wiki.", "sequenceDiagram is\nwhat we draw."]
    assert [d for d in diagrams if not is_diagram("statement", d)] == []
    assert [p for p in prose if is_diagram("statement", p)] == []


def test_a_palettes_oklch_values_and_the_colour_mode_are_shown_in_every_format(example):
    """Only the tones' hex codes were shown: not `mode`, a palette's hue and chroma, nor a tone's l, c, h."""
    color = yaml.safe_load((example / "specs/design.yaml").read_text())["color"]
    name, ramp = next(iter(color["palette"].items()))
    tone = ramp["tones"][0]
    oklch = f"oklch({tone['l']} {tone['c']} {tone['h']})"
    result = run_gitspec(example, "render", "--format", "html,docx", "design")
    assert result.code == 0, result
    page = (example / "build/html/design.html").read_text()
    assert f'<code>{tone["hex"]}</code> <span class="swatch-note">{oklch}</span>' in page
    assert f"<p dir=\"auto\">Hue: {ramp['hue']} · Chroma: {ramp['chroma']}</p>" in page
    assert '<tr><td dir="auto">Mode</td><td dir="auto">oklch</td></tr>' in page
    assert f"<h3>{name.capitalize()} palette</h3>" in page  # a data key, but the first word of a heading
    document = docx.Document(str(example / "build/docx/design.docx"))
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    assert ["", f"{name}.{tone['step']}", tone["hex"], oklch] in rows and ["Mode", "oklch"] in rows
    assert f"Hue: {ramp['hue']} · Chroma: {ramp['chroma']}" in [p.text for p in document.paragraphs]


def test_numbers_read_as_people_write_them():
    # Before, 0.00001 showed as Python prints it, 1e-05, and 2.5e16 as 2.5e+16
    (block,) = ValueBlocks({}).section("launch", "budget", [0.00001, 2.5e16, 0.1, 1000000.0, 3, 1e-9])
    assert [item[0].inlines[0].text for item in block.items] == [
        "0.00001", "25000000000000000", "0.1", "1000000.0", "3", "1e-09"]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_shown_is_the_same_number(value):
    assert float(number_text(value)) == value


def test_chinese_or_japanese_acceptance_criteria_are_a_list_as_english_ones_are(repo):
    """Criteria written without spaces (Chinese, Japanese) were taken for ids: one comma-joined table cell."""
    items = ("  - id: REQ-001\n    title: 請求書の一覧\n    statement: システムは請求書を新しい順に表示しなければならない。\n"
             "    acceptance:\n      - 顧客は三十件の請求書をすべて新しい順に見る。\n      - 各請求書にはPDFへのリンクがある。\n"
             "    priority: must\n    tags: [billing, REQ-002, docs/a.md#x]\n")
    root = repo({"specs/reqs.yaml": f"kind: requirements\nid: reqs\ntitle: 要件\nitems:\n{items}"})
    result = run_gitspec(root, "render", "--format", "html,docx")
    assert result.code == 0, result
    page = (root / "build/html/reqs.html").read_text()
    assert ('<ul><li dir="auto">顧客は三十件の請求書をすべて新しい順に見る。</li>'
            '<li dir="auto">各請求書にはPDFへのリンクがある。</li></ul>') in page
    assert '<td dir="auto">billing, REQ-002, docs/a.md#x</td>' in page  # ids and tags stay one cell
    lines = [(p.style.name, p.text) for p in docx.Document(str(root / "build/docx/reqs.docx")).paragraphs]
    assert ("List Bullet", "顧客は三十件の請求書をすべて新しい順に見る。") in lines


def test_a_token_is_a_word_not_a_sentence_of_a_script_written_without_spaces():
    from gitspec.render.scalars import is_token

    assert all(map(is_token, ["REQ-001", "billing", "docs/a.md#x", "v1.2", "café", "ops@example.com", "3.5",
                              "한국어"]))  # a Korean word: Korean sentences have spaces
    assert not any(map(is_token, ["two words", "顧客は見る。", "請求書", "ลูกค้าเห็นใบแจ้งหนี้", "ＡＢＣ", "x" * 41]))


def test_an_amount_is_a_token_whatever_the_width_of_its_currency_sign():
    """A halfwidth or fullwidth currency sign (`₩`, `￥`) was taken for Chinese or Japanese text, and
    Thai's `฿` for a Thai sentence: a list of prices was bullets, not one cell as `$20` is."""
    from gitspec.render.scalars import is_token

    assert all(map(is_token, ["$20", "€20", "₩1000", "￦1000", "￥500", "¥500", "￡3", "฿100", "￥５００", "１２"]))
    assert not any(map(is_token, ["￥500円", "５００円", "価格￥500", "ราคา฿100"]))


def test_a_list_of_prices_in_any_currency_is_one_cell(repo):
    items = ("  - id: REQ-001\n    title: Prices\n    statement: The price list shows each price.\n"
             "    acceptance:\n      - Each price is shown.\n    priority: must\n    tags: [₩1000, ￥500, €20]\n")
    root = repo({"specs/reqs.yaml": f"kind: requirements\nid: reqs\ntitle: Prices\nitems:\n{items}"})
    result = run_gitspec(root, "render", "--format", "html")
    assert result.code == 0, result
    assert '<td dir="auto">₩1000, ￥500, €20</td>' in (root / "build/html/reqs.html").read_text()


def test_gitspecs_own_section_names_keep_their_capitals_in_every_format(example):
    # Before, the contents, bookmarks and headings read "Er diagram", "Ddl", "Openapi" and, in a
    # feature, "Rice": README promises common initialisms are kept
    from pypdf import PdfReader

    result = run_gitspec(example, "render", "--format", "html,pdf,docx", "architecture", "product")
    assert result.code == 0, result
    build = example / "build"
    titles = ("ER diagram", "DDL", "OpenAPI")
    html = (build / "html" / "architecture.html").read_text(encoding="utf-8")
    reader = PdfReader(build / "pdf" / "architecture.pdf")
    bookmarks = [item.title for item in reader.outline[1]]  # the document's title, then its sections
    contents = reader.pages[0].extract_text()
    headings = {p.text for p in docx.Document(str(build / "docx" / "architecture.docx")).paragraphs
                if p.style.name.startswith("Heading")}
    for title in titles:
        assert re.search(rf"<h2[^>]*>{title}[ <]", html) and f">{title}</a>" in html, title  # heading, contents
        assert title in bookmarks and title in contents and title in headings, title
    assert not re.search(r"\b(Er diagram|Ddl|Openapi)\b", html + " ".join(bookmarks) + contents + " ".join(headings))
    product = [p.text for p in docx.Document(str(build / "docx" / "product.docx")).paragraphs]
    assert "RICE" in product and "Rice" not in product  # each feature's scores' heading
    assert re.search(r"<h4[^>]*>RICE<", (build / "html" / "product.html").read_text(encoding="utf-8"))
