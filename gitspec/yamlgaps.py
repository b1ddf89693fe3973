"""What a YAML text holds between its tokens: its comments, whole-line and end-of-line, with their lines.

Pure text in, data out, read with libyaml's scanner; never parses values, so a
`#` inside a quoted or block scalar is never taken for a comment.
"""
from __future__ import annotations

import re
from typing import NamedTuple

_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_COMMENT = re.compile(r"#[^\r\n\x85\u2028\u2029]*")


class Comment(NamedTuple):
    index: int  # of its `#` in the text
    line: int  # 0-based
    text: str  # from `#`, trailing blanks dropped


def comments(text: str) -> list[Comment]:
    """Each comment of `text`, in order. `text` must be YAML libyaml reads."""
    import yaml

    found, at, line = [], 0, 0
    for token in yaml.scan(text, Loader=yaml.CSafeLoader):  # (marks count characters, as str does)
        start = token.start_mark.index
        if start > at:
            found += _in_gap(text, at, start, line)
        if token.end_mark.index >= at:
            at, line = token.end_mark.index, token.end_mark.line
    return found + _in_gap(text, at, len(text), line)


def _in_gap(text: str, start: int, end: int, line: int) -> list[Comment]:
    """The comments in `text[start:end]`, whitespace and comments between two tokens, starting on `line`."""
    return [Comment(match.start(), line + len(_BREAK.findall(text, start, match.start())),
                    match.group().rstrip(" \t")) for match in _COMMENT.finditer(text, start, end)]
