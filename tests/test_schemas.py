"""The shipped schemas: valid draft 2020-12, every property described, shared definitions by $ref."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

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
