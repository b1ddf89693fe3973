"""Kinds: a document type, its JSON Schema and its `gitspec new` skeleton."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUFFIXES = (".yaml", ".yml", ".md")  # what gitspec reads as documents (gitspec.workspace.DOCUMENT_SUFFIXES)


@dataclass(frozen=True)
class Kind:
    """A document kind, as plugins declare it through `gitspec_kinds`.

    `schema` is a JSON Schema file (draft 2020-12); `template` is a
    `string.Template` file with `$id` and `$title`; `suffix` is the file
    suffix of new documents (".yaml" or ".md"). A plugin may give either
    file as a str: `received` makes it a Path.
    """

    name: str
    schema: Path
    template: Path | None = None
    suffix: str = ".yaml"


def received(kind: Kind) -> Kind:
    """The kind a plugin declared, its files as Paths (a str or any os.PathLike is taken as one).
    A field gitspec cannot use raises ValueError saying which, for an error naming the plugin."""
    if not isinstance(kind.name, str) or not kind.name:
        raise ValueError(f"declares a kind named {kind.name!r}: its name must be a non-empty string")
    if not isinstance(kind.suffix, str) or kind.suffix not in SUFFIXES:
        raise ValueError(f"declares kind '{kind.name}' with suffix {kind.suffix!r}: it must be one of "
                         f"{', '.join(SUFFIXES)}")
    schema = _path(kind.schema)
    if schema is None:
        raise ValueError(f"declares kind '{kind.name}' with schema {_shown(kind.schema)}: it must be the path of a "
                         "JSON Schema file (a pathlib.Path or a str)")
    template = _path(kind.template)
    if kind.template is not None and template is None:
        raise ValueError(f"declares kind '{kind.name}' with template {_shown(kind.template)}: it must be the path of "
                         "a template file (a pathlib.Path or a str) or None")
    if schema is kind.schema and template is kind.template:
        return kind
    return Kind(kind.name, schema, template, kind.suffix)


def _path(value: Any) -> Path | None:
    if isinstance(value, Path):
        return value
    if isinstance(value, str) and value and "\0" not in value:
        return Path(value)
    if isinstance(value, os.PathLike):
        given = os.fspath(value)
        return Path(given) if isinstance(given, str) and "\0" not in given else None
    return None


def _shown(value: Any) -> str:
    from gitspec.plugincalls import described

    return repr(value) if isinstance(value, str) else described(value)
