"""Checking an image (a drawn diagram, a picture from the workspace) before it is used or cached:
it must be whole, and inert.

The SVG is written as a file a browser may open directly (where its script would run), so it
is parsed and held to an allowlist; a PNG, JPEG or GIF goes into Word and PDF, so it must decode whole.
"""
from __future__ import annotations

import io
import re
import warnings

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_PIXELS = 100_000_000
MAX_USE_ADDED = 20_000  # elements an SVG's <use> may add: ten thousand take weasyprint seconds


class ImageRefused(ValueError):
    """A diagram image that must not be used; the message says why."""


SVG_NS, XLINK_NS = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
XML_ATTRIBUTES = {"http://www.w3.org/XML/1998/namespace space", "http://www.w3.org/XML/1998/namespace lang"}
ACTIVE_ELEMENTS = {"script", "iframe", "object", "embed", "handler", "listener"}  # lower case
# Inside <foreignObject> only text in plain XHTML boxes: mermaid draws journey labels so, whatever htmlLabels says.
XHTML_NS = "http://www.w3.org/1999/xhtml"
INERT_HTML = {"div", "span", "p", "br", "b", "i", "em", "strong", "u", "s", "sub", "sup", "small", "code"}
INERT_HTML_ATTRIBUTES = {"class", "style", "dir", "lang"}
ANIMATIONS = {"animate", "set", "animatemotion", "animatetransform", "animatecolor"}
CSS_FETCH = re.compile(r"@import|expression\s*\(|image(-set)?\s*\(|cross-fade\s*\(|src\s*\(|element\s*\(", re.IGNORECASE)
CSS_URL = re.compile(r"url\s*\(\s*['\"]?([^)'\"]*)", re.IGNORECASE)
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)", re.DOTALL)
CSS_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.DOTALL)
URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")  # browsers skip these in a link
_OBJECT = re.compile(r"\s*<[^<>]* at 0x[0-9a-fA-F]+>")  # a Python object's repr in an error message


