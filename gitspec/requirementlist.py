"""A plain list of requirements, one a line, as `gitspec new requirements --from FILE` reads it.

Pure: text in, sentences out; reading the file and writing the document are `new`'s. Never guesses
at a line's meaning beyond taking off its list marker.
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
    """A requirement as listed: its text on one line, and the line of the file it is on (from 1)."""
    text: str
    line: int


def listed_sentences(text: str) -> list[Sentence]:
    """Each non-blank line of `text` that is not a comment (`#`), without its list marker, its runs of
    white space (a U+2028 or a form feed among them) one space. A line that is only a marker (`- `)
    lists nothing."""
    found = []
    for number, line in enumerate(_LINE_END.split(text), start=1):
        line = " ".join(line.split())
        if not line or line.startswith("#"):
            continue
        sentence = line[_MARKER.match(line + " ").end():].strip()  # (a bare `-` is a marker too)
        if sentence:
            found.append(Sentence(sentence, number))
    return found
