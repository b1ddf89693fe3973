"""Pages that show a diagram as source, in the render cache: such a page is rendered again once
diagrams can be drawn, though the document did not change.

A manifest entry records `fallback`: the drawing setup (which mmdc, which server, the timeout)
that could not draw one of its diagrams, or RETRY when a way of drawing failed for a cause that
may be gone next time (a timeout, an unreachable or busy server, mmdc finding no browser or
crashing): anything but an invalid diagram or a refused image. The entry is outdated when that
setup has changed, and always after a RETRY.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from gitspec.render.model import Diagram, Page
from gitspec.render.shown import shown

RETRY = "retry"


def page_mark(page: Page, assets: Any) -> str | None:
    """The mark for a page just rendered: None when every diagram on it was drawn (or it has none)."""
    fallbacks = getattr(assets, "fallbacks", None)
    if not fallbacks:
        return None
    transient = [fallbacks[source] for source in _diagram_sources(page.sections) if source in fallbacks]
    if not transient:
        return None
    return RETRY if any(transient) else assets.drawing_setup()


def joined_mark(marks: Iterable[str | None]) -> str | None:
    """The mark of what joins pages (the book): RETRY if any page has it, else any page's."""
    found = {mark for mark in marks if mark}
    return RETRY if RETRY in found else next(iter(found), None)


def outdated(entry: dict, assets: Any) -> bool:
    mark = entry.get("fallback")
    if not mark:
        return False
    setup = getattr(assets, "drawing_setup", None)
    return mark == RETRY or setup is None or mark != setup()


def _diagram_sources(sections) -> Iterator[str]:
    return (item.source for item in shown(sections) if isinstance(item, Diagram))
