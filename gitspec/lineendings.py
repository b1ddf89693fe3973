"""A file's own line ending, which lines gitspec adds or rewrites in it take.

Pure text in, text out. YAML and CommonMark end a line at CRLF, LF or a CR alone (as old Macs save);
git's own files (.gitignore) at LF only, a CR before it being part of the ending.
"""
from __future__ import annotations

import re

# A line with its own line ending (CRLF, LF or a CR alone), or the last line without one.
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def newline_of(text: str | None, lone_cr: bool = True) -> str:
    """The line ending most of the text's lines end with: LF, CRLF or CR; LF for a tie, or for a new, empty
    file. `lone_cr=False`: a CR alone ends no line, as git reads its files."""
    text = text or ""
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf if lone_cr else 0}
    return max(counts, key=counts.__getitem__)  # (the first of those most common: LF, then CRLF)
