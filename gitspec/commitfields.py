"""A commit's author, date and message as text, however git stored them.

Git accepts what Python's datetime and codecs refuse (dates past year 9999, unknown or binary
encodings); nothing here may raise on what a repository holds.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

FULL_COMMIT_ID = re.compile(r"[0-9a-f]{40}")  # a commit named for good: never HEAD, a branch, a short id


# datetime's first and last whole second (years 1 and 9999), in seconds since 1970 in UTC
_FIRST, _LAST = -62_135_596_800, 253_402_300_799
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def iso_date(seconds: int, offset: int) -> str:
    """A commit's date (seconds since 1970, offset in minutes) in ISO 8601. Git takes dates past
    year 9999 or before year 1 and offsets of a day or more; datetime does not, so those are clamped:
    into its range both in the commit's zone and in UTC, so that converting the date (a PDF's and a
    Word file's dates are in UTC) never overflows either."""
    try:
        zone = timezone(timedelta(minutes=offset))
    except ValueError:
        zone = timezone.utc
    shift = int(zone.utcoffset(None).total_seconds())  # west of UTC: negative
    clamped = min(max(seconds, _FIRST - min(shift, 0)), _LAST - max(shift, 0))
    return (_EPOCH + timedelta(seconds=clamped)).astimezone(zone).isoformat(timespec="seconds")


def text(data: bytes, encoding: str | None) -> str:
    """A commit's author name or message: in the codec of its `encoding` header; without one, or with
    one that is no character set Python can read text in, UTF-8, or Latin-1 where it is not UTF-8 (git
    shows the bytes as they are; Latin-1 is the usual other one)."""
    codec = _codec(encoding)
    if codec is not None:
        try:
            return data.decode(codec, "replace")
        except UnicodeError:  # a codec that refuses some bytes even when told to replace them
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# Codecs Python knows that are no character set: git cannot convert a message into them (iconv does
# not know them), so it stores the bytes as they were, and these would read them as other letters
# (punycode makes "Resume" three Chinese signs) or refuse them outright.
_NOT_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})


def _codec(name: str | None) -> str | None:
    """The codec of a commit's `encoding` header (git's i18n.commitEncoding); None when it has none,
    or one Python does not know or that does not make text (`hex`, `rot13`, `idna`)."""
    import codecs

    if not name:
        return None
    try:
        info = codecs.lookup(name)
        b"\0\0".decode(info.name, "replace")  # LookupError: "'hex' is not a text encoding"
    except (LookupError, UnicodeError):  # UnicodeError: "undefined encoding"
        return None
    return None if info.name in _NOT_CHARSETS else info.name