def check_svg(data: bytes) -> None:
    """Parse the SVG; refuse it unless every element is SVG and nothing in it can run or fetch:
    no script or embedded documents, no on* handlers, links only to #fragments, CSS without url()
    (other than #fragments), @import or expression(), and in <foreignObject> only plain XHTML text
    boxes. No DOCTYPE, so no entity can expand."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    open_elements: list[str] = []
    style: list[str] = []  # the text of the <style> being read: expat hands it over in pieces
    uses = _Uses()

    def refuse(what: str) -> None:
        raise ImageRefused(f"the SVG contains script or an outside reference ({what})")

    def start(name: str, attributes: dict[str, str]) -> None:
        space, _, local = name.rpartition(" ")
        if not open_elements and (space, local) != (SVG_NS, "svg"):
            raise ImageRefused("it is not an SVG image")
        if "foreignObject" in open_elements:
            if space != XHTML_NS or local not in INERT_HTML or not INERT_HTML_ATTRIBUTES.issuperset(attributes):
                refuse(f"a <{local}> element or its attributes in <foreignObject>")
        elif space != SVG_NS or local.lower() in ACTIVE_ELEMENTS or open_elements[-1:] == ["style"]:
            refuse(f"a <{local}> element" + (" from outside SVG" if space != SVG_NS else ""))
        open_elements.append(local)
        for key, value in attributes.items():
            _check_attribute(local.lower(), key, value, refuse)
        uses.start(local, attributes)

    def end(_name: str) -> None:
        if open_elements.pop() == "style":
            _check_css("".join(style), refuse)
            style.clear()
        uses.end()

    def text(data: str) -> None:
        if open_elements[-1:] == ["style"]:
            style.append(data)

    def declaration(*_args) -> None:
        raise ImageRefused("the SVG has a DOCTYPE or an entity (refused: entities can expand without bound)")

    def instruction(target: str, _data: str) -> None:
        refuse(f"a <?{target}?> instruction")  # xml-stylesheet would fetch and apply a style sheet

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = declaration
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        raise ImageRefused("it is not an SVG image") from None
    if uses.added() > MAX_USE_ADDED:
        raise ImageRefused(f"its <use> elements repeat its shapes over {MAX_USE_ADDED:,} times "
                           "(a drawing that size takes minutes to lay out)")


class _Uses:
    """How many elements `<use>` adds to an SVG, counting a use of a use in full: nesting ten uses of
    ten uses of ... multiplies a few elements into millions, which a PDF then lays out one by one."""

    def __init__(self) -> None:
        self.open: list[tuple[str | None, list]] = []  # per open element: its id, [elements, refs]
        self.by_id: dict[str, tuple[int, list[str]]] = {}  # an element's size and the ids its uses name
        self.total: tuple[int, list[str]] = (0, [])

    def start(self, local: str, attributes: dict[str, str]) -> None:
        refs = []
        if local == "use":
            target = attributes.get("href", attributes.get(f"{XLINK_NS} href", "")).strip()
            if target.startswith("#"):
                refs.append(target[1:])
        self.open.append((attributes.get("id"), [1, refs]))

    def end(self) -> None:
        element_id, (count, refs) = self.open.pop()
        if element_id and element_id not in self.by_id:
            self.by_id[element_id] = (count, refs)
        if self.open:
            self.open[-1][1][0] += count
            self.open[-1][1][1].extend(refs)
        else:
            self.total = (count, refs)

    def added(self) -> int:
        """The elements the uses add, or MAX_USE_ADDED + 1 once past it (a use of itself adds none)."""
        weights: dict[str, int] = {}

        def weight(element_id: str, seen: frozenset[str]) -> int:
            if element_id in weights:
                return weights[element_id]
            if element_id in seen or element_id not in self.by_id:
                return 0
            count, refs = self.by_id[element_id]
            for ref in refs:
                count += weight(ref, seen | {element_id})
                if count > MAX_USE_ADDED:
                    break
            weights[element_id] = min(count, MAX_USE_ADDED + 1)
            return weights[element_id]

        added = 0
        for ref in self.total[1]:
            try:
                added += weight(ref, frozenset())
            except RecursionError:  # uses of uses hundreds deep: no drawing needs that
                return MAX_USE_ADDED + 1
            if added > MAX_USE_ADDED:
                return MAX_USE_ADDED + 1
        return added


def _check_attribute(element: str, key: str, value: str, refuse) -> None:
    space, _, name = key.rpartition(" ")
    if space not in ("", XLINK_NS) and key not in XML_ATTRIBUTES:
        refuse(f"an attribute from outside SVG: {name}")  # e.g. xml:base, which moves where #links go
    if name.lower().startswith("on"):
        refuse(f"an {name} attribute")
    if name == "href" and not URL_IGNORED.sub("", value).startswith("#"):
        refuse(f"a link to {value.strip()[:40]}")
    if element in ANIMATIONS and name == "attributeName":
        target = value.strip().lower().rpartition(":")[2]
        if target == "href" or target.startswith("on"):
            refuse(f"an <{element}> changing {value.strip()[:40]}")
    _check_css(value, refuse)  # style="", and presentation attributes such as fill="url(...)"


def _check_css(text: str, refuse) -> None:
    if "(" not in text and "@" not in text:
        return
    def unescaped(css: str) -> str:
        return CSS_ESCAPE.sub(lambda m: chr(min(int(m[1], 16), 0x10FFFF) or 0xFFFD) if m[1] else m[2], css)

    # Read three ways, and refused if any finds a fetch: an escaped `\2f\2a` is no comment to a
    # browser, yet would start one here if comments went after unescaping, hiding what follows.
    plain = unescaped(text)
    for css in (plain, CSS_COMMENT.sub("", plain), unescaped(CSS_COMMENT.sub("", text))):
        found = CSS_FETCH.search(css)
        if found:
            refuse(f"CSS {found[0]}")
        for target in CSS_URL.findall(css):
            if not URL_IGNORED.sub("", target).startswith("#"):
                refuse(f"CSS url({target.strip()[:40]})")


def check_png(data: bytes) -> None:
    """Refuse anything but a whole PNG (Pillow decodes it all: the right first bytes before junk
    are not enough), and one of more than MAX_PIXELS pixels."""
    if not data.startswith(PNG_MAGIC):
        raise ImageRefused("it is not a PNG image")
    check_raster(data, "PNG")


def check_raster(data: bytes, name: str) -> None:
    """Refuse `data` unless Pillow decodes all of it as a `name` image ("PNG", "JPEG", "GIF")
    of at most MAX_PIXELS pixels."""
    from PIL import Image, ImageFile

    lenient = ImageFile.LOAD_TRUNCATED_IMAGES  # weasyprint turns it on for the whole process when imported
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # MAX_PIXELS decides, and says so
            with Image.open(io.BytesIO(data), formats=[name]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise ImageRefused(f"the {name} image has more than {MAX_PIXELS} pixels")
                image.load()
    except Image.DecompressionBombError:  # Pillow's own limit, met before the size is known here
        raise ImageRefused(f"the {name} image has more than {MAX_PIXELS} pixels") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        if isinstance(error, ImageRefused):
            raise
        reason = _OBJECT.sub("", str(error)) or type(error).__name__  # not "<_io.BytesIO object at 0x…>"
        raise ImageRefused(f"the {name} image is damaged ({reason})") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
