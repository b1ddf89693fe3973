"""GitHub's anchors as second names of a Markdown page's headings, so that a link written for GitHub
(`[new](#whats-new)` to `### What's new?`) leads to its heading in every format.

An alias never takes an anchor the page gives anything else, and never changes one: links already
written to gitspec's anchors keep working.
"""
from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import replace

from gitspec.render.anchors import github_anchor, github_unique
from gitspec.render.model import Block, Footnotes, Heading, ListBlock, Notice, Quote, Section


def with_aliases(sections: Iterable[Section], headed: Set[str], taken: Set[str]) -> list[Section]:
    """`sections` in order, each whose name is in `headed` (a Markdown `##` heading over Markdown
    text) and each heading in its blocks given GitHub's anchor for it as an alias, where that
    differs from its own and from every anchor in `taken` (all the page's own anchors)."""
    counts: dict[str, int] = {}  # GitHub numbers the anchors of the whole page, in reading order

    def aliases(text: str, anchor: str) -> tuple[str, ...]:
        found = github_unique(github_anchor(text), counts)
        return (found,) if found and found != anchor and found not in taken else ()

    def blocks(items: Iterable[Block]) -> tuple[Block, ...]:
        out: list[Block] = []
        for block in items:
            if isinstance(block, Heading):
                block = replace(block, aliases=aliases(block.text, block.anchor))
            elif isinstance(block, ListBlock):  # a Footnotes too: its items hold no heading GitHub shows
                if not isinstance(block, Footnotes):
                    block = replace(block, items=tuple(blocks(item) for item in block.items))
            elif isinstance(block, (Quote, Notice)):
                block = replace(block, blocks=blocks(block.blocks))
            out.append(block)
        return tuple(out)

    return [replace(section, aliases=aliases(section.title, section.anchor), blocks=blocks(section.blocks))
            if section.name in headed else section for section in sections]
