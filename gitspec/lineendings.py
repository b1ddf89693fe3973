"""A file's own line ending, which lines gitspec adds or rewrites in it take."""
from __future__ import annotations


def newline_of(text: str | None) -> str:
    """CRLF when most of the text's lines end so; else LF (also for a new, empty file)."""
    return "\r\n" if text and 2 * text.count("\r\n") > text.count("\n") else "\n"
