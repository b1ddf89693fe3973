"""Addresses `DOC-ID#SECTION-ID[/json/pointer]`: parsing, formatting and resolving."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

DOC_ID = r"[a-z0-9][a-z0-9-]*"  # what an address can name: a document's id, and a section of it
SECTION_ID = r"[A-Za-z0-9_-]+"
ADDRESS = re.compile(rf"^(?P<doc>{DOC_ID})#(?P<section>{SECTION_ID})(?P<pointer>/.*)?$")
ITEM_ID = re.compile(r"^[A-Z][A-Z0-9]*-[0-9]+$")

_MISSING = object()


@dataclass(frozen=True)
class Address:
    doc: str
    section: str
    pointer: tuple[str, ...] = ()

    def __str__(self) -> str:
        return format_address(self.doc, (self.section, *self.pointer))


@lru_cache(maxsize=65536)
def parse_address(text: str) -> Address | None:
    match = ADDRESS.match(text)
    if not match:
        return None
    return Address(match["doc"], match["section"], pointer_tokens(match["pointer"] or ""))


def pointer_tokens(pointer: str) -> tuple[str, ...]:
    """The tokens of a JSON pointer ("/a/b~1c" → ("a", "b/c")); () for "" (the whole value)."""
    return tuple(_unescape(t) for t in pointer.split("/")[1:]) if pointer else ()


def format_address(doc_id: str, path: tuple | list) -> str:
    """`doc#section/rest/of/path` for a path inside a document's instance."""
    if not path:
        return doc_id
    section, *rest = path
    return f"{doc_id}#{section}" + "".join(f"/{_escape(str(step))}" for step in rest)


def resolve_pointer(value: Any, tokens: tuple[str, ...]) -> bool:
    """Whether the JSON pointer `tokens` names something inside `value`."""
    return resolve_pointer_value(value, tokens, _MISSING) is not _MISSING


def resolve_pointer_value(value: Any, tokens: tuple[str, ...], default: Any = None) -> Any:
    """The value the JSON pointer `tokens` names inside `value`, or `default`."""
    for token in tokens:
        if isinstance(value, dict):
            value = value.get(token, _MISSING)
        elif isinstance(value, list) and _is_index(token) and int(token) < len(value):
            value = value[int(token)]
        else:
            return default
        if value is _MISSING:
            return default
    return value


def _is_index(token: str) -> bool:
    # ASCII digits only: str.isdigit() also takes '²' (which int() refuses) and '٠' or '０' (which it reads as 0).
    return token.isascii() and token.isdigit()


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")
