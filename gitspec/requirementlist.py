"""A plain list of requirements, one a line, as `gitspec new requirements --from FILE` reads it.

Pure: text in, sentences out; reading the file and writing the document are `new`'s. Never guesses
at a line's meaning beyond taking off its list marker, and joining to a list item the lines indented
under it, as every Markdown reader does (a list wrapped at 72 columns).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# What starts a list item in a plain or Markdown list: `- `, `* `, `+ `, `1. `, `1) `, then a task box
# (`[ ]`, `[x]`) if any, each followed by white space.
_MARKER = re.compile(r"(?:[-*+]\s+|[0-9]+[.)]\s+)?(?:\[[ xX]?\]\s+)?")
# Where a line ends, as git, wc and every editor end one. Not str.splitlines(), which also ends a line
# at a form feed, U+0085, U+2028 or U+2029: inside a line those are white space, and cut a requirement
# in two.
_LINE_END = re.compile(r"\r\n?|\n")


@dataclass(frozen=True)
class Sentence:
    """A requirement as listed: its text on one line, and the line of the file it starts on (from 1)."""
    text: str
    line: int


def listed_sentences(text: str) -> list[Sentence]:
    """Each non-blank line of `text` that is not a comment (`#`), without its list marker, its runs of
    white space one space. A line that is only a marker (`- `) lists nothing. A line indented under a
    list item, with no marker of its own, goes on that item's sentence (until a blank line)."""
    found: list[Sentence] = []
    item = False  # whether the last sentence is a list item, which an indented line goes on
    for number, written in enumerate(_LINE_END.split(text), start=1):
        line = " ".join(written.split())
        if not line:
            item = False
            continue
        if line.startswith("#"):
            continue
        marker = _MARKER.match(line + " ").end()  # (a bare `-` is a marker too)
        if item and marker == 0 and written[:1] in (" ", "\t"):
            found[-1] = Sentence(f"{found[-1].text} {line}", found[-1].line)
            continue
        sentence = line[marker:].strip()
        item = marker > 0 and bool(sentence)
        if sentence:
            found.append(Sentence(sentence, number))
    return found
