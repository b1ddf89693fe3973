"""The indentation a YAML text is written with, as ruamel's `YAML.indent(mapping, sequence, offset)` takes it.

Pure text in, numbers out: a rewrite dumped with these already sits at the user's columns, so the
lines it changes read like the lines around them. Never guesses from flow collections.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from gitspec.yamlread import read_yaml


@dataclass(frozen=True)
class Indentation:
    """Columns relative to a key: of a mapping nested under it, and of the dash and content of a
    sequence under it (ruamel's `mapping`, `sequence` and `offset`)."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2


def indentation(text: str) -> Indentation:
    """The steps most of `text`'s block collections are indented by; ruamel's defaults for those it
    has none of (a sequence then sits as its mapping would: dash at the mapping's step)."""
    mappings: Counter[int] = Counter()
    sequences: Counter[tuple[int, int]] = Counter()
    _count(read_yaml(text).root, mappings, sequences, set())
    mapping = _most_common(mappings, default=Indentation.mapping)
    if not 1 < mapping < 10:  # what ruamel's emitter accepts; the splice shifts other steps into place
        mapping = Indentation.mapping
    sequence, offset = _most_common(sequences, default=(mapping + 2, mapping))
    return Indentation(mapping, sequence, offset)


def _most_common(counts: Counter, default: Any) -> Any:
    return counts.most_common(1)[0][0] if counts else default


def _count(node: Any, mappings: Counter, sequences: Counter, seen: set[int]) -> None:
    """Count the steps of the block collections under the keys of `node` and everything in it."""
    from yaml.nodes import MappingNode, SequenceNode

    if id(node) in seen or not isinstance(node, (MappingNode, SequenceNode)):
        return
    seen.add(id(node))
    if isinstance(node, SequenceNode):
        for item in node.value:
            _count(item, mappings, sequences, seen)
        return
    for key, value in node.value:
        _count(value, mappings, sequences, seen)
        if node.flow_style or not value.value or getattr(value, "flow_style", True):
            continue
        column, first = key.start_mark.column, value.value[0]
        if isinstance(value, MappingNode) and first[0].start_mark.line > key.start_mark.line:  # (not an alias above)
            mappings[first[0].start_mark.column - column] += 1
        elif isinstance(value, SequenceNode) and value.start_mark.line > key.start_mark.line and \
                first.start_mark.line == value.start_mark.line and not isinstance(first, SequenceNode):
            # (a sequence with an anchor starts at the anchor: its dash is not seen)
            content = first.value[0][0] if isinstance(first, MappingNode) and first.value else first
            sequences[(content.start_mark.column - column, value.start_mark.column - column)] += 1
