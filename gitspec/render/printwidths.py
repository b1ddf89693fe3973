"""How wide table text prints, so that print HTML can give weasyprint fixed column widths.

weasyprint's automatic table layout measures every cell and is slow; its fixed layout is fast but
breaks any word wider than its column. So the columns are sized here, from the text, as the
automatic layout would size them: every column gets its longest word, and the rest of the width is
shared by how much more each column wants. A table whose words do not fit across a portrait page
even in small print is printed on a landscape page. Widths are in points, for print.css's 10pt
DejaVu Sans.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from unicodedata import east_asian_width

from gitspec.render.model import Block, Image, ListBlock, Notice, Quote, Table, inlines_text

TEXT_PT = 10  # the size of the table text measured here (print.css's; Word sets its tables' text at it too)
WIDE_TABLE = 12  # columns: a wider table is printed a row at a time (its columns would run off the page)
# A table is about 448pt wide: A4's 493pt between the margins, less the indent of the list it is often in.
TABLE_PT = 448
CELL_PT = 10  # a cell's padding and borders (8.5pt), and a little to spare
BOLD = 1.12  # a header's bold letters are this much wider
SMALL_PRINT = 0.75  # a table whose words do not fit across at 10pt is printed at 7.5pt (table.small)
# A table on a landscape page (print.css: page wide): Letter's 690pt between the margins (A4's are
# 740pt: the narrower of the two, as the page size is not known here), less the indent.
LANDSCAPE_PT = 645
LINE_PT = 14.5  # a line of table text at 10pt (print.css: line-height 1.45)
TALL_ROW_PT = 360  # half a page: a row taller than this may break across pages (table tr.tall)
LANDSCAPE_TALL_ROW_PT = 240  # half a landscape page (A4's is 482pt high between the margins)
# How tall a picture in a table cell prints at most (print.css: td img), well below a page: a row
# holding it must fit a page under the table's header, or weasyprint prints the row without it.
CELL_PICTURE_PT = 283  # 10cm
LANDSCAPE_CELL_PICTURE_PT = 227  # 8cm, of a landscape A4 page's 482pt
LONGEST_WORD = 16  # characters: a longer token (an id, a URL) may break rather than widen its column
# Advance widths of " " to "~" in DejaVu Sans at 10pt, in tenths of a point (from the font's hmtx table).
_ASCII = (32, 40, 46, 84, 64, 95, 78, 27, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64, 64,
          64, 34, 34, 84, 84, 84, 53, 100, 68, 69, 70, 77, 63, 58, 77, 75, 29, 29, 66, 56, 86, 75, 79, 60, 79,
          69, 63, 61, 73, 68, 99, 69, 61, 69, 39, 34, 39, 84, 50, 50, 61, 63, 55, 63, 62, 35, 63, 63, 28, 28,
          58, 28, 97, 63, 61, 63, 63, 41, 52, 39, 63, 59, 82, 59, 59, 52, 64, 34, 64, 84)


def text_points(text: str) -> float:
    """How wide `text` prints at 10pt: a letter outside ASCII counts 6.5pt, or 10pt if it is wide (CJK)."""
    total = 0
    for char in text:
        code = ord(char)
        if 32 <= code < 127:
            total += _ASCII[code - 32]
        else:
            total += 100 if east_asian_width(char) in ("W", "F") else 65
    return total / 10


@dataclass(frozen=True)
class TableLayout:
    """How a table prints: its column widths in percent ([] for a table not laid out as one), the
    scale of its text (1, or SMALL_PRINT) and whether it needs a landscape page."""

    widths: list[float]
    scale: float = 1
    landscape: bool = False

    @property
    def width(self) -> float:
        """The table's width in points."""
        return LANDSCAPE_PT if self.landscape else TABLE_PT


def layout(block: Table) -> TableLayout:
    """The first way the columns' longest words (headers included) fit across the table, so that
    they need not break: at 10pt, in small print, on a landscape page at 10pt, then in small print.
    A table whose words fit none of these is printed the last way, and only its longest words break."""
    if not 1 <= block.columns <= WIDE_TABLE:
        return TableLayout([])
    words, texts = _measure(block)
    for landscape, scale in ((False, 1), (False, SMALL_PRINT), (True, 1), (True, SMALL_PRINT)):
        width = LANDSCAPE_PT if landscape else TABLE_PT
        if sum(word * scale + CELL_PT for word in words) <= width:
            break  # (when none does, the last: only the longest words break)
    return TableLayout(_widths(words, texts, scale, width), scale, landscape)


