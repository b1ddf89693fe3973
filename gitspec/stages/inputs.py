"""Reading a stage's input sections, which a person may have hand-edited into any shape.

Pure filters: they drop what a stage cannot use and never repair or invent a value.
"""
from __future__ import annotations

from typing import Any


def identified(value: Any) -> list[dict[str, Any]]:
    """The items of a list section that are mappings with a string `id`; anything else reads as no items."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict) and isinstance(item.get("id"), str)]


def key_fields(entity: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields of a data model's entity marked `primaryKey` (one, several for a composite key, or
    none); fields that are not mappings, or a `fields` that is not a list, read as none."""
    fields = entity.get("fields")
    if not isinstance(fields, list):
        return []
    return [field for field in fields if isinstance(field, dict) and field.get("primaryKey")]
