"""Keeping a YAML anchor that a rewrite would drop while an alias elsewhere still refers to it.

A regenerated section is written out in full, so an anchor the user put inside
it would go and the alias in their own section would no longer resolve. Works on
ruamel's round-trip objects; never changes a value, only which object holds it.
"""
from __future__ import annotations

import copy
from typing import Any

from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.hashing import value_hash
from gitspec.yamlplain import as_read


def keep_anchors(data: Any, sections: dict[str, Any], text: str) -> dict[str, Any]:
    """`sections`, with each value that is unchanged where an anchor of `data`'s old value was (and an
    alias in `text` refers to it) given back as the anchored object, so the alias still resolves.
    A GitspecError names the alias whose anchor's value a section changes."""
    if "&" not in text or "*" not in text:
        return sections
    aliases = _aliases(text, sections)
    kept = dict(sections)
    for name in sections:
        used = [(path, old) for path, old in _anchored(data.get(name), (name,)) if old.anchor.value in aliases]
        if used:
            kept[name] = copy.deepcopy(kept[name])  # (the caller's value is never changed)
        for path, old in used:
            parent = _parent(kept, path)
            if parent is None or value_hash(parent[path[-1]]) != value_hash(as_read(old)):
                anchor = old.anchor.value
                line, col = aliases[anchor]
                raise GitspecError(f"the alias *{anchor} refers to &{anchor} in {name}, which is regenerated "
                                   f"with another value; write the value in place of the alias",
                                   line=line, col=col, exit_code=EXIT_USAGE)
            parent[path[-1]] = old
    return kept


def _anchored(value: Any, path: tuple):
    """(path, object) of each anchored value in `value`, itself included."""
    if getattr(getattr(value, "anchor", None), "value", None) is not None:
        yield path, value
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _anchored(inner, (*path, key))
    elif isinstance(value, list):
        for at, inner in enumerate(value):
            yield from _anchored(inner, (*path, at))


def _parent(value: Any, path: tuple) -> Any:
    """The dict or list holding the value at `path` in `value`, or None when the path is not there."""
    for step in path[:-1]:
        value = _step(value, step)
    return value if _step(value, path[-1]) is not _GONE else None


_GONE = object()


def _step(value: Any, step: Any) -> Any:
    if isinstance(value, dict):
        return value.get(step, _GONE)
    if isinstance(value, list) and isinstance(step, int) and step < len(value):
        return value[step]
    return _GONE


def _aliases(text: str, sections: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """The 1-based line and column of the first alias to each anchor in `text`, outside the `sections`
    being replaced (an alias inside one goes with it)."""
    import yaml

    from gitspec.yamlread import read_yaml

    root = read_yaml(text).root
    spans = [(key.start_mark.index, value.end_mark.index) for key, value in getattr(root, "value", ())
             if key.value in sections]
    found: dict[str, tuple[int, int]] = {}
    for token in yaml.scan(text, Loader=yaml.CSafeLoader):
        at = token.start_mark.index
        if isinstance(token, yaml.AliasToken) and not any(start <= at < end for start, end in spans):
            found.setdefault(token.value, (token.start_mark.line + 1, token.start_mark.column + 1))
    return found
