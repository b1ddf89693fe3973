"""Notes to the reader in a Word file: GitHub alerts, drawn as boxes with a bar in their tone down their
left side, quotes in boxes with a grey bar, and a section's footnotes. The functions take a `writer`
(word.py's DocxWriter) and add to its document; none writes a file.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from gitspec.render import wordxml as x
from gitspec.render.model import BAD, INFO, OK, WARN, Footnotes, Notice, Paragraph, Quote, Text

TONE_COLOURS = {OK: "1A7F37", WARN: "9A6700", BAD: "CF222E"}  # a badge's text, an alert's title and bar
ALERT_COLOURS = {**TONE_COLOURS, INFO: "0969DA"}  # (a note or tip: blue, as on GitHub)
RULE_COLOUR = "D1D9E0"  # a thematic break's line and the one above footnotes: the grey of the site's and the PDF's
NOTE_COLOUR = "59636E"  # a footnote's number: the muted grey of the site's and the PDF's notes


def notice(writer: Any, block: Notice, depth: int) -> None:
    """A note, in italics; an alert (one with a title): a box with a bar in its tone down its left
    side, as GitHub draws one, holding its title in bold in that tone, then what it says."""
    if not block.title:
        writer.p("", block.text, italic=True)
        return
    colour = ALERT_COLOURS.get(block.tone, ALERT_COLOURS[WARN])
    with _box(writer, colour):
        writer.p("", block.title, bold=True, colour=colour)
        for child in block.blocks or ((Paragraph((Text(block.text),)),) if block.text else ()):
            writer.block(child, depth)


def quote(writer: Any, block: Quote, depth: int) -> None:
    """A quote: a box with a grey bar down its left side, as the site and the PDF draw one, holding all
    it quotes (lists and code too, set apart from the document's own; a quote in it: a box in the box)."""
    with _box(writer, RULE_COLOUR):
        for child in block.blocks:
            if isinstance(child, Paragraph):
                writer.inlines(writer.p("Quote"), child.inlines)
            else:
                writer.block(child, depth)


@contextmanager
def _box(writer: Any, colour: str) -> Iterator[None]:
    """The blocks written inside go into a one-cell box with a bar in `colour` down its left side."""
    box = x.alert_box(writer.width() // 635, colour, writer.inset)
    writer.place_table(box)
    outer = writer.end, writer.inset, writer.text_width
    writer.end, writer.inset = box.tr_lst[0].tc_lst[0].p_lst[0], 0
    writer.text_width = writer.text_width - outer[1] * 635 - x.ALERT_BOX_MARGINS * 635
    try:
        yield
    finally:
        if writer.end.getprevious() is not None and writer.end.getprevious().tag == writer.end.tag:
            writer.end.getparent().remove(writer.end)  # a cell ends in a paragraph: the last one written, if it is one
        writer.end, writer.inset, writer.text_width = outer


def footnotes(writer: Any, block: Footnotes) -> None:
    """A section's footnotes under a short line, each numbered and bookmarked (its marks link to it)."""
    x.bottom_border(writer.p(), RULE_COLOUR)
    for n, item in enumerate(block.items):
        children = list(item)
        first = children.pop(0) if children and isinstance(children[0], Paragraph) else Paragraph(())
        paragraph = writer.p("", f"{block.start + n}. ", colour=NOTE_COLOUR)
        writer.inlines(paragraph, first.inlines)
        if n < len(block.anchors):
            writer.bookmark(paragraph, block.anchors[n])
        for child in children:
            writer.block(child)
