"""The one exception for problems a user can fix, and the exit codes."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class GitspecError(Exception):
    """A problem the user can fix: printed as one line, never with a traceback."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 col: int | None = None, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message, self.path, self.line, self.col = message, path, line, col
        self.exit_code = exit_code

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.path, self.line, self.col) if part is not None)
        return f"{where}: {self.message}" if where else self.message


@contextmanager
def writing(name: str) -> Iterator[None]:
    """A write of `name` (a workspace path) that fails (a read-only checkout, a full disk) is one line
    naming it from the current folder, exit 2."""
    try:
        yield
    except OSError as error:
        from gitspec.herepaths import here

        raise GitspecError(f"cannot write {here(name)}: {error.strerror or error}", exit_code=EXIT_USAGE) from None


def error_line(exc: GitspecError) -> str:
    """How a user-fixable problem is shown: `path:line:col: error: message`, or `gitspec: error: message`.
    `path` is a workspace path (JSON events keep it so), named here from the current folder."""
    from gitspec.herepaths import here
    from gitspec.printable import one_line

    if exc.path:
        return one_line(f"{here(exc.path)}:{exc.line or 1}:{exc.col or 1}: error: {exc.message}")
    return one_line(f"gitspec: error: {exc.message}")
