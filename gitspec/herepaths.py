"""Workspace paths as the user names them from where gitspec ran, as git, ruff and eslint print them.

Only for what is printed as `path:line`; JSON output keeps workspace paths. Never touches the disk.
"""
from __future__ import annotations

import os
from pathlib import Path


def file_from_here(root: Path | None, path: Path) -> str:
    """A file gitspec knows by its absolute path (a schema): from the current folder, as `from_here`,
    when it is inside the workspace at `root`; as it is when outside (a plugin's, installed elsewhere)."""
    if root is None or not path.is_relative_to(root):
        return str(path)
    return from_here(root, path.relative_to(root).as_posix())


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
