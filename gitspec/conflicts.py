"""Unresolved merge conflicts: the `<<<<<<<`, `=======`, `>>>>>>>` lines git leaves in a file, and
each side of them.

Pure: text in, line numbers and text out. Never resolves a conflict for the user: a side is only
read to learn which ids the file defines, so that other files' references to them still resolve.
"""
from __future__ import annotations

from dataclasses import dataclass

from gitspec.markdown import code_block_lines

_START, _BASE, _MIDDLE, _END = "<<<<<<< ", "||||||| ", "=======", ">>>>>>> "


@dataclass(frozen=True)
class Conflict:
    start: int  # 1-based line of `<<<<<<< `
    middle: int | None  # of `=======`, None when it is missing
    end: int | None  # of `>>>>>>> `, None when the conflict runs to the end of the file

    @property
    def message(self) -> str:
        lines = f"lines {self.start}-{self.end}" if self.end else f"line {self.start}, never closed"
        return f"unresolved merge conflict ({lines}: <<<<<<< … >>>>>>>); resolve it and remove the markers"


def find_conflicts(text: str, markdown: bool = False) -> list[Conflict]:
    """Each conflict in `text`, in order; in Markdown, lines in fenced code blocks are text."""
    if _START not in text:  # the common case, decided without splitting the file
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    code = code_block_lines(lines) if markdown else set()
    found: list[Conflict] = []
    start = middle = None
    for number, line in enumerate(lines, 1):
        if number in code:
            continue
        if line.startswith(_START):
            if start is not None:  # a new conflict before the last one closed
                found.append(Conflict(start, middle, None))
            start, middle = number, None
        elif start is not None and line.rstrip() == _MIDDLE:
            middle = number
        elif start is not None and line.startswith(_END):
            found.append(Conflict(start, middle, number))
            start = middle = None
    if start is not None:
        found.append(Conflict(start, middle, None))
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
            in_base = in_base or line.startswith(_BASE)  # diff3's common ancestor, before `=======`
            kept = (conflict.start < number < middle and not in_base) if ours else middle < number < end
            if not kept:
                lines[number - 1] = ""
    return "\n".join(lines)
