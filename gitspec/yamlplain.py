"""Plain YAML scalars kept as the text they were written as through a ruamel round-trip rewrite, where
ruamel's own reading of `-0o17` or `2026-01-01   10:00` writes back otherwise (`0o-17`, one space).
Never decides what a scalar means: gitspec's reader (gitspec.yamlread) does.
"""
from __future__ import annotations

from typing import Any

from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import PlainScalarString


class Written(PlainScalarString):
    """A plain scalar's text, as the document holds it (folded, when it ran over several lines)."""

    __slots__ = ()


class _TextResolver(VersionedResolver):
    """Every plain scalar is text while loading; an explicit tag (`!!int 5`) still says what it is."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


class _Constructor(RoundTripConstructor):
    def construct_written(self, node: Any) -> Any:
        if node.style is None and not node.ctag.handle:  # plain, no `!!str`
            return Written(node.value, anchor=node.anchor)
        return self.construct_yaml_str(node)


_Constructor.add_constructor("tag:yaml.org,2002:str", _Constructor.construct_written)


def reader():
    """ruamel's round-trip YAML for reading a document to rewrite: plain scalars as `Written`, quotes kept."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Resolver = _TextResolver
    yaml.Constructor = _Constructor
    yaml.preserve_quotes = True
    return yaml


def represent_written(representer: Any, value: Written) -> Any:
    """`value` plain, as it was written: tagged as the writer's resolver reads that text, so that no tag
    (`!!int '0o-17'`) or quotes are added to it."""
    tag = representer.dumper.resolver.resolve(ScalarNode, str(value), (True, False))
    return representer.represent_scalar(tag, value, style="", anchor=value.yaml_anchor(any=True))


def as_read(value: Any) -> Any:
    """`value` (a round-trip object) with each `Written` value made what gitspec's reader reads it as
    (a key stays text, as that reader keeps every key)."""
    from gitspec.yamlread import plain_value

    if isinstance(value, Written):
        return plain_value(str(value))
    if isinstance(value, dict):
        return {str(key): as_read(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [as_read(inner) for inner in value]
    return value
