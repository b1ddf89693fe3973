"""An OpenAPI 3.1 document from an architecture apiContract and dataModel, and its validation.

Pure: builds a dict. Validation refuses non-local `$ref`s first, so that the
validator never reaches for the network.
"""
from __future__ import annotations

import copy
import http
import re
from typing import Any

from gitspec.errors import EXIT_FINDINGS, GitspecError
from gitspec.stage import placeholder
from gitspec.stages.inputs import key_fields
from gitspec.stages.naming import camel_case, id_parameter, unique

OPENAPI_VERSION = "3.1.0"
_PATH_PARAM = re.compile(r"\{([^{}]+)\}")
# Logical field types -> JSON Schema (OpenAPI 3.1 dialect).
_FIELD_SCHEMAS: dict[str, dict[str, Any]] = {
    "uuid": {"type": "string", "format": "uuid"}, "string": {"type": "string"}, "text": {"type": "string"},
    "integer": {"type": "integer", "format": "int32"}, "bigint": {"type": "integer", "format": "int64"},
    "decimal": {"type": "string", "format": "decimal"},  # a string keeps every digit of a decimal
    "boolean": {"type": "boolean"}, "date": {"type": "string", "format": "date"},
    "timestamp": {"type": "string", "format": "date-time"}, "json": {}, "enum": {"type": "string"},
}
_QUERY_SCHEMAS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"}, "integer": {"type": "integer"}, "number": {"type": "number"},
    "boolean": {"type": "boolean"}, "date": {"type": "string", "format": "date"},
    "timestamp": {"type": "string", "format": "date-time"},
}


def field_schema(field: dict) -> dict[str, Any]:
    schema = copy.deepcopy(_FIELD_SCHEMAS.get(field.get("type", "string"), {}))
    if field.get("type") == "enum" and field.get("values"):
        schema["enum"] = list(field["values"])
    if not (field.get("required") or field.get("primaryKey")) and "type" in schema:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"].append(None)  # an enum restricts null too unless it lists it
    if field.get("description"):
        schema["description"] = str(field["description"])
    return schema


def entity_schema(entity: dict) -> dict[str, Any]:
    fields = entity.get("fields") or []
    schema: dict[str, Any] = {"type": "object"}
    if entity.get("description"):
        schema["description"] = str(entity["description"])
    required = [f["name"] for f in fields if f.get("required") or f.get("primaryKey")]
    if required:
        schema["required"] = required
    schema["properties"] = {f["name"]: field_schema(f) for f in fields}
    return schema


def component_schemas(api_contract: dict, data_model: dict) -> dict[str, dict]:
    """apiContract.schemas, then a schema for each entity the contract does not name itself."""
    schemas = {name: copy.deepcopy(dict(value)) for name, value in (api_contract.get("schemas") or {}).items()}
    for entity in data_model.get("entities") or []:
        if entity.get("name") and entity["name"] not in schemas:
            schemas[entity["name"]] = entity_schema(entity)
    return schemas


def security_scheme(auth: dict) -> tuple[str, dict[str, Any]] | None:
    """The scheme name and OpenAPI security scheme for apiContract.authentication."""
    kind = auth.get("type", "none")
    described = {"description": str(auth["description"])} if auth.get("description") else {}
    if kind == "bearer":
        return "bearerAuth", {"type": "http", "scheme": "bearer", **described}
    if kind == "apiKey":
        return "apiKey", {"type": "apiKey", "in": "header", "name": "X-API-Key", **described}
    if kind == "session":
        return "sessionCookie", {"type": "apiKey", "in": "cookie", "name": "session", **described}
    if kind == "oauth2":
        # Relative URLs resolve against the server; the real endpoints are not in the contract.
        flow = {"authorizationUrl": "/oauth/authorize", "tokenUrl": "/oauth/token",
                "scopes": {str(k): str(v) for k, v in (auth.get("scopes") or {}).items()}}
        return "oauth2", {"type": "oauth2", "flows": {"authorizationCode": flow}, **described}
    return None


