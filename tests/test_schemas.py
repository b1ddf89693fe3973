"""The shipped schemas: valid draft 2020-12, every property described, shared definitions by $ref."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import CONFIG, install_plugin, requirement, requirements_doc, run_gitspec
from gitspec.builtin.kinds import SHIPPED_KINDS
from gitspec.schemas import builtin_schema_dir

SCHEMAS = sorted(builtin_schema_dir().glob("*.schema.json"))


def _undocumented(node, where="#"):
    """Every schema under `properties` (at any depth) must carry a description."""
    missing = []
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            if isinstance(sub, dict) and "description" not in sub:
                missing.append(f"{where}/properties/{name}")
        for key, sub in node.items():
            missing += _undocumented(sub, f"{where}/{key}")
    elif isinstance(node, list):
        for index, sub in enumerate(node):
            missing += _undocumented(sub, f"{where}/{index}")
    return missing


def test_one_schema_per_shipped_kind():
    names = {p.name[: -len(".schema.json")] for p in SCHEMAS}
    assert set(SHIPPED_KINDS) <= names


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_and_fully_described(path: Path):
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(path.name)
    assert schema.get("description")
    assert _undocumented(schema) == []


@pytest.mark.parametrize("kind", SHIPPED_KINDS)
def test_kind_schemas_share_the_header_by_ref(kind):
    schema = json.loads((builtin_schema_dir() / f"{kind}.schema.json").read_text())
    assert schema["$ref"] == "common.schema.json#/$defs/header"
    assert schema["unevaluatedProperties"] is False
    assert schema["properties"]["kind"]["const"] == kind


# docs/formats.md says which sections each kind requires and allows, and which keys items of
# its list sections need, in two tables made from the schemas (and the shipped stages' outputs).
HEADER_KEYS = ("kind", "id", "title", "status", "owners", "approvals", "generated", "pinned")


def _ticked(names) -> str:
    return ", ".join(f"`{name}`" for name in names) or "—"


def _built(names: list[str], built: list[str]) -> str:
    missing = [name for name in names if name not in built]
    if not built or not missing:
        return "all" if built else "—"
    return f"all but {_ticked(missing)}" if len(missing) < len(built) else _ticked(built)


def _kind_tables() -> str:
    from gitspec.builtin.kinds import MARKDOWN_KINDS
    from gitspec.builtin.stages import gitspec_stages

    built = {stage.kind: [output.section for output in stage.outputs] for stage in gitspec_stages()}
    sections = ["| kind | required | optional | written by `gitspec build` |", "| --- | --- | --- | --- |"]
    items = ["| kind | list | keys each item must have | keys it may have |", "| --- | --- | --- | --- |"]
    for kind in SHIPPED_KINDS:
        schema = json.loads((builtin_schema_dir() / f"{kind}.schema.json").read_text())
        names = [name for name in schema["properties"] if name not in HEADER_KEYS]
        shown = {name: name for name in names}
        if kind in MARKDOWN_KINDS:  # a `##` section is shown as its heading; other keys are front matter
            shown.update((name, schema["properties"][name]["description"].split(":", 1)[0])
                         for name in names if schema["properties"][name]["description"].startswith("## "))
        required = [shown[name] for name in names if name in schema["required"]]
        optional = [shown[name] for name in names if name not in schema["required"]]
        sections.append(f"| `{kind}` | {_ticked(required)} | {_ticked(optional)} | "
                        f"{_built(names, built.get(kind, []))} |")
        for name in names:
            prop = schema["properties"][name]
            ref = prop.get("items", {}).get("$ref", "") if prop.get("type") == "array" else ""
            item = schema["$defs"][ref[len("#/$defs/"):]] if ref.startswith("#/$defs/") else prop.get("items")
            if prop.get("type") == "array" and isinstance(item, dict) and "properties" in item:
                needed = item.get("required", [])
                items.append(f"| `{kind}` | `{name}` | {_ticked(needed)} | "
                             f"{_ticked(key for key in item['properties'] if key not in needed)} |")
    return "\n".join(sections) + "\n\n" + "\n".join(items) + "\n"


def test_the_format_guide_lists_each_kinds_sections_and_item_keys_as_the_schemas_say():
    # Before, formats.md said every top-level key was a section: an extra one is an error, and a
    # document written from it alone failed check.
    guide = (Path(__file__).resolve().parent.parent / "docs" / "formats.md").read_text()
    start, end = "<!-- kinds: made from schemas/ (tests/test_schemas.py checks it) -->\n", "<!-- end kinds -->"
    assert start in guide and end in guide
    written = guide.split(start, 1)[1].split(end, 1)[0]
    assert written == _kind_tables(), "paste this between the markers in docs/formats.md:\n" + _kind_tables()


def test_the_format_guides_example_documents_pass_check(repo):
    guide = (Path(__file__).resolve().parent.parent / "docs" / "formats.md").read_text()
    import re

    blocks = re.findall(r"^```(yaml|markdown)\n(.*?)^```$", guide, re.M | re.S)
    documents = {f"specs/example-{n}.{'yaml' if lang == 'yaml' else 'md'}": text
                 for n, (lang, text) in enumerate(blocks) if text.startswith(("kind:", "---\nkind:"))}
    assert {path.rsplit(".", 1)[1] for path in documents} == {"yaml", "md"}, "a YAML and a Markdown example"
    result = run_gitspec(repo(documents), "check")
    assert (result.code, result.out) == (0, ""), result
    assert f"{len(documents)} documents checked, no findings" in result.err, result


def test_an_infinite_or_nan_number_is_named_as_written_not_as_null(repo):
    """`estimate: .inf` gave `null is not of type "number"`: jsonschema-rs reads it as JSON's null."""
    items = "".join(f"  - {{id: TASK-00{n}, title: A, requirements: [], status: todo, priority: p0, ownerRole: dev, "
                    f"estimate: {value}}}\n" for n, value in enumerate((".inf", "-.inf", ".nan", "2"), 1))
    root = repo({"specs/tasks.yaml": f"kind: tasks\nid: tasks\ntitle: Tasks\nitems:\n{items}"})
    result = run_gitspec(root, "check")
    assert result.code == 1, result
    errors = [line.split(": ", 2)[2] for line in result.out.splitlines() if ": error: " in line]
    # -.inf is also below the minimum, which python-jsonschema says; .inf and .nan it took for numbers
    assert errors == ["tasks#items/0/estimate: .inf is not allowed: a number must be finite (JSON has no infinity or "
                      "NaN) [schema]", "tasks#items/1/estimate: -.inf is less than or equal to the minimum of 0 "
                      "[schema]", "tasks#items/2/estimate: .nan is not allowed: a number must be finite (JSON has no "
                      "infinity or NaN) [schema]"]
    assert "null" not in result.out


