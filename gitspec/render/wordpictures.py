"""Pictures in a Word file: a checked PNG, JPEG or GIF as a run of inline drawing, sized to fit.

Only bytes that imagecheck has already accepted come here; a JPEG python-docx cannot read is
written again by Pillow, never passed through unread. Pure: returns XML elements, writes nothing.
"""
from __future__ import annotations

import io
from typing import Any

from gitspec.render import wordxml as x


def picture_run(part: Any, data: bytes, width: int, height: int) -> Any:
    """A `w:r` holding the picture at its own size, but never wider than `width` or taller than
    `height` (EMU). Raises what python-docx raises for a picture it cannot read at all."""
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image as DocxImage

    try:
        image = DocxImage.from_blob(data)
    except UnrecognizedImageError:  # python-docx knows only JPEGs with a JFIF or Exif header
        data = _rewritten(data)
        image = DocxImage.from_blob(data)
    scale = min(1.0, width / image.width, height / image.height)
    inline = part.new_pic_inline(io.BytesIO(data), int(image.width * scale), int(image.height * scale))
    run = x.element("w:r")
    drawing = x.element("w:drawing")
    drawing.append(inline)
    run.append(drawing)
    return run


def _rewritten(picture: bytes) -> bytes:
    """A checked picture python-docx cannot read (a JPEG without a JFIF or Exif header, a CMYK
    JPEG) written again by Pillow: a JPEG as an RGB JPEG with its JFIF header, anything else as PNG."""
    from PIL import Image as Pillow

    out = io.BytesIO()
    with Pillow.open(io.BytesIO(picture)) as image:
        if image.format == "JPEG":
            image.convert("RGB").save(out, "JPEG", quality=92)
        else:
            image.save(out, "PNG")
    return out.getvalue()