def goes_landscape(block: Block, measure: Callable[[Table], TableLayout] = layout) -> bool:
    """Whether the block goes whole on a landscape page, in the PDF and in Word alike: a table whose
    words do not fit across a portrait page, or a quote or an alert holding one at any depth (in a
    list in it too): a box is not cut in two. A list is not: the item holding such a table goes.
    `measure` is `layout`, or a writer's copy that remembers it."""
    if isinstance(block, Table):
        return block.columns <= WIDE_TABLE and measure(block).landscape
    return isinstance(block, (Quote, Notice)) and _holds_landscape(block.blocks, measure)


def _holds_landscape(blocks: Iterable[Block], measure: Callable[[Table], TableLayout]) -> bool:
    return any(goes_landscape(block, measure) or isinstance(block, ListBlock)
               and any(_holds_landscape(item, measure) for item in block.items) for block in blocks)


def column_widths(block: Table, scale: float = 1) -> list[float]:
    """Column widths in percent (to a tenth: a whole percent is 4.5pt, enough to break a word) for
    text printed at `scale` times 10pt on a portrait page; [] for a table not laid out as one (no
    columns, or more than WIDE_TABLE). One column gets the whole width: laid out fixed, its long
    words break inside it."""
    if not 1 <= block.columns <= WIDE_TABLE:
        return []
    return _widths(*_measure(block), scale, TABLE_PT)


def _widths(words: list[float], texts: list[float], scale: float, table_pt: float) -> list[float]:
    least = [word * scale + CELL_PT for word in words]
    most = [max(text * scale + CELL_PT, low) for text, low in zip(texts, least, strict=True)]
    spare = table_pt - sum(least)
    wanted = sum(most) - sum(least)
    if sum(most) <= table_pt or spare <= 0 or not wanted:
        points = most if sum(most) <= table_pt else least
    else:
        points = [lo + spare * (hi - lo) / wanted for lo, hi in zip(least, most, strict=True)]
    total = sum(points)
    widths = [round(100 * p / total, 1) for p in points]
    widths[widths.index(max(widths))] += round(100 - sum(widths), 1)
    return widths


def tall_rows(block: Table, table: TableLayout) -> set[int]:
    """The rows (by index) whose tallest cell, its text wrapped in its column as `table` lays it out
    and its pictures at their tallest, is taller than half a page (TALL_ROW_PT, or
    LANDSCAPE_TALL_ROW_PT on a landscape page): kept whole, such a row would be pushed to a page it
    cannot fit either."""
    tall = set()
    most = LANDSCAPE_TALL_ROW_PT if table.landscape else TALL_ROW_PT
    picture = LANDSCAPE_CELL_PICTURE_PT if table.landscape else CELL_PICTURE_PT
    for n, row in enumerate(block.rows):
        for cell, width in zip(row, table.widths):  # a row longer than the header: its extra cells are not sized
            text = inlines_text(cell)
            room = max(table.width * width / 100 - CELL_PT, 1)
            lines = sum(1 + int(text_points(line) * table.scale // room) for line in text.split("\n"))
            pictures = sum(isinstance(item, Image) for item in cell)
            if lines * LINE_PT * table.scale + pictures * picture > most:
                tall.add(n)
                break
    return tall


def _measure(block: Table) -> tuple[list[float], list[float]]:
    """Each column's longest word and longest text, in points at 10pt (a header's bold)."""
    words, longest = [], []
    for n in range(block.columns):
        header = block.header[n] if n < len(block.header) else ""
        texts = [inlines_text(row[n]) for row in block.rows if n < len(row)]
        words.append(max([text_points(w) * BOLD for w in header.split()]
                         + [text_points(w[:LONGEST_WORD]) for t in texts for w in t.split()], default=0))
        longest.append(max([text_points(header) * BOLD, *(text_points(t[:80]) for t in texts)]))
    return words, longest
