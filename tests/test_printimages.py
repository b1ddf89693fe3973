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


# A journey as mermaid draws it, cut down and coloured so that each label shows as its own colour: the
# theme's text colour is red (the root's fill), the section's group blue. A browser draws the title in red
# (an empty fill is none given) and the section name as the <foreignObject> label.
JOURNEY_SVG = """<svg id="mermaid-journey1" width="100%" xmlns="http://www.w3.org/2000/svg" \
style="max-width: 400px; background-color: white;" viewBox="0 0 400 160">\
<style>#mermaid-journey1{font-family:sans-serif;font-size:16px;fill:#ff0000;}\
#mermaid-journey1 .section-type-0{fill:#ececff;}</style>\
<text x="10" y="40" font-size="36px" font-weight="bold" fill="">Close the month</text>\
<g fill="#0000ff"><rect x="0" y="70" width="400" height="80" class="journey-section section-type-0"/>\
<switch><foreignObject x="0" y="70" width="400" height="80"><div xmlns="http://www.w3.org/1999/xhtml" \
class="journey-section section-type-0"><div class="label">Reconcile</div></div></foreignObject>\
<text x="200" y="120" font-size="36px" font-weight="bold" class="journey-section section-type-0" \
style="text-anchor: middle;">Reconcile</text></switch></g></svg>"""


def test_a_journeys_title_and_section_names_print(repo, tmp_path) -> None:
    # Before, weasyprint drew the title (fill="") in nothing and the section name in its box's colour.
    import shutil
    import subprocess

    import pytest
    from conftest import CONFIG, run_gitspec
    from test_mermaid import PNG, fake_mmdc
    from test_render_pdf import prd

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed")
    (tmp_path / "bin").mkdir()
    fake_mmdc(tmp_path / "bin", f"SVG = {JOURNEY_SVG.encode()!r}\nPNG = {PNG!r}\nout = args[args.index('-o') + 1]\n"
                                "open(out, 'wb').write({'svg': SVG, 'png': PNG}[out[-3:]])\n")
    env = {"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin"}
    root = repo({"specs/p.md": prd("## Problem\n\n```mermaid\njourney\n  title Close the month\n```\n")},
                CONFIG.replace("formats: []", "formats: [pdf, html]"))
    assert run_gitspec(root, "render", env=env).code == 0
    assert 'fill=""' in next((root / "build/html/diagrams").glob("*.svg")).read_text()  # the site's, as drawn
    subprocess.run(["pdftoppm", "-r", "40", "-png", root / "build/pdf/p.pdf", tmp_path / "page"], check=True)
    colours = set()
    for page in tmp_path.glob("page*.png"):
        with Image.open(page) as image:
            colours.update(colour for _, colour in image.convert("RGB").getcolors(1 << 20))
    assert (255, 0, 0) in colours, "the title is not drawn"
    assert (0, 0, 255) in colours, "the section name is not drawn"


# As mmdc draws a diagram in mermaid's dark theme, cut down: light grey lines and text, on the background it
# is given (-b), which it writes into the root's style.
DARK_MMDC = """
background = args[args.index("-b") + 1]
SVG = ('<svg id="mermaid-dark1" width="100%" xmlns="http://www.w3.org/2000/svg" viewBox="0 -40 300 120" '
       f'style="max-width: 300px; background-color: {background};"><style>#mermaid-dark1{{fill:#ccc;}}</style>'
       '<text x="20" y="0" font-size="30px">Themed one</text>'
       '<path d="M20 40 L280 40" stroke="lightgrey" stroke-width="4"/></svg>').encode()
out = args[args.index("-o") + 1]
open(out, "wb").write({"svg": SVG, "png": PNG}[out[-3:]])
"""


def test_a_dark_theme_diagram_prints_on_its_background(repo, tmp_path) -> None:
    # Before, mmdc drew it on white, and weasyprint would paint no background of an SVG's root anyway:
    # its light grey title and lines were all but invisible on the page.
    import shutil
    import subprocess

    import pytest
    from conftest import CONFIG, run_gitspec
    from test_mermaid import PNG, fake_mmdc
    from test_render_pdf import prd

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed")
    (tmp_path / "bin").mkdir()
    fake_mmdc(tmp_path / "bin", f"PNG = {PNG!r}\n" + DARK_MMDC)
    env = {"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin"}
    fence = "```mermaid\n---\ntitle: Themed one\nconfig:\n  theme: dark\n---\nflowchart LR\n  A --> B\n```"
    root = repo({"specs/p.md": prd(f"## Problem\n\n{fence}\n")}, CONFIG.replace("formats: []", "formats: [pdf]"))
    assert run_gitspec(root, "render", env=env).code == 0
    subprocess.run(["pdftoppm", "-r", "40", "-png", root / "build/pdf/p.pdf", tmp_path / "page"], check=True)
    counts: dict = {}
    for page in tmp_path.glob("page*.png"):
        with Image.open(page) as image:
            for count, colour in image.convert("RGB").getcolors(1 << 20):
                counts[colour] = counts.get(colour, 0) + count
    assert counts.get((51, 51, 51), 0) > 1000, "no dark background under the diagram"
