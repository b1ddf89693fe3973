"""Bulleted and numbered lists in a Word file, nested to any depth. Takes a `writer` (word.py's DocxWriter)
and adds to its document."""
from __future__ import annotations

from typing import Any

from gitspec.render import wordxml as x
from gitspec.render.model import Image, ListBlock, Paragraph, Text

LIST_STYLES = 3  # levels of list styles Word's default template has ("List Bullet", "List Bullet 2", "... 3")
LIST_INDENT = 360  # twips each of those levels steps in (a quarter inch), and so each deeper level


def list_block(writer: Any, block: ListBlock, depth: int) -> None:
    """A list at nesting `depth` (0: not in a list). Word's list styles go three levels deep; a
    deeper level takes the third's style, stepped in by hand as each level steps in."""
    suffix = "" if depth == 0 else f" {min(depth + 1, LIST_STYLES)}"
    style = ("List Number" if block.ordered else "List Bullet") + suffix
    indent = LIST_INDENT * (depth + 1) if depth >= LIST_STYLES else 0  # twips; 0: the style's own
    num_id = x.restarted_numbering(writer.doc, writer.styles[style], block.start) if block.ordered else None
    for item in block.items:
        children = list(item)
        if children and isinstance(children[0], Image):  # a picture opening the item: in its line
            figure = children.pop(0)
            children[:0] = [Paragraph((figure,)), *([Paragraph((Text(figure.title, "em"),))] if figure.title else [])]
        first = children.pop(0) if children and isinstance(children[0], Paragraph) else Paragraph(())
        paragraph = writer.lead_in = writer.p(style)
        if num_id is not None:
            x.set_numbering(paragraph, num_id)
        if indent:
            x.indent(paragraph, indent, hanging=LIST_INDENT)
        writer.inlines(paragraph, first.inlines)
        for child in children:
            if isinstance(child, Paragraph):
                more = writer.p("List Continue" + suffix)
                if indent:
                    x.indent(more, indent)
                writer.inlines(more, child.inlines)
            elif isinstance(child, ListBlock):
                list_block(writer, child, depth + 1)
            else:  # code, a table, a picture, a quote...: under the item's text, as the site and the PDF show it
                outer, writer.inset = writer.inset, LIST_INDENT * (depth + 1)
                writer.block(child, depth + 1)
                writer.inset = outer
