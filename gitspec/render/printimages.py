"""Pictures and diagrams as weasyprint can print them, for the PDF only; the site and Word keep
the files as committed or drawn. Pure: bytes in, bytes out.

weasyprint writes every raster image into the PDF as 8 bits a sample in RGB, grey or CMYK, so a
picture of another kind (a 16-bit greyscale PNG, Pillow's I;16) came out black or garbled: such a
picture is written again, as an 8-bit PNG. It reads no <foreignObject>, no empty `fill` and no
background of an SVG's root, all of which browsers do, so parts of a Mermaid SVG that show on the
site were missing on paper.
"""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import replace

from gitspec.render.renderer import Picture

PRINTABLE = {"1", "L", "LA", "P", "RGB", "RGBA", "CMYK"}  # what weasyprint reads right (1 and P it converts)
WIDE_GREY = ("I", "I;16", "I;16L", "I;16B", "I;16N")  # 16-bit grey, as PNG holds it: scaled to 8 bits
# A browser takes an empty fill for none given (so black, as for a journey's title): weasyprint draws nothing.
_EMPTY_FILL = re.compile(rb'\sfill=""')
_ROOT = re.compile(rb"(?:<\?xml[^>]*>\s*)?<svg\s[^>]*>")  # the root's start tag
_ID = re.compile(rb'\sid="([A-Za-z][\w-]*)"')
_VIEW_BOX = re.compile(rb'\sviewBox="([-+0-9.eE ,]+)"')
# A colour from the root's style (mmdc's -b: see drawway.background); one that is not plainly a colour is left.
_BACKGROUND = re.compile(rb"background-color:\s*(#[0-9a-fA-F]{3,8}|rgba?\([0-9., %]+\)|[a-zA-Z]+)\s*[;\"]")
_WHITE = {b"white", b"#fff", b"#ffffff", b"rgb(255, 255, 255)", b"transparent"}  # as the page is, or none


def printable(picture: Picture) -> Picture:
    """`picture`, as an 8-bit PNG when weasyprint would misread it; else unchanged."""
    if not picture.data or picture.extension == "svg":
        return picture
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # imagecheck.MAX_PIXELS let it in
            with Image.open(io.BytesIO(picture.data)) as image:
                if image.mode in PRINTABLE:
                    return picture
                data = _eight_bit(image)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):  # checked before:
        return picture  # leave it to weasyprint
    return replace(picture, data=data, extension="png")


def printable_svg(data: bytes) -> bytes:
    """A Mermaid SVG as a browser shows it. A journey's section name is a label in a <foreignObject>,
    in the diagram's text colour, with a <text> after it for readers without one: that text has the
    section's class, whose fill is the box's colour, so weasyprint drew it unseen on the box. Here it
    takes the diagram's text colour (the root's fill, which mermaid sets to its theme's) as the label does."""
    data = _EMPTY_FILL.sub(b"", data)
    root = _ROOT.match(data.lstrip())
    if not root:
        return data
    tag = root.group(0)
    named = _ID.search(tag)
    if named and b"</style>" in data:  # after mermaid's rules, with one id more weight than theirs
        rule = b"#" + named.group(1) + b" text.journey-section{fill:inherit}"
        data = data.replace(b"</style>", rule + b"</style>", 1)
    return _with_background(data, tag)


def _with_background(data: bytes, tag: bytes) -> bytes:
    """`data` with the background its root's style asks for (a dark theme's) painted as a rectangle
    under everything: weasyprint paints no background of an SVG's root, a browser does."""
    colour, box = _BACKGROUND.search(tag), _VIEW_BOX.search(tag)
    if not colour or not box or colour.group(1).lower() in _WHITE:
        return data
    numbers = box.group(1).replace(b",", b" ").split()
    if len(numbers) != 4:
        return data
    x, y, width, height = (number.decode("ascii") for number in numbers)
    rect = f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{colour.group(1).decode("ascii")}"/>'
    at = data.index(tag) + len(tag)
    return data[:at] + rect.encode("ascii") + data[at:]


def _eight_bit(image) -> bytes:
    """`image` as an 8-bit PNG: grey from 16-bit grey, else RGB (with its alpha, if any)."""
    exif = image.info.get("exif", b"")  # its orientation, which weasyprint follows
    if image.mode in WIDE_GREY:
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    else:
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    return out.getvalue()
