"""Waiting for the files a render is made from to change (`gitspec render --watch`)."""
from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

# Inside .git only these move when a commit is made or a branch is switched; the site shows
# each section's last commit, so they count. Objects, logs and the index do not.
GIT_TRIGGERS = ("HEAD", "packed-refs")
SHOWN = 3  # changed files named per line; more are counted
WAKE_MS = 250  # how often an idle watch wakes up; "watching" is printed at the first wake-up


class SourceChanges:
    """A watchfiles filter: a change counts unless it is gitspec's own output (the `ignored`
    folders: the output folder and `.gitspec/`), an editor's scratch file, or inside `.git`
    other than HEAD and refs."""

    def __init__(self, root: Path, ignored: Iterable[Path]) -> None:
        from watchfiles import DefaultFilter

        self.git = str(root / ".git") + os.sep
        self.ignore(ignored)
        self._scratch = DefaultFilter()

    def ignore(self, folders: Iterable[Path]) -> None:
        self.ignored = tuple(str(folder) + os.sep for folder in folders)

    def __call__(self, change: object, path: str) -> bool:
        if path.startswith(self.git):
            inside = path[len(self.git):]
            return (inside in GIT_TRIGGERS or inside.startswith("refs" + os.sep)) and not inside.endswith(".lock")
        if (path + os.sep).startswith(self.ignored):
            return False
        return self._scratch(change, path)


def watch_sources(root: Path, ignored: Iterable[Path], render: Callable[[], Iterable[Path] | None],
                  out: TextIO = sys.stderr) -> None:
    """Call `render` after each batch of changes under `root` until Ctrl-C or SIGTERM. `render` returns
    the folders to ignore from then on (the output folder may move with the config), or None to keep them."""
    from watchfiles import watch

    sources = SourceChanges(root, ignored)
    announced = False
    previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill` and process managers stop it as Ctrl-C does
    try:
        # an empty batch every WAKE_MS when nothing changed: the first one says the watch is in place
        for batch in watch(root, watch_filter=sources, rust_timeout=WAKE_MS, yield_on_timeout=True):
            if not announced:
                out.write(f"gitspec: watching {root} for changes (Ctrl-C to stop)\n")
                out.flush()
                announced = True
            changed = settled(batch)
            if not changed:  # nothing, or only files made and removed again meanwhile
                continue
            out.write(f"gitspec: changed {describe(root, changed)}\n")
            folders = render()
            if folders is not None:
                sources.ignore(folders)
            out.flush()
    except KeyboardInterrupt:  # the way out; a render it cuts short leaves no half-written file
        out.write("gitspec: stopped watching\n")
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def settled(batch: Iterable[tuple[object, str]]) -> list[str]:
    """The paths a batch of changes leaves changed: not those created and already gone again,
    which a tool leaves behind while it saves (sed's and vim's temporary files, for example)."""
    from watchfiles import Change

    created, paths = set(), []
    for change, path in batch:
        paths.append(path)
        if change == Change.added:
            created.add(path)
    return [path for path in paths if path not in created or os.path.lexists(path)]


def describe(root: Path, paths: Iterable[str]) -> str:
    """`specs/a.yaml, specs/b.yaml and 4 more`: the changed files, relative to the workspace."""
    names = sorted({os.path.relpath(path, root) for path in paths})
    shown = ", ".join(names[:SHOWN])
    return f"{shown} and {len(names) - SHOWN} more" if len(names) > SHOWN else shown
