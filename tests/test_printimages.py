"""Pictures written again for weasyprint only when it would misread them."""
from __future__ import annotations

import io

from PIL import Image

from gitspec.render.printimages import printable
from gitspec.render.renderer import Picture


def png(mode: str, value) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (4, 2), value).save(out, "PNG")
    return out.getvalue()


def test_an_8_bit_picture_is_printed_as_committed() -> None:
    for picture in (Picture(png("RGBA", (1, 2, 3, 4)), "png"), Picture(png("LA", (9, 9)), "png"),
                    Picture(b"<svg/>", "svg"), Picture(None, "", "missing")):
        assert printable(picture) is picture


def test_a_16_bit_grey_picture_becomes_8_bit_grey_with_its_tones() -> None:
    picture = printable(Picture(png("I;16", 0x8080), "png"))
    with Image.open(io.BytesIO(picture.data)) as image:
        assert (image.mode, image.getpixel((0, 0)), picture.extension) == ("L", 128, "png")
