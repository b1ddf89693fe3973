"""Standard output and error set up, at start-up, for whatever gitspec prints: printing must never
crash a command; and which of them each kind of line goes to, the same in every command. Cheap: a
no-op `check` runs it too; imports nothing that is not loaded already.
"""
from __future__ import annotations

import io
import os
import sys

from gitspec.errors import EXIT_USAGE, GitspecError


def prepare() -> None:
    """A character the terminal's encoding lacks (→ in a Latin-1 or C locale, a file name's lone
    surrogate) is printed as its escape, `\\u2192`, instead of crashing the command.

    Standard output that cannot be written (a full disk, /dev/full) or was closed (`>&-`) is a
    GitspecError, exit 2, when something is written to it; standard error that cannot be written is
    left quiet, the exit code still telling. A closed descriptor is first filled with /dev/null, so
    that no file gitspec opens takes its number and receives what was meant for the screen.
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    for number in (1, 2):
        if (sys.stdout, sys.stderr)[number - 1] is None:
            _fill(number)
    try:  # both streams to one reader (pre-commit, a CI log, `2>&1`): lines in the order they are written
        if sys.stdout is not None and hasattr(sys.stdout, "reconfigure") and os.path.sameopenfile(1, 2):
            sys.stdout.reconfigure(line_buffering=True)
    except OSError:
        pass
    sys.stdout = _Output(sys.stdout, 1, loud=True) if sys.stdout is not None else _Closed()
    sys.stderr = _Output(sys.stderr, 2, loud=False) if sys.stderr is not None else open(os.devnull, "w")


def results() -> io.TextIOBase:
    """Where a command's results go: what it was asked to list (check's findings, status's sections,
    what a build regenerated or would, cache stats' sizes, any `--format json` or `--json` output).
    Standard output, so that a pipe or a file gets them and nothing else."""
    return sys.stdout


def messages() -> io.TextIOBase:
    """Where everything else goes, in every command: progress, `gitspec:` lines saying what was done
    (init's, new's, pin's, cache gc's, the summaries), notes, warnings and errors. Standard error, as
    git and ruff tell them, so that `gitspec check > findings.txt` holds the findings alone."""
    return sys.stderr


def silence(number: int) -> None:
    """Descriptor `number` (1 or 2) writes to /dev/null from now on: what is left of the output, nobody reads."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, number)
    os.close(null)


def _fill(number: int) -> None:
    """Open /dev/null until descriptor `number`, closed, is taken by it."""
    while (opened := os.open(os.devnull, os.O_RDWR)) < number:
        pass
    if opened > number:  # it was open after all
        os.close(opened)


class _Output:
    """A standard stream whose writes that fail are told in one line (`loud`, for standard output) or
    dropped (standard error: there is nowhere left to tell them). A reader that left (BrokenPipeError)
    is gitspec.cli's to handle, as before. Everything else is the stream's own."""

    def __init__(self, stream: io.TextIOBase, number: int, loud: bool) -> None:
        self._stream, self._number, self._loud = stream, number, loud

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            return self._failed(error)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            self._failed(error)

    def _failed(self, error: OSError) -> int:
        silence(self._number)  # what is still buffered would fail again when Python flushes at exit
        if self._loud:
            raise GitspecError(f"cannot write to standard output: {error.strerror or error}",
                               exit_code=EXIT_USAGE) from None
        return 0

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


class _Closed(io.TextIOBase):
    """Standard output closed before gitspec started (`gitspec check >&-`)."""

    def write(self, text: str) -> int:
        if not text:
            return 0
        raise GitspecError("cannot write to standard output: it is closed", exit_code=EXIT_USAGE)
