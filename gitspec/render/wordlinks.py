"""Links in a Word file: to the web, to a bookmark within the document (a jump), to a place in a
sibling page's .docx; and, once the document is written, jumps to a bookmark nobody wrote turned back
into plain text, as the PDF shows them. Takes a `writer` (word.py's DocxWriter) and adds to its document.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from gitspec.render import wordxml as x
from gitspec.render.model import Link, NoteRef
from gitspec.render.pagefiles import file_stem

# A link's character style -> the style its text takes when it leads nowhere ("": the paragraph's)
_UNLINKED = {"Hyperlink": "", "Code Hyperlink": "Code Char"}


def link(writer: Any, paragraph: Any, item: Link, width: int | None = None) -> None:
    """A link, its text bold, italic, code or struck out as the model says, or its label's inlines
    (a picture: in the link, at most `width` wide as `inlines` says); plain text when it leads nowhere."""
    target, code = item.target, item.style == "code"
    run = {"strike": item.struck, "bold": item.style == "strong", "italic": item.style == "em",
           "raised": isinstance(item, NoteRef)}  # a footnote's mark: its number, raised
    look = {**run, "style_id": writer.sid["Code Hyperlink" if code else "Hyperlink"]}
    text = "" if item.inlines else item.text
    element = None
    if target.startswith(("http://", "https://", "mailto:")):
        element = x.hyperlink(paragraph, writer.part, text, url=target, **look)
    elif target.startswith("doc:"):
        page_id, _, anchor = target[4:].partition("#")
        if page_id in writer.inside:
            name = x.bookmark_name(page_id, anchor)
            element = x.hyperlink(paragraph, writer.part, text, anchor=name, **look)
            writer.jumps.append((element, name))
        elif writer.site.page(page_id) is not None:  # a sibling file in the same output folder
            element = x.hyperlink(paragraph, writer.part, text, url=sibling(page_id, anchor), **look)
    if item.inlines:
        writer.inlines(paragraph if element is None else element, item.inlines, width, linked=element is not None)
    elif element is None:
        paragraph.append(x.run_element(item.text, **run, style_id=writer.sid["Code Char"] if code else ""))
    if isinstance(item, NoteRef) and item.anchor:
        writer.bookmark(paragraph, item.anchor)  # where the note links back to


def sibling(page_id: str, anchor: str) -> str:
    """The address of a place in another page's .docx, beside this one: the file, and the place's bookmark
    after a "#", as Word writes a link to a place in another document (a `w:anchor` is only ever
    looked up in the document the link is in)."""
    address = f"{quote(file_stem(page_id))}.docx"
    return f"{address}#{x.bookmark_name(page_id, anchor)}" if anchor else address


def drop_dead_jumps(writer: Any) -> None:
    """Turn each jump to a bookmark the document does not have (`[the risks](#risk)`, where no heading
    is "Risk": check's unknown-anchor) into its text, unlinked: a click on it would go nowhere. Run
    once every bookmark is written: a link may lead to a heading further on."""
    from docx.oxml.ns import qn

    restyled = {writer.sid[linked]: writer.sid.get(plain, "") for linked, plain in _UNLINKED.items()}
    for element, name in writer.jumps:
        if name in writer.bookmarked:
            continue
        for run in element.iter(qn("w:r")):
            style = x.run_style(run)
            if style in restyled:
                x.set_run_style(run, restyled[style])
        for child in list(element):
            element.addprevious(child)
        element.getparent().remove(element)
    writer.jumps.clear()