def test_a_title_or_text_of_white_space_alone_is_an_error_at_its_line_and_the_site_names_the_document_by_id(repo):
    """`title: "   "` passed check (the shared `text` asked only for one character), and the index linked
    the document with a link of spaces, under an empty <h1>: a screen reader met an unnamed link."""
    items = requirement("REQ-001").replace("statement: The system shall do REQ-001.", 'statement: "\u3000 "')
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", items).replace("title: Requirements", 'title: "   "')},
                CONFIG.replace("formats: []", "formats: [html]"))
    result = run_gitspec(root, "check")
    assert result.code == 1, result
    assert result.out.splitlines() == [
        "specs/reqs.yaml:3:8: error: reqs#title: '   ' is blank: write some text (white space alone is none) [schema]",
        "specs/reqs.yaml:7:16: error: reqs#items/0/statement: '\\u3000 ' is blank: write some text (white space "
        "alone is none) [schema]"]
    assert run_gitspec(root, "render").code == 1  # it renders, and says what check finds
    assert '<a href="reqs.html">reqs</a>' in (root / "build/html/index.html").read_text()
    assert '<h1 dir="auto">reqs</h1>' in (root / "build/html/reqs.html").read_text()


ADR = "kind: adr\nid: first\ntitle: First\n"


@pytest.mark.parametrize("files, error", [
    ({"schemas/adr.schema.json": "not json\n", "specs/first.yaml": ADR},
     "schemas/adr.schema.json:1:1: error: invalid JSON in schema: Expecting value"),
    ({"schemas/adr.schema.json": '{"type": "object", "minProperties": "two"}', "specs/first.yaml": ADR},
     "schemas/adr.schema.json:1:1: error: schema of kind 'adr' is not a valid JSON Schema"),
    ({"schemas/prd.schema.json": '{"type": "object"}',
      "specs/reqs.yaml": requirements_doc(items=requirement("REQ-001"))},
     "schemas/prd.schema.json:1:1: error: workspace schema redefines kind 'prd', declared by plugin builtin-kinds"),
])
def test_errors_in_the_workspaces_own_schemas_name_them_from_the_current_folder(repo, files, error):
    # Before, they were named by their absolute path (/tmp/.../ws/schemas/adr.schema.json:1:1: ...).
    ws = repo(files)
    for where, prefix in ((ws, ""), (ws / "specs", "../")):
        result = run_gitspec(where, "check")
        assert result.code == 2, result
        assert result.err.startswith(prefix + error) and len(result.err.splitlines()) == 1, result


