"""The architecture stage: drafts from the product, and ER diagram, DDL and OpenAPI from the data model."""
from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys

import pytest
import yaml
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from conftest import assert_stage_contract, example_values, run_gitspec, run_stage, schema_errors, stage_inputs
from gitspec.errors import GitspecError
from gitspec.stage import PLACEHOLDER
from gitspec.stages import architecture
from gitspec.stages.architecture import STAGE
from gitspec.stages.ddl import column_name, ddl, table_name
from gitspec.stages.erdiagram import er_diagram
from gitspec.stages.openapi import check_openapi, openapi_document

CREATE_TABLE = re.compile(r"CREATE TABLE (\w+) \((.*?)\n\);", re.S)
FOREIGN_KEY = re.compile(r"FOREIGN KEY \((\w+)\) REFERENCES (\w+)")
CREATE_INDEX = re.compile(r"CREATE (?:UNIQUE )?INDEX \w+ ON (\w+) \((\w+)")


@pytest.fixture(scope="module")
def output() -> dict:
    return run_stage(architecture)


def _foreign_keys(sql: str) -> set[tuple[str, str]]:
    """(table, column) of every FOREIGN KEY constraint, inline or added by ALTER TABLE."""
    found = {(table, column) for table, body in CREATE_TABLE.findall(sql) for column, _ in FOREIGN_KEY.findall(body)}
    found |= set(re.findall(r"ALTER TABLE (\w+) ADD CONSTRAINT \w+ FOREIGN KEY \((\w+)\)", sql))
    return found


def _indexed(sql: str) -> set[tuple[str, str]]:
    """(table, leading column) of every CREATE INDEX."""
    return set(CREATE_INDEX.findall(sql))


def test_keeps_the_stage_contract(output):
    assert_stage_contract(architecture, output)


def test_derived_sections_depend_on_the_current_model_and_contract():
    derived = {o.section: o.depends_on for o in STAGE.outputs}
    for section in ("erDiagram", "ddl", "openapi"):
        assert "architecture#dataModel" in derived[section]
    assert "architecture#apiContract" in derived["openapi"]


def test_keeps_the_current_data_model_and_contract(output):
    values = stage_inputs(architecture)
    assert output["erDiagram"] == er_diagram(values["architecture#dataModel"])
    assert output["ddl"] == ddl(values["architecture#dataModel"])
    assert len(output["openapi"]["paths"]) == len({e["path"] for e in values["architecture#apiContract"]["endpoints"]})


def test_openapi_validates_and_has_a_path_per_endpoint(output):
    document = output["openapi"]
    validate(document, cls=OpenAPIV31SpecValidator)
    assert document["openapi"] == "3.1.0"
    for endpoint in example_values()["architecture#apiContract"]["endpoints"]:
        operation = document["paths"][endpoint["path"]][endpoint["method"].lower()]
        assert operation["operationId"] == endpoint["operationId"]
        if endpoint.get("scopes"):
            assert operation["security"] == [{"sessionCookie": endpoint["scopes"]}]
    assert set(example_values()["architecture#apiContract"]["schemas"]) <= set(document["components"]["schemas"])
    assert "Customer" in document["components"]["schemas"]
    assert document["components"]["securitySchemes"]["sessionCookie"]["in"] == "cookie"


def test_every_foreign_key_column_has_an_index(output):
    sql = output["ddl"]
    foreign = _foreign_keys(sql)
    expected = {(table_name(e["name"]), column_name(f["name"]))
                for e in example_values()["architecture#dataModel"]["entities"]
                for f in e["fields"] if f.get("references")}
    assert foreign == expected and len(expected) >= 10
    assert foreign <= _indexed(sql), foreign - _indexed(sql)


def test_ddl_maps_types_keys_and_declared_indexes(output):
    sql = output["ddl"]
    assert "    id uuid PRIMARY KEY," in sql
    assert "external_id text NOT NULL UNIQUE" in sql
    assert "created_at timestamptz NOT NULL" in sql
    assert "percentage numeric NOT NULL" in sql
    assert ("tax_status text NOT NULL DEFAULT 'taxable' "
            "CHECK (tax_status IN ('taxable', 'exempt', 'reverse_charge'))") in sql
    assert "CREATE UNIQUE INDEX metric_snapshot_month_currency_idx ON metric_snapshot (month, currency);" in sql
    assert "ON payout (arrival_date) WHERE reconciled_at IS NULL;" in sql
    assert "WHERE outcome = 'scheduled';" in sql


