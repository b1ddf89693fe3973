"""Keeping a user's YAML comments when a rewrite replaces or removes a value.

ruamel keeps a comment on the node before it: the lines above a key (or at the
end of the file) ride on the last line of the value above it, so replacing that
value would drop them. Works on ruamel's round-trip objects; never drops a comment.
"""
from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from gitspec.yamlplain import as_read

_VALUE = 2  # in a mapping's comment slots: the comment after the value (a sequence item's is at 0)


def replace_keeping_comments(data: CommentedMap, name: str, value: Any) -> None:
    """`data[name] = value`, keeping the old value's comments: each where the same key or item still is,
    the lines after the value after the new one, and any that lost their place there too."""
    tail = _take_tail(data, name) if name in data else ""
    lost: list[str] = []
    data[name] = _own_style(_carry(data.get(name), value, lost))
    _put_tail(data, name, "".join(lost) + tail)


def _own_style(value: Any) -> Any:
    """`value`, kept from taking the style of the value it replaces (ruamel gives a new string the old
    one's: a `|` block, a '…'), when that style cannot hold it: text with a character to escape."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

    from gitspec.yamlread import needs_escapes

    if isinstance(value, str) and not isinstance(value, ScalarString) and needs_escapes(value):
        return DoubleQuotedScalarString(value)
    return value


def delete_keeping_comments(data: CommentedMap, name: str) -> None:
    """`del data[name]`; the comments in and after its value go after the value of the key before it
    (of the key after it, for the first key)."""
    keys = list(data)
    tail = _take_tail(data, name)  # first: what is left of its last line's comment is one of its own
    text = "".join(_text(token) for token in _slots(data, name)) + "".join(_inner(data[name])) + tail
    at = keys.index(name)
    del data[name]
    if len(keys) > 1:
        _put_tail(data, keys[at - 1] if at else keys[1], text)


def remove_keeping_comments(data: CommentedMap, name: str, items: tuple) -> None:
    """Remove each of `items` from the list `data[name]`, in place so that it keeps its style; the comments
    of the items left stay on them, and a removed item's go after the list as lines of their own."""
    value = data[name]
    if not any(item in value for item in items):
        return
    tail = _take_tail(data, name)  # first: what is left of the last item's comment is its own
    lost: list[str] = []
    for at in reversed(range(len(value))):
        if value[at] in items:
            lost[:0] = [_text(token) for token in _slots(value, at)] + _inner(value[at])
            del value[at]  # (not list.remove, which leaves the comments where the items were)
    _put_tail(data, name, "".join(lost) + tail)


def append_keeping_comments(data: CommentedMap, name: str, item: Any) -> None:
    """Append `item` to the list `data[name]` in place, so that it keeps its style; the comment lines after a
    block list stay after it, below the new item (ruamel holds them on the last item)."""
    value = data[name]
    if not value or value.fa.flow_style():  # (`[]` is flow): its comments ride on the line it ends on
        value.fa.set_flow_style()
        value.append(item)
        return
    tail = _take_tail(data, name)
    value.append(item)
    _put_tail(data, name, tail)


def put_above(data: CommentedMap, name: str, lines: list[str]) -> None:
    """Comment `lines` (each from its `#`) as lines of their own above the key `name`."""
    keys = list(data)
    text = "".join(line + "\n" for line in lines)
    if keys.index(name):
        _put_tail(data, keys[keys.index(name) - 1], text)
    else:  # above the first key: its own slot for the lines before it
        slots = data.ca.items.setdefault(name, [None, None, None, None])
        slots[1] = [*(slots[1] or []), CommentToken(text, CommentMark(0), None)]


def take_line_comment(data: CommentedMap, name: str) -> str | None:
    """Remove and return the comment ending the line where the collection `data[name]` ends (from its `#`);
    the comment lines after it stay after the value."""
    token = (data.ca.items.get(name) or [None] * 4)[_VALUE]
    if not isinstance(token, CommentToken):
        return None
    own, _, tail = token.value.partition("\n")
    if not own.strip():  # no comment on that line: only lines of their own below it
        return None
    data.ca.items[name][_VALUE] = None
    if getattr(data[name], "ca", None) is not None and data[name].ca.comment and data[name].ca.comment[0] is token:
        data[name].ca.comment[0] = None  # (ruamel holds a flow collection's line comment twice)
    _put_tail(data, name, tail)
    return own.strip()


