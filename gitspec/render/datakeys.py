"""Which keys of a document's values are data, not field names, and which values are references, read
from its kind's schema: the keys of a free-form map (`additionalProperties`, `patternProperties`:
screen ids, environment variables, radius names) are shown as written; a key the schema declares in
`properties` is a field name, which the render humanizes (`dataModel` → "Data model"). A string the
schema declares an id or an address (a `$ref` to gitspec's shared `documentId`, `itemId`, `address`
or `itemIdOrAddress`) is a reference, which the render may link; any other string is only text, even
one that spells a document's id (`ownerRole: design`).

Pure: walks a value beside its schema and returns a copy; it never validates (the check does),
and a value the schema says nothing about keeps its keys as they were.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_ANY: dict = {}  # the schema of a free-form map's values when it says nothing of them
DEEPEST = 40  # levels walked: a value nested deeper is shown as one line of text (valueblocks.DEEPEST_LEVEL)


class DataKey(str):
    """A key of a free-form map: shown exactly as written, never humanized."""


class Reference(str):
    """A value the schema declares an id or an address: a link where it names a known one."""


COMMON = "https://gitspec.dev/schemas/common.schema.json"
REFERENCE_DEFS = ("documentId", "itemId", "address", "itemIdOrAddress")  # the shared schema's, by name


class DataKeys:
    """Marks the data keys in a document's sections, given every schema by kind (their `$ref`s
    resolve among them, gitspec's common schema included)."""

    def __init__(self, schemas: dict[str, dict]) -> None:
        self.schemas = schemas
        self._by_id: dict[str, dict] | None = None
        self._references: set[int] | None = None  # the shared reference schemas' nodes, by identity
        # what _expand gave for the same schema nodes (a node lives in one schema, so its identity says
        # how its $refs resolve): each item of a 2,000-item list is walked beside the same nodes
        self._expanded: dict[tuple[int, ...], list[tuple[dict, Any]]] = {}

    def marked(self, kind: str, section: str, value: Any) -> Any:
        """`value` (the section `section` of a `kind` document, or a key of a Markdown document's front
        matter) with each data key a DataKey and each reference a Reference."""
        schema = self.schemas.get(kind)
        if not isinstance(schema, dict) or not isinstance(value, (dict, list, str)):
            return value
        base = schema.get("$id") if isinstance(schema.get("$id"), str) else f"urn:gitspec:kind:{kind}"
        self._known().setdefault(base, schema)
        nodes = self._expand([(schema, base)])
        return self._mark(value, self._children(nodes, section), 0)

    def _known(self) -> dict[str, dict]:
        """Every schema by its `$id` (gitspec's common schema among them), made on first use."""
        if self._by_id is None:
            from gitspec.schemas import load_builtin_schema

            shared = [load_builtin_schema("common"), *self.schemas.values()]
            self._by_id = {s["$id"]: s for s in shared if isinstance(s, dict) and isinstance(s.get("$id"), str)}
        return self._by_id

    def _lookup(self, ref: str, base: str) -> tuple[Any, str] | None:
        """The schema `ref` names from a schema whose base URI is `base`, and that schema's base URI.
        Only what gitspec's and workspaces' schemas write: another schema by its URI, a JSON pointer
        into one (`common.schema.json#/$defs/text`, `#/$defs/reqId`). (The `referencing` library
        does all of JSON Schema's, but importing it costs a one-document re-render a tenth.)"""
        from urllib.parse import unquote, urldefrag, urljoin

        from gitspec.addresses import pointer_tokens, resolve_pointer_value

        uri, fragment = urldefrag(urljoin(base, ref))
        known = self._known()
        node: Any = known.get(uri)
        if node is None and uri:  # `common.schema.json` from a schema of no `$id`: by its file name
            node = next((s for name, s in known.items() if name.endswith("/" + uri.rsplit("/", 1)[-1])), None)
            uri = str(node.get("$id", uri)) if isinstance(node, dict) else uri
        if fragment and not fragment.startswith("/"):
            return None  # an anchor name: not used by these schemas
        node = resolve_pointer_value(node, pointer_tokens(unquote(fragment)))
        return (node, uri) if node is not None else None

    def _mark(self, value: Any, nodes: list, depth: int) -> Any:
        if not nodes or depth > DEEPEST:
            return value
        nodes = self._expand(nodes)
        if isinstance(value, list):
            return [self._mark(item, self._items(nodes, n), depth + 1) for n, item in enumerate(value)]
        if isinstance(value, str):
            return Reference(value) if self._is_reference(nodes) else value
        if not isinstance(value, dict):
            return value
        marked = {}
        for key, item in value.items():
            children = self._children(nodes, key)
            free = self._free(nodes, key) if isinstance(key, str) and not children else []
            marked[DataKey(key) if free else key] = self._mark(item, children or free, depth + 1)
        return marked

    def _is_reference(self, nodes: list[tuple[dict, Any]]) -> bool:
        """Whether the schemas that apply (expanded: their `$ref`s followed) include a shared reference's."""
        if self._references is None:
            shared = self._known().get(COMMON, {}).get("$defs", {})
            self._references = {id(shared[name]) for name in REFERENCE_DEFS if name in shared}
        return any(id(node) in self._references for node, _ in nodes)

    def _expand(self, nodes: list[tuple[Any, Any]]) -> list[tuple[dict, Any]]:
        """The schemas that apply, with their base URIs: `$ref`s followed, `allOf`/`anyOf`/`oneOf` and
        `then`/`else` branches joined (a key any of them declares is a field)."""
        key = tuple(id(node) for node, _ in nodes)
        found = self._expanded.get(key)
        if found is None:
            found = self._expanded[key] = self._followed(nodes)
        return found

    def _followed(self, nodes: Iterable[tuple[Any, Any]]) -> list[tuple[dict, Any]]:
        out: list[tuple[dict, Any]] = []
        pending = list(nodes)
        while pending and len(out) < 64:
            node, base = pending.pop()
            if not isinstance(node, dict):
                continue
            out.append((node, base))
            if isinstance(node.get("$ref"), str):
                resolved = self._lookup(node["$ref"], base)
                if resolved is not None:  # (an unresolvable $ref: the check reports the schema)
                    pending.append(resolved)
            for word in ("allOf", "anyOf", "oneOf"):
                pending.extend((branch, base) for branch in node.get(word) or () if isinstance(branch, dict))
            pending.extend((node[word], base) for word in ("then", "else") if isinstance(node.get(word), dict))
        return out

    @staticmethod
    def _children(nodes: list, key: Any) -> list:
        """The schemas of a declared field `key`: [] when no node declares it."""
        return [(props[key], base) for node, base in nodes
                if isinstance(props := node.get("properties"), dict) and key in props]

    @staticmethod
    def _free(nodes: list, key: str) -> list:
        """The schemas of `key` as a free-form map's key: [] when no node makes the map free-form."""
        found = []
        for node, base in nodes:
            for pattern, schema in (node.get("patternProperties") or {}).items():
                try:
                    if re.search(pattern, key):
                        found.append((schema, base))
                except re.error:
                    continue
            extra = node.get("additionalProperties")
            if isinstance(extra, dict) or extra is True or "propertyNames" in node:
                found.append((extra if isinstance(extra, dict) else _ANY, base))
        return found

    @staticmethod
    def _items(nodes: list, n: int) -> list:
        found = []
        for node, base in nodes:
            prefix = node.get("prefixItems")
            if isinstance(prefix, list) and n < len(prefix):
                found.append((prefix[n], base))
            elif isinstance(node.get("items"), dict):
                found.append((node["items"], base))
        return found
