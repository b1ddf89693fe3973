"""Values shown as YAML text: a machine document (an OpenAPI description, design tokens) dumped
compactly, or any value on one line in YAML's flow style.

Pure. Neither recurses in Python for the caller's nesting: a value nested past what yaml.dump
can take is shown with flow_text, which keeps its own stack.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from gitspec.render.datakeys import DataKey, Reference
from gitspec.render.scalars import scalar_text

FLOW_WIDTH = 80  # a collection whose one-line form is at most this long is dumped on one line


def dump_yaml(value: Any) -> str:
    """A machine document as compact block YAML: short collections on one line, so an
    OpenAPI document takes about half the lines of indented JSON (and of plain YAML)."""
    import yaml

    return yaml.dump(value, Dumper=_compact_dumper(), sort_keys=False, width=100, allow_unicode=True)


@lru_cache(maxsize=1)
def _compact_dumper() -> type:
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class CompactDumper(base):  # type: ignore[misc, valid-type]
        def represent_mapping(self, tag, mapping, flow_style=None):
            node = super().represent_mapping(tag, mapping, flow_style)
            node.flow_style = _flow_length(node, FLOW_WIDTH) <= FLOW_WIDTH
            return node

        def represent_sequence(self, tag, sequence, flow_style=None):
            node = super().represent_sequence(tag, sequence, flow_style)
            node.flow_style = _flow_length(node, FLOW_WIDTH) <= FLOW_WIDTH
            return node

    for marked in (DataKey, Reference):  # plain text
        CompactDumper.add_representer(marked, lambda dumper, text: dumper.represent_str(str(text)))
    return CompactDumper


def _flow_length(node: Any, budget: int) -> int:
    """About how long `node` is written on one line (quotes not counted); stops early past `budget`."""
    if isinstance(node.value, str):
        return len(node.value) if "\n" not in node.value else budget + 1
    total = 2
    for item in node.value:
        pair = item if isinstance(item, tuple) else (item,)
        total += sum(_flow_length(part, budget) for part in pair) + 2 * len(pair)
        if total > budget:
            break
    return total


def nested_deeper(value: Any, limit: int) -> bool:
    """Whether lists and mappings inside `value` nest more than `limit` levels (without recursing)."""
    stack = [(value, 0)]
    while stack:
        part, depth = stack.pop()
        if isinstance(part, (list, dict)):
            if depth >= limit:
                return True
            stack.extend((child, depth + 1) for child in (part.values() if isinstance(part, dict) else part))
    return False


def flow_text(value: Any) -> str:
    """`value` on one line, as YAML's flow style writes it (`{key: [a, b]}`), however deeply nested:
    it keeps its own stack rather than recursing."""
    out: list[str] = []
    stack: list[tuple[bool, Any]] = [(False, value)]  # (is literal text, part)
    while stack:
        literal, part = stack.pop()
        if literal:
            out.append(part)
        elif isinstance(part, (list, dict)):
            pairs = list(part.items()) if isinstance(part, dict) else [(None, item) for item in part]
            stack.append((True, "}" if isinstance(part, dict) else "]"))
            for n, (key, item) in reversed(list(enumerate(pairs))):
                stack.append((False, item))
                stack.append((True, (", " if n else "") + ("" if key is None else f"{scalar_text(key)}: ")))
            stack.append((True, "{" if isinstance(part, dict) else "["))
        else:
            out.append(scalar_text(part))
    return "".join(out)
