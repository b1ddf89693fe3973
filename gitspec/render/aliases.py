"""GitHub's anchors as second names of a Markdown page's headings, so that a link written for GitHub
(`[new](#whats-new)` to `### What's new?`) leads to its heading in every format.

An alias never takes an anchor the page gives anything else, and never changes one: links already
written to gitspec's anchors keep working. Where GitHub's anchor is one the page frame keeps for itself
(`### Gitspec status`, `#gitspec-status`), links to it lead to the heading instead.
"""
from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import replace

from gitspec.render.anchors import FRAME_IDS, github_anchor, github_unique
from gitspec.render.model import (
    Block, Footnotes, Heading, Inline, Link, ListBlock, Notice, Paragraph, Quote, Section, Table,
)


def with_aliases(sections: Iterable[Section], headed: Set[str], taken: Set[str]) -> list[Section]:
    """`sections` in order, each whose name is in `headed` (a Markdown `##` heading over Markdown
    text) and each heading in its blocks given GitHub's anchor for it as an alias, where that
    differs from its own and from every anchor in `taken` (all the page's own anchors)."""
    counts: dict[str, int] = {}  # GitHub numbers the anchors of the whole page, in reading order
    framed: dict[str, str] = {}  # a frame's id GitHub gives a heading -> that heading's own anchor

    def aliases(text: str, anchor: str) -> tuple[str, ...]:
        found = github_unique(github_anchor(text), counts)
        if found in FRAME_IDS and found != anchor:
            framed.setdefault(found, anchor)
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

    aliased = [replace(section, aliases=aliases(section.title, section.anchor), blocks=blocks(section.blocks))
               if section.name in headed else section for section in sections]
    if not framed:
        return aliased
    return [replace(section, blocks=_retargeted(section.blocks, framed)) for section in aliased]


def _retargeted(blocks: Iterable[Block], framed: dict[str, str]) -> tuple[Block, ...]:
    """`blocks` with each same-page link to an anchor of `framed` (a `doc:PAGE#gitspec-status`) leading to the
    heading that anchor stands for instead."""

    def link(item: Inline) -> Inline:
        page, _, anchor = item.target.partition("#") if isinstance(item, Link) else ("", "", "")
        return replace(item, target=f"{page}#{framed[anchor]}") if page.startswith("doc:") and anchor in framed else item

    def inlines(items: tuple[Inline, ...]) -> tuple[Inline, ...]:
        return tuple(map(link, items))

    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            block = replace(block, inlines=inlines(block.inlines))
        elif isinstance(block, Table):
            block = replace(block, rows=tuple(tuple(inlines(cell) for cell in row) for row in block.rows),
                            header_inlines=tuple(inlines(cell) for cell in block.header_inlines))
        elif isinstance(block, ListBlock):
            block = replace(block, items=tuple(_retargeted(item, framed) for item in block.items))
        elif isinstance(block, (Quote, Notice)):
            block = replace(block, blocks=_retargeted(block.blocks, framed))
        out.append(block)
    return tuple(out)
