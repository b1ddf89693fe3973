"""Built-in plugin: an architecture's data model and API contract as its generators will read them.

Two names the DDL spells alike would become one table or one column, two
endpoints with one method and route would be one operation, and two with one
operationId one handler name: the second would be lost, refused or renamed, so
each is an error at the later one's line, naming both. A foreign key must match
the one key it points at, or the database refuses it.
Reads the document only; never generates anything.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from gitspec.findings import Finding, error
from gitspec.hookspecs import hookimpl
from gitspec.printable import shown

if TYPE_CHECKING:  # documents.py imports the YAML parser: not needed to register the plugin
    from gitspec.documents import Document


@hookimpl
def gitspec_check_document(document: Document) -> list[Finding]:
    if document.kind != "architecture":
        return []
    model = document.sections.get("dataModel")
    entities = _entities(model.get("entities")) if isinstance(model, dict) else []
    return (_name_clashes(document, entities) + _route_clashes(document) + _operation_id_clashes(document)
            + _reference_keys(document, entities))


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _entities(value: Any) -> list[tuple[int, dict]]:
    """(position, entity) for each entity with a name; the schema reports the others."""
    return [(i, e) for i, e in enumerate(_list(value)) if isinstance(e, dict) and isinstance(e.get("name"), str)]


def _name_clashes(document: Document, entities: list[tuple[int, dict]]) -> list[Finding]:
    from gitspec.stages.ddl import column_name, table_name

    findings: list[Finding] = []
    tables: dict[str, tuple[str, int]] = {}  # table -> the first entity's name and line
    for index, entity in entities:
        path = ("dataModel", "entities", index, "name")
        name, table = entity["name"], table_name(entity["name"])
        if table not in tables:
            tables[table] = (name, document.locate(path)[0])
        elif tables[table][0] != name:  # the same name twice is a duplicate entity (gitspec.builtin.structure)
            first, line = tables[table]
            findings.append(_at(document, path, f"entity {shown(name)} and entity {shown(first)} (line {line}) "
                                f"would both be table {shown(table)}, with the same API paths; rename one", "name-clash"))
        columns: dict[str, tuple[str, int]] = {}
        for f_index, field in enumerate(_list(entity.get("fields"))):
            if not isinstance(field, dict) or not isinstance(field.get("name"), str):
                continue
            path = ("dataModel", "entities", index, "fields", f_index, "name")
            column = column_name(field["name"])
            if column not in columns:
                columns[column] = (field["name"], document.locate(path)[0])
                continue
            first, line = columns[column]
            if first == field["name"]:
                message = f"duplicate field {shown(first)} in entity {shown(name)} (also at line {line})"
            else:
                message = (f"field {shown(field['name'])} and field {shown(first)} (line {line}) of entity "
                           f"{shown(name)} would both be column {shown(column)}; rename one")
            findings.append(_at(document, path, message, "name-clash"))
    return findings


def _endpoints(document: Document) -> list[tuple[int, dict]]:
    """(position, endpoint) for each endpoint with a method and path; the schema reports the others."""
    contract = document.sections.get("apiContract")
    endpoints = _list(contract.get("endpoints")) if isinstance(contract, dict) else []
    return [(i, e) for i, e in enumerate(endpoints) if isinstance(e, dict) and isinstance(e.get("method"), str)
            and isinstance(e.get("path"), str)]


def _route(endpoint: dict) -> str:
    """An endpoint as a message names it: `GET /accounts`."""
    return f"{endpoint['method'].upper()} {endpoint['path']}"


def _route_key(endpoint: dict) -> tuple[str, str]:
    return endpoint["method"].upper(), re.sub(r"\{[^{}]*\}", "{}", endpoint["path"])


def _route_clashes(document: Document) -> list[Finding]:
    """OpenAPI keeps one operation per method and path, and a path's parameter names do not make it
    another route ('/a/{id}' is '/a/{key}'); routes.py follows the OpenAPI document."""
    findings: list[Finding] = []
    routes: dict[tuple[str, str], tuple[str, int]] = {}
    for index, endpoint in _endpoints(document):
        path = ("apiContract", "endpoints", index, "path")
        route = _route(endpoint)
        key = _route_key(endpoint)
        if key not in routes:
            routes[key] = (route, document.locate(path)[0])
            continue
        first, line = routes[key]
        if first == route:
            message = (f"endpoint {route} is defined twice (first at line {line}); the OpenAPI document and "
                       "routes.py keep only the first: change the method or path, or remove one")
        else:
            message = (f"endpoint {route} is the same route as {first} (line {line}): path parameter names "
                       "do not tell paths apart, so every request would reach the first: change the method "
                       "or path, or remove one")
        findings.append(_at(document, path, message, "duplicate-endpoint"))
    return findings


def _operation_id_clashes(document: Document) -> list[Finding]:
    """An operationId names one operation (FastAPI's and every OpenAPI client's handler). The generators
    number a taken id (`listAccounts_2`): fine for an id they derived from the method and path, but an
    explicit one would silently not be the name its author chose."""
    from gitspec.stages.openapi import operation_ids

    endpoints = _endpoints(document)
    findings: list[Finding] = []
    owners: dict[str, tuple[str, int]] = {}  # operation id -> its endpoint's route and line
    for (index, endpoint), op_id in zip(endpoints, operation_ids([e for _, e in endpoints])):
        if op_id is None:
            continue  # a repeated method and path: duplicate-endpoint
        explicit = endpoint["operationId"] if isinstance(endpoint.get("operationId"), str) else None
        path = ("apiContract", "endpoints", index, "operationId" if explicit else "path")
        route = _route(endpoint)
        if explicit and op_id != explicit:
            first, line = owners[explicit]
            findings.append(_at(document, path, f"operationId {shown(explicit)} of {route} is already the "
                                f"operation id of {first} (line {line}); operation ids are unique: rename one",
                                "duplicate-operation-id"))
        owners[op_id] = (route, document.locate(path)[0])
    return findings


def _reference_keys(document: Document, entities: list[tuple[int, dict]]) -> list[Finding]:
    """A `references` field becomes `FOREIGN KEY (field) REFERENCES table (key)`: the entity it names
    needs a primary key of one field, of a type PostgreSQL compares with the field's own."""
    from gitspec.stages.ddl import column_type, comparable, primary_keys
    from gitspec.stages.inputs import key_fields

    by_name = {entity["name"]: entity for _, entity in entities}
    findings: list[Finding] = []
    for index, entity in entities:
        for f_index, field in enumerate(_list(entity.get("fields"))):
            target = by_name.get(field.get("references")) if isinstance(field, dict) else None
            if target is None:
                continue  # no reference, or to an unknown entity (gitspec.builtin.structure)
            path = ("dataModel", "entities", index, "fields", f_index, "references")
            keys = key_fields(target)
            what = f"field {shown(field.get('name'))} of {shown(entity['name'])} references {shown(target['name'])}"
            if not keys:
                message = f"{what}, which has no primary key: mark one of its fields primaryKey"
            elif len(keys) > 1:
                message = (f"{what}, whose primary key has {len(keys)} fields ({', '.join(primary_keys(target))}): "
                           "one field cannot point at it; give it a single key field, or reference another entity")
            elif comparable(column_type(field)) != comparable(column_type(keys[0])):
                message = (f"{what}, whose key {shown(keys[0].get('name'))} is {keys[0].get('type')}: "
                           f"the field is {field.get('type')}; give it type {keys[0].get('type')}")
            else:
                continue
            findings.append(_at(document, path, message, "bad-reference"))
    return findings


def _at(document: Document, path: tuple, message: str, rule: str) -> Finding:
    line, col = document.locate(path)
    return error(document.path, line, col, message, rule)
