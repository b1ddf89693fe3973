"""Python stub sources from an API contract: Pydantic models per schema, FastAPI routes per endpoint.

Pure text generation. Every name that reaches the source goes through an identifier check and
every string through a JSON string literal, so user text can never break the syntax.
"""
from __future__ import annotations

import json
import keyword
import re
from typing import Any

from gitspec.printable import one_line
from gitspec.stages.naming import pascal_case, python_identifier, snake_case, unique
from gitspec.stages.openapi import operation_ids, path_parameters

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")
# Names the generated modules import or use in annotations; a model or field must not shadow them.
_RESERVED = frozenset({"Any", "Literal", "BaseModel", "Field", "APIRouter", "Header", "Query", "FastAPI",
                       "router", "app", "str", "int", "float", "bool", "list", "dict", "None",
                       "_dt", "_uuid"})
# BaseModel attributes a field would shadow (Pydantic warns or fails on these), with those it has from its
# metaclass (`mro` from type, `register` from ABCMeta); `_` and `model_` names are renamed by their prefix.
_MODEL_ATTRS = frozenset({"schema", "json", "dict", "copy", "validate", "construct", "fields", "parse_obj",
                          "parse_raw", "parse_file", "from_orm", "update_forward_refs", "schema_json",
                          "mro", "register"})
_FORMATS = {"date": "_dt.date", "date-time": "_dt.datetime", "uuid": "_uuid.UUID"}
_SCALARS = {"integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_QUERY_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool",
                "date": "_dt.date", "timestamp": "_dt.datetime"}


def docstring(text: Any, indent: str) -> str:
    """A docstring statement for `text`, triple-quoted when that is safe, a plain literal otherwise."""
    flat = " ".join(str(text).split())
    if '"' in flat or "\\" in flat or one_line(flat) != flat:  # a control character (a NUL) needs its escape
        return f"{indent}{py_str(flat)}\n"
    return f'{indent}"""{flat}"""\n'


def class_names(schema_names: list[str]) -> dict[str, str]:
    """Schema name -> a Python class name, unique and not shadowing what the modules import."""
    taken: set[str] = set(_RESERVED)
    names = {}
    for name in schema_names:
        base = name if name.isidentifier() and not keyword.iskeyword(name) else pascal_case(name)
        names[name] = unique(base if base not in _RESERVED else f"{base}Model", taken)
    return names


class ModelWriter:
    """Renders component schemas as Pydantic model classes, nested objects as their own classes."""

    def __init__(self, components: dict[str, dict]) -> None:
        self.components = components
        self.names = class_names(list(components))
        self.taken = set(self.names.values()) | _RESERVED
        self.blocks: list[str] = []
        self.aliases: list[str] = []
        self.order: list[str] = []

    def render(self) -> list[str]:
        """Classes first (their annotations stay strings), then aliases, which Python evaluates at once."""
        for name, schema in self.components.items():
            self.model(self.names[name], schema if isinstance(schema, dict) else {})
        return self.blocks + self.aliases

    def type_of(self, schema: Any, hint: str) -> str:
        if not isinstance(schema, dict) or not schema:
            return "Any"
        if isinstance(schema.get("$ref"), str):
            return self.names.get(schema["$ref"].rsplit("/", 1)[-1], "Any")
        if "const" in schema:
            schema = {"enum": [schema["const"]]}
        if isinstance(schema.get("enum"), list):
            return _literal(schema["enum"])
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                return _union([self.type_of(part, f"{hint}Option") for part in schema[key]])
        kinds = schema.get("type")
        if isinstance(kinds, list):
            return _union([self.type_of({**schema, "type": kind}, hint) for kind in kinds])
        if kinds == "string":
            return _FORMATS.get(schema.get("format", ""), "str")
        if kinds == "array":
            return f"list[{self.type_of(schema.get('items'), f'{hint}Item')}]"
        if kinds == "object" or "properties" in schema:
            return self._object(schema, hint)
        return _SCALARS.get(str(kinds), "Any")

    def _object(self, schema: dict, hint: str) -> str:
        if isinstance(schema.get("properties"), dict) and schema["properties"]:
            return self.model(unique(pascal_case(hint), self.taken), schema)
        extra = schema.get("additionalProperties")
        value = self.type_of(extra, f"{hint}Value") if isinstance(extra, dict) else "Any"
        return f"dict[str, {value}]"

    def model(self, name: str, schema: dict) -> str:
        """Append a class for an object schema (or an alias for any other schema); return its name."""
        self.taken.add(name)
        properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else None
        if properties is None and (schema.get("type") not in (None, "object") or "$ref" in schema
                                   or "enum" in schema or "anyOf" in schema or "oneOf" in schema):
            self.aliases.append(f"{name} = {self.type_of(schema, name)}\n")
            return name
        self.order.append(name)
        index = len(self.blocks)
        self.blocks.append("")  # reserve the slot so nested classes follow their parent
        lines = [f"class {name}(BaseModel):\n"]
        if schema.get("description"):
            lines.append(docstring(schema["description"], "    "))
        required = set(schema.get("required") or [])
        fields: set[str] = set()
        for prop, sub in (properties or {}).items():
            lines.append(self._field(str(prop), sub, prop in required, name, fields))
        if len(lines) == 1:
            lines.append("    pass\n")
        self.blocks[index] = "".join(lines)
        return name

    def _field(self, prop: str, sub: Any, required: bool, owner: str, fields: set[str]) -> str:
        annotation = self.type_of(sub, f"{owner} {prop}")
        ident = field_name(prop, self.taken | fields)
        fields.add(ident)
        if not required and annotation != "Any" and not re.search(r"(^|\| )None( \||$)", annotation):
            annotation = f"{annotation} | None"
        if ident != prop:
            default = f"Field(alias={py_str(prop)})" if required else f"Field(default=None, alias={py_str(prop)})"
            return f"    {ident}: {annotation} = {default}\n"
        return f"    {ident}: {annotation}\n" if required else f"    {ident}: {annotation} = None\n"


