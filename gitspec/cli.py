"""Command line: parse arguments and dispatch; nothing else.

Each command lives in gitspec/commands/<name>.py as `run(...) -> int`. Exit
codes: 0 clean, 1 findings, 2 usage or configuration, 3 internal error (the
traceback goes to a log file, never to the screen).
"""
from __future__ import annotations

import argparse
import re
import sys

from gitspec import __version__
from gitspec.errors import EXIT_INTERNAL, GitspecError, error_line


class _UsageError(Exception):
    """What argparse found wrong with the command line, and the parser (of the subcommand) that found it."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser, self.message = parser, message


class _Parser(argparse.ArgumentParser):
    """argparse's parser (its subcommands' too), but a usage error is raised to main(), which may also
    have to tell it as JSON events; an option is never abbreviated (`--jso` is not `--json`), a wrong
    choice gets a guess, and an argument no parser knew is told in its subcommand's usage."""

    def __init__(self, *args, **kwargs) -> None:
        # Abbreviations would let `--jso` pass for `--json`, and any option added later change what an old
        # command line means. The subcommands' parsers are made by this class too, so they follow it.
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self.subcommands = None

    def add_subparsers(self, **kwargs):
        self.subcommands = super().add_subparsers(**kwargs)
        return self.subcommands

    def parse_args(self, args=None, namespace=None):
        """As argparse's, but arguments no parser knew after a subcommand are told in its usage
        (`usage: gitspec check ...`), not gitspec's."""
        argv = sys.argv[1:] if args is None else list(args)
        known, extras = self.parse_known_args(argv, namespace)
        if extras:
            teller = self
            command = getattr(known, "command", None)
            if self.subcommands is not None and command in self.subcommands.choices and \
                    command in argv and extras[0] in argv[argv.index(command) + 1:]:
                teller = self.subcommands.choices[command]
            teller.error(f"unrecognized arguments: {' '.join(extras)}")
        return known

    def _check_value(self, action: argparse.Action, value) -> None:
        """argparse's check of a value against its choices (a command's name too), with a guess."""
        if action.choices is not None and value not in action.choices:
            from gitspec.suggestions import did_you_mean

            choices = [str(choice) for choice in action.choices]
            raise argparse.ArgumentError(action, f"invalid choice: {value!r}{did_you_mean(str(value), choices)} "
                                                 f"(choose from {', '.join(map(repr, choices))})")

    def error(self, message: str):  # NoReturn, unannotated: a no-op `check` must not import typing
        raise _UsageError(self, message)


