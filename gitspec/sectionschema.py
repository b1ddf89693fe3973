"""One section's JSON Schema on its own, as stages hand it to a provider: every `$ref` inside it.

Pure: reads only the schemas shipped with gitspec, and validates nothing itself.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def section_schema(kind: str, section: str, *inner: str) -> dict[str, Any]:
    """The schema of `section` in a built-in kind's documents, or of a part of it (`inner` keywords,
    e.g. "items" for one element of a list), with each subschema it refers to copied under `$defs`.

    A provider validates against it without a registry (nor a network), and the model reads only what
    the section needs. jsonschema-rs's `dereference` would lose the keywords beside a `$ref` (the
    `pattern` of a FEAT- id), its `bundle` would copy whole kinds' schemas: hence this small walk.
    """
    return json.loads(_section_schema(kind, (section, *inner)))  # a fresh copy: callers may change it


@lru_cache(maxsize=None)
def _section_schema(kind: str, path: tuple[str, ...]) -> str:
    from referencing import Registry, Resource

    from gitspec.schemas import load_builtin_schema

    root = load_builtin_schema(kind)
    shared = [load_builtin_schema("common"), root]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in shared)
    pointer = "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)
    copier = _Copier(registry)
    body = copier.copy(registry.resolver(root["$id"]).lookup(f"#/properties/{pointer}").contents, root["$id"])
    return json.dumps({"$schema": DRAFT, **body, **({"$defs": copier.defs} if copier.defs else {})})


class _Copier:
    """Copies a subschema, pointing each `$ref` at a copy of its target under `$defs` (one per target)."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry
        self.defs: dict[str, Any] = {}
        self.names: dict[str, str] = {}  # a target's absolute URI -> its name under $defs

    def copy(self, node: Any, base: str) -> Any:
        """`node`, from the schema file at `base`."""
        if isinstance(node, list):
            return [self.copy(item, base) for item in node]
        if not isinstance(node, dict):
            return node
        # `$id` and `$schema` belong to a whole schema file; in the copy they would move its base URI
        return {key: self._local(value, base) if key == "$ref" else self.copy(value, base)
                for key, value in node.items() if key not in ("$id", "$schema")}

    def _local(self, ref: str, base: str) -> str:
        from urllib.parse import urldefrag, urljoin

        uri = urljoin(base, ref)
        if uri not in self.names:
            stem = uri.rsplit("/", 1)[-1] or "root"
            name = next(f"{stem}{n or ''}" for n in range(len(self.defs) + 1) if f"{stem}{n or ''}" not in self.defs)
            self.names[uri] = name
            self.defs[name] = {}  # taken before copying: a schema that refers to itself ends here
            self.defs[name] = self.copy(self.registry.resolver(base).lookup(ref).contents, urldefrag(uri).url)
        return f"#/$defs/{self.names[uri]}"
