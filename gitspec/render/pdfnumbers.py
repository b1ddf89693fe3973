"""The book's page numbers ("Book page 46 of 170"), written straight into each page's content.

weasyprint lays out one sample line per page size, in print.css's font, size, colour and place
(htmlprint.print_numbers); each page's line reuses that sample's font and glyphs, right-aligned
where the sample ends. Never lays out a page per number: a 1,000-page book costs one small layout.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

# Every character a number line uses, once each: the sample's glyphs spell any line.
SAMPLE = "Book page 0123456789 of"
FONT_NAME = "/GitspecBookPage"  # the line's font in each page's resources


@dataclass(frozen=True)
class Place:
    """Where a page size's line ends, from the page's bottom-right corner (right end, baseline),
    and the sample's text matrix there (its scale and orientation; no offset)."""

    right: float
    baseline: float
    matrix: tuple[float, float, float, float]


@dataclass(frozen=True)
class Sample:
    """What weasyprint drew: the font (a resource of the sample's PDF) and its size, the colour,
    each character's glyph code and advance (thousandths of the size), and the place per page size."""

    font: object
    size: float
    colour: tuple[float, ...]
    codes: dict[str, bytes]
    advances: dict[str, float]
    places: dict[tuple[float, float], Place]


def number_pages(writer, draw: Callable[[list[tuple[float, float, str]]], bytes]) -> None:
    """Print "Book page N of M" on every page of `writer` after the first (the cover), and tell viewers
    the same numbers. `draw(lines)` lays out a page for each (width, height, text), as print_numbers does."""
    from pypdf.constants import PageLabelStyle

    total = len(writer.pages)
    sizes = list(dict.fromkeys(_size(page) for page in writer.pages[1:]))
    if sizes:
        try:
            sample = read_sample(draw([(width, height, SAMPLE) for width, height in sizes]), sizes)
        except Exception:  # a font or layout this module cannot reuse (fontTools may raise anything on an
            # odd embedded font): a line laid out a page instead, which depends on none of it
            _merge_numbers(writer, draw, total)
        else:
            _write_numbers(writer, sample, total)
    writer.set_page_label(0, total - 1, PageLabelStyle.DECIMAL, start=1)


def _write_numbers(writer, sample: Sample, total: int) -> None:
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    font = sample.font.clone(writer).indirect_reference  # one copy, shared by every page
    for number, page in enumerate(writer.pages[1:], 2):
        resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
        resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()[NameObject(FONT_NAME)] = font
        line = _line(sample, _size(page), f"Book page {number} of {total}", page.mediabox)
        content = page.get_contents()
        if content is None:  # a blank page
            content = ContentStream(None, writer)
        # The page's own drawing with its graphics state kept to itself (q ... Q), then the line.
        content.set_data(b"q\n" + content.get_data() + b"\nQ\n" + line)
        page.replace_contents(content)
        page.compress_content_streams()  # else every page's content is stored uncompressed (5x the file)


def _merge_numbers(writer, draw: Callable[[list[tuple[float, float, str]]], bytes], total: int) -> None:
    """Every page's line laid out on a page of its own and laid over it: slower (a 1,000-page book
    takes seconds), but whatever font and glyphs weasyprint chose."""
    from pypdf import PdfReader

    lines = [(*_size(page), f"Book page {number} of {total}") for number, page in enumerate(writer.pages[1:], 2)]
    for page, number in zip(writer.pages[1:], PdfReader(io.BytesIO(draw(lines))).pages, strict=True):
        page.merge_page(number)
        page.compress_content_streams()  # merge_page leaves the page's content uncompressed (5x the file)


def read_sample(pdf: bytes, sizes: list[tuple[float, float]]) -> Sample:
    """What `pdf` shows: a page per size of `sizes`, each with SAMPLE on one line, in one font."""
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(pdf)).pages
    shown = [_shown(page) for page in pages]
    if len(shown) != len(sizes) or any(len(codes) != len(SAMPLE) for _, _, codes, _, _ in shown):
        raise ValueError(f"the book's page number sample does not show {SAMPLE!r} once a page, a glyph a character")
    font, size, codes, colour, _ = shown[0]
    advances = dict(zip(SAMPLE, _advances(font, codes), strict=True))
    length, places = _length(advances, SAMPLE, size), {}
    for (width, height), page, (_, _, _, _, (a, b, c, d, x, y)) in zip(sizes, pages, shown, strict=True):
        box = page.mediabox
        places[(width, height)] = Place(float(box.right) - (x + a * length), y + b * length - float(box.bottom),
                                        (a, b, c, d))
    return Sample(font, size, colour, dict(zip(SAMPLE, codes, strict=True)), advances, places)


