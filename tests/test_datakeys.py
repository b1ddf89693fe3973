"""Keys that are data (a free-form map's: screen ids, environment variables, radius names) are shown
as written; only the field names a schema declares are humanized."""
from __future__ import annotations

import docx
from conftest import git, requirement, requirements_doc, run_gitspec

from gitspec.render.datakeys import DataKey, DataKeys
from gitspec.render.model import Heading, Table, Text
from gitspec.render.valueblocks import ValueBlocks, humanize
from gitspec.schemas import load_builtin_schema


def _fields(blocks) -> list[str]:
    return [row[0][0].text for block in blocks if isinstance(block, Table) for row in block.rows]


def test_a_free_form_maps_keys_are_shown_as_written_and_declared_fields_humanized():
    """`depth.radii` key `none` was shown "None", `evidence.environment`'s GITHUB_SHA "Github sha"."""
    keys = DataKeys({"design": load_builtin_schema("design"), "evidence": load_builtin_schema("evidence")})
    depth = keys.marked("design", "depth", {"radii": {"none": 0, "sm": 3}})
    assert [type(k) for k in depth] == [str] and all(isinstance(k, DataKey) for k in depth["radii"])
    blocks = ValueBlocks({}).section("design", "depth", depth)
    assert [b.text for b in blocks if isinstance(b, Heading)] == ["Radii"]
    assert _fields(blocks) == ["none", "sm"]
    environment = {"python": "3.12.4", "platform": "Linux", "GITHUB_SHA": "abc123", "iOSVersion": "17"}
    marked = keys.marked("evidence", "environment", environment)
    assert _fields(ValueBlocks({}).section("evidence", "environment", marked)) == \
        ["Python", "Platform", "GITHUB_SHA", "iOSVersion"]
    # A kind without a schema keeps its keys, humanized as before.
    assert _fields(ValueBlocks({}).section("notes", "x", keys.marked("notes", "x", {"a_b": 1}))) == ["A b"]


def test_a_screen_id_and_environment_variables_are_shown_as_written_in_every_format(repo):
    """A single screen's states were headed "Scr-001"; GITHUB_SHA read "Github sha", iOSVersion "I osversion"."""
    ui = ("kind: ui\nid: ui\ntitle: UI\nflows:\n  - {id: FLOW-001, name: Sign in, steps: [SCR-001]}\n"
          "screens:\n  - {id: SCR-001, name: Login, purpose: Sign in}\n"
          "states:\n  SCR-001: {loading: Spinner, empty: Nothing yet, error: Try again}\n")
    root = repo({"specs/ui.yaml": ui, "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    commit = git(root, "rev-parse", "HEAD").strip()
    evidence = ("kind: evidence\nid: ev-1\ntitle: Run\nrequirements: [REQ-001]\nsource: run\ncommand: pytest\n"
                f'verdict: passed\nstartedAt: "2026-02-03T14:07:12Z"\ncommit: "{commit}"\nprevious: null\n'
                'environment:\n  python: "3.12.4"\n  platform: Linux\n  GITHUB_SHA: abc123\n  iOSVersion: "17"\n')
    (root / "specs/ev-1.yaml").write_text(evidence)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "evidence")
    result = run_gitspec(root, "render", "--format", "html,docx")
    assert result.code == 0, result
    page = (root / "build/html/ui.html").read_text()
    assert '<h3 id="SCR-001-2" dir="auto">SCR-001</h3>' in page and "Scr-001" not in page
    run = (root / "build/html/ev-1.html").read_text()
    assert '<td dir="auto">GITHUB_SHA</td>' in run and '<td dir="auto">iOSVersion</td>' in run
    assert '<td dir="auto">Python</td>' in run
    cells = [c.text for t in docx.Document(str(root / "build/docx/ev-1.docx")).tables for r in t.rows for c in r.cells]
    assert {"GITHUB_SHA", "iOSVersion", "Python"} <= set(cells)
    headings = [p.text for p in docx.Document(str(root / "build/docx/ui.docx")).paragraphs]
    assert "SCR-001" in headings and "Scr-001" not in headings


def test_field_names_spelling_an_initialism_read_as_one():
    """`baseUrl` was headed "Base url", `css` "Css", `apiContract` "Api contract"; words that merely start
    like one (`idle`, `guide`) are left alone."""
    value = {"baseUrl": "https://x.test", "operationId": "list", "uxChanges": "none", "idle": 5, "guide": "g",
             "secondaryCta": "Learn more", "apis": 2}
    assert _fields(ValueBlocks({}).section("notes", "x", value)) == \
        ["Base URL", "Operation ID", "UX changes", "Idle", "Guide", "Secondary CTA", "APIs"]
    assert [humanize(name) for name in ("css", "apiContract", "ui", "successMetrics")] == \
        ["CSS", "API contract", "UI", "Success metrics"]  # section titles



def test_an_initialism_is_a_whole_word_in_any_letters():
    """`idée` was headed "IDée", `apiário` "APIário": the words were cut at the first letter beyond ASCII."""
    import unicodedata

    names = ("idée", "idéal", "apiário", unicodedata.normalize("NFD", "idée"), "prixÉté", "donnéesApi",
             "api設定", "apiの設定", "http2Enabled", "über_api")
    assert [unicodedata.normalize("NFC", humanize(name)) for name in names] == [
        "Idée", "Idéal", "Apiário", "Idée", "Prix été", "Données API", "API設定", "APIの設定", "HTTP2 enabled",
        "Über API"]


IDEA_SCHEMA = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://example.org/idea.schema.json",
  "type": "object",
  "$ref": "https://gitspec.dev/schemas/common.schema.json#/$defs/header",
  "properties": {
    "kind": {"const": "idea"},
    "idée": {"type": "string", "description": "The idea."},
    "détails": {"type": "object", "description": "Details.",
                "properties": {"apiário": {"type": "string"}, "idéal": {"type": "string"}}}
  },
  "required": ["kind", "id", "title"],
  "unevaluatedProperties": false
}"""


def test_keys_with_accented_letters_read_as_words_in_every_format(repo):
    root = repo({"schemas/idea.schema.json": IDEA_SCHEMA,
                 "specs/idee.yaml": "kind: idea\nid: idee\ntitle: Une idée\nidée: Faire simple.\n"
                                    "détails:\n  apiário: Abelhas.\n  idéal: Oui.\n"})
    result = run_gitspec(root, "render", "--format", "html,docx")
    assert result.code == 0, result
    html = (root / "build/html/idee.html").read_text()
    assert ">Idée</h2>" in html and ">Apiário<" in html and ">Idéal<" in html, html
    assert "IDée" not in html and "APIário" not in html and "IDéal" not in html
    word = docx.Document(str(root / "build/docx/idee.docx"))
    assert [p.text for p in word.paragraphs if p.style.name.startswith("Heading")][:3] == ["Une idée", "Idée", "Détails"]
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert "Apiário" in cells and "Idéal" in cells and "APIário" not in cells