def field_name(prop: str, taken: set[str]) -> str:
    """A Pydantic field name for the property `prop`, not in `taken`; a different name keeps `prop` as alias.

    Pydantic reserves the `model_` prefix: BaseModel's own `model_*` members cannot be fields, and other
    names there draw a warning. Such names get an `f_` prefix, since a trailing `_` would stay in the prefix;
    so do names starting with a digit, which Python would want prefixed by `_`, a prefix Pydantic refuses.
    """
    if (prop.isidentifier() and not keyword.iskeyword(prop) and not prop.startswith(("_", "model_"))
            and prop not in _MODEL_ATTRS and prop not in taken):
        return prop
    ident = snake_case(prop)  # its words hold no underscore, so it never starts with one
    if ident.startswith("model_") or ident[:1].isdigit():
        ident = f"f_{ident}"
    return python_identifier(ident, taken | _MODEL_ATTRS)


def _literal(values: list) -> str:
    scalars = [v for v in values if isinstance(v, (str, int, float, bool)) and v is not None]
    if len(scalars) + values.count(None) != len(values):
        return "Any"
    parts = [f"Literal[{', '.join(_py_value(v) for v in scalars)}]"] if scalars else []
    return _union(parts + (["None"] if None in values else []))


def _py_value(value: str | int | float | bool) -> str:
    return py_str(value) if isinstance(value, str) else repr(value)


def _union(parts: list[str]) -> str:
    unique_parts = list(dict.fromkeys(parts))
    return "Any" if "Any" in unique_parts or not unique_parts else " | ".join(unique_parts)


def models_module(components: dict[str, dict], source: str) -> str:
    writer = ModelWriter(components)
    blocks = writer.render()
    body = "\n\n".join(blocks)
    rebuild = ""
    if writer.order:
        # Models refer to each other in any order; resolve the string annotations once all exist.
        rebuild = f"\n\nfor _model in (\n{_listed(writer.order)}):\n    _model.model_rebuild()\n"
    head = [f'"""Request and response models, generated by gitspec from {source}."""\n',
            "from __future__ import annotations\n\n"]
    head += _std_imports(body) + ["from pydantic import BaseModel", ", Field" if "Field(" in body else "", "\n"]
    return "".join(head) + ("\n\n" + body if body else "") + rebuild


def _listed(names: list[str]) -> str:
    """One name per line, each with a trailing comma, as black would write a long list."""
    return "".join(f"    {name},\n" for name in names)


def py_str(text: Any) -> str:
    """A Python string literal: JSON's escapes are all valid in Python, and it prefers double quotes."""
    return json.dumps(str(text), ensure_ascii=False)


def _std_imports(body: str) -> list[str]:
    lines = []
    if "_dt." in body:
        lines.append("import datetime as _dt\n")
    if "_uuid." in body:
        lines.append("import uuid as _uuid\n")
    names = [name for name in ("Any", "Literal") if re.search(rf"\b{name}\b", body)]
    if names:
        lines.append(f"from typing import {', '.join(names)}\n")
    return lines + (["\n"] if lines else [])