def _shown(page) -> tuple[object, float, list[bytes], tuple[float, ...], tuple[float, ...]]:
    """The text `page` shows: its font (resource), size, glyph codes, fill colour, and the matrix from
    its text space to the page's (pypdf's content reader tracks the graphics state)."""
    state: dict = {"colour": (0.0, 0.0, 0.0), "font": None, "size": 0.0, "codes": [], "matrix": None}

    def before(operator: bytes, operands, cm, tm) -> None:
        if operator == b"rg":
            state["colour"] = tuple(float(value) for value in operands)
        elif operator == b"Tf":
            state["font"], state["size"] = operands[0], float(operands[1])
        elif operator in (b"Tj", b"TJ"):
            state["matrix"] = state["matrix"] or _product(tm, cm)
            shown = operands[0] if operator == b"TJ" else operands
            for item in shown:
                if isinstance(item, bytes):  # Identity-H: two bytes a glyph
                    state["codes"] += [bytes(item[n:n + 2]) for n in range(0, len(item), 2)]

    page.extract_text(visitor_operand_before=before)
    resources = page.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources is not None else None
    font = fonts.get_object().get(state["font"]) if fonts is not None and state["font"] else None
    font = font.get_object() if font is not None else None
    if font is None or font.get("/Encoding") != "/Identity-H" or state["matrix"] is None:
        raise ValueError("the book's page number sample shows no text in a font gitspec can reuse")
    return font, state["size"], state["codes"], state["colour"], state["matrix"]


def _advances(font, codes: list[bytes]) -> list[float]:
    """Each glyph's advance in thousandths of the font size, read from the embedded font (fontTools);
    weasyprint's subsets keep the font's own glyph ids (CIDToGIDMap /Identity)."""
    from fontTools.ttLib import TTFont

    descendant = font["/DescendantFonts"][0].get_object()
    if descendant.get("/CIDToGIDMap", "/Identity") != "/Identity":
        raise ValueError("the book's page number sample's font maps its glyphs, which gitspec cannot follow")
    embedded = TTFont(io.BytesIO(descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()))
    scale = 1000 / embedded["head"].unitsPerEm
    metrics = embedded["hmtx"]
    return [metrics[embedded.getGlyphName(int.from_bytes(code, "big"))][0] * scale for code in codes]


def _line(sample: Sample, size: tuple[float, float], text: str, box) -> bytes:
    """The content that prints `text` on a page of `size` with media box `box`, ending where the sample does."""
    place = sample.places[size]
    a, b, c, d = place.matrix
    length = _length(sample.advances, text, sample.size)
    x, y = float(box.right) - place.right - a * length, float(box.bottom) + place.baseline - b * length
    codes = b"".join(sample.codes[character] for character in text).hex()
    colour = " ".join(_number(value) for value in sample.colour)
    matrix = " ".join(_number(value) for value in (a, b, c, d, x, y))
    return f"q {colour} rg BT {FONT_NAME} {_number(sample.size)} Tf {matrix} Tm <{codes}> Tj ET Q\n".encode()


def _length(advances: dict[str, float], text: str, size: float) -> float:
    """How far `text` advances, in text space."""
    return sum(advances[character] for character in text) * size / 1000


def _product(tm, cm) -> tuple[float, ...]:
    """The matrix `tm` then `cm` (PDF's row-vector order): text space to the page's."""
    a, b, c, d, e, f = (float(value) for value in tm)
    p, q, r, s, t, u = (float(value) for value in cm)
    return a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u


def _size(page) -> tuple[float, float]:
    return float(page.mediabox.width), float(page.mediabox.height)


def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
