"""Waiting for the files a render is made from to change (`gitspec render --watch`)."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from gitspec.renderinputs import RenderInputs

# Inside .git only these move when a commit is made or a branch is switched; the site shows
# each section's last commit, so they count. Objects, logs and the index do not.
GIT_TRIGGERS = ("HEAD", "packed-refs")
SHOWN = 3  # changed files named per line; more are counted
WAKE_MS = 250  # how often an idle watch wakes up; "watching" is printed at the first wake-up


class Retry:
    """What a render returns that could not start yet (another run holds the render lock): the
    changes stay pending, and it is tried again shortly, until it can."""


RETRY = Retry()


@dataclass
class Watching:
    """What a render leaves the watch to look at."""

    ignored: list[Path]  # what it writes (the output folders, `.gitspec/`): changes there call for no render
    kept: list[Path] = field(default_factory=list)  # files there it left alone: moving one away calls for one
    known: frozenset[str] = frozenset()  # the documents it read: one gone calls for one, however it went
    inputs: RenderInputs | None = None  # what it read: a change elsewhere calls for none (None: anywhere)
    # asked after changes only elsewhere: whether they change what the render shows all the same (that
    # the work tree has uncommitted changes); None: they never do
    outside: Callable[[], bool] | None = None


class SourceChanges:
    """A watchfiles filter: a change counts if it is to a file the render reads (its `inputs`) and not
    gitspec's own output (the `ignored` folders, but for the user's files a render `kept` there, and
    those folders or the ones holding them deleted) or an editor's scratch file; inside a git folder
    (`gits`: the repository's, wherever it is), only HEAD and refs count."""

    def __init__(self, root: Path, watching: Watching, gits: Iterable[Path] = ()) -> None:
        from watchfiles import DefaultFilter

        self.gits = tuple(dict.fromkeys([*(str(folder) + os.sep for folder in gits), str(root / ".git") + os.sep]))
        self.update(watching)
        self._scratch = DefaultFilter()

    def update(self, watching: Watching) -> None:
        self.ignored = tuple(str(folder) + os.sep for folder in watching.ignored)
        self.kept = frozenset(str(path) for path in watching.kept)
        self.known = watching.known
        self.inputs = watching.inputs
        self.outside = watching.outside
        self.elsewhere: set[str] = set()  # changes let through only for `outside` to judge

    def __call__(self, change: object, path: str) -> bool:
        for git in self.gits:  # a linked worktree's own folder comes before the main one holding it
            if path.startswith(git):
                inside = path[len(git):]
                return (inside in GIT_TRIGGERS or inside.startswith("refs" + os.sep)) and not inside.endswith(".lock")
        if path in self.kept:
            return True
        if any(folder.startswith(path + os.sep) for folder in self.ignored):
            # a format's folder (`build/html`) or one holding it (`build`, made by a render): only deleting it counts
            from watchfiles import Change

            return change == Change.deleted
        if (path + os.sep).startswith(self.ignored):
            return False
        inputs = self.inputs
        if inputs is None:
            return self._scratch(change, path)
        if inputs.named(path) or inputs.installed(path):  # a picture, mmdc: in node_modules, which _scratch skips
            return True
        if not self._scratch(change, path):
            return False
        if inputs.read(path):
            return True
        if self.outside is not None:
            self.elsewhere.add(path)
            return True
        return False


def watch_sources(root: Path, first: Callable[[], Watching], render: Callable[[], Watching | Retry | None],
                  out: TextIO = sys.stderr) -> None:
    """Call `first` once the watch is in place, so that a change saved while it runs is seen, then `render`
    after each batch of changes under `root` (or in its repository's git folders, which may lie above it)
    until Ctrl-C or SIGTERM. Each says what to look at from then on (the output folder may move with the
    config); `render` may say None, to keep it as it is, or RETRY, to be called again at the next
    wake-up though nothing changed meanwhile. An error `first` raises ends the watch."""
    from watchfiles import watch

    from gitspec import stopping
    from gitspec.headfacts import git_folders

    gits = [folder for folder in git_folders(root) or () if not folder.is_relative_to(root)]
    sources = SourceChanges(root, Watching([]), gits)
    folders = [root, *(folder for folder in dict.fromkeys(gits) if not any(
        folder != other and folder.is_relative_to(other) for other in gits))]  # a worktree's folder is in the main one
    started = pending = False
    try:
        # an empty batch every WAKE_MS when nothing changed: the first one says the watcher is in place
        for batch in watch(*folders, watch_filter=sources, rust_timeout=WAKE_MS, yield_on_timeout=True):
            if not started:  # what changed until now, the first render reads as it is
                sources.update(first())
                out.write(f"gitspec: watching {root} for changes (Ctrl-C to stop)\n")
                out.flush()
                started = True
                continue
            stopping.check()  # a stop a finaliser swallowed ends the watch here, at the latest
            changed = settled(batch, sources.known)
            elsewhere, sources.elsewhere = sources.elsewhere, set()
            read = [path for path in changed if path not in elsewhere]
            if read or not changed or not outside_changed(sources.outside):  # files no render reads: named only
                changed = read                                                # when they alone change what it shows
            if not changed and not pending:  # nothing, or only files made and removed again meanwhile
                continue
            if changed:
                out.write(f"gitspec: changed {describe(root, changed)}\n")
            now = render()
            pending = now is RETRY
            if isinstance(now, Watching):
                sources.update(now)
            out.flush()
    except KeyboardInterrupt:  # the way out; a render it cuts short leaves no half-written file
        stopping.seen()
        out.write("gitspec: stopped watching\n")


def outside_changed(outside: Callable[[], bool]) -> bool:
    """`outside()`, or True when it fails (git cannot open the repository now): the render that follows
    tells why, and the watch goes on."""
    from gitspec.errors import GitspecError

    try:
        return outside()
    except GitspecError:
        return True


def settled(batch: Iterable[tuple[object, str]], known: frozenset[str] = frozenset()) -> list[str]:
    """The paths a batch of changes leaves changed: not those created and already gone again,
    which a tool leaves behind while it saves (sed's and vim's temporary files, for example),
    unless it is a `known` document (replaced by a save, then deleted)."""
    from watchfiles import Change

    created, paths = set(), []
    for change, path in batch:
        paths.append(path)
        if change == Change.added:
            created.add(path)
    return [path for path in paths if path not in created or path in known or os.path.lexists(path)]


def describe(root: Path, paths: Iterable[str]) -> str:
    """`specs/a.yaml, specs/b.yaml and 4 more`: the changed files, relative to the workspace."""
    from gitspec.printable import file_name

    names = sorted({file_name(os.path.relpath(path, root)) for path in paths})
    shown = ", ".join(names[:SHOWN])
    return f"{shown} and {len(names) - SHOWN} more" if len(names) > SHOWN else shown
