"""Built-in plugin: the kinds shipped with gitspec, one schema and template each."""
from __future__ import annotations

from pathlib import Path

from gitspec.hookspecs import hookimpl
from gitspec.kinds import Kind

SHIPPED_KINDS = ("product", "brand", "design", "architecture", "ui", "launch", "evolution", "code",
                 "assembly", "prd", "requirements", "tasks", "evidence")
MARKDOWN_KINDS = ("prd",)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@hookimpl
def gitspec_kinds() -> list[Kind]:
    from gitspec.schemas import builtin_schema_dir  # not at import: status and build may never need it

    schemas = builtin_schema_dir()
    kinds = []
    for name in SHIPPED_KINDS:
        suffix = ".md" if name in MARKDOWN_KINDS else ".yaml"
        kinds.append(Kind(name, schemas / f"{name}.schema.json", TEMPLATES / f"{name}{suffix}", suffix))
    return kinds
