"""Pictures as weasyprint can print them: it writes every raster image into the PDF as 8 bits a
sample in RGB, grey or CMYK, so a picture of another kind (a 16-bit greyscale PNG, Pillow's
I;16) came out black or garbled. Such a picture is written again, as an 8-bit PNG, for the PDF
only; the site and Word keep the file as committed. Pure: bytes in, bytes out."""
from __future__ import annotations

import io
import warnings
from dataclasses import replace

from gitspec.render.renderer import Picture

PRINTABLE = {"1", "L", "LA", "P", "RGB", "RGBA", "CMYK"}  # what weasyprint reads right (1 and P it converts)
WIDE_GREY = ("I", "I;16", "I;16L", "I;16B", "I;16N")  # 16-bit grey, as PNG holds it: scaled to 8 bits


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
