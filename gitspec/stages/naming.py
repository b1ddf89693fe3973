"""Identifier spelling shared by the generators: snake_case, PascalCase and unique names.

Pure string functions; they never decide what a name means, only how it is spelled.
"""
from __future__ import annotations

import keyword
import re

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^A-Za-z0-9]+")


def words(name: str) -> list[str]:
    """`InvoiceLineItem`, `invoice_line-item`, `HTTPServer` -> lower-case words."""
    spaced = _CAMEL_BOUNDARY.sub(" ", name)
    return [word.lower() for word in _NON_WORD.split(spaced) if word]


def snake_case(name: str) -> str:
    return "_".join(words(name)) or "x"


def pascal_case(name: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in words(name)) or "X"


def camel_case(name: str) -> str:
    pascal = pascal_case(name)
    return pascal[:1].lower() + pascal[1:]


def id_parameter(entity_name: str) -> str:
    """The path parameter naming one entity by its key: `Ticket` -> `ticketId`."""
    return f"{camel_case(entity_name)}Id"


def python_identifier(name: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A valid Python identifier for `name` that is not a keyword and not in `taken`."""
    ident = name if name.isidentifier() else snake_case(name)
    if ident[:1].isdigit():
        ident = f"_{ident}"
    while keyword.iskeyword(ident) or ident in taken:
        ident = f"{ident}_"
    return ident


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3`... whichever is free; records the choice in `taken`."""
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}_{number}", number + 1
    taken.add(candidate)
    return candidate
