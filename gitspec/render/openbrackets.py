"""`[` and `![` made cheap for markdown-it: neither may change what a text parses to, only how long it takes.

markdown-it looks for the end of a label from every `[`, to the end of the paragraph and nested
up to maxNesting deep, so a run of `![` took ~100 µs a byte. Two things stop that:

* a rule for `[` and `![` that nothing after them can close: a `[` with no `]` after it cannot
  start a link, an image or a footnote, and is text all the same;
* a label search that remembers, for every `[` it steps over, where that one's label ends: its
  own search would walk the same steps (markdown-it caches each step by position), so it is
  answered at once (a run of `![` closed by one `]` at the end).
"""
from __future__ import annotations

import re
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

_RUN = re.compile(r"!?\[[!\[]*")  # what the rule takes at once: each `[` and `!` in it is text


def open_brackets_plugin(parser: Any) -> None:
    """Add the rule ahead of markdown-it's links, images and footnote references, and give its
    link and image rules the remembering label search (md.helpers is theirs to call)."""
    parser.inline.ruler.before("link", "open_bracket", _open_bracket)
    helpers = parser.helpers
    parser.helpers = SimpleNamespace(parseLinkLabel=label_end, parseLinkDestination=helpers.parseLinkDestination,
                                     parseLinkTitle=helpers.parseLinkTitle)


def _open_bracket(state: Any, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] not in "![" or _last_close(src, state.posMax) > pos:  # before the run is matched, to its end
        return False
    run = _RUN.match(src, pos, state.posMax)
    if run is None:
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


def label_end(state: Any, start: int, disable_nested: bool = False) -> int:
    """markdown-it's parseLinkLabel: where the label opened by the `[` at `start` ends (-1: it does
    not); `disable_nested` fails it at a link inside (a `[` a rule takes whole).

    Each `[` the walk steps over as text opens a label nested in this one, whose own walk would take
    the same steps: the `]` that brings the walk back to its level ends it (and a link met before
    that fails it for a link); one left open never ends. So a nested label already answered is
    stepped over at once, and one that never ends ends this one too.
    """
    ends = vars(state).setdefault("gitspec_label_ends", {})  # this text's answers: (start, nested, end of text)
    last = state.posMax
    known = ends.get((start, disable_nested, last))
    if known is not None:
        return known
    was, end, at_link = state.pos, -1, False
    opened: list[tuple[int, int]] = []  # the `[` stepped over, not yet closed, and the links seen before each
    links = 0
    state.pos = start + 1
    while state.pos < last:
        marker = state.src[state.pos]
        if marker == "]":
            if not opened:
                end = state.pos
                break
            inner, seen = opened.pop()
            ends[(inner, False, last)] = state.pos
            ends[(inner, True, last)] = state.pos if links == seen else -1
        before = state.pos
        state.md.inline.skipToken(state)
        if marker != "[":
            continue
        if state.pos != before + 1:
            links += 1
            at_link = disable_nested
            if at_link:
                break
            continue
        opened.append((before, links))
        if disable_nested and ends.get((before, True, last)) == -1:  # a link (or the end) comes before it closes
            at_link = True
            break
        inner_end = ends.get((before, False, last))
        if inner_end is None:
            continue
        if inner_end < 0:
            break
        if ends.get((before, True, last)) == -1:  # it holds a link
            links += 1
            at_link = disable_nested
            if at_link:
                break
        state.pos = inner_end  # at the `]` that closes it
    state.pos = was
    for inner, seen in opened:  # open still: a link this one stopped at is theirs too; else they never end
        ends[(inner, True, last)] = -1
        if not at_link:
            ends[(inner, False, last)] = -1
    ends[(start, disable_nested, last)] = end
    if end >= 0 or not at_link:  # what the walk of the other kind would have found
        ends.setdefault((start, not disable_nested, last), end if end < 0 or disable_nested or not links else -1)
    return end
