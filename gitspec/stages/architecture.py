"""The architecture stage: a data model and API contract drafted from the product, and what
follows from them (ER diagram, PostgreSQL DDL, OpenAPI 3.1 document, components, system diagram).

Pure: no files, no network. The derived sections always use the current (possibly hand-edited)
dataModel and apiContract; a draft is used only for a section being regenerated itself.
"""
from __future__ import annotations

import json
from typing import Any

from gitspec.stage import Output, Stage, StageInput, placeholder
from gitspec.stages.naming import camel_case, id_parameter, words
from gitspec.stages.prose import fill_section

NAME = "product#name"
FEATURES = "product#features"
DATA_MODEL = "architecture#dataModel"
API_CONTRACT = "architecture#apiContract"

SECTIONS = ("dataModel", "apiContract", "systemDiagram", "components", "erDiagram", "ddl", "openapi")
# Fields the server sets itself, so create/update bodies leave them out.
_SERVER_SET = frozenset({"createdAt", "updatedAt"})


def _plain(value: Any) -> Any:
    """Plain JSON types with no shared sub-objects, so a YAML writer never emits anchors."""
    return json.loads(json.dumps(value))


def _feature_list(features: Any) -> str:
    ids = [str(f["id"]) for f in features or [] if isinstance(f, dict) and f.get("id")]
    return ", ".join(ids) if ids else "the product's features"


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def draft_data_model(name: str | None, features: Any) -> dict[str, Any]:
    """One placeholder entity with a key and timestamps: entities per feature would be invented claims."""
    product = name or "the product"
    record = {
        "name": "Record",
        "description": placeholder(f"the main entity of {product}. Replace it with the entities that "
                                   f"{_feature_list(features)} need, with their relationships and indexes."),
        "fields": [
            {"name": "id", "type": "uuid", "primaryKey": True, "required": True, "description": "Primary key."},
            {"name": "createdAt", "type": "timestamp", "required": True, "description": "When it was created."},
            {"name": "updatedAt", "type": "timestamp", "required": True, "description": "When it last changed."},
        ],
    }
    return {"entities": [record]}


def plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def _crud_schemas(entity: dict) -> dict[str, dict]:
    from gitspec.stages.openapi import entity_schema

    name = entity["name"]
    writable = [f for f in entity.get("fields") or [] if not f.get("primaryKey") and f["name"] not in _SERVER_SET]
    whole = entity_schema(entity)
    create = entity_schema({"fields": writable}) if writable else {"type": "object", "properties": {}}
    update = {key: value for key, value in create.items() if key != "required"}
    listing = {"type": "object", "required": ["data", "hasMore"], "properties": {
        "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
        "hasMore": {"type": "boolean"}, "nextCursor": {"type": ["string", "null"]}}}
    return {name: whole, f"{name}Create": create, f"{name}Update": update, f"{name}List": listing}


def _crud_endpoints(entity: dict) -> list[dict[str, Any]]:
    name = entity["name"]
    label = " ".join(words(name))
    collection = "/" + "-".join([*words(name)[:-1], plural(words(name)[-1])])
    item = f"{collection}/{{{id_parameter(name)}}}"
    paged = [{"name": "limit", "type": "integer"}, {"name": "cursor", "type": "string"}]
    return [
        {"method": "GET", "path": collection, "summary": f"List {plural(label)}.", "entity": name,
         "operationId": f"list{plural(name)}", "response": f"{name}List", "query": paged},
        {"method": "POST", "path": collection, "summary": f"Create {_a(label)}.", "entity": name,
         "operationId": f"create{name}", "request": f"{name}Create", "response": name, "status": 201},
        {"method": "GET", "path": item, "summary": f"Get {_a(label)}.", "entity": name,
         "operationId": f"get{name}", "response": name},
        {"method": "PATCH", "path": item, "summary": f"Change {_a(label)}.", "entity": name,
         "operationId": f"update{name}", "request": f"{name}Update", "response": name},
        {"method": "DELETE", "path": item, "summary": f"Delete {_a(label)}.", "entity": name,
         "operationId": f"delete{name}", "status": 204},
    ]


