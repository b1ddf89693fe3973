"""The code stage: stub files from the API contract, data model and screens; Python that parses."""
from __future__ import annotations

import ast
import copy
import re
import sys
import warnings
from pathlib import Path, PurePosixPath

import pytest

from conftest import (
    assert_stage_contract, example_values, product_workspace, run_gitspec, run_stage, schema_errors, stage_inputs,
)
from gitspec.codefiles import safe_target
from gitspec.stages import architecture
from gitspec.stages import code as code_stage
from gitspec.stages import pystubs
from gitspec.stages.code import STAGE
from gitspec.stages.ddl import ddl
from gitspec.stages.openapi import openapi_document


@pytest.fixture(scope="module")
def output() -> dict:
    return run_stage(code_stage)


def _files(output: dict) -> dict[str, dict]:
    return {f["path"]: f for f in output["files"]}


def test_keeps_the_stage_contract(output):
    assert_stage_contract(code_stage, output)


def test_the_expected_files_with_their_sources(output):
    files = _files(output)
    assert {"app/routes.py", "app/models.py", "app/main.py", "web/types.ts", "db/migrations/0001_init.sql",
            "web/screens.ts"} <= set(files)
    assert files["db/migrations/0001_init.sql"]["source"] == "architecture#dataModel"
    assert files["app/routes.py"]["source"] == "architecture#apiContract"
    assert files["web/screens.ts"]["source"] == "ui#screens"
    assert set(STAGE.inputs) >= {f["source"] for f in output["files"]}


def test_every_python_file_parses(output):
    python = [f for f in output["files"] if f["path"].endswith(".py")]
    assert len(python) >= 3
    for file in python:
        ast.parse(file["content"], filename=file["path"])


def test_paths_are_relative_and_safe(output, tmp_path):
    for file in output["files"]:
        path = PurePosixPath(file["path"])
        assert not path.is_absolute() and ".." not in path.parts and "\\" not in file["path"]
        assert safe_target(tmp_path, file["path"]).is_relative_to(tmp_path.resolve())


def test_one_handler_per_endpoint(output):
    tree = ast.parse(_files(output)["app/routes.py"]["content"])
    handlers = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    endpoints = example_values()["architecture#apiContract"]["endpoints"]
    assert len(handlers) == len(endpoints)
    assert len({h.name for h in handlers}) == len(handlers)


def test_a_model_per_schema(output):
    tree = ast.parse(_files(output)["app/models.py"]["content"])
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    assert set(example_values()["architecture#apiContract"]["schemas"]) <= classes
    types = _files(output)["web/types.ts"]["content"]
    assert "export interface Invoice {" in types
    assert 'taxStatus: "taxable" | "exempt" | "reverse_charge";' in types


def test_the_migration_is_the_architecture_ddl(output):
    model = example_values()["architecture#dataModel"]
    assert _files(output)["db/migrations/0001_init.sql"]["content"] == ddl(model, "architecture#dataModel")


def test_hostile_names_still_parse():
    contract = copy.deepcopy(example_values()["architecture#apiContract"])
    contract["schemas"]["weird-name.v2"] = {"type": "object", "required": ["from"], "properties": {
        "from": {"type": "string"}, "class": {"type": "integer"}, "model_x": {"type": "string"},
        "a-b": {"type": "boolean"}, "date": {"type": "string", "format": "date"},
        "note": {"type": "string", "description": 'He said """hi""" \\ and left'}}}
    contract["endpoints"].append({"method": "GET", "path": "/odd/{class}/{weird-id}", "summary": 'Quotes """ here',
                                  "request": "weird-name.v2", "response": "weird-name.v2",
                                  "query": [{"name": "import", "type": "date", "required": True},
                                            {"name": "lambda", "type": "boolean"}]})
    output = run_stage(code_stage, stage_inputs(code_stage, **{"architecture#apiContract": contract}))
    for file in output["files"]:
        if file["path"].endswith(".py"):
            ast.parse(file["content"])


def test_only_an_architecture_draft_still_validates():
    output = run_stage(code_stage, {"architecture#apiContract": None, "architecture#dataModel": None,
                                    "ui#screens": None})
    assert schema_errors("code", output) == []


def test_a_file_that_does_not_parse_is_a_bug(monkeypatch):
    monkeypatch.setattr(pystubs, "main_module", lambda *args: "def broken(:\n")
    with pytest.raises(ValueError, match="app/main.py"):
        run_stage(code_stage)


