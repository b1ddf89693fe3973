"""The combined book as PDF: a cover and contents, then each document's own PDF, with an
outline (a bookmark per document and per section), working links, and the site's title.

Never lays documents out again: their PDFs are joined as they are (pypdf), and only the
front matter is drawn, by the caller's `draw_front`. Same inputs, same bytes.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gitspec.render.model import Page, Site
from gitspec.render.pdfnumbers import number_pages
from gitspec.render.properties import pdf_date, site_properties

# A contents line links here; the link becomes a jump to the document's first page. The
# .invalid domain never resolves, should a viewer ever see one left unrewritten.
LINK = "https://gitspec.invalid/book/"
MAX_FRONT_TRIES = 4


@dataclass(frozen=True)
class Part:
    """One document of the book: its page and its PDF."""

    page: Page
    pdf: bytes


def join_book(site: Site, parts: Sequence[Part], draw_front: Callable[[list[tuple[Page, int, str]]], bytes],
              draw_numbers: Callable[[list[tuple[float, float, str]]], bytes]) -> bytes:
    """The book's PDF. `draw_front(entries)` draws the cover and contents, each entry a
    (page, book page number where it starts, link); `draw_numbers(lines)` lays out a page for
    each (width, height, text) given, the text where a page's book number goes (pdfnumbers.py)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    readers = [PdfReader(io.BytesIO(part.pdf)) for part in parts]
    counts = [len(reader.pages) for reader in readers]
    front, front_pages = b"", 2 + len(parts) // 40  # the cover, and about 40 contents lines a page
    for _ in range(MAX_FRONT_TRIES):  # the contents' own length moves every number after it
        front = draw_front(_entries(parts, counts, front_pages))
        drawn = len(PdfReader(io.BytesIO(front)).pages)
        if drawn == front_pages:
            break
        front_pages = drawn
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)), import_outline=False)
    starts = []
    for reader in readers:
        starts.append(len(writer.pages))
        writer.append(reader, import_outline=False)
    titles = []
    for part, reader, start in zip(parts, readers, starts, strict=True):
        title = _title(reader)
        titles.append(_shifted(title, start))
        parent = writer.add_outline_item(title=f"{part.page.id} · {part.page.title}", page_number=start + title.number,
                                         fit=title.fit)
        found = _sections(reader)
        if len(found) == len(part.page.sections):  # the page's own titles, without the badges
            found = [(s.title, place) for s, (_, place) in zip(part.page.sections, found, strict=True)]
        for section_title, place in found:
            writer.add_outline_item(title=section_title, page_number=start + place.number, parent=parent, fit=place.fit)
        _pin_links(writer, reader, start)
    number_pages(writer, draw_numbers)
    if "/Names" in writer.root_object:  # every link now names its page; the names would clash
        del writer.root_object["/Names"]
    _link_contents(writer, front_pages, titles)
    writer.add_metadata({"/Title": site.title, "/Producer": "gitspec (WeasyPrint, pypdf)", **_properties(site)})
    writer.page_mode = "/UseOutlines"
    writer.root_object[NameObject("/Lang")] = TextStringObject(site.language)  # as each document's own PDF says
    _store_once(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _store_once(writer) -> None:
    """Keep one copy of what several documents hold alike (a picture, or its transparency, shown by each:
    each document's PDF has its own copy), and drop what nothing refers to any more (the documents'
    named destinations). Each link is first tied to its page (`/P`): two alike on two pages stay two,
    as an annotation belongs to one page (ISO 32000-2, 12.5.2)."""
    from pypdf.generic import NameObject

    for page in writer.pages:
        for ref in page.get("/Annots") or ():
            ref.get_object()[NameObject("/P")] = page.indirect_reference
    for _ in range(2):  # the second pass merges what differed only by referring to copies (a picture and its mask)
        writer.compress_identical_objects()


def _properties(site: Site) -> dict[str, str]:
    """The book's Author, Subject, Keywords and dates, as Word's book gives them."""
    properties = site_properties(site)
    dates = (("/CreationDate", properties.created), ("/ModDate", properties.modified))
    return {"/Author": properties.author, "/Subject": properties.subject, "/Keywords": ", ".join(properties.keywords),
            **{name: pdf_date(when) for name, when in dates if when is not None}}


def _entries(parts: Sequence[Part], counts: Sequence[int], front_pages: int) -> list[tuple[Page, int, str]]:
    entries, number = [], front_pages + 1
    for n, (part, count) in enumerate(zip(parts, counts, strict=True)):
        entries.append((part.page, number, f"{LINK}{n}"))
        number += count
    return entries


@dataclass(frozen=True)
class Place:
    """Where a bookmark or link lands: a page index, and the left and top of what it names
    there (a heading), so that the book opens it where the document's own PDF does."""

    number: int
    left: float
    top: float

    @property
    def fit(self):
        from pypdf.generic import Fit

        return Fit.xyz(self.left, self.top, 0)  # zoom 0: the reader's own, as weasyprint writes it


def _place(reader, destination) -> Place | None:
    """Where `destination` (a bookmark or named destination of `reader`) lands, or None when on no page."""
    number = reader.get_destination_page_number(destination)
    if number < 0:
        return None
    top = destination.get("/Top")
    page_top = float(reader.pages[number].mediabox.top)
    return Place(number, _float(destination.get("/Left")), page_top if top is None else _float(top))


def _shifted(place: Place, start: int) -> Place:
    return Place(start + place.number, place.left, place.top)


def _title(reader) -> Place:
    """Where a document's PDF has its title: its first bookmark, else the top of its first page."""
    first = next((item for item in reader.outline if not isinstance(item, list)), None)
    place = _place(reader, first) if first is not None else None
    return place or Place(0, 0.0, float(reader.pages[0].mediabox.top))


def _sections(reader) -> list[tuple[str, Place]]:
    """The second-level bookmarks of a document's PDF (its sections; the first level is its
    title), as (title, where it lands)."""
    found = []
    for item in reader.outline:
        if isinstance(item, list):
            for child in item:
                place = None if isinstance(child, list) else _place(reader, child)
                if place is not None:
                    found.append((child.title, place))
    return found


def _pin_links(writer, reader, start: int) -> None:
    """A document's links jump to its named destinations, and documents share names (each
    has a `goals`): point them at the book's pages instead."""
    from pypdf.generic import NameObject

    named = {name: place for name, dest in reader.named_destinations.items()
             if (place := _place(reader, dest)) is not None}
    if not named:
        return
    for page in writer.pages[start:start + len(reader.pages)]:
        for ref in page.get("/Annots") or ():
            annotation = ref.get_object()
            target = named.get(str(annotation.get("/Dest", "")))
            if target is not None:
                annotation[NameObject("/Dest")] = _destination(writer, _shifted(target, start))


def _destination(writer, place: Place):
    """An explicit destination: the book's page, and the left and top to show there."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    return ArrayObject([writer.pages[place.number].indirect_reference, NameObject("/XYZ"),
                        FloatObject(place.left), FloatObject(place.top), FloatObject(0)])


def _float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _link_contents(writer, front_pages: int, titles: Sequence[Place]) -> None:
    """Turn the contents' placeholder links into jumps to each document's title."""
    from pypdf.generic import NameObject

    for page in writer.pages[:front_pages]:
        for ref in page.get("/Annots") or ():
            annotation = ref.get_object()
            action = annotation.get("/A")
            uri = str(action.get_object().get("/URI", "")) if action is not None else ""
            if not uri.startswith(LINK):
                continue
            index = uri[len(LINK):]
            del annotation["/A"]
            if index.isdigit() and int(index) < len(titles):
                annotation[NameObject("/Dest")] = _destination(writer, titles[int(index)])
