"""A design document's colour swatches in a Word file. Takes a `writer` (word.py's DocxWriter) and adds
to its document."""
from __future__ import annotations

from typing import Any

from gitspec.render import wordxml as x
from gitspec.render.model import BAD, OK, Badge, Swatches, Text


def swatches(writer: Any, block: Swatches) -> None:
    """A design's colours: a table of swatches (each shaded in its colour), then its contrast pairs with a
    sample of the text colour on the background."""
    if block.title:
        writer.p("", block.title, bold=True)
    rows = [[(), (Text(s.name),), (Text(s.hex, "code"),), (Text(s.note),)] for s in block.swatches]
    cells = writer.table(("Colour", "Name", "Hex", "Note"), rows)
    for tcs, swatch in zip(cells, block.swatches):
        fill = x.hex_colour(swatch.hex)
        if fill:
            x.shade(tcs[0], fill)
    if not block.contrast:
        return
    writer.p("", "Contrast", bold=True)
    rows = [[(Text(c.foreground, "code"),), (Text(c.background, "code"),), (), (Text(f"{c.ratio:.2f}:1"),),
             (Text(f"{c.minimum:g}:1"),), (Badge("pass", OK) if c.passes else Badge("fail", BAD),)]
            for c in block.contrast]
    cells = writer.table(("Foreground", "Background", "Sample", "Ratio", "Minimum", "Result"), rows)
    for tcs, pair in zip(cells, block.contrast):
        foreground, background = (x.hex_colour(colour) for colour in pair.colours)
        if background and foreground:
            x.shade(tcs[2], background)
            tcs[2].p_lst[0].append(x.run_element("Sample Aa", colour=foreground))

