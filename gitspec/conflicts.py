"""Unresolved merge conflicts: the `<<<<<<<`, `=======`, `>>>>>>>` lines git leaves in a file, and
each side of them.

Pure: text in, line numbers and text out. Never resolves a conflict for the user: a side is only
read to learn which ids the file defines, so that other files' references to them still resolve.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from gitspec.markdown import code_block_lines

# Seven characters a marker, or more where .gitattributes sets `conflict-marker-size`: `<<<<<<<<<< HEAD`.
# The other markers of a conflict have as many characters as its first.
_START = re.compile(r"(<{7,}) ")
_QUICK = "<<<<<<< "  # in every start marker, however long


@dataclass(frozen=True)
class Conflict:
    start: int  # 1-based line of `<<<<<<< `
    middle: int | None  # of `=======`, None when it is missing
    end: int | None  # of `>>>>>>> `, None when the conflict runs to the end of the file
    size: int = 7  # the characters in each of its markers

    @property
    def message(self) -> str:
        lines = f"lines {self.start}-{self.end}" if self.end else f"line {self.start}, never closed"
        return f"unresolved merge conflict ({lines}: <<<<<<< … >>>>>>>); resolve it and remove the markers"


def find_conflicts(text: str, markdown: bool = False) -> list[Conflict]:
    """Each conflict in `text`, in order; in Markdown, lines in fenced code blocks are text."""
    if _QUICK not in text:  # the common case, decided without splitting the file
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    code = code_block_lines(lines) if markdown else set()
    found: list[Conflict] = []
    start = middle = None
    size = 7
    for number, line in enumerate(lines, 1):
        if number in code:
            continue
        opening = _START.match(line)
        if opening and start is not None and len(opening.group(1)) != size:
            continue  # a marker of another size inside a conflict is its text: git nests the longer
            # markers of a recursive merge's inner conflict in a diff3 base (`<<<<<<<<< Temporary merge branch 1`)
        if opening:
            if start is not None:  # a new conflict before the last one closed
                found.append(Conflict(start, middle, None, size))
            start, middle, size = number, None, len(opening.group(1))
        elif start is not None and line.rstrip() == "=" * size:
            middle = number
        elif start is not None and line.startswith(">" * size + " "):
            found.append(Conflict(start, middle, number, size))
            start = middle = None
    if start is not None:
        found.append(Conflict(start, middle, None, size))
    return found


def one_side(text: str, conflicts: list[Conflict], ours: bool) -> str:
    """`text` with each conflict replaced by one side (ours: before `=======`), the marker lines and
    the other side made blank so that every line keeps its number."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for conflict in conflicts:
        end = conflict.end or len(lines)
        middle = conflict.middle or end
        in_base = False
        for number in range(conflict.start, end + 1):
            line = lines[number - 1]
            in_base = in_base or line.startswith("|" * conflict.size + " ")  # diff3: the common ancestor
            kept = (conflict.start < number < middle and not in_base) if ours else middle < number < end
            if not kept:
                lines[number - 1] = ""
    return "\n".join(lines)
