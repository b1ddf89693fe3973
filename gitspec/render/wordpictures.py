"""Pictures in a Word file: diagrams, figures and pictures among text, each a checked PNG, JPEG
or GIF as a run of inline drawing sized to fit, or what it shows and why not.

Only bytes that imagecheck has already accepted come here; a JPEG python-docx cannot read, or a
photo its EXIF orientation says to turn, is written again by Pillow, never passed through unread.
The functions taking a `writer` (word.py's DocxWriter) add to its document; none writes a file.
"""
from __future__ import annotations

import io
from typing import Any

from gitspec.render import wordxml as x
from gitspec.render.diagramtext import describe
from gitspec.render.model import Diagram, Image

ORIENTATION = 0x0112  # the EXIF tag saying how a picture is to be turned to be seen upright
TURNED = range(2, 9)  # its values that turn or mirror it (1: as stored)


def picture_run(part: Any, data: bytes, width: int, height: int, description: str = "", title: str = "") -> Any:
    """A `w:r` holding the picture at its own size, but never wider than `width` or taller than
    `height` (EMU), with `description` as its alt text (what a screen reader says) and `title`.
    Raises what python-docx raises for a picture it cannot read at all."""
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image as DocxImage

    data = _upright(data)
    try:
        image = DocxImage.from_blob(data)
    except UnrecognizedImageError:  # python-docx knows only JPEGs with a JFIF or Exif header
        data = _rewritten(data)
        image = DocxImage.from_blob(data)
    scale = min(1.0, width / image.width, height / image.height)
    inline = part.new_pic_inline(io.BytesIO(data), int(image.width * scale), int(image.height * scale))
    if description:  # Word's alt text is the drawing's docPr@descr; python-docx writes only its id and name
        inline.docPr.set("descr", x.clean(description))
    if title:
        inline.docPr.set("title", x.clean(title))
    run = x.element("w:r")
    drawing = x.element("w:drawing")
    drawing.append(inline)
    run.append(drawing)
    return run


def _upright(picture: bytes) -> bytes:
    """The picture turned as its EXIF Orientation says (a phone photo taken sideways), as the site
    and the PDF show it: Word ignores that tag (python-openxml/python-docx#540). Unturned pictures
    come back as they are, byte for byte."""
    from PIL import Image as Pillow, ImageOps

    with Pillow.open(io.BytesIO(picture)) as image:
        orientation = image.getexif().get(ORIENTATION, 1)
        if orientation not in TURNED:
            return picture
        kind, info = image.format, image.info
        turned = ImageOps.exif_transpose(image)  # drops the tag, so nothing turns it twice
    dpi = info.get("dpi")
    keep = {"dpi": dpi[::-1] if orientation >= 5 else dpi} if dpi else {}  # a quarter turn swaps the sides
    if kind == "JPEG" and turned.mode not in ("L", "RGB"):
        turned = turned.convert("RGB")  # python-docx reads no CMYK JPEG; its colour profile no longer fits
    elif info.get("icc_profile"):
        keep["icc_profile"] = info["icc_profile"]
    out = io.BytesIO()
    if kind == "JPEG":
        turned.save(out, "JPEG", quality=92, **keep)
    else:
        turned.save(out, "PNG", **keep)
    return out.getvalue()


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


def diagram(writer: Any, block: Diagram) -> None:
    """A diagram's picture (mmdc's or the server's PNG) and caption; or its source, and why not."""
    drawn = writer.assets.diagram(block)
    problem = drawn.note
    if drawn.png:
        failed = _captioned(writer, drawn.png, block.title, describe(block.source, block.title))
        if not failed:
            return
        problem = f"The diagram image could not be read ({failed})."
    if block.title:
        writer.p("Caption", block.title)
    writer.code(block.source)
    writer.p("", problem or "No image of this diagram is available.", italic=True)


def image(writer: Any, block: Image) -> None:
    """A picture that is a paragraph of its own (a figure) and its caption; or its alt text, and why not."""
    problem = _unshown(writer, block)
    if not problem:
        failed = _captioned(writer, writer.assets.image(block).data, block.title, block.alt)
        if not failed:
            return
        problem = f"The image {block.path} could not be read ({failed})."
    if block.alt:
        writer.p("", block.alt)
    if block.title:
        writer.p("Caption", block.title)
    writer.p("", problem, italic=True)


def inline_image(writer: Any, paragraph: Any, item: Image, width: int | None = None) -> None:
    """A picture among text, in the line; or its alt text and, in italics, why not."""
    problem = _unshown(writer, item)
    if not problem:
        try:
            paragraph.append(_run(writer, writer.assets.image(item).data, item.alt, item.title, width))
            return
        except Exception as error:  # python-docx raises several types for an unreadable image
            problem = f"The image {item.path} could not be read ({type(error).__name__})."
    if item.alt:
        paragraph.append(x.run_element(f"{item.alt} "))
    paragraph.append(x.run_element(f"({problem})", italic=True))


def _unshown(writer: Any, item: Image) -> str:
    """Why this Word file cannot show the picture (missing, refused, an SVG), or "" when it can."""
    picture = writer.assets.image(item)
    if picture.data and picture.extension == "svg":
        return f"The image {item.path} is an SVG, which this Word file cannot hold; the HTML site and the PDF show it."
    return "" if picture.data else picture.note


def _captioned(writer: Any, data: bytes, caption: str, description: str) -> str:
    """The picture (its alt text `description`), then its caption if any; "" when shown, else why not
    (what python-docx raised)."""
    try:
        run = _run(writer, data, description, caption)
    except Exception as error:  # python-docx raises several types for an unreadable image
        return type(error).__name__
    writer.p().append(run)
    if caption:
        writer.p("Caption", caption)
    return ""


def _run(writer: Any, data: bytes, description: str, title: str, width: int | None = None) -> Any:
    """A run holding the picture, never wider than the text (or `width`, EMU) or taller than most of the page."""
    return picture_run(writer.part, data, width or writer.width(), int(0.8 * writer.text_height), description, title)