def draft_api_contract(data_model: dict) -> dict[str, Any]:
    """CRUD endpoints for every entity; authentication and errors are placeholders to decide."""
    entities = [e for e in data_model.get("entities") or [] if e.get("name") and e.get("fields")]
    schemas: dict[str, dict] = {"Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}
    endpoints: list[dict] = []
    for entity in entities:
        schemas.update(_crud_schemas(entity))
        endpoints += _crud_endpoints(entity)
    return {
        "baseUrl": "/v1",
        "authentication": {"type": "bearer", "description": placeholder(
            "how clients obtain, send and rotate credentials; bearer tokens are a starting assumption.")},
        "errors": placeholder("the error body and the status codes each failure returns."),
        "pagination": "List endpoints take limit and cursor and return {data, hasMore, nextCursor}.",
        "endpoints": endpoints,
        "schemas": schemas,
    }


def system_diagram(name: str | None) -> str:
    label = f"{name} API" if name else "API service"
    label = label.replace('"', "#quot;")  # Mermaid's escape for a quote inside a label
    return ("flowchart LR\n"
            "  client([Client]) -->|HTTPS| api[\"" + label + "\"]\n"
            "  api --> db[(PostgreSQL)]\n")


def draft_components(data_model: dict, api_contract: dict) -> list[dict[str, Any]]:
    entities = [str(e.get("name")) for e in data_model.get("entities") or [] if e.get("name")]
    endpoints = api_contract.get("endpoints") or []
    auth = (api_contract.get("authentication") or {}).get("type", "none")
    return [
        {"name": "API service",
         "responsibility": f"Serves the {len(endpoints)} endpoints of the API contract, checks {auth} "
                           "authentication and validates requests against the contract's schemas.",
         "dependsOn": ["PostgreSQL"]},
        {"name": "PostgreSQL",
         "responsibility": f"System of record for {', '.join(entities) or 'the data model'}.",
         "technology": "PostgreSQL"},
    ]


def generate(inp: StageInput) -> dict[str, Any]:
    # Here, not at import: declaring the stage (every run that cannot use .gitspec/plan) needs none of them.
    from gitspec.stages.ddl import ddl
    from gitspec.stages.erdiagram import er_diagram
    from gitspec.stages.openapi import check_openapi, openapi_document

    name = inp.get(NAME)
    features = inp.get(FEATURES, [])
    out: dict[str, Any] = {}
    out["dataModel"] = fill_section(inp.provider, "architecture", "dataModel", draft_data_model(name, features),
                                    f"Product {name!r}, features: {json.dumps(features)}. Write the entities "
                                    "(PascalCase, fields with types), relationships and indexes they need.")
    data_model = inp.get(DATA_MODEL) or out["dataModel"]
    out["apiContract"] = fill_section(inp.provider, "architecture", "apiContract", draft_api_contract(data_model),
                                      "Write the HTTP endpoints, request/response schemas and authentication "
                                      "for this data model.")
    api_contract = inp.get(API_CONTRACT) or out["apiContract"]
    out["systemDiagram"] = system_diagram(name)
    out["components"] = fill_section(inp.provider, "architecture", "components",
                                     draft_components(data_model, api_contract),
                                     "Describe each component's responsibility in one sentence.")
    out["erDiagram"] = er_diagram(data_model)
    out["ddl"] = ddl(data_model, source=DATA_MODEL)
    out["openapi"] = openapi_document(api_contract, data_model, name)
    check_openapi(out["openapi"])
    return _plain(out)


STAGE = Stage(
    name="architecture",
    # 2: path parameters typed by the key; 3: names over 63 bytes in the DDL are shortened with a hash; 4: the DDL
    # leaves out a foreign key with no one key of its type to point at (it wrote `REFERENCES table`)
    version="4",
    document="architecture",
    kind="architecture",
    title="Architecture",
    inputs=(NAME, FEATURES, DATA_MODEL, API_CONTRACT),
    outputs=(
        Output("dataModel", (NAME, FEATURES)),
        Output("apiContract", (FEATURES, DATA_MODEL)),
        Output("systemDiagram", (NAME,)),
        Output("components", (DATA_MODEL, API_CONTRACT)),
        Output("erDiagram", (DATA_MODEL,)),
        Output("ddl", (DATA_MODEL,)),
        Output("openapi", (NAME, DATA_MODEL, API_CONTRACT)),
    ),
    generate=generate,
    prompt_version="2",  # the provider is given the section's schema: answers cached before are asked again
)