def _carry(old: Any, new: Any, lost: list[str]) -> Any:
    """`new`, given `old`'s comments where the same key or item is in it; the others go to `lost`."""
    if new is old or not _inner(old):  # (the very object: a value kept for its anchor)
        return new
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        out = CommentedMap()
        for key, value in new.items():
            out[key] = _carry(old[key], value, lost) if key in old else value
        pairs, gone = [(k, k) for k in new if k in old], [k for k in old if k not in new]
    elif isinstance(old, CommentedSeq) and isinstance(new, list):
        pairs = _item_pairs(old, new)
        was = {after: before for before, after in pairs}
        out = CommentedSeq(_carry(old[was[i]], value, lost) if i in was else value for i, value in enumerate(new))
        gone = [i for i in range(len(old)) if i not in {before for before, _ in pairs}]
    else:
        lost += _inner(old)
        return new
    for before, after in pairs:
        if before in old.ca.items:
            out.ca.items[after] = old.ca.items[before]
    for key in gone:
        lost += [_text(token) for token in _slots(old, key)] + _inner(old[key])
    return out


def _item_pairs(old: list, new: list) -> list[tuple[int, int]]:
    """(old index, new index) of the items that are the same item in both: for a list of plain values
    (`pinned`), the same value wherever it moved, so a comment never lands on a neighbour; else by place."""
    if any(isinstance(item, (dict, list)) for item in [*old, *new]):
        return [(i, i) for i in range(min(len(old), len(new)))]
    free = list(range(len(old)))
    pairs = []
    for after, value in enumerate(new):
        before = next((i for i in free if _same(old[i], value)), None)
        if before is not None:
            free.remove(before)
            pairs.append((before, after))
    return pairs


def _same(old: Any, new: Any) -> bool:
    old = as_read(old)  # (the user's `5` is text until read as gitspec reads it)
    return isinstance(old, bool) == isinstance(new, bool) and old == new  # (True == 1 to Python)


def _inner(value: Any) -> list[str]:
    """Every comment inside a mapping or sequence, as whole lines."""
    if not isinstance(value, (CommentedMap, CommentedSeq)):
        return []
    keys = list(value) if isinstance(value, CommentedMap) else range(len(value))
    return [_text(token) for key in keys for token in _slots(value, key)] + \
        [text for key in keys for text in _inner(value[key])]


def _slots(value: CommentedMap | CommentedSeq, key: Any) -> list[CommentToken]:
    found = []
    for slot in value.ca.items.get(key) or ():
        for token in slot if isinstance(slot, list) else [slot]:
            if isinstance(token, CommentToken) and token.value.strip():
                found.append(token)
    return found


def _text(token: CommentToken) -> str:
    """A comment token as whole lines (an end-of-line comment becomes a line of its own)."""
    return "".join(line.rstrip() + "\n" for line in token.value.splitlines() if line.strip())


def _last(data: CommentedMap, name: str, make: bool = False) -> tuple[Any, Any, int]:
    """The (container, key, slot) holding the comment after `data[name]`'s last line: its deepest last
    key or item; `make`: turning plain dicts and lists on the way into ones that can hold comments."""
    container, key, slot = data, name, _VALUE
    while True:
        value = container[key]
        if not isinstance(value, (dict, list)) or not value:
            return container, key, slot
        if make and not isinstance(value, (CommentedMap, CommentedSeq)):
            value = container[key] = CommentedMap(value) if isinstance(value, dict) else CommentedSeq(value)
        if not isinstance(value, (CommentedMap, CommentedSeq)):
            return container, key, slot
        container, key, slot = (value, list(value)[-1], _VALUE) if isinstance(value, dict) else \
            (value, len(value) - 1, 0)


def _take_tail(data: CommentedMap, name: str) -> str:
    """Remove and return the comment lines after `data[name]` (its last line's own comment stays)."""
    container, key, slot = _last(data, name)
    slots = container.ca.items.get(key)
    token = slots[slot] if slots and len(slots) > slot else None
    if not isinstance(token, CommentToken):
        return ""
    own, _, tail = token.value.partition("\n")
    if own.strip():
        token.value = own + "\n"
    else:
        slots[slot] = None
    return tail


def _put_tail(data: CommentedMap, name: str, text: str) -> None:
    if not text:
        return
    container, key, slot = _last(data, name, make=True)
    slots = container.ca.items.setdefault(key, [None, None, None, None])
    token = slots[slot]
    if isinstance(token, CommentToken):
        token.value = token.value + text if token.value.endswith("\n") else f"{token.value}\n{text}"
    else:
        slots[slot] = CommentToken("\n" + text, CommentMark(0), None)
