"""The JSON a command promised on stdout (check's and status's `--format json`, build's `--json`) when an
error stops it before it could print it: the same shape, one entry for the error, so that
`gitspec check --format json > findings.json` still parses. Writes nothing on stderr: cli.main does.
"""
from __future__ import annotations

import argparse
import sys

from gitspec.errors import GitspecError

FINDINGS, PLACEHOLDERS, STATUS, EVENTS = "check", "placeholders", "status", "build"
STOPPED = "stopped"  # the `rule` of check's entry for what stopped it (status's `state` is "error")


class _Reader(argparse.ArgumentParser):
    """Reads a few options of a command line argparse refused, saying nothing: argparse's own error
    was told already."""

    def error(self, message: str):
        raise ValueError(message)


def promised(args: argparse.Namespace) -> str | None:
    """Which JSON the parsed command line asks for on stdout, if any."""
    if getattr(args, "json", False):
        return EVENTS
    if getattr(args, "format", None) != "json":
        return None
    return PLACEHOLDERS if getattr(args, "placeholders", False) else args.command


def promised_despite(argv: list[str]) -> str | None:
    """Which JSON a command line argparse refused asks for: its command's JSON options read alone, as
    argparse reads them (`--format=json`, the last one given; never an abbreviation)."""
    words = [arg for arg in argv if not arg.startswith("-")]  # gitspec's own options take no value
    command = words[0] if words else None
    options = _Reader(add_help=False, allow_abbrev=False)
    if command == EVENTS:
        options.add_argument("--json", action="store_true")
    elif command in (FINDINGS, STATUS):
        options.add_argument("--format")
        if command == FINDINGS:
            options.add_argument("--placeholders", action="store_true")
    else:
        return None
    try:
        args, _ = options.parse_known_args(argv[argv.index(command) + 1:], argparse.Namespace(command=command))
    except ValueError:  # `--format` with no value: no JSON was asked for
        return None
    return promised(args)


def write_stopped(output: str, exc: GitspecError) -> None:
    """`exc`, which stopped the command, as the JSON `output` (a `promised` answer) holds an entry.
    Its path is the workspace's, as in all of gitspec's JSON; null, with line and col, when it names no file."""
    import json

    from gitspec.printable import file_name

    path = file_name(exc.path) if exc.path else None
    line, col = (exc.line or 1, exc.col or 1) if path else (None, None)
    if output == EVENTS:
        from gitspec.commands.build import emit_error
        from gitspec.events import EventSink

        emit_error(EventSink(json_lines=True), exc)
        return
    if output == FINDINGS:
        entry = {"path": path, "line": line, "col": col, "severity": "error", "message": exc.message,
                 "rule": STOPPED}
    elif output == PLACEHOLDERS:
        entry = {"path": path, "line": line, "col": col, "severity": "error", "address": "", "text": exc.message}
    else:
        entry = {"address": "", "stage": "", "state": "error", "changed_inputs": [], "conflict": False,
                 "reason": exc.message, "path": path, "line": line, "col": col}
    json.dump([entry], sys.stdout, indent=2)
    sys.stdout.write("\n")
