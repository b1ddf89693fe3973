"""A Mermaid `erDiagram` from an architecture dataModel, built with mermaid-py's ER model.

mermaid-py prints a warning on import outside IPython and renders through a web
service; we only use its text model, import it once with stdout captured, and
never render. Without it the same text is built here.
"""
from __future__ import annotations

import contextlib
import sys
import threading
from typing import Any

from gitspec.printable import one_line

# Cardinality of each relationship type as (left end, right end) in Mermaid crow's-foot terms.
_ENDS = {
    "one-to-one": ("exactly-one", "zero-or-one"),
    "one-to-many": ("exactly-one", "zero-or-more"),
    "many-to-one": ("zero-or-more", "exactly-one"),
    "many-to-many": ("zero-or-more", "zero-or-more"),
}
_SYMBOLS = {"zero-or-one": ("|o", "o|"), "exactly-one": ("||", "||"),
            "zero-or-more": ("}o", "o{"), "one-or-more": ("}|", "|{")}
_TITLE = "Data model"
_import_lock = threading.Lock()


def _mermaid_er() -> Any | None:
    """mermaid-py's `mermaid.erdiagram` module, or None when it is not installed."""
    # The package prints an IPython warning at import; keep gitspec's stdout clean. A stage runs on a
    # worker thread while the main one may write (build --json's events): only this thread is muted.
    with _import_lock, contextlib.redirect_stdout(_MutedThread(sys.stdout)):
        try:
            from mermaid import erdiagram
        except ImportError:
            return None
    return erdiagram


class _MutedThread:
    """Stands in for `stream` while one thread (the one that made it) must not write there:
    that thread's writes are dropped, every other thread's go on to `stream`."""

    def __init__(self, stream: Any) -> None:
        self._stream, self._muted = stream, threading.get_ident()

    def write(self, text: str) -> int:
        return len(text) if threading.get_ident() == self._muted else self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _comment(text: Any) -> str:
    # Mermaid comments are double-quoted and cannot contain a double quote or a line break.
    return one_line(" ".join(str(text).split())).replace('"', "'")  # a control character as its escape


def _attributes(entity: dict) -> dict[str, str | list[str]]:
    """Field name -> mermaid-py attribute definition: the type, then keys and a comment if any."""
    attributes: dict[str, str | list[str]] = {}
    for field in entity.get("fields") or []:
        keys = [key for key, on in (("PK", field.get("primaryKey")), ("FK", field.get("references")),
                                    ("UK", field.get("unique") and not field.get("primaryKey"))) if on]
        comment = _comment(field["description"]) if field.get("description") else None
        kind = str(field.get("type", "string"))
        if len(keys) > 1 and comment is None:
            comment = ""  # mermaid-py writes a key list verbatim only when a comment follows it
        if not keys and comment is None:
            attributes[field["name"]] = kind  # a bare string keeps mermaid-py's indentation
        elif not keys:
            attributes[field["name"]] = [kind, comment or ""]
        else:
            attributes[field["name"]] = [kind, ", ".join(keys), *([comment] if comment is not None else [])]
    return attributes


def _optional_key(relation: dict, entities: dict[str, dict]) -> bool:
    """Whether the foreign key named by `via` may be empty (then the 'one' end is zero-or-one)."""
    side = {"one-to-many": "to", "many-to-one": "from", "one-to-one": "to"}.get(relation.get("type", ""))
    fields = (entities.get(relation.get(side, "")) or {}).get("fields") or [] if side else []
    field = next((f for f in fields if f.get("name") == relation.get("via")), None)
    return field is not None and not field.get("required") and not field.get("primaryKey")


def _links(data_model: dict, entities: dict[str, dict]) -> list[tuple[str, str, str, str, str]]:
    """(from, to, left cardinality, right cardinality, label) for every relationship."""
    links = []
    for relation in data_model.get("relationships") or []:
        left, right = _ENDS.get(relation.get("type", ""), ("exactly-one", "zero-or-more"))
        if _optional_key(relation, entities):
            left, right = (("zero-or-one", right) if left == "exactly-one" else (left, "zero-or-one"))
        label = _comment(relation.get("via") or relation.get("type") or "")
        links.append((relation["from"], relation["to"], left, right, label))
    return links


def _with_mermaid_py(erdiagram: Any, entities: list[dict], links: list[tuple]) -> str:
    nodes = {e["name"]: erdiagram.Entity(e["name"], _attributes(e)) for e in entities}
    for name in sorted({end for link in links for end in link[:2]} - nodes.keys()):
        nodes[name] = erdiagram.Entity(name)  # a relationship to an unknown entity still shows
    edges = [erdiagram.Link(nodes[a], nodes[b], left, right, label) for a, b, left, right, label in links]
    return erdiagram.ERDiagram(_TITLE, list(nodes.values()), edges).script


def _by_hand(entities: list[dict], links: list[tuple]) -> str:
    """The text mermaid-py would produce, for when it is not installed."""
    lines = [f"---\ntitle: {_TITLE}\n---\nerDiagram"]
    names = [e["name"] for e in entities]
    blocks = {e["name"]: _attributes(e) for e in entities}
    for name in sorted({end for link in links for end in link[:2]} - set(names)):
        names.append(name)
        blocks[name] = {}
    for name in names:
        rows = []
        for attr, definition in blocks[name].items():
            if isinstance(definition, str):
                rows.append(f"\t{definition} {attr}\n")
            elif len(definition) == 2 and definition[1] in ("PK", "FK", "UK"):
                rows.append(f"\t{definition[0]} {attr} {definition[1]}\n")
            elif len(definition) == 2:
                rows.append(f'\t{definition[0]} {attr} "{definition[1]}"\n')
            else:
                rows.append(f'\t{definition[0]} {attr} {definition[1]} "{definition[2]}"\n')
        lines.append(f"\t{name}{{\n{''.join(rows)}}}")
    for a, b, left, right, label in links:
        lines.append(f'\t{a}{_SYMBOLS[left][0]}--{_SYMBOLS[right][1]}{b} : "{label}"')
    return "\n".join(lines) + "\n"


def er_diagram(data_model: dict, use_mermaid_py: bool = True) -> str:
    entities = [e for e in data_model.get("entities") or [] if isinstance(e, dict) and e.get("name")]
    links = _links(data_model, {e["name"]: e for e in entities})
    erdiagram = _mermaid_er() if use_mermaid_py else None
    if erdiagram is None:
        return _by_hand(entities, links)
    return _with_mermaid_py(erdiagram, entities, links)