def _path_type(schema: dict[str, Any]) -> str:
    """The Python type of a path parameter's schema (a string, or a primary key's type)."""
    if schema.get("type") == "string":
        return _FORMATS.get(schema.get("format", ""), "str")
    return {"integer": "int", "number": "float", "boolean": "bool"}.get(str(schema.get("type")), "str")


def _route_params(endpoint: dict, request_type: str | None, data_model: dict) -> tuple[str, list[str]]:
    """The route path with Python parameter names, and the handler's parameters (no defaults first)."""
    taken: set[str] = set(_RESERVED)
    plain, defaulted = [], []
    schemas = path_parameters(endpoint, data_model)

    def rename(match: re.Match) -> str:
        ident = python_identifier(snake_case(match.group(1)), taken)
        taken.add(ident)
        plain.append(f"{ident}: {_path_type(schemas[match.group(1)])}")
        return "{" + ident + "}"

    path = _PATH_PARAM.sub(rename, endpoint["path"])
    if request_type:
        body = python_identifier("body", taken)
        taken.add(body)
        plain.append(f"{body}: {request_type}")
    for query in endpoint.get("query") or []:
        name = str(query["name"])
        ident = python_identifier(snake_case(name), taken)
        taken.add(ident)
        kind = _QUERY_TYPES.get(query.get("type", "string"), "str")
        if ident == name:
            (plain if query.get("required") else defaulted).append(
                f"{ident}: {kind}" if query.get("required") else f"{ident}: {kind} | None = None")
        elif query.get("required"):
            defaulted.append(f"{ident}: {kind} = Query(alias={py_str(name)})")
        else:
            defaulted.append(f"{ident}: {kind} | None = Query(default=None, alias={py_str(name)})")
    if endpoint.get("idempotent"):
        defaulted.append(f"{python_identifier('idempotency_key', taken)}: str | None = Header(default=None)")
    return path, plain + defaulted


def route(endpoint: dict, op_id: str, models: dict[str, str], handlers: set[str], data_model: dict) -> str:
    request = models.get(endpoint.get("request") or "", "dict[str, Any]") if endpoint.get("request") else None
    status = int(endpoint.get("status") or 200)
    returns = "None" if status == 204 or not endpoint.get("response") else models.get(
        endpoint["response"], "dict[str, Any]")
    path, params = _route_params(endpoint, request, data_model)
    handler = unique(python_identifier(snake_case(op_id), _RESERVED | set(models.values())), handlers)
    options = [py_str(path), f"operation_id={py_str(op_id)}"]
    if status != 200:
        options.append(f"status_code={status}")
    if endpoint.get("entity"):
        options.append(f"tags=[{py_str(endpoint['entity'])}]")
    signature = "\n" + "".join(f"    {param},\n" for param in params) if params else ""
    return (f"@router.{str(endpoint['method']).lower()}({', '.join(options)})\n"
            f"def {handler}({signature}) -> {returns}:\n"
            + docstring(endpoint.get("summary") or op_id, "    ")
            + "    raise NotImplementedError\n")


def routes_module(endpoints: list[dict], models: dict[str, str], source: str, data_model: dict) -> str:
    handlers: set[str] = set()
    # The OpenAPI document's ids: it keeps the first of a repeated method and path, and numbers a repeated id.
    blocks = [route(endpoint, op_id, models, handlers, data_model)
              for endpoint, op_id in zip(endpoints, operation_ids(endpoints)) if op_id is not None]
    body = "\n\n".join(blocks)
    fastapi = ["APIRouter", *[n for n in ("Header", "Query") if f"{n}(" in body]]
    used = sorted(name for name in set(models.values()) if re.search(rf"\b{re.escape(name)}\b", body))
    lines = [f'"""API routes, generated by gitspec from {source}. Each handler is a stub to fill in."""\n',
             "from __future__ import annotations\n\n", *_std_imports(body),
             f"from fastapi import {', '.join(fastapi)}\n"]
    if used:
        lines.append(f"\nfrom .models import (\n{_listed(used)})\n")
    lines.append("\nrouter = APIRouter()\n")
    return "".join(lines) + ("\n\n" + body if body else "")


def main_module(base_url: str | None, source: str) -> str:
    prefix = f", prefix={py_str(base_url.rstrip('/'))}" if base_url and base_url.rstrip("/") else ""
    return (f'"""The FastAPI application, generated by gitspec from {source}."""\n'
            "from __future__ import annotations\n\n"
            "from fastapi import FastAPI\n\n"
            "from .routes import router\n\n"
            "app = FastAPI()\n"
            f"app.include_router(router{prefix})\n")
