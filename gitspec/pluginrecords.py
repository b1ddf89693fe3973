"""What a plugin's findings, definitions and references must hold, field by field.

A record of the wrong shape (a Path where a str goes, a line of None) would otherwise fail far from the
plugin: in the parse index (marshal), when findings are sorted, or printed as `file:None:None`. Pure.
"""
from __future__ import annotations

from typing import Any

from gitspec.findings import ERROR, WARNING, Finding
from gitspec.printable import is_utf8
from gitspec.symbols import Definition, Reference

# What a field must be, as an error says it; the keys name the tests in _fits.
_TEXT, _NAME, _PATH, _POSITION = "a str", "a non-empty str", "a path", "an int of 1 or more"
_NAMESPACES, _SEVERITY = "a non-empty tuple of non-empty str", f"{ERROR!r} or {WARNING!r}"

FIELDS = {
    Finding: (("path", _PATH), ("line", _POSITION), ("col", _POSITION), ("severity", _SEVERITY),
              ("message", _TEXT), ("rule", _NAME)),
    Definition: (("id", _NAME), ("namespace", _NAME), ("path", _PATH), ("line", _POSITION), ("col", _POSITION)),
    Reference: (("target", _NAME), ("namespaces", _NAMESPACES), ("source", _NAME), ("relation", _NAME),
                ("path", _PATH), ("line", _POSITION), ("col", _POSITION)),
}
_SAID = {_PATH: "a non-empty str (the workspace path, as document.path gives it)"}


def wrong_field(record: Any) -> str:
    """`whose line is None, not an int of 1 or more`: the first field of a plugin's record that gitspec
    cannot use, or "" when every field is usable (or the record is of no type checked here)."""
    fields = next((fields for kind, fields in FIELDS.items() if isinstance(record, kind)), ())
    for field, wanted in fields:
        value = getattr(record, field)
        if wanted in (_TEXT, _NAME) and type(value) is str and not is_utf8(value):
            surrogate = next(char for char in value if "\ud800" <= char <= "\udfff")
            return f"whose {field} holds a lone surrogate U+{ord(surrogate):04X}, which is no Unicode character"
        if not _fits(value, wanted):
            return f"whose {field} is {_shown(value)}, not {_SAID.get(wanted, wanted)}"
    return ""


def _fits(value: Any, wanted: str) -> bool:
    if wanted == _POSITION:
        return type(value) is int and value >= 1  # not a bool, which is an int too
    if wanted == _NAMESPACES:
        return type(value) is tuple and bool(value) and all(_fits(name, _NAME) for name in value)
    if wanted == _SEVERITY:
        return type(value) is str and value in (ERROR, WARNING)
    if wanted == _PATH:  # a file name that is not UTF-8 comes with lone surrogates, as document.path has it
        return type(value) is str and bool(value)
    # exact types: the parse index (marshal) cannot hold a subclass
    return type(value) is str and (bool(value) or wanted == _TEXT)


def _shown(value: Any) -> str:
    from gitspec.plugincalls import described

    if value is None or type(value) in (bool, int):
        return repr(value)
    if type(value) is str:
        return repr(value if len(value) <= 40 else value[:40] + "…")
    return described(value)
