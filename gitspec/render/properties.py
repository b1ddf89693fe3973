"""A document's properties, the same in a PDF's metadata (pdf.py) and a Word file's core properties
(word.py): its author, subject, keywords and dates, taken from the render model.

Pure: never reads the clock, so the same page gives the same properties, and the same bytes.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from gitspec.render.model import Change, Page, Site


@dataclass(frozen=True)
class Properties:
    """`author` is whoever made the last change ("gitspec" when none is known); `modified` is the
    last change's date and `created` the earliest change's, in UTC, or both None when the last
    change is not dated."""

    author: str
    subject: str
    keywords: tuple[str, ...]
    created: datetime | None = None
    modified: datetime | None = None


def page_properties(page: Page) -> Properties:
    """A document's: its kind the subject; its id, kind, status and badges the keywords."""
    changes = [s.change for s in page.sections if s.change] + ([page.change] if page.change else [])
    keywords = (page.id, page.kind, page.status, *(badge.label for badge in page.badges))
    # without a change of its own (a page a plugin built, say), the latest dated of its sections'
    return _dated(page.kind, keywords, changes, page.change or latest_change(changes))


def site_properties(site: Site) -> Properties:
    """The whole book's: "specification" the subject, gitspec and the documents' kinds the keywords."""
    changes = [change for page in site.pages
               for change in [*(s.change for s in page.sections if s.change), page.change] if change]
    return _dated("specification", ("gitspec", *site.kinds), changes, latest_change(changes))


def latest_change(changes: Iterable[Change | None]) -> Change | None:
    """The latest dated of `changes` (None when none is dated): dates compared as times, whatever their zone."""
    dated = [(when, change) for change in changes if change and (when := _date(change.date)) is not None]
    return max(dated, key=lambda pair: pair[0])[1] if dated else None


def w3cdtf(when: datetime) -> str:
    """A date in UTC as W3CDTF, as Word's core properties and the print HTML's dcterms want it: four
    digits of year always, which strftime's %Y does not give before year 1000 (git takes such dates)."""
    return when.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def pdf_date(when: datetime) -> str:
    """A date in UTC as a PDF date string (ISO 32000-2, 7.9.4): D:YYYYMMDDHHmmSSZ."""
    return "D:" + "".join(c for c in w3cdtf(when) if c.isdigit()) + "Z"


def _dated(subject: str, keywords: tuple[str, ...], changes: list[Change], last: Change | None) -> Properties:
    """`last` is the last change in history, which names the author and the date modified: not the
    latest dated of `changes`, as a rebase leaves an older author date on a later commit."""
    modified = _date(last.date) if last else None
    created = min((when for change in changes if (when := _date(change.date)) is not None), default=modified)
    return Properties((last.author if last else "") or "gitspec", subject, tuple(k for k in keywords if k),
                      min(created, modified) if modified else None, modified)


def _date(value: str) -> datetime | None:
    """An ISO 8601 date in UTC (one without a zone taken as UTC), or None when it is none."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