def _importable(output: dict, folder, monkeypatch) -> None:
    """Write the generated files under `folder` and make its `app` package the one `import app` finds."""
    for file in output["files"]:
        target = safe_target(folder, file["path"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file["content"], encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    for name in [m for m in sys.modules if m == "app" or m.startswith("app.")]:
        monkeypatch.delitem(sys.modules, name)


def _models_with(properties: dict, tmp_path, monkeypatch):
    """The generated app.models, imported, for a contract with a `Settings` schema of these properties."""
    contract = copy.deepcopy(example_values()["architecture#apiContract"])
    contract["schemas"]["Settings"] = {"type": "object", "properties": properties}
    _importable(run_stage(code_stage, stage_inputs(code_stage, **{"architecture#apiContract": contract})),
                tmp_path, monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a field shadowing a BaseModel attribute only warns
        import app.models  # noqa: PLC0415  (the generated package)
    return app.models


def test_generated_app_serves_the_contract(output, tmp_path, monkeypatch):
    pytest.importorskip("fastapi")
    _importable(output, tmp_path, monkeypatch)
    from app.main import app  # noqa: PLC0415  (the generated package)

    spec = app.openapi()
    operations = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    endpoints = example_values()["architecture#apiContract"]["endpoints"]
    assert len(operations) == len(endpoints)
    assert ("GET", "/v1/customers") in operations


def test_routes_use_the_operation_ids_of_the_openapi_document():
    # Before, `GET /a-b` and `GET /a_b` were `getAB` and `getAB_2` in the OpenAPI document but both
    # `operation_id="getAB"` in routes.py, so FastAPI served two operations with one id.
    contract = copy.deepcopy(example_values()["architecture#apiContract"])
    contract["endpoints"] += [{"method": "GET", "path": path, "summary": "Odd."} for path in ("/a-b", "/a_b")]
    values = stage_inputs(code_stage, **{"architecture#apiContract": contract})
    routes = _files(run_stage(code_stage, values))["app/routes.py"]["content"]
    spec = openapi_document(contract, values["architecture#dataModel"])
    expected = [operation["operationId"] for item in spec["paths"].values() for operation in item.values()]
    assert "getAB_2" in expected
    assert sorted(re.findall(r'operation_id="(\w+)"', routes)) == sorted(expected)


def test_a_field_named_like_a_pydantic_member_is_renamed_with_its_alias(tmp_path, monkeypatch):
    # Before, `model_config` stayed a field name and importing app/models.py raised PydanticUserError.
    names = ["model_config", "model_fields", "model_dump", "model_x", "schema"]
    models = _models_with({name: {"type": "string"} for name in names}, tmp_path, monkeypatch)
    assert "f_model_config: str | None = Field(default=None, alias=\"model_config\")" in Path(
        models.__file__).read_text()
    settings = models.Settings.model_validate({name: name.upper() for name in names})
    assert settings.model_dump(by_alias=True) == {name: name.upper() for name in names}


def test_no_field_shadows_an_attribute_of_basemodel(tmp_path, monkeypatch):
    # Before, `mro` and `register` (which BaseModel has from its metaclass) stayed field names, and importing
    # app/models.py warned "Field name "mro" in "Settings" shadows an attribute in parent "BaseModel"".
    pydantic = pytest.importorskip("pydantic")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # asking for deprecated attributes (`__fields__`) warns
        names = sorted({name for name in dir(pydantic.BaseModel) + dir(type(pydantic.BaseModel))
                        if hasattr(pydantic.BaseModel, name)})
    assert {"mro", "register", "schema", "model_config"} <= set(names)
    models = _models_with({name: {"type": "string"} for name in names}, tmp_path, monkeypatch)
    source = Path(models.__file__).read_text()
    assert re.search(r'^    mro_+: str \| None = Field\(default=None, alias="mro"\)$', source, re.MULTILINE), source
    settings = models.Settings.model_validate({name: name.upper() for name in names})
    assert settings.model_dump(by_alias=True) == {name: name.upper() for name in names}


def test_a_property_starting_with_a_digit_is_a_field_without_a_leading_underscore(tmp_path, monkeypatch):
    # Before, `2faEnabled` became `_2fa_enabled`, and Pydantic refused the leading underscore at import.
    models = _models_with({"2faEnabled": {"type": "boolean"}, "3d": {"type": "string"}}, tmp_path, monkeypatch)
    assert "f_2fa_enabled: bool | None = Field(default=None, alias=\"2faEnabled\")" in Path(
        models.__file__).read_text()
    settings = models.Settings.model_validate({"2faEnabled": True, "3d": "yes"})
    assert settings.model_dump(by_alias=True) == {"2faEnabled": True, "3d": "yes"}


def test_an_entity_named_like_a_typescript_global_does_not_shadow_it():
    # Before, an entity `Array` became `export interface Array`, and `data: Array<Array>;` failed tsc (TS2315).
    model = {"entities": [{"name": name, "description": "A thing.", "fields": [
        {"name": "id", "type": "uuid", "primaryKey": True, "required": True}, {"name": "tags", "type": "json"},
        {"name": "parts", "type": "json"}]} for name in ("Array", "Record")]}
    contract = architecture.draft_api_contract(model)
    contract["schemas"]["RecordCreate"]["properties"]["parts"] = {
        "type": "object", "additionalProperties": {"$ref": "#/components/schemas/Record"}}
    output = run_stage(code_stage, stage_inputs(code_stage, **{"architecture#dataModel": model,
                                                               "architecture#apiContract": contract}))
    types = _files(output)["web/types.ts"]["content"]
    declared = re.findall(r"^export (?:interface|type) (\w+)", types, re.MULTILINE)
    assert "Array" not in declared and "Record" not in declared
    assert {"ArrayType", "RecordType", "ArrayList", "RecordList"} <= set(declared)
    assert "data: Array<ArrayType>;" in types and "data: Array<RecordType>;" in types
    assert "parts?: Record<string, RecordType>;" in types


def test_a_route_parameter_has_the_type_of_the_primary_key_it_names(tmp_path, monkeypatch):
    # Before, `/tickets/{ticketId}` gave `ticket_id: str` in routes.py whatever the key's type.
    pytest.importorskip("fastapi")
    model = {"entities": [{"name": name, "description": "A thing.", "fields": [
        {"name": "id", "type": kind, "primaryKey": True, "required": True}]}
        for name, kind in (("Ticket", "integer"), ("Comment", "uuid"))]}
    output = run_stage(code_stage, stage_inputs(code_stage, **{
        "architecture#dataModel": model, "architecture#apiContract": architecture.draft_api_contract(model)}))
    routes = _files(output)["app/routes.py"]["content"]
    assert "def get_ticket(\n    ticket_id: int,\n" in routes
    assert "def delete_comment(\n    comment_id: _uuid.UUID,\n" in routes
    _importable(output, tmp_path, monkeypatch)
    from app.main import app  # noqa: PLC0415  (the generated package)

    paths = app.openapi()["paths"]
    assert paths["/v1/tickets/{ticket_id}"]["get"]["parameters"][0]["schema"]["type"] == "integer"
    assert paths["/v1/comments/{comment_id}"]["get"]["parameters"][0]["schema"]["format"] == "uuid"


def test_a_control_character_in_a_description_is_escaped_in_every_file():
    model = copy.deepcopy(example_values()["architecture#dataModel"])
    model["entities"][0]["description"] = "Billing\0Dashboard, \x1b[31mred\x1b[0m"
    model["entities"][0]["fields"][0]["description"] = "a\0b"
    output = run_stage(code_stage, stage_inputs(code_stage, **{"architecture#dataModel": model}))
    for file in output["files"]:
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", file["content"]), file["path"]
        if file["path"].endswith(".py"):
            ast.parse(file["content"])


def test_a_pinned_name_holding_a_nul_builds(tmp_path):
    # A hand edit (or a model's reply) put a NUL in the product's name: before, the code stage crashed (exit 3).
    root = product_workspace(tmp_path / "ws")
    product = root / "specs" / "product.yaml"
    text = product.read_text()
    name = re.search(r"^name: (.*)$", text, re.MULTILINE).group(1)
    product.write_text(text.replace(f"name: {name}\n", 'name: "Billing\\0Dashboard"\n', 1)
                       .replace("directive: Build a billing dashboard\n", "directive: Build a billing dashboard now\n"))
    assert run_gitspec(root, "pin", "product#name").code == 0
    result = run_gitspec(root, "build", "--no-render")
    assert result.code == 0, result
    code = [p for p in root.rglob("*") if p.suffix in (".py", ".ts", ".sql") and ".git" not in p.parts]
    assert code and all(b"\0" not in p.read_bytes() for p in code)
    models = next(p for p in code if p.name == "models.py").read_text()
    ast.parse(models)
    assert "Billing\\u0000Dashboard" in models
