"""The width a diagram image is meant to be shown at, in CSS pixels, for print: weasyprint would
stretch an SVG sized `width="100%"` (as mermaid writes it) to the page, and show a PNG drawn at
twice its size (mmdc's, marked 192 dpi) twice as large. Reads only the images' headers."""
from __future__ import annotations

import io
import re

_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*(px)?\s*$")


def css_width(extension: str, data: bytes) -> float | None:
    """The image's width in CSS pixels, or None when it does not say."""
    width = _svg_width(data) if extension == "svg" else _png_width(data)
    return width if width and width > 0 else None


def _svg_width(data: bytes) -> float | None:
    """The root's `width` when it is a length in pixels, else its viewBox's width (user units are pixels)."""
    from xml.parsers import expat

    root: dict[str, str] = {}

    class Found(Exception):
        pass

    def start(_name: str, attributes: dict[str, str]) -> None:
        root.update(attributes)
        raise Found

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except (Found, expat.ExpatError):
        pass
    length = _LENGTH.match(root.get("width", ""))
    if length:
        return float(length.group(1))
    box = root.get("viewBox", "").replace(",", " ").split()
    try:
        return float(box[2]) if len(box) == 4 else None
    except ValueError:
        return None


def _png_width(data: bytes) -> float | None:
    """The PNG's width in pixels at 96 dpi, the density it declares (pHYs) taken into account."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            dpi = image.info.get("dpi", (96, 96))[0] or 96
            return image.width * 96 / float(dpi)
    except (OSError, UnidentifiedImageError, ValueError, TypeError, IndexError):
        return None
