"""What a page shows that is drawn or read at render time: its diagrams and workspace pictures,
wherever they are (in lists, quotes, paragraphs and table cells); and which pages a render
warning about one of them concerns."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from gitspec.render.model import Diagram, Image, Link, Paragraph, Section, Site, Table, walk

NAMED = 5  # documents a warning names; more are counted


def shown(sections: Iterable[Section]) -> Iterator[Diagram | Image]:
    for section in sections:
        yield from shown_in(section.blocks)


def shown_in(blocks) -> Iterator[Diagram | Image]:
    for block in walk(blocks):
        if isinstance(block, (Diagram, Image)):
            yield block
        elif isinstance(block, Paragraph):
            yield from _pictures(block.inlines)
        elif isinstance(block, Table):
            yield from (item for row in (block.header_inlines, *block.rows) for cell in row for item in _pictures(cell))


def _pictures(inlines) -> Iterator[Image]:
    """The pictures among inlines, those in a link's label (`[![chart](c.png)](url)`) included."""
    for item in inlines:
        if isinstance(item, Image):
            yield item
        elif isinstance(item, Link):
            yield from _pictures(item.inlines)


def located(warnings: list[str], subjects: dict[int, Diagram | Image], site: Site, pages: Iterable[str]) -> list[str]:
    """Each warning, followed by the documents among `pages` (those just rendered, whose sections
    are built) that show the diagram or picture it is about: `...; diagram "Flow" shown as source (in prd, ui)`.
    A warning about none of them (a book lays out pages that were not rendered again) names the
    other documents showing it, whose sections are then built."""
    showing: dict[tuple[str, str], list[str]] = {}
    wanted = {_key(subject) for subject in subjects.values()}
    first = list(dict.fromkeys(pages)) if subjects else []
    for page_id in first:
        _note(site, page_id, showing)
    if wanted - showing.keys():
        for page in site.pages:
            if page.id not in first:
                _note(site, page.id, showing)
    out = []
    for at, warning in enumerate(warnings):
        ids = showing.get(_key(subjects[at])) if at in subjects else None
        more = f" and {len(ids) - NAMED} more" if ids and len(ids) > NAMED else ""
        out.append(f"{warning} (in {', '.join(ids[:NAMED])}{more})" if ids else warning)
    return out


def _note(site: Site, page_id: str, showing: dict[tuple[str, str], list[str]]) -> None:
    """Add page `page_id` to the pages showing each of its diagrams and pictures."""
    page = site.page(page_id)
    for item in shown(page.sections) if page is not None else ():
        found = showing.setdefault(_key(item), [])
        if page_id not in found:
            found.append(page_id)


def _key(item: Diagram | Image) -> tuple[str, str]:
    return ("diagram", item.source) if isinstance(item, Diagram) else ("image", item.path)