def test_er_diagram_mentions_every_entity_and_relationship(output):
    text = output["erDiagram"]
    model = example_values()["architecture#dataModel"]
    assert re.search(r"^erDiagram$", text, re.M)
    for entity in model["entities"]:
        assert re.search(rf"^\s*{entity['name']}\{{$", text, re.M), entity["name"]
    for relation in model["relationships"]:
        assert re.search(rf"^\s*{relation['from']}[|}}o]{{2}}--[|{{o]{{2}}{relation['to']} : \"{relation['via']}\"$",
                         text, re.M), relation
    assert "uuid customerId FK" in text
    assert 'Subscription|o--o{Invoice : "subscriptionId"' in text  # an optional key makes the one side optional


def test_er_diagram_without_mermaid_py_is_the_same_text():
    model = example_values()["architecture#dataModel"]
    assert er_diagram(model, use_mermaid_py=False) == er_diagram(model)


def test_importing_mermaid_py_keeps_stdout_clean():
    # A fresh interpreter: in this one mermaid-py may already be imported.
    code = ("from gitspec.stages.erdiagram import er_diagram\n"
            "er_diagram({'entities': [{'name': 'A', 'fields': [{'name': 'id', 'type': 'uuid'}]}]})\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_importing_mermaid_py_on_a_stage_thread_keeps_what_other_threads_print(tmp_path):
    """Before, the import's stdout was redirected for the whole process: a `build --json` event the
    main thread wrote meanwhile was lost (about one run in 30). A stand-in mermaid package holds its
    import open until the main thread has printed."""
    fake = tmp_path / "mermaid"
    fake.mkdir()
    (fake / "__init__.py").write_text("import builtins\nprint('Warning: IPython is not installed.')\n"
                                      "builtins.importing.set()\nbuiltins.printed.wait(30)\n")
    (fake / "erdiagram.py").write_text("")
    code = ("import builtins, threading\n"
            "builtins.importing, builtins.printed = threading.Event(), threading.Event()\n"
            "from gitspec.stages.erdiagram import _mermaid_er\n"
            "worker = threading.Thread(target=_mermaid_er)\n"
            "worker.start()\n"
            "builtins.importing.wait(30)\n"
            "print('an event of the main thread', flush=True)\n"
            "builtins.printed.set()\n"
            "worker.join()\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "an event of the main thread\n"


def test_product_alone_gives_a_valid_placeholder_draft():
    output = run_stage(architecture, {"product#name": "Ledgerline",
                                      "product#features": example_values()["product#features"],
                                      "architecture#dataModel": None, "architecture#apiContract": None})
    assert schema_errors("architecture", output) == []
    entities = output["dataModel"]["entities"]
    assert entities[0]["description"].startswith(PLACEHOLDER)
    assert {"id", "createdAt"} <= {f["name"] for f in entities[0]["fields"]}
    methods = {(e["method"], e["path"]) for e in output["apiContract"]["endpoints"]}
    assert methods == {("GET", "/records"), ("POST", "/records"), ("GET", "/records/{recordId}"),
                       ("PATCH", "/records/{recordId}"), ("DELETE", "/records/{recordId}")}
    validate(output["openapi"], cls=OpenAPIV31SpecValidator)
    assert "CREATE TABLE record (" in output["ddl"]


def test_nothing_at_all_still_validates():
    output = run_stage(architecture, {address: None for address in STAGE.inputs})
    assert schema_errors("architecture", output) == []


def test_a_hand_edited_data_model_drives_the_ddl_and_the_diagram():
    model = copy.deepcopy(example_values()["architecture#dataModel"])
    model["entities"].append({"name": "CreditNote", "description": "A credit note.", "fields": [
        {"name": "id", "type": "uuid", "primaryKey": True, "required": True},
        {"name": "refundId", "type": "uuid", "required": True, "references": "Refund"},
        {"name": "order", "type": "integer", "required": True}]})
    model["relationships"].append({"from": "Refund", "to": "CreditNote", "type": "one-to-one", "via": "refundId"})
    output = run_stage(architecture, stage_inputs(architecture, **{"architecture#dataModel": model}))
    assert output["dataModel"] != model  # the draft is offered, the current model is what derives
    assert "CREATE TABLE credit_note (" in output["ddl"]
    assert '    "order" integer NOT NULL' in output["ddl"]  # a reserved word is quoted
    assert ("credit_note", "refund_id") in _indexed(output["ddl"])
    assert "CreditNote{" in output["erDiagram"]
    assert "CreditNote" in output["openapi"]["components"]["schemas"]


def test_reference_cycles_become_alter_table():
    model = {"entities": [
        {"name": "A", "description": "a", "fields": [{"name": "id", "type": "uuid", "primaryKey": True},
                                                      {"name": "bId", "type": "uuid", "references": "B"}]},
        {"name": "B", "description": "b", "fields": [{"name": "id", "type": "uuid", "primaryKey": True},
                                                      {"name": "aId", "type": "uuid", "references": "A"}]}]}
    sql = ddl(model)
    assert sql.index("CREATE TABLE a") < sql.index("CREATE TABLE b") < sql.index("ALTER TABLE a ADD CONSTRAINT")
    assert _foreign_keys(sql) == {("a", "b_id"), ("b", "a_id")}
    assert _foreign_keys(sql) <= _indexed(sql)


def test_remote_refs_are_refused_without_fetching():
    contract = copy.deepcopy(example_values()["architecture#apiContract"])
    contract["schemas"]["Customer"] = {"$ref": "https://example.invalid/customer.json"}
    with pytest.raises(GitspecError, match="not local") as raised:
        run_stage(architecture, stage_inputs(architecture, **{"architecture#apiContract": contract}))
    assert raised.value.exit_code == 1


def test_a_dangling_ref_is_a_finding():
    with pytest.raises(GitspecError, match="does not resolve"):
        check_openapi({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Nope"}}}}}}}}})


@pytest.mark.parametrize("base_url, version", [("/api/v2", "2.0.0"), ("/api/v٢", "0.1.0"), ("/api/v２", "0.1.0")])
def test_the_api_version_comes_from_ascii_digits_in_the_base_url(base_url, version):
    assert openapi_document({"baseUrl": base_url}, {})["info"]["version"] == version


def test_a_path_parameter_naming_an_entity_has_its_primary_key_schema():
    # Before, every path parameter was {"type": "string"}: an integer key was typed a string, a uuid lost its format.
    model = {"entities": [
        {"name": "Ticket", "description": "A ticket.", "fields": [
            {"name": "id", "type": "integer", "primaryKey": True, "required": True, "description": "The key."},
            {"name": "title", "type": "string", "required": True}]},
        {"name": "Comment", "description": "A comment.", "fields": [
            {"name": "id", "type": "uuid", "primaryKey": True, "required": True}]}]}
    contract = architecture.draft_api_contract(model)
    contract["endpoints"].append({"method": "GET", "path": "/tickets/{ticketId}/comments/{id}/{part}",
                                  "summary": "Get part of a comment on a ticket.", "entity": "Comment"})
    output = run_stage(architecture, stage_inputs(architecture, **{"architecture#dataModel": model,
                                                                   "architecture#apiContract": contract}))
    paths = output["openapi"]["paths"]

    def path_schemas(path: str, method: str = "get") -> dict:
        return {p["name"]: p["schema"] for p in paths[path][method]["parameters"] if p["in"] == "path"}

    integer, uuid = {"type": "integer", "format": "int32"}, {"type": "string", "format": "uuid"}
    assert path_schemas("/tickets/{ticketId}") == {"ticketId": integer}
    assert path_schemas("/tickets/{ticketId}", "patch") == {"ticketId": integer}
    assert path_schemas("/comments/{commentId}", "delete") == {"commentId": uuid}
    assert path_schemas("/tickets/{ticketId}/comments/{id}/{part}") == {
        "ticketId": integer, "id": uuid, "part": {"type": "string"}}


def test_names_postgresql_would_truncate_are_shortened_apart():
    """Before, two fields sharing their first 63 characters were written whole, and PostgreSQL truncated both
    to one column name ('column ... specified more than once'); a long table or index name likewise."""
    local = "estimatedDeliveryWindowStartAccordingToTheCarrierTrackingFeedInLocalTime"
    entity = "ShipmentDeliveryWindowEstimateAccordingToTheCarrierTrackingFeedRecord"
    model = {"entities": [
        {"name": entity, "description": "A shipment.", "fields": [
            {"name": "id", "type": "uuid", "primaryKey": True, "required": True},
            {"name": local, "type": "timestamp"}, {"name": local.replace("Local", "Utc"), "type": "timestamp"}]},
        {"name": f"{entity}Copy", "description": "Another.", "fields": [
            {"name": "id", "type": "uuid", "primaryKey": True, "required": True},
            {"name": "shipmentId", "type": "uuid", "references": entity}]}],
        "indexes": [{"entity": entity, "fields": [local], "name": "x" * 70},
                    {"entity": entity, "fields": [local], "name": "x" * 70}]}
    sql = ddl(model)
    tables = re.findall(r"CREATE TABLE (\w+)", sql)
    columns = re.findall(r"^    (\w+) timestamptz", sql, re.M)
    indexes = re.findall(r"CREATE (?:UNIQUE )?INDEX (\w+)", sql)
    for names in (tables, columns, indexes):
        assert len(names) == len({name[:63] for name in names}) and all(len(name) <= 63 for name in names), sql
    assert columns[0].startswith("estimated_delivery_window_start_according_to_the_carri_")
    assert column_name(local) == columns[0] and table_name(entity) == tables[0]  # what the checks compare
    assert f"REFERENCES {tables[0]} (id)" in sql
    assert column_name("customerId") == "customer_id"  # a name that fits is as it was


# Each reference PostgreSQL cannot take as a foreign key (check reports each: bad-reference, unknown-reference),
# and one it can, to a bigint key.
UNWRITABLE = [
    {"name": "Seat", "description": "Keyed by row and number.", "fields": [
        {"name": "row", "type": "string", "primaryKey": True, "required": True},
        {"name": "number", "type": "integer", "primaryKey": True, "required": True}]},
    {"name": "Note", "description": "No key.", "fields": [{"name": "body", "type": "text"}]},
    {"name": "Account", "description": "An account.", "fields": [
        {"name": "id", "type": "bigint", "primaryKey": True, "required": True}]},
    {"name": "Booking", "description": "A booking.", "fields": [
        {"name": "id", "type": "uuid", "primaryKey": True, "required": True},
        {"name": "seatRow", "type": "string", "references": "Seat"},
        {"name": "noteId", "type": "uuid", "references": "Note"},
        {"name": "label", "type": "text", "references": "Ghost"},
        {"name": "ownerId", "type": "uuid", "references": "Account"},
        {"name": "accountId", "type": "integer", "references": "Account"}]},
]
SKIPPED = [
    "-- Skipped: a foreign key from 'Booking'.'seatRow' to 'Seat', whose primary key has 2 fields.",
    "-- Skipped: a foreign key from 'Booking'.'noteId' to 'Note', which has no primary key.",
    "-- Skipped: a foreign key from 'Booking'.'label' to 'Ghost', an entity the data model does not have.",
    "-- Skipped: a foreign key from 'Booking'.'ownerId' to 'Account', whose key 'id' is bigint, not uuid.",
]


def test_a_reference_with_no_one_key_of_its_type_to_point_at_is_left_out_of_the_ddl():
    """Before, the DDL had `REFERENCES seat`, `REFERENCES note` and `REFERENCES ghost` with no column, and a
    uuid column referencing a bigint key: PostgreSQL refused each, and with it the whole migration."""
    sql = ddl({"entities": copy.deepcopy(UNWRITABLE)})
    assert re.findall(r"FOREIGN KEY \((\w+)\) (REFERENCES [^,\n]*)", sql) == [("account_id", "REFERENCES account (id)")]
    assert _indexed(sql) == {("booking", "account_id")}  # an index serves a foreign key only
    assert sql.rstrip("\n").split("\n")[-len(SKIPPED):] == SKIPPED


def test_build_writes_no_foreign_key_postgresql_would_refuse(example):
    # check reports these references; build wrote them all the same, in the ddl section and the migration
    architecture = example / "specs" / "architecture.yaml"
    entities = "".join(f"    - {json.dumps(entity)}\n" for entity in UNWRITABLE)
    text = architecture.read_text()
    assert text.count("\n  relationships:\n") == 1
    architecture.write_text(text.replace("\n  relationships:\n", f"\n{entities}  relationships:\n"))
    built = run_gitspec(example, "build", "--no-render")
    assert "regenerated architecture#ddl" in built.out and "regenerated code#files" in built.out, built
    migration = (example / "generated" / "db" / "migrations" / "0001_init.sql").read_text()
    ddl_section = yaml.safe_load(architecture.read_text())["ddl"]
    for sql in (migration, ddl_section):
        assert not re.search(r"REFERENCES \w++(?! \()", sql), sql
        assert "\n".join(SKIPPED) in sql
        assert "booking_account_id_fkey FOREIGN KEY (account_id) REFERENCES account (id)" in sql
