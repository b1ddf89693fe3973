"""Kinds: a document type, its JSON Schema and its `gitspec new` skeleton."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Kind:
    """A document kind, as plugins declare it through `gitspec_kinds`.

    `schema` is a JSON Schema file (draft 2020-12); `template` is a
    `string.Template` file with `$id` and `$title`; `suffix` is the file
    suffix of new documents (".yaml" or ".md").
    """

    name: str
    schema: Path
    template: Path | None = None
    suffix: str = ".yaml"
