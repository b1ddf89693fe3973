"""`gitspec render [--format html,pdf,docx] [--watch] [DOC...]`: render the spec set without building."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gitspec.errors import EXIT_USAGE, GitspecError, error_line
from gitspec.findings import count_of
from gitspec.opening import open_workspace
from gitspec.printable import one_line
from gitspec.store import LOCK_TIMEOUT
from gitspec.streams import messages
from gitspec.workspace import Workspace

if TYPE_CHECKING:  # the watch and the render machinery are imported only when used
    from gitspec.render.run import RenderReport
    from gitspec.watch import Retry, Watching


def run(formats: list[str] | None, documents: list[str], lock_timeout: float = LOCK_TIMEOUT, watch: bool = False) -> int:
    if watch:
        return _watch(formats, documents, lock_timeout)
    workspace, index = open_workspace(paths=_files(documents), verb="render")
    _refuse_uninstalled(workspace, index, formats)
    _, _, errors = render(workspace, index, formats, documents, lock_timeout)
    return 1 if errors else 0  # findings: the output holds what could be rendered, as a build's does


def _refuse_uninstalled(workspace: Workspace, index, formats: list[str] | None) -> None:
    """A render of the formats gitspec.yaml names refuses one not installed (with `--format`, it is
    only warned of, as other commands do, and so is a provider, which no render uses)."""
    if formats is None:
        from gitspec.configinstalled import check_installed

        check_installed(workspace, index, provider=False)


def _files(documents: list[str]) -> list[str]:
    """The documents named by their files (the others by id: no folder, no document suffix), which find
    the workspace when the current folder is not in one; a path to a file that is not there too, so
    that its error names it, as it would from inside the workspace."""
    import os

    from gitspec.workspace import DOCUMENT_SUFFIXES

    return [given for given in documents
            if "/" in given or os.sep in given or given.endswith(DOCUMENT_SUFFIXES) or os.path.isfile(given)]


def _watch(formats: list[str] | None, documents: list[str], lock_timeout: float) -> int:
    """Render, then again after each change, until Ctrl-C or SIGTERM, which end it with exit 0 at any
    moment (the first render too); a problem before the first render is done is an ordinary error,
    but for the render lock another run holds, which it waits for, as for every render."""
    from gitspec.store import LockBusy
    from gitspec.watch import RETRY, WAKE_MS, watch_sources

    sites: set[Path] = set()  # each HTML site this watch has rendered: told when it follows the watch no more
    try:
        workspace, index = open_workspace(paths=_files(documents), verb="render")
        _refuse_uninstalled(workspace, index, formats)
    except KeyboardInterrupt:
        from gitspec import stopping

        stopping.seen()
        messages().write("gitspec: stopped watching\n")
        return 0
    root = workspace.root

    waiting = [False]  # for the render lock, which another run holds: said once, tried until free

    def busy(exc: LockBusy) -> None:
        if not waiting[0]:
            messages().write(one_line(f"gitspec: another gitspec build or render holds {exc.lock}; "
                                      "rendering once it is free") + "\n")
        waiting[0] = True

    def first() -> Watching:
        """The first render, once the watch is in place (so that it sees an edit saved meanwhile),
        done once the render lock is free."""
        while True:
            started = time.perf_counter()  # printed with its summary, as each render after it is
            try:
                wanted, report, _ = render(workspace, index, formats, documents, lock_timeout, started, sites=sites)
            except LockBusy as exc:
                busy(exc)
                time.sleep(WAKE_MS / 1000)
                continue
            waiting[0] = False
            return watching(workspace, index, wanted, report)

    def again() -> Watching | Retry | None:
        """Render once more, from the files as they are now; a problem is reported, not fatal."""
        started = time.perf_counter()
        try:
            workspace, index = open_workspace(start=root)
            from gitspec.plugincalls import forget_answers
            from gitspec.plugins import get_plugin_manager

            forget_answers(get_plugin_manager(workspace.store))
            _refuse_uninstalled(workspace, index, formats)  # an error alone, as the first render says it
            wanted, report, _ = render(workspace, index, formats, documents, lock_timeout, started, sites=sites)
        except LockBusy as exc:
            busy(exc)
            return RETRY
        except GitspecError as exc:
            messages().write(error_line(exc) + "\n")
            return None
        except Exception:  # a bug, gitspec's own: reported as main() does, and the watch goes on
            from gitspec.crashlog import report_internal_error

            report_internal_error()
            return None
        waiting[0] = False
        return watching(workspace, index, wanted, report)

    watch_sources(root, first, again)  # a stop ends it, at any moment
    _stop_live(sites)
    return 0


def render(workspace: Workspace, index, formats: list[str] | None, documents: list[str], lock_timeout: float,
           started: float | None = None, sites: set[Path] | None = None) -> tuple[list[str], RenderReport, int]:
    """One render of `formats` (each `--format` given; None: the config's), its report printed; `started` adds the time taken.
    With `sites` (a watch's render: the HTML sites it rendered before), open HTML pages are told to reload if
    it changed them, and those of a site it no longer renders (`output` or `formats` changed) that it stopped.
    Returns the formats rendered, the report, and how many errors the check found."""
    from gitspec.buildsession import prepare
    from gitspec.events import EventSink
    from gitspec.render.session import check_formats, render_workspace
    from gitspec.store import build_lock

    live = sites is not None
    wanted = parse_formats(",".join(formats)) if formats is not None else list(workspace.config.formats)
    site = workspace.root / workspace.config.output if "html" in wanted else None
    with build_lock(workspace.store, lock_timeout):  # one writer of the output and its manifests at a time
        context = prepare(workspace, index)
        chosen = check_formats(context, wanted if formats is not None else None)
        if live and site is not None:
            sites.add(site)  # before it writes: a stop meanwhile tells its pages too
        with EventSink(False, "render") as sink:  # a bar on a terminal, as a build's render phase shows
            progress = render_progress(sink, chosen)
            report = render_workspace(context, chosen, documents or None, emit=progress, live=live)
        if live:
            from gitspec.render.livereload import watched

            if site is not None:
                watched(site, bool(report.written or report.removed))
            _stop_live(sites - {site})
            sites.intersection_update({site})
    write_report(report, None if started is None else time.perf_counter() - started)
    return wanted, report, write_errors(context.checked.findings, workspace.root)


def render_progress(sink, chosen: list, start: float = 0) -> Callable[[dict], None]:
    """The render's events for `sink`: each format's pages counted 0-100, in the progress from `start`
    (a build's stages have the part before it) to 100, split evenly between the formats."""
    width = (100 - start) / max(len(chosen), 1)
    shares = {f"render:{renderer.name}": sink.share(start + n * width, start + (n + 1) * width)
              for n, renderer in enumerate(chosen)}
    return lambda event: shares.get(event.get("stage"), sink.emit)(event)


def _stop_live(sites: set[Path]) -> None:
    """The pages of each of these HTML sites follow the watch no more."""
    from gitspec.render.livereload import stopped

    for site in sorted(sites):
        stopped(site)


def watching(workspace: Workspace, index, formats: list[str], report: RenderReport) -> Watching:
    """What a watch looks at after this render: not what it wrote, but the user's files it kept
    there, each document it read (as the parse index lists them) and whatever else it read."""
    from gitspec.watch import Watching

    from gitspec.renderinputs import render_inputs

    root, documents = workspace.root, index.content()[0]
    pictures = tuple(index.result[2]) if index.result is not None else ()  # those documents show (the check's)
    outside = None
    if report.dirty is not None and not report.documents_changed:  # (a changed document keeps it "uncommitted")
        from gitspec.render.facts import tree_dirty

        outside = lambda: tree_dirty(workspace) != report.dirty  # noqa: E731
    return Watching(own_folders(workspace, formats), [root / path for path in report.kept],
                    frozenset(str(root / rel) for rel in documents), render_inputs(workspace, documents, pictures),
                    outside)


def own_folders(workspace: Workspace, formats: list[str]) -> list[Path]:
    """What a render writes (one folder per format, even when the output folder is the workspace itself):
    changes there never call for another render."""
    output = workspace.root / workspace.config.output
    return [workspace.store, *(output / name for name in formats)]


def parse_formats(text: str) -> list[str]:
    from gitspec.render.formats import is_format_name

    wanted = [name.strip() for name in text.split(",") if name.strip()]
    if not wanted:
        raise GitspecError("--format needs at least one format, e.g. html,pdf,docx", exit_code=EXIT_USAGE)
    bad = [name for name in wanted if not is_format_name(name)]
    if bad:
        raise GitspecError(f"argument --format: {bad[0]!r} is not a format name (letters, digits, '-' and '_')",
                           exit_code=EXIT_USAGE)
    return list(dict.fromkeys(wanted))


def write_report(report, seconds: float | None = None) -> None:
    """The render's warnings and its summary: messages, as every command's (the render's results are its files)."""
    out = messages()
    for message in report.warnings:
        out.write(f"warning: {one_line(message)}\n")
    took = "" if seconds is None else f" in {seconds:.2f} s"
    removed = f", {len(report.removed)} removed" if report.removed else ""
    if report.dropped:
        removed += f" (no longer in formats: {', '.join(report.dropped)})"
    out.write(f"gitspec: rendered {len(report.rendered)} ({report.reused} unchanged), "
                     f"{count_of(len(report.written), 'file')} written{removed}{took}\n")


def write_errors(findings, root: Path | None = None, shown: int = 3) -> int:
    """The check's errors, briefly (a document with one is rendered from what could be read of it, or
    not at all), their files named from the current folder when `root` is given; how many there are."""
    from gitspec.findings import ERROR

    errors = [finding for finding in findings if finding.severity == ERROR]
    out = messages()
    for finding in errors[:shown]:
        out.write(f"{finding.shown_from(root)}\n")
    if len(errors) > shown:
        out.write(f"gitspec: and {len(errors) - shown} more errors (gitspec check lists them all)\n")
    return len(errors)
