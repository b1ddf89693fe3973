"""Where each YAML alias is used, and that the aliases do not expand past a limit. libyaml's composer hands
an alias the anchored node itself, so the alias's own position is found again from the parser's events,
walked beside the composed tree.

Never expands an alias: the walk is as long as the text, whatever the aliases would expand to.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yaml.cyaml import CParser
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# Aliases may repeat a subtree; past this many extra nodes it is a "billion laughs".
ALIAS_EXPANSION_LIMIT = 100_000


@dataclass(frozen=True)
class AliasUse:
    """An alias in the text: the collection holding it, its place there (an index, or the text of the
    key it is the value of; None when it is a key itself), the anchored node, and its 0-based mark."""

    parent: Node
    slot: Any
    target: Node
    line: int
    column: int


def alias_uses(text: str, root: Node) -> list[AliasUse]:
    """Every alias of `text` (composed as `root`), in the order it is written."""
    parser = CParser(text)
    uses: list[AliasUse] = []
    # each open collection with how many of its nodes (keys and values, for a mapping) the events have passed
    open_collections: list[list] = []
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, CollectionEndEvent):
                open_collections.pop()
                continue
            if not isinstance(event, NodeEvent):  # stream and document starts and ends
                continue
            if not open_collections:
                node, parent, slot = root, None, None
            else:
                parent, passed = open_collections[-1]
                open_collections[-1][1] += 1
                node, slot = _child(parent, passed)
            if isinstance(event, AliasEvent):
                if parent is not None:
                    uses.append(AliasUse(parent, slot, node, event.start_mark.line, event.start_mark.column))
            elif isinstance(event, CollectionStartEvent):
                open_collections.append([node, 0])
    finally:
        parser.dispose()
    return uses


def _child(parent: Node, passed: int) -> tuple[Node, Any]:
    """The node after the first `passed` of `parent`'s, and its slot (see AliasUse)."""
    if not isinstance(parent, MappingNode):
        return parent.value[passed], passed
    key_node, value_node = parent.value[passed // 2]
    if passed % 2 == 0:
        return key_node, None
    return value_node, key_node.value if isinstance(key_node, ScalarNode) else None


def checked_alias_uses(text: str, root: Node, line_offset: int) -> list[AliasUse]:
    """The aliases of `text` (composed as `root`), in the order written. Refuses recursive aliases, and
    aliases that would expand past the limit, at the alias that passes it (a gitspec.yamlread.YamlProblem)."""
    from gitspec.yamlread import YamlProblem  # (which reads with this module)

    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    distinct = 0

    def size(node: Node) -> int:
        nonlocal distinct
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise YamlProblem("recursive YAML alias", node.start_mark.line + 1 + line_offset,
                              node.start_mark.column + 1, "yaml-alias")
        distinct += 1
        if isinstance(node, ScalarNode):
            sizes[key] = 1
            return 1
        open_nodes.add(key)
        children = node.value if isinstance(node, SequenceNode) else [n for pair in node.value for n in pair]
        total = 1 + sum(size(child) for child in children)
        open_nodes.discard(key)
        sizes[key] = total
        return total

    try:
        expanded = size(root)
    except RecursionError:
        raise YamlProblem("YAML nested too deeply", 1 + line_offset, 1, "yaml-depth") from None
    if expanded == distinct:  # no node is reached twice: no alias (a `*` in text, or in a comment)
        return []
    uses = alias_uses(text, root)
    if expanded - distinct <= ALIAS_EXPANSION_LIMIT:
        return uses
    extra, at = 0, root.start_mark
    for use in uses:  # each alias repeats the whole of its anchor's value: the extra nodes add up
        extra += sizes[id(use.target)]
        if extra > ALIAS_EXPANSION_LIMIT:
            at = use
            break
    raise YamlProblem(f"YAML aliases expand to {expanded:,} nodes from {distinct:,} "
                      f"(limit {ALIAS_EXPANSION_LIMIT:,} extra, passed at this alias): refusing an alias bomb",
                      at.line + 1 + line_offset, at.column + 1, "yaml-alias")
