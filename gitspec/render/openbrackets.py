"""A markdown-it inline rule for `[` and `![` that nothing after them can close: plain text.

markdown-it looks for the end of a label from every `[`, to the end of the paragraph and nested
up to maxNesting deep, so a run of unclosed `![` took ~100 µs a byte. A `[` with no `]` after it
cannot start a link, an image or a footnote, and is text all the same; this rule must never
change what a text parses to, only how long it takes.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_RUN = re.compile(r"!?\[[!\[]*")  # what the rule takes at once: each `[` and `!` in it is text


def open_brackets_plugin(parser: Any) -> None:
    """Add the rule ahead of markdown-it's links, images and footnote references."""
    parser.inline.ruler.before("link", "open_bracket", _open_bracket)


def _open_bracket(state: Any, silent: bool) -> bool:
    src, pos = state.src, state.pos
    run = _RUN.match(src, pos, state.posMax)
    if run is None or _last_close(src, state.posMax) > pos:
        return False
    if not silent:  # kept as markdown-it keeps the characters no rule takes
        if hasattr(state, "append_pending"):  # markdown-it-py >= 4.3: no copy of all the text pending
            state.append_pending(run.group())
        else:
            state.pending += run.group()
    state.pos = run.end()
    return True


@lru_cache(maxsize=8)  # asked once per bracket, of the same text: found once per paragraph (and label)
def _last_close(src: str, end: int) -> int:
    return src.rfind("]", 0, end)
