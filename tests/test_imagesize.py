"""The width a diagram image prints at, read from its own header."""
from __future__ import annotations

import io

from PIL import Image

from gitspec.render.imagesize import css_width
from gitspec.render.mmdc import with_density


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, "PNG")
    return out.getvalue()


def test_mermaid_svg_is_as_wide_as_its_view_box_and_a_pixel_width_wins() -> None:
    assert css_width("svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="-50 -10 450 2285"/>') == 450
    assert css_width("svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="120px" viewBox="0 0 450 20"/>') == 120
    assert css_width("svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="50%"/>') is None
    assert css_width("svg", b"not xml") is None


def test_a_png_drawn_at_twice_the_size_is_half_as_wide() -> None:
    assert round(css_width("png", with_density(png(400, 10), 192))) == 200
    assert css_width("png", png(400, 10)) == 400  # no density given: a pixel is a CSS pixel
    assert css_width("png", b"junk") is None