def schema_ref(name: str | None, components: dict[str, dict]) -> dict[str, Any] | None:
    if not name:
        return None
    if name in components:
        return {"$ref": f"#/components/schemas/{name}"}
    return {"type": "object", "description": placeholder(f"schema '{name}' is not defined in apiContract.schemas")}


def operation_id(endpoint: dict) -> str:
    if endpoint.get("operationId"):
        return str(endpoint["operationId"])
    words = [w for w in re.split(r"[^A-Za-z0-9]+", _PATH_PARAM.sub(r"by \1", endpoint["path"])) if w]
    return camel_case(" ".join([endpoint["method"].lower(), *words]))


def operation_ids(endpoints: list[dict]) -> list[str | None]:
    """The operationId the OpenAPI document gives each endpoint, None for a repeated method and path
    (the document keeps the first). A repeated id gets `_2`, `_3`...: routes.py must use the same ids.
    `gitspec check` reports repeated routes and repeated explicit ids; a derived id is the generator's."""
    ids: set[str] = set()
    routes: set[tuple[str, str]] = set()
    found: list[str | None] = []
    for endpoint in endpoints:
        route = (str(endpoint["method"]).lower(), str(endpoint["path"]))
        found.append(None if route in routes else unique(operation_id(endpoint), ids))
        routes.add(route)
    return found


def _key_schema(entity: dict) -> dict[str, Any] | None:
    keys = key_fields(entity)
    if len(keys) != 1:  # no key, or a composite one that a single parameter cannot hold
        return None
    return {key: value for key, value in field_schema(keys[0]).items() if key != "description"}


def path_parameters(endpoint: dict, data_model: dict) -> dict[str, dict[str, Any]]:
    """Each path parameter of `endpoint` with its schema: the primary key's schema when the parameter names
    an entity's key (`ticketId` for Ticket, or `id` on an endpoint of that entity), a string otherwise."""
    keys: dict[str, dict[str, Any]] = {}
    for entity in data_model.get("entities") or []:
        schema = _key_schema(entity) if isinstance(entity, dict) and entity.get("name") else None
        if schema is not None:
            keys.setdefault(id_parameter(str(entity["name"])), schema)
            if entity["name"] == endpoint.get("entity"):
                keys.setdefault("id", schema)
    names = _PATH_PARAM.findall(endpoint["path"])
    return {name: copy.deepcopy(keys.get(name, {"type": "string"})) for name in names}


def _parameters(endpoint: dict, data_model: dict) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [{"name": name, "in": "path", "required": True, "schema": schema}
                                    for name, schema in path_parameters(endpoint, data_model).items()]
    for query in endpoint.get("query") or []:
        param = {"name": query["name"], "in": "query", "required": bool(query.get("required")),
                 "schema": copy.deepcopy(_QUERY_SCHEMAS.get(query.get("type", "string"), {"type": "string"}))}
        if query.get("description"):
            param["description"] = str(query["description"])
        params.append(param)
    if endpoint.get("idempotent"):
        params.append({"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string"},
                       "description": "A retried request with the same key replays the first result."})
    return params


