"""Tables too wide for a portrait page in a Word file, shaped as the PDF prints them (printwidths
decides which): one whose words do not fit across goes on a landscape page, a section of its own;
one of more than WIDE_TABLE columns is a paragraph of "column value" pairs per row.

The functions taking a `writer` (word.py's DocxWriter) add to its document; none writes a file.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from gitspec.render import wordxml as x
from gitspec.render.model import Notice, Quote, Table, Text
from gitspec.render.printwidths import WIDE_TABLE, goes_landscape, layout

RECORD_SEPARATOR = " · "  # between a record's "column value" pairs, as the PDF's


def table(writer: Any, block: Table) -> None:
    """The table as records, on a landscape page, or as it is, its text as big: as printwidths says the
    PDF prints it.
    In a box (a quote or an alert, which cannot hold a section break), the box itself has gone on the
    landscape page (see `boxed`), and the table takes the box's width."""
    if block.columns > WIDE_TABLE:
        records(writer, block)
        return
    shape = layout(block)
    header = tuple(block.header_cell(n) for n in range(len(block.header)))  # its code, links, emphasis
    if not shape.landscape or writer.end is not writer.body_end:
        cells = writer.table(header, block.rows, block.align, shape.widths, shape.scale)
    else:
        with landscape(writer):
            cells = writer.table(header, block.rows, block.align, shape.widths, shape.scale)
    for row, anchor in zip(cells, block.row_anchors):  # a row one links to: its first cell's paragraph
        if anchor:
            writer.bookmark(row[0].p_lst[0], anchor)


@contextmanager
def boxed(writer: Any, block: Quote | Notice) -> Iterator[None]:
    """Write a quote or an alert (inside the `with`) on a landscape page when it holds a table that needs
    one (printwidths.goes_landscape, as the PDF) and may have one: a box is a table's cell, which cannot
    hold a section break."""
    if writer.end is writer.body_end and goes_landscape(block):
        with landscape(writer):
            yield
    else:
        yield


def records(writer: Any, block: Table) -> None:
    """One paragraph per row of "column value" pairs, the column names bold (with their code, links,
    pictures and footnote marks, as the header cells): nothing is squeezed or cut off. A table of no
    rows is its column names, one paragraph."""
    if not block.rows:
        paragraph = writer.p()
        for n in range(len(block.header)):
            if n:
                paragraph.append(x.run_element(RECORD_SEPARATOR, bold=True))
            writer.bold_inlines(paragraph, block.header_cell(n))
        return
    for row in block.rows:
        paragraph = writer.p()
        for n, cell in enumerate(row):
            if n:
                paragraph.append(x.run_element(RECORD_SEPARATOR))
            name = block.header_cell(n)
            if name:
                writer.bold_inlines(paragraph, (*name, Text(" ")))
            writer.inlines(paragraph, cell)


@contextmanager
def landscape(writer: Any) -> Iterator[None]:
    """What is written inside the `with` goes on landscape pages: a section of its own, from the writer's
    `lead_in` (the heading or list item text that introduces it) on, with the same footer. Two such in a
    row share their landscape pages rather than leave an empty portrait one between them."""
    start = writer.lead_in if writer.lead_in is not None else writer.body_end
    before = start.getprevious()
    if before is not None and before is writer.landscape_end:
        before.getparent().remove(before)  # the landscape section before goes on
    else:
        start.addprevious(section_end(writer.body_end.clone()))  # the portrait section ends here
    section = writer.doc.sections[0]
    outer = writer.text_width, writer.text_height
    writer.text_width = section.page_height - section.left_margin - section.right_margin
    writer.text_height = section.page_width - section.top_margin - section.bottom_margin
    try:
        yield
    finally:
        writer.text_width, writer.text_height = outer
        turned = writer.body_end.clone()
        turned.orientation, turned.page_width, turned.page_height = _turned(turned)
        writer.landscape_end = section_end(turned)
        writer.body_end.addprevious(writer.landscape_end)


def _turned(sect_pr: Any) -> tuple[Any, Any, Any]:
    from docx.enum.section import WD_ORIENTATION

    return WD_ORIENTATION.LANDSCAPE, sect_pr.page_height, sect_pr.page_width


def section_end(sect_pr: Any) -> Any:
    """An empty `w:p` ending a section laid out as `sect_pr` says, as small as Word lets it be, so that
    it never pushes a page of its own."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Twips

    paragraph = x.element("w:p")
    props = paragraph.get_or_add_pPr()
    props.spacing_before = props.spacing_after = Twips(0)
    props.spacing_line, props.spacing_lineRule = Twips(20), WD_LINE_SPACING.EXACTLY
    paragraph.set_sectPr(sect_pr)
    return paragraph
