"""Right-to-left text in Word: a paragraph whose first strong letter is Arabic, Hebrew... is a
right-to-left paragraph (`w:bidi`), and each stretch of such letters in a run becomes a run of its
own marked right to left (`w:rtl`), as Word itself writes them. Works on the finished body only."""
from __future__ import annotations

import copy
import unicodedata
from typing import Any

from gitspec.render.direction import RIGHT_TO_LEFT, has_right_to_left, right_to_left
from gitspec.render.wordxml import element

_NUMBERS = frozenset({"EN", "AN"})  # digits among right-to-left letters read with them
# Schema order matters to Word: the siblings that must follow w:bidi in w:pPr, and w:rtl in w:rPr
_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_RTL = ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def mark_right_to_left(body: Any) -> None:
    """Mark the right-to-left paragraphs and runs of a document's `w:body`."""
    from docx.oxml.ns import qn

    for p in body.iter(qn("w:p")):
        for run in list(p.iter(qn("w:r"))):
            if any(has_right_to_left(t.text or "") for t in run.iter(qn("w:t"))):
                _split(run)
        if right_to_left("".join(t.text or "" for t in p.iter(qn("w:t")))):
            p.get_or_add_pPr().insert_element_before(element("w:bidi"), *_AFTER_BIDI)


def stretches(text: str) -> list[tuple[bool, str]]:
    """`text` cut where it turns to or from right-to-left letters: (right to left?, piece) in order. A
    right-to-left piece runs from such a letter to the last such letter (or digit) before a left-to-right
    one; the spaces and marks around it stay outside, for Word to place by the letters on either side."""
    kinds = [unicodedata.bidirectional(c) for c in text]
    pieces: list[tuple[bool, str]] = []
    at = 0
    while at < len(text):
        first = next((i for i in range(at, len(text)) if kinds[i] in RIGHT_TO_LEFT), len(text))
        stop = next((i for i in range(first, len(text)) if kinds[i] == "L"), len(text))
        last = max((i for i in range(first, stop) if kinds[i] in RIGHT_TO_LEFT | _NUMBERS), default=first - 1)
        pieces += [(False, text[at:first])] if first > at else []
        pieces += [(True, text[first:last + 1])] if last >= first else []
        at = max(last + 1, first)
    return pieces


def _split(run: Any) -> None:
    """Replace `run` by runs of its text's stretches (`stretches`), the right-to-left ones marked so."""
    from docx.oxml.ns import qn

    props = run.find(qn("w:rPr"))
    parts: list[tuple[bool, list[Any]]] = []  # (right to left?, content elements) per new run
    for child in run:
        if child is props:
            continue
        pieces = stretches(child.text or "") if child.tag == qn("w:t") else [(False, None)]
        for rtl, text in pieces:
            if text is None:
                piece = copy.deepcopy(child)  # a line break, a tab
            else:
                piece = element("w:t")
                piece.text = text
                piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            if parts and parts[-1][0] == rtl or (text is None and parts):
                parts[-1][1].append(piece)
            else:
                parts.append((rtl, [piece]))
    for rtl, content in parts:
        new = element("w:r")
        if props is not None or rtl:
            new.append(_marked(copy.deepcopy(props) if props is not None else element("w:rPr"), rtl))
        new.extend(content)
        run.addprevious(new)
    run.getparent().remove(run)


def _marked(props: Any, rtl: bool) -> Any:
    """`w:rPr` for a right-to-left run: marked so, its bold and italics also for Arabic and Hebrew (`w:bCs`,
    `w:iCs`: Word sets those letters by the complex-script properties)."""
    from docx.oxml.ns import qn

    if not rtl:
        return props
    for tag, script_tag in (("w:b", "w:bCs"), ("w:i", "w:iCs")):
        found = props.find(qn(tag))
        if found is not None and props.find(qn(script_tag)) is None:
            found.addnext(element(script_tag))
    props.insert_element_before(element("w:rtl"), *_AFTER_RTL)
    return props