def build_parser() -> argparse.ArgumentParser:
    from gitspec.daemonplace import IDLE_MINUTES
    from gitspec.store import LOCK_TIMEOUT

    parser = _Parser(
        prog="gitspec",
        description="Specs, PRDs, requirements, tasks and evidence as validated YAML and Markdown in Git.",
        epilog="Exit codes: 0 clean, 1 findings, 2 usage or configuration error (or another build or "
               "render held the workspace past --lock-timeout), 3 internal error.")
    parser.add_argument("--version", action="version", version=f"gitspec {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    init = commands.add_parser("init", help="make this folder a gitspec workspace (safe to run twice)")
    init.set_defaults(handler=_init)

    new = commands.add_parser("new", help="write a valid skeleton document of a kind")
    new.add_argument("kind", metavar="KIND", help="document kind, e.g. requirements, tasks, prd")
    new.add_argument("id", metavar="ID", nargs="?",
                     help="document id (lowercase letters, digits, '-'), or a title in quotes to take the id from "
                          "(transliterated to ASCII); for product, always the one-line directive (specs/product.yaml)")
    new.add_argument("--id", dest="named_id", metavar="ID",
                     help="the document id, in place of the ID argument; for product, writes the kind's "
                          "skeleton instead of a directive")
    new.add_argument("--title", help="document title (default: from the id)")
    new.add_argument("--from", dest="from_file", metavar="FILE",
                     help="requirements only: one item per line of FILE (UTF-8; list markers such as '- ', '1. ' "
                          "and '[ ]' taken off, blank lines and '#' lines skipped), each with a fresh REQ id and "
                          "the line as its statement; ID defaults to 'requirements'")
    new.set_defaults(handler=_new)

    check = commands.add_parser("check", help="validate documents and resolve references")
    check.add_argument("paths", nargs="*", metavar="PATH", help="report only on these files or folders")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    check.add_argument("--no-cache", action="store_true", help="ignore the parse index in .gitspec/")
    check.add_argument("--placeholders", action="store_true",
                       help="list the [placeholder] texts the template provider left to fill in")
    check.set_defaults(handler=_check)

    build = commands.add_parser("build", help="regenerate stale sections in dependency order")
    build.add_argument("addresses", nargs="*", metavar="ADDRESS", help="only what these sections need")
    build.add_argument("--only", action="append", default=[], metavar="STAGE", help="run only this stage")
    build.add_argument("--force", action="append", default=[], metavar="ADDRESS",
                       help="regenerate this section even if edited by hand (discards the edit)")
    build.add_argument("--dry-run", action="store_true", help="list what would be regenerated; write nothing")
    build.add_argument("--jobs", type=_positive, default=4, help="stages generated at once (default 4)")
    build.add_argument("--json", action="store_true", help="stream one JSON event per line")
    build.add_argument("--trace", metavar="FILE", help="write a Chrome trace-event file (Perfetto)")
    build.add_argument("--no-render", action="store_true", help="do not render the output formats afterwards")
    build.add_argument("--lock-timeout", type=_seconds, default=LOCK_TIMEOUT, metavar="SECONDS",
                       help="how long to wait for another build or render in this workspace (default 60; then exit 2)")
    build.set_defaults(handler=_build)

    render = commands.add_parser("render", help="render the spec set as HTML, PDF and Word")
    render.add_argument("documents", nargs="*", metavar="DOC", help="only these documents (by id or file)")
    render.add_argument("--format", action="append", metavar="FORMATS",
                        help="comma-separated formats, e.g. html,pdf,docx; given again, adds to them "
                             "(default: formats in gitspec.yaml)")
    render.add_argument("--lock-timeout", type=_seconds, default=LOCK_TIMEOUT, metavar="SECONDS",
                        help="how long to wait for another build or render in this workspace (default 60; then exit 2)")
    render.add_argument("--watch", action="store_true",
                        help="keep running: render again whenever a spec, the config or the git HEAD changes")
    render.set_defaults(handler=_render)

    status = commands.add_parser("status", help="show stale, hand-edited and missing generated sections")
    status.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    status.add_argument("--all", action="store_true",
                        help="also list fresh and hand-written sections (as text and as JSON)")
    status.set_defaults(handler=_status)

    pin = commands.add_parser("pin", help="keep a hand edit of a generated section")
    pin.add_argument("address", metavar="ADDRESS", help="DOC#SECTION")
    pin.add_argument("--unpin", action="store_true", help="let build regenerate it again")
    pin.set_defaults(handler=_pin)

    cache = commands.add_parser("cache", help="inspect or clean the store in .gitspec/")
    cache.add_argument("action", choices=("stats", "gc"), metavar="{stats,gc}",  # errors name it as usage shows it
                       help="stats: sizes; gc: drop what no stamp uses")
    cache.set_defaults(handler=_cache)

    daemon = commands.add_parser("daemon", help="keep gitspec loaded, so that each `gitspec render` here is quicker")
    daemon.add_argument("action", choices=("start", "stop", "status"), metavar="{start,stop,status}",
                        help="start: leave a daemon running for this workspace; stop: end it; status: say if one runs")
    daemon.add_argument("--idle-timeout", type=_minutes, default=IDLE_MINUTES, metavar="MINUTES",
                        help=f"start: stop after this many minutes without a render (default {IDLE_MINUTES}; 0: never)")
    daemon.set_defaults(handler=_daemon)
    return parser


def _positive(text: str) -> int:
    # ASCII digits only: int() would also read "٣" or "３" as 3, " 3 " and "1_0".
    if not re.fullmatch(r"[-+]?[0-9]+", text):  # else argparse names the function: "invalid _positive value"
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def _duration(unit: str):
    """A type for argparse: a wait in `unit`s; `nan`, `inf` or a negative number would wait for ever."""

    def parse(text: str) -> float:
        import math

        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of {unit}") from None
        if not math.isfinite(value) or value < 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be a finite number of {unit}, 0 or more")
        return value

    return parse


_seconds, _minutes = _duration("seconds"), _duration("minutes")


def _init(args: argparse.Namespace) -> int:
    from gitspec.commands import init

    return init.run()


def _new(args: argparse.Namespace) -> int:
    from gitspec.commands import new

    return new.run(args.kind, args.id, args.title, args.named_id, args.from_file)


def _check(args: argparse.Namespace) -> int:
    from gitspec.commands import check

    if args.placeholders:
        from gitspec.commands import placeholders

        return placeholders.run(args.paths, args.format, use_cache=not args.no_cache)
    return check.run(args.paths, args.format, use_cache=not args.no_cache)


def _build(args: argparse.Namespace) -> int:
    from gitspec.commands import build

    return build.run(args.addresses, args.only, args.force, args.dry_run, args.jobs, args.json, args.trace,
                     args.lock_timeout, not args.no_render)


def _render(args: argparse.Namespace) -> int:
    from gitspec.commands import render

    return render.run(args.format, args.documents, args.lock_timeout, args.watch)


def _status(args: argparse.Namespace) -> int:
    from gitspec.commands import status

    return status.run(args.format, args.all)


def _pin(args: argparse.Namespace) -> int:
    from gitspec.commands import pin

    return pin.run(args.address, args.unpin)


def _cache(args: argparse.Namespace) -> int:
    from gitspec.commands import cache

    return cache.run(args.action)


def _daemon(args: argparse.Namespace) -> int:
    from gitspec.commands import daemon

    return daemon.run(args.action, args.idle_timeout)


def _stopped(exc: GitspecError, output: str | None) -> int:
    """An error that stops the command: one line on stderr, and in the JSON the command line asked for."""
    sys.stderr.write(error_line(exc) + "\n")
    if output is not None:
        _tell_json(output, exc)
    return exc.exit_code


def _tell_json(output: str, exc: GitspecError) -> None:
    """The JSON `output` (gitspec.stoppedjson's name for it) on stdout, holding the error that stopped the
    command, so that a reader of it sees it as well-formed as any other."""
    from gitspec import streams
    from gitspec.stoppedjson import write_stopped

    try:
        write_stopped(output, exc)
        sys.stdout.flush()
    except GitspecError:  # standard output is what failed: the line on stderr says so
        pass
    except BrokenPipeError:
        streams.silence(sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    from gitspec import stopping, streams

    streams.prepare()
    try:
        args = build_parser().parse_args(argv)
    except SystemExit:  # --help, --version: what they printed is written out here, a failure told
        try:
            sys.stdout.flush()
        except GitspecError as exc:
            sys.stderr.write(error_line(exc) + "\n")
            return exc.exit_code
        raise
    except GitspecError as exc:  # standard output closed or full while they printed
        sys.stderr.write(error_line(exc) + "\n")
        return exc.exit_code
    except _UsageError as exc:
        from gitspec.stoppedjson import promised_despite

        output = promised_despite(sys.argv[1:] if argv is None else argv)
        if output is not None:
            _tell_json(output, GitspecError(exc.message))
        argparse.ArgumentParser.error(exc.parser, exc.message)  # usage and message on stderr, exit 2
    from gitspec.stoppedjson import EVENTS, promised

    output = promised(args)  # an error that stops the command is in this JSON too
    stopping.install()
    try:
        from gitspec.workspace import current_folder

        current_folder()  # every command works from it: one deleted under the shell is told here, once
        code = args.handler(args)
        stopping.check()  # a stop that came too late to cut the command short
        sys.stdout.flush()  # a full disk is told here, not by Python's flush at exit
        return code
    except GitspecError as exc:
        return _stopped(exc, output)
    except KeyboardInterrupt as exc:
        word, code = stopping.told(exc)
        sys.stderr.write(f"gitspec: {word}\n")
        if output is not None and output != EVENTS:  # (build's events tell a stop themselves)
            _tell_json(output, GitspecError(word, exit_code=code))
        return code
    except BrokenPipeError:  # `gitspec check | head`: the reader left; so do we, quietly
        streams.silence(sys.stdout.fileno())
        return 141
    except Exception:  # anything unexpected: one line on screen, the traceback in a log
        from gitspec.crashlog import report_internal_error

        message = report_internal_error()
        if output is not None:
            _tell_json(output, GitspecError(message, exit_code=EXIT_INTERNAL))
        return EXIT_INTERNAL