MISSING_SCHEMA_PLUGIN = """from pathlib import Path

from gitspec import hookimpl
from gitspec.kinds import Kind


@hookimpl
def gitspec_kinds():
    return [Kind("risk", Path(__file__).resolve().parent / "risk.schema.json")]
"""


def test_a_plugin_kind_whose_schema_file_is_missing_stops_only_what_reads_a_document_of_the_kind(repo, tmp_path):
    # Before, every check, new and build stopped (exit 2) on risk.schema.json, with no risk document anywhere,
    # and the message did not say which plugin declared the kind.
    env = install_plugin(tmp_path / "plug", "noschema", {"noschema.py": MISSING_SCHEMA_PLUGIN})
    ws = repo({"specs/reqs.yaml": requirements_doc(items=requirement("REQ-001"))})
    for command in (("check",), ("new", "prd", "first"), ("build", "--no-render"), ("check",)):
        result = run_gitspec(ws, *command, env=env)
        assert result.code == 0, (command, result)
    (ws / "specs" / "risks.yaml").write_text("kind: risk\nid: risks\ntitle: Risks\n")
    result = run_gitspec(ws, "check", env=env)
    assert result.code == 2 and len(result.err.splitlines()) == 1, result
    assert result.err == (f"{tmp_path / 'plug' / 'risk.schema.json'}:1:1: error: cannot read schema: No such file or "
                          "directory (kind 'risk', declared by plugin noschema)\n"), result


UNRESOLVED_REF_PLUGIN = """import json
from pathlib import Path

from gitspec import hookimpl
from gitspec.kinds import Kind

HERE = Path(__file__).resolve().parent
(HERE / "risk.schema.json").write_text(json.dumps({
    "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.com/risk.schema.json",
    "type": "object", "properties": {"owner": {"$ref": "https://example.com/nowhere.schema.json"}}}))


@hookimpl
def gitspec_kinds():
    return [Kind("risk", HERE / "risk.schema.json")]
"""


def test_a_plugin_schema_with_an_id_whose_ref_leads_nowhere_stops_only_what_reads_its_kind(repo, tmp_path):
    # Before, every check stopped: "cannot load schemas: Resource 'https://example.com/nowhere.schema.json' is not
    # present", naming neither the schema nor its plugin, with no risk document anywhere.
    env = install_plugin(tmp_path / "plug", "badref", {"badref.py": UNRESOLVED_REF_PLUGIN})
    ws = repo({"specs/reqs.yaml": requirements_doc(items=requirement("REQ-001"))})
    assert run_gitspec(ws, "check", env=env).code == 0
    (ws / "specs" / "risks.yaml").write_text("kind: risk\nid: risks\ntitle: Risks\n")
    result = run_gitspec(ws, "check", env=env)
    assert result.code == 2 and len(result.err.splitlines()) == 1, result
    assert result.err.startswith(f"{tmp_path / 'plug' / 'risk.schema.json'}:1:1: error: "), result
    assert "declared by plugin badref" in result.err, result
