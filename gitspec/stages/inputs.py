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
