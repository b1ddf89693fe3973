"""WordprocessingML that python-docx has no API for, on elements: runs, hyperlinks, bookmarks, the
TOC field, tables and alert boxes, cell shading, restarting numbered lists (the document's set-up,
its styles and core properties, is wordsetup's).

Operates on python-docx objects handed in; imports python-docx only inside functions.
"""
from __future__ import annotations

import functools
import hashlib
import re
from typing import Any
from weakref import WeakKeyDictionary

from gitspec.hexcolours import is_srgb_hex

# Schema order matters to Word: the siblings that must follow a `w:shd` (or `w:pBdr`) inserted in a `w:pPr`.
AFTER_PPR_SHD = ("w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                 "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                 "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                 "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                 "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                 "w:pPrChange")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (lxml refuses them)."""
    return _NOT_XML.sub("\ufffd", text)


def hex_colour(value: str) -> str | None:
    """"#1a2B3c" as Word writes it, "1A2B3C"; None for anything else ("#abc", "1a2b3c"), which the other
    formats do not show as a colour either, nor is contrast measured of it."""
    return value[1:].upper() if is_srgb_hex(value) else None


def element(tag: str, **attributes: str) -> Any:
    """A new element (`w:p`, ...) of python-docx's element classes; attribute names without "w:"."""
    make = _MAKE[0] if _MAKE else _make_factory()
    return make(_clark(tag), {_clark(k if ":" in k else f"w:{k}"): v for k, v in attributes.items()})


_MAKE: list = []


def _make_factory() -> Any:
    # python-docx's own parser, so new elements get its element classes (CT_P, CT_Tbl, ...).
    from docx.oxml.ns import nsmap
    from docx.oxml.parser import oxml_parser

    namespaces = {"w": nsmap["w"]}
    _MAKE.append(lambda tag, attributes: oxml_parser.makeelement(tag, attrib=attributes, nsmap=namespaces))
    return _MAKE[0]


@functools.lru_cache(maxsize=None)
def _clark(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


# --- Inline XML (on `w:p` elements: python-docx's Paragraph objects cost too much per call) ---------


def run_element(text: str, *, style_id: str = "", bold: bool = False, italic: bool = False,
                strike: bool = False, colour: str = "", raised: bool = False) -> Any:
    """A `w:r` holding `text` (line breaks become `w:br`, tabs `w:tab`); `raised`: superscript."""
    run = element("w:r")
    if style_id or bold or italic or strike or colour or raised:
        props = element("w:rPr")
        if style_id:
            props.append(element("w:rStyle", val=style_id))
        if bold:
            props.append(element("w:b"))
        if italic:
            props.append(element("w:i"))
        if strike:
            props.append(element("w:strike"))
        if colour:
            props.append(element("w:color", val=colour))
        if raised:
            props.append(element("w:vertAlign", val="superscript"))
        run.append(props)
    for n, line in enumerate(clean(text).split("\n")):
        if n:
            run.append(element("w:br"))
        for m, piece in enumerate(line.split("\t")):
            if m:
                run.append(element("w:tab"))
            if piece:
                t = element("w:t")
                t.text = piece
                t.set(_XML_SPACE, "preserve")
                run.append(t)
    return run


def hyperlink(p: Any, part: Any, text: str, *, url: str = "", anchor: str = "", **run: Any) -> Any:
    """Append to `w:p` a hyperlink: to `url` (an external relationship of `part`) or to bookmark `anchor`;
    its text a run as `run_element(text, **run)` makes it, in character style Hyperlink unless told.
    Returns the `w:hyperlink`, for a caller that puts its own runs in it (then `text` is "")."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    link = element("w:hyperlink", history="1")
    if url:
        link.set(_qn("r:id"), _link_id(part, url, RT.HYPERLINK))
    else:
        link.set(_qn("w:anchor"), anchor)
    if text:
        link.append(run_element(text, **{"style_id": "Hyperlink", **run}))
    p.append(link)
    return link


_LINK_IDS: WeakKeyDictionary = WeakKeyDictionary()  # part -> ({url: relationship id}, the next id to try)


def _link_id(part: Any, url: str, hyperlink: str) -> str:
    """The id of `part`'s external hyperlink relationship to `url`, added if new. python-docx's
    relate_to looks through every relationship of the part, twice, for each link: a book of 16,000
    links took a minute."""
    ids, tried = _LINK_IDS.setdefault(part, ({}, [1]))
    if url not in ids:
        rels = part.rels
        while f"rId{tried[0]}" in rels:
            tried[0] += 1
        ids[url] = f"rId{tried[0]}"
        rels.add_relationship(hyperlink, url, ids[url], is_external=True)
    return ids[url]


def bookmark_name(page_id: str, anchor: str = "") -> str:
    """A Word bookmark name (a letter, then at most 39 letters, digits or "_") for a page anchor."""
    return "g" + hashlib.sha256(f"{page_id}#{anchor}".encode("utf-8")).hexdigest()[:24]


def bookmark(p: Any, name: str, number: int) -> None:
    """Wrap the content of `w:p` in bookmark `name` (`number` is unique in the document)."""
    start = element("w:bookmarkStart", id=str(number), name=name)
    first = next(iter(p), None)  # (lxml counts the children for len(p), and p.pPr looks through them)
    if first is not None and first.tag == _qn("w:pPr"):  # a paragraph's properties come first
        first.addnext(start)
    else:
        p.insert(0, start)
    p.append(element("w:bookmarkEnd", id=str(number)))


def toc_field(first: Any, entries: list[Any], levels: str) -> None:
    """A TOC field over heading levels `levels`, starting in `w:p` `first` and spanning the already
    placed entry paragraphs after it. The entries (linked titles, no page numbers) are what viewers
    that never update fields show; Word rebuilds them, with page numbers, on opening or on request."""
    note = run_element("Right-click and choose Update Field to add page numbers.", italic=True)
    last = entries[-1] if entries else first
    _field(first, f' TOC \\o "{levels}" \\h \\z \\u ', note, dirty=True, end_in=last)


def page_number_field(p: Any) -> None:
    _field(p, " PAGE ", run_element("1"))


def _field(p: Any, instruction: str, placeholder: Any, dirty: bool = False, end_in: Any = None) -> None:
    begin = element("w:fldChar", fldCharType="begin")
    if dirty:
        begin.set(_qn("w:dirty"), "true")
    code = element("w:instrText")
    code.set(_XML_SPACE, "preserve")
    code.text = instruction
    for child in (begin, code, element("w:fldChar", fldCharType="separate")):
        run = element("w:r")
        run.append(child)
        p.append(run)
    p.append(placeholder)
    end = element("w:r")
    end.append(element("w:fldChar", fldCharType="end"))
    (p if end_in is None else end_in).append(end)


# --- Tables and lists ----------------------------------------------------------


# A cell's text 4pt in from its sides, as the PDF's (print.css: th, td), rather than Word's 5.4pt:
# printwidths sizes the columns for that.
CELL_MARGINS = ('<w:tblCellMar><w:left w:type="dxa" w:w="80"/><w:right w:type="dxa" w:w="80"/>'
                '</w:tblCellMar>')


def new_table(rows: int, columns: int, width_twips: int, style_id: str, header: bool, indent_twips: int = 0,
              widths: list[float] | None = None) -> Any:
    """A `w:tbl` of empty cells (one empty `w:p` each) in `style_id`, columns `widths` (percent) or equally
    wide, stepped in `indent_twips` from the margin; a `header` first row repeats on each page and is never
    split. No first-column emphasis. The grid, each cell and the table say the same widths: Word reads
    the cells' and the table's, LibreOffice the grid's."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    twips = ([max(int(width_twips * share / 100), 1) for share in widths] if widths
             else [max(width_twips // max(columns, 1), 1)] * columns)
    cell = "".join(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/></w:tcPr><w:p/></w:tc>' for w in twips)
    head = '<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>'
    body = "".join(f"<w:tr>{head if header and n == 0 else ''}{cell}</w:tr>" for n in range(rows))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    look = ('<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/>')
    inset = f'<w:tblInd w:type="dxa" w:w="{indent_twips}"/>' if indent_twips else ""
    return parse_xml(f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{escape_attribute(style_id)}"/>'
                     f'<w:tblW w:type="dxa" w:w="{sum(twips)}"/>{inset}{CELL_MARGINS}{look}</w:tblPr>'
                     f"<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>")


ALERT_BOX_MARGINS = 108 * 2 + 60  # twips an alert box's text has less than the box: its cell margins and bar


def alert_box(width_twips: int, colour: str, indent_twips: int = 0) -> Any:
    """A `w:tbl` of one cell (holding one empty `w:p`), `width_twips` wide and stepped in `indent_twips`,
    with no lines but a 3 pt bar in `colour` ("RRGGBB") down its left side: a GitHub alert's box."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    bar = f'<w:left w:val="single" w:sz="24" w:space="0" w:color="{colour}"/>'
    borders = "".join(bar if side == "left" else f'<w:{side} w:val="nil"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))  # the schema's order
    borders = f"<w:tblBorders>{borders}</w:tblBorders>"
    inset = f'<w:tblInd w:type="dxa" w:w="{indent_twips}"/>' if indent_twips else ""
    return parse_xml(f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:type="dxa" w:w="{width_twips}"/>{inset}{borders}'
                     f'</w:tblPr><w:tblGrid><w:gridCol w:w="{width_twips}"/></w:tblGrid><w:tr><w:tc>'
                     f'<w:tcPr><w:tcW w:type="dxa" w:w="{width_twips}"/></w:tcPr><w:p/></w:tc>'
                     f'</w:tr></w:tbl>')


# What may follow w:sz in a w:rPr (its schema's order), before which a new w:sz goes
_AFTER_SIZE = ("szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
               "eastAsianLayout", "specVanish", "oMath")


@functools.lru_cache(maxsize=1)
def _after_size() -> frozenset[str]:
    return frozenset(_qn(f"w:{name}") for name in _AFTER_SIZE)


def run_style(run: Any) -> str | None:
    """The id of `w:r`'s character style, if it has one."""
    properties = run.find(_qn("w:rPr"))
    style = properties.find(_qn("w:rStyle")) if properties is not None else None
    return style.get(_qn("w:val")) if style is not None else None


def set_run_style(run: Any, style_id: str) -> None:
    """Put `w:r` in character style `style_id`, or in none ("": its paragraph's text)."""
    properties = run.find(_qn("w:rPr"))
    style = properties.find(_qn("w:rStyle")) if properties is not None else None
    if style is not None and style_id:
        style.set(_qn("w:val"), style_id)
    elif style is not None:
        properties.remove(style)
    elif style_id:
        if properties is None:
            properties = element("w:rPr")
            run.insert(0, properties)  # (w:rPr comes first in a run)
        properties.insert(0, element("w:rStyle", val=style_id))  # (and w:rStyle first in it)


def text_size(run: Any, points: float) -> None:
    """Set `w:r`'s text `points` big (to half a point), for left-to-right and right-to-left letters alike.
    (By hand, not python-docx's get_or_add_sz: tables set it on every run, and that searched each.)"""
    half_points = str(round(points * 2))
    properties = run.find(_qn("w:rPr"))
    if properties is None:
        properties = element("w:rPr")
        run.insert(0, properties)  # (w:rPr comes first in a run)
    size = properties.find(_qn("w:sz"))
    if size is None:
        size = element("w:sz")
        later = next((child for child in properties if child.tag in _after_size()), None)
        if later is None:
            properties.append(size)
        else:
            later.addprevious(size)
    size.set(_qn("w:val"), half_points)
    following = size.getnext()
    if following is None or following.tag != _qn("w:szCs"):
        following = element("w:szCs")
        size.addnext(following)  # (w:szCs comes right after w:sz)
    following.set(_qn("w:val"), half_points)


def escape_attribute(value: str) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(value)[1:-1]


def shade(tc: Any, fill: str) -> None:
    """Fill a `w:tc` with colour `fill` ("RRGGBB")."""
    tc.get_or_add_tcPr().insert_element_before(
        element("w:shd", val="clear", color="auto", fill=fill),
        "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def restarted_numbering(document: Any, style: Any, start: int = 1) -> int | None:
    """A new `w:num` for the numbered-list `style`, counting from `start` again; its numId, or None
    when the style has no numbering. Without it every numbered list in a document continues the last one."""
    props = style.element.pPr
    num_pr = props.numPr if props is not None else None
    if num_pr is None or num_pr.numId is None:
        return None
    numbering = document.part.numbering_part.element
    template = next((n for n in numbering.num_lst if n.numId == num_pr.numId.val), None)
    if template is None:
        return None
    num = numbering.add_num(template.abstractNumId.val)
    override = element("w:lvlOverride", ilvl=str(num_pr.ilvl.val if num_pr.ilvl is not None else 0))
    override.append(element("w:startOverride", val=str(start)))
    num.append(override)
    return num.numId


def align(p: Any, how: str) -> None:
    """Align `w:p`'s text "left", "center" or "right" (`w:jc`); anything else leaves it as its style says."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                 "right": WD_ALIGN_PARAGRAPH.RIGHT}.get(how)
    if alignment is not None:
        p.get_or_add_pPr().jc_val = alignment


def indent(p: Any, left: int, hanging: int = 0) -> None:
    """Indent `w:p` by `left` twips, its first line (a list item's bullet or number) `hanging` back out."""
    from docx.shared import Twips

    ind = p.get_or_add_pPr().get_or_add_ind()
    ind.left = Twips(left)
    if hanging:
        ind.hanging = Twips(hanging)


def bottom_border(p: Any, colour: str) -> None:
    """Draw a line under `w:p`, across the text (`w:pBdr`'s bottom border, 1.5 pt in `colour`, "RRGGBB")."""
    borders = element("w:pBdr")
    borders.append(element("w:bottom", val="single", sz="12", space="1", color=colour))
    p.get_or_add_pPr().insert_element_before(borders, "w:shd", *AFTER_PPR_SHD)


def keep_with_next(p: Any) -> None:
    """Keep `w:p` on the page of the paragraph after it (`w:keepNext`), as a heading keeps."""
    from docx.text.parfmt import ParagraphFormat

    ParagraphFormat(p).keep_with_next = True


def may_break(p: Any) -> None:
    """Let `w:p` break across pages though its style keeps its lines together (`w:keepLines` off)."""
    from docx.text.parfmt import ParagraphFormat

    ParagraphFormat(p).keep_together = False


def set_numbering(p: Any, num_id: int) -> None:
    num_pr = p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


_qn = _clark
