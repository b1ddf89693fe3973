"""Workspace paths as the user names them from where gitspec ran, as git, ruff and eslint print them.

For every message meant for people; JSON output keeps workspace paths. Never touches the disk.
"""
from __future__ import annotations

import os
from pathlib import Path


_opened: list[Path] = []  # the workspace this run of gitspec works in (a command opens one)


def opened(root: Path) -> None:
    """Record the workspace a command works in, so that `here` can name its files wherever they are told."""
    _opened[:] = [root]


def here(path: str) -> str:
    """A workspace path (or an absolute one, left as it is) as a message names it: from the current folder
    once a command has opened its workspace; as it is before."""
    return from_here(_opened[0], path) if _opened else path


def workspace_name(root: Path | None, path: Path) -> str:
    """A file gitspec knows by its absolute path (a schema): '/'-separated from the workspace's top when
    it is inside the workspace at `root`; as it is when outside (a plugin's, installed elsewhere)."""
    if root is None or not path.is_relative_to(root):
        return str(path)
    return path.relative_to(root).as_posix()


def from_here(root: Path, path: str) -> str:
    """`path` ('/'-separated, in the workspace at `root`) relative to the current folder: itself when
    gitspec runs at the workspace's top, `specs/a.yaml` from `docs/` above it, `../a.yaml` from a sibling."""
    try:
        here = os.getcwd()
    except OSError:  # the current folder was deleted: the workspace path is all there is
        return path
    top = str(root)
    if here == top or os.path.isabs(path):
        return path
    try:
        return Path(os.path.relpath(os.path.join(top, path), here)).as_posix()
    except ValueError:  # another drive (Windows): no relative path leads there
        return path
