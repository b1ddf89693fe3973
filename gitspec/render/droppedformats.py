"""The files of a format gitspec.yaml's `formats` no longer asks for: once it is not rendered, what
gitspec wrote for it goes, as a deleted document's page does.

Only a format the config listed when last rendered (the store's `listed-formats`): one rendered with
`--format` alone, on request, stays. Removes only files the format's manifest (gitspec.render.manifest)
lists, and only while they are as the render left them (size and mtime): an edited or replaced file
is kept and named. Then the manifest goes.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from gitspec.atomic import write_atomic
from gitspec.render.formats import is_format_name
from gitspec.render.manifest import FOLDER, JOURNAL, in_folder, load_manifest
from gitspec.render.run import RenderReport, shown_path, told_path, unwritable
from gitspec.store import read_plain


# In the store, not in renders/ (whose other files an older gitspec's `cache gc` deletes): the config's
# formats at the last render of all documents.
LISTED = "listed-formats"


def remove_dropped(root: Path, store: Path, output: str, listed: Collection[str], rendered: Collection[str],
                   report: RenderReport, volatile: Callable[[str], Collection[str]] = lambda name: ()) -> None:
    """Remove the files of each format the config listed at the last render of all documents and no
    longer does (`listed`: its formats now), unless this render wrote it (`rendered`), noting them in
    `report`; then remember `listed`. Only in the `output` folder: a format last rendered to another
    is left there, as changing `output` leaves the old folder. `volatile` gives the files a format's
    renderer names volatile (rewritten in place by a watch): known by their size alone."""
    folder = store / "renders"
    try:
        before = read_plain(store / LISTED).decode("utf-8").split()
    except (OSError, UnicodeDecodeError):  # none yet (a first render, or an older gitspec's store): none dropped
        before = []
    for name in sorted(set(before) - set(listed) - set(rendered)):
        if is_format_name(name):
            _remove_format(root, folder / f"{name}.json", (root / output / name).relative_to(root).as_posix(),
                           name, report, volatile)
    if before != list(listed):
        try:
            write_atomic(store / LISTED, "".join(f"{name}\n" for name in listed).encode(), durable=False)
        except OSError:  # a store that cannot be written costs this clean-up, later, nothing else
            pass


def _remove_format(root: Path, manifest_path: Path, expected: str, name: str, report: RenderReport,
                   volatile: Callable[[str], Collection[str]]) -> None:
    """`expected`: the folder, relative to `root`, the format would be rendered to now."""
    if not manifest_path.exists():
        return
    manifest, _ = load_manifest(manifest_path)
    described = manifest.get(FOLDER)
    if described == expected and in_folder(described):
        folder = root / described
        before = len(report.removed)
        rewritten = volatile(name)
        for rel, known in _files(manifest).items():
            _remove_if_unchanged(folder, rel, known, rel in rewritten, name, root, report)
        if len(report.removed) > before:
            report.dropped.append(name)
            _remove_empty_folders(report.removed[before:], folder, root)
    for path in (manifest_path, manifest_path.with_suffix(JOURNAL)):
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            raise unwritable("remove", path, root, error) from None


def _files(manifest: dict) -> dict[str, Any]:
    """Each file the manifest lists, with what it was known by when written (pages may share one)."""
    return {rel: known for name, entry in manifest.items() if name != FOLDER
            for rel, known in entry["files"].items()}


def _remove_if_unchanged(folder: Path, rel: str, known: list[int], by_size: bool, name: str, root: Path,
                         report: RenderReport) -> None:
    target = folder / rel
    try:
        if not target.resolve().is_relative_to(root.resolve()):  # a symlink on the way: never followed out
            return
        st = os.lstat(target)
    except (OSError, RuntimeError):  # gone already (or a symlink loop, which is not gitspec's)
        return
    unchanged = known == [st.st_size, st.st_mtime_ns] or (by_size and isinstance(known, list)
                                                          and known[:1] == [st.st_size])
    if not stat.S_ISREG(st.st_mode) or not unchanged:
        report.kept.append(shown_path(target, root))
        report.warnings.append(f"kept {told_path(target, root)}, which changed since gitspec wrote it; "
                               f"the {name} format is no longer rendered")
        return
    try:
        target.unlink()
    except FileNotFoundError:
        return
    except OSError as error:
        raise unwritable("remove", target, root, error) from None
    report.removed.append(shown_path(target, root))


def _remove_empty_folders(removed: list[str], folder: Path, root: Path) -> None:
    """The folders, up to the format's own, that held the files removed, once left empty: only an
    empty folder is removed, and only one gitspec's files were in."""
    top = folder.resolve()
    parents = {parent for rel in removed for parent in (root / rel).resolve().parents if parent.is_relative_to(top)}
    for path in sorted(parents, key=lambda path: len(path.parts), reverse=True):
        try:
            path.rmdir()
        except OSError:  # not empty: the user's files, or files kept
            continue