def _responses(endpoint: dict, api_contract: dict, components: dict[str, dict]) -> dict[str, Any]:
    status = int(endpoint.get("status") or 200)
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = f"Status {status}"
    success: dict[str, Any] = {"description": phrase}
    body = schema_ref(endpoint.get("response"), components)
    if body is not None and status != 204:
        success["content"] = {"application/json": {"schema": body}}
    error: dict[str, Any] = {"description": str(api_contract.get("errors") or "An error.")}
    if "Error" in components:
        error["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {str(status): success, "default": error}


def _operation(endpoint: dict, api_contract: dict, data_model: dict, components: dict[str, dict],
               scheme: str | None, op_id: str) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": op_id, "summary": str(endpoint.get("summary") or "")}
    if endpoint.get("entity"):
        operation["tags"] = [endpoint["entity"]]
    params = _parameters(endpoint, data_model)
    if params:
        operation["parameters"] = params
    request = schema_ref(endpoint.get("request"), components)
    if request is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": request}}}
    operation["responses"] = _responses(endpoint, api_contract, components)
    if scheme and endpoint.get("scopes"):
        operation["security"] = [{scheme: [str(s) for s in endpoint["scopes"]]}]
    return operation


def _info(api_contract: dict, product_name: str | None) -> dict[str, Any]:
    major = re.search(r"/v([0-9]+)\b", str(api_contract.get("baseUrl") or ""))
    return {"title": f"{product_name} API" if product_name else "API",
            "version": f"{major.group(1)}.0.0" if major else "0.1.0"}


def openapi_document(api_contract: dict, data_model: dict, product_name: str | None = None) -> dict[str, Any]:
    components = component_schemas(api_contract, data_model)
    found = security_scheme(api_contract.get("authentication") or {})
    scheme = found[0] if found else None
    doc: dict[str, Any] = {"openapi": OPENAPI_VERSION, "info": _info(api_contract, product_name)}
    if api_contract.get("baseUrl"):
        doc["servers"] = [{"url": str(api_contract["baseUrl"])}]
    paths: dict[str, dict[str, Any]] = {}
    endpoints = api_contract.get("endpoints") or []
    for endpoint, op_id in zip(endpoints, operation_ids(endpoints)):
        if op_id is not None:  # None: a repeated method and path, which `gitspec check` reports
            paths.setdefault(endpoint["path"], {})[str(endpoint["method"]).lower()] = _operation(
                endpoint, api_contract, data_model, components, scheme, op_id)
    doc["paths"] = paths
    doc["components"] = {"schemas": components}
    if found:
        doc["components"]["securitySchemes"] = {found[0]: found[1]}
        doc["security"] = [{found[0]: []}]
    tags = _tags(api_contract, data_model)
    if tags:
        doc["tags"] = tags
    return doc


def _tags(api_contract: dict, data_model: dict) -> list[dict[str, str]]:
    descriptions = {e.get("name"): e.get("description") for e in data_model.get("entities") or []}
    tags: dict[str, dict[str, str]] = {}
    for endpoint in api_contract.get("endpoints") or []:
        name = endpoint.get("entity")
        if name and name not in tags:
            tags[name] = {"name": name, **({"description": str(descriptions[name])} if descriptions.get(name) else {})}
    return list(tags.values())


def _remote_refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) and not node["$ref"].startswith("#") else []
        return found + [ref for value in node.values() for ref in _remote_refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _remote_refs(value)]
    return []


def check_openapi(doc: dict[str, Any], address: str = "architecture#openapi") -> None:
    """Raise GitspecError (findings) unless `doc` is a valid OpenAPI 3.1 document."""
    remote = _remote_refs(doc)
    if remote:
        raise GitspecError(f"{address}: $ref {remote[0]!r} is not local; only '#/components/...' references "
                           "are resolved (gitspec never fetches schemas)", exit_code=EXIT_FINDINGS)
    from openapi_spec_validator import OpenAPIV31SpecValidator, validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
    from referencing.exceptions import Unresolvable

    try:
        validate(doc, cls=OpenAPIV31SpecValidator)
    except Unresolvable as error:
        raise GitspecError(f"{address}: $ref {getattr(error, 'ref', '?')!r} does not resolve",
                           exit_code=EXIT_FINDINGS) from error
    except OpenAPIValidationError as error:
        message = " ".join(str(error.message).split())[:500]
        where = "/".join(str(part) for part in error.absolute_path)
        raise GitspecError(f"{address}: the OpenAPI document does not validate"
                           f"{f' at {where}' if where else ''}: {message}", exit_code=EXIT_FINDINGS) from error
