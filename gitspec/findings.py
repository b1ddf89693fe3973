"""Findings (what `check` reports) and the ways of printing them.

Findings are plain records so they can be cached in the parse index as tuples.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gitspec.herepaths import from_here

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms) on a no-op check
if TYPE_CHECKING:
    from typing import IO

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int
    severity: str
    message: str
    rule: str

    def __str__(self) -> str:
        return self.shown_from(None)

    def shown_from(self, root: Path | None) -> str:
        """The finding as one line, its file named from the current folder (`root`: the workspace's top;
        None: as the workspace names it)."""
        from gitspec.printable import file_name, one_line

        return one_line(f"{file_name(self.where(root))}:{self.line}:{self.col}: {self.severity}: {self.message} "
                        f"[{self.rule}]")

    def where(self, root: Path | None) -> str:
        """Its file, named from the current folder when `root` (the workspace's top) is given."""
        return self.path if root is None else from_here(root, self.path)

    def as_tuple(self) -> tuple:
        return (self.path, self.line, self.col, self.severity, self.message, self.rule)


def error(path: str, line: int, col: int, message: str, rule: str) -> Finding:
    return Finding(path, line, col, ERROR, message, rule)


def warning(path: str, line: int, col: int, message: str, rule: str) -> Finding:
    return Finding(path, line, col, WARNING, message, rule)


BAD_IMAGE = "bad-image"  # the rule of a picture a document shows that cannot be shown
_CANNOT = " cannot be shown: "


def bad_image(path: str, line: int, col: int, picture: str, problem: str) -> Finding:
    """`image PICTURE cannot be shown: PROBLEM`, reported where the document shows it."""
    return error(path, line, col, f"image {picture}{_CANNOT}{problem}", BAD_IMAGE)


def shown_picture(finding: Finding) -> str | None:
    """The picture a bad-image finding is about (a workspace path), else None."""
    if finding.rule != BAD_IMAGE or not finding.message.startswith("image ") or _CANNOT not in finding.message:
        return None
    return finding.message[len("image "):finding.message.index(_CANNOT)]


def exit_code(findings: Iterable[Finding]) -> int:
    return 1 if any(f.severity == ERROR for f in findings) else 0


def write_text(findings: list[Finding], out: IO[str], root: Path | None = None) -> None:
    """One line per finding: plain when piped; rich colours on a terminal. Files are named from the current
    folder when `root` (the workspace's top) is given, as a terminal's or an editor's links and CI's matchers need."""
    if not findings:
        return
    if out.isatty():
        from rich.console import Console
        from rich.markup import escape

        from gitspec.printable import file_name, one_line

        # Never wrapped: each finding is one line that editors and grep read, however narrow rich thinks
        # the terminal is (80 columns under pre-commit, whose pty has no size).
        console = Console(file=out, highlight=False, soft_wrap=True)
        colour = {ERROR: "bold red", WARNING: "yellow"}
        for f in findings:
            console.print(f"[bold]{escape(one_line(file_name(f.where(root))))}:{f.line}:{f.col}:[/] "
                          f"[{colour.get(f.severity, 'cyan')}]{f.severity}:[/] "
                          f"{escape(one_line(f.message))} [dim]\\[{escape(f.rule)}][/]")
        return
    out.write("".join(f"{f.shown_from(root)}\n" for f in findings))


def write_json(findings: list[Finding], out: IO[str]) -> None:
    import json

    from gitspec.printable import file_name

    keys = ("path", "line", "col", "severity", "message", "rule")
    json.dump([dict(zip(keys, (file_name(f.path), *f.as_tuple()[1:]))) for f in findings], out, indent=2)
    out.write("\n")


def count_of(number: int, noun: str) -> str:
    """`1 error`, `2 errors`: a count with its noun, plural when it is not one."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def write_summary(findings: list[Finding], documents: int) -> None:
    from gitspec.streams import messages

    out = messages()
    errors = sum(1 for f in findings if f.severity == ERROR)
    checked = f"gitspec: {count_of(documents, 'document')} checked"
    if not findings:
        out.write(f"{checked}, no findings\n")
        return
    files = len({f.path for f in findings})
    out.write(f"{checked}: {count_of(errors, 'error')}, {count_of(len(findings) - errors, 'warning')} "
              f"in {count_of(files, 'file')}\n")
