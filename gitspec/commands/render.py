"""`gitspec render [--format html,pdf,docx] [DOC...]`: render the spec set without building."""
from __future__ import annotations

import sys

from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.opening import open_workspace


def run(formats: str | None, documents: list[str], lock_timeout: float = 60.0) -> int:
    from gitspec.buildsession import prepare
    from gitspec.render.session import render_workspace
    from gitspec.store import build_lock

    workspace, index = open_workspace()
    wanted = parse_formats(formats) if formats else list(workspace.config.formats)
    with build_lock(workspace.store, lock_timeout):  # one writer of the output and its manifests at a time
        context = prepare(workspace, index)
        report = render_workspace(context, wanted, documents or None)
    write_report(report, sys.stdout)
    return 0


def parse_formats(text: str) -> list[str]:
    wanted = [name.strip() for name in text.split(",") if name.strip()]
    if not wanted:
        raise GitspecError("--format needs at least one format, e.g. html,pdf,docx", exit_code=EXIT_USAGE)
    return list(dict.fromkeys(wanted))


def write_report(report, out) -> None:
    for message in report.warnings:
        out.write(f"warning: {message}\n")
    sys.stderr.write(f"gitspec: rendered {len(report.rendered)} ({report.reused} unchanged), "
                     f"{len(report.written)} files written\n")
