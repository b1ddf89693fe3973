"""The repository and work tree that git's environment names (GIT_DIR, GIT_WORK_TREE, and how far up
GIT_CEILING_DIRECTORIES lets git look for one), decided as
git decides them, so that gitspec reads the repository git itself would use.

Reads the environment and the repository's config; never writes anything.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def named_git_dir() -> Path | None:
    """The git folder GIT_DIR names (relative to the current folder, as git takes it), or None."""
    return _named("GIT_DIR")


def named_work_tree() -> Path | None:
    """The work tree GIT_WORK_TREE names (relative to the current folder), or None."""
    return _named("GIT_WORK_TREE")


def discovery_limits() -> tuple[bool, str]:
    """How far up git looks for a repository from the current folder: whether it crosses a filesystem
    boundary (GIT_DISCOVERY_ACROSS_FILESYSTEM) and the folders it never looks in or above
    (GIT_CEILING_DIRECTORIES), as pygit2.discover_repository takes them."""
    across = os.environ.get("GIT_DISCOVERY_ACROSS_FILESYSTEM", "").strip().lower() in ("1", "true", "yes", "on")
    return across, os.environ.get("GIT_CEILING_DIRECTORIES", "")


def _named(variable: str) -> Path | None:
    value = os.environ.get(variable)
    return Path(value).resolve() if value else None


def work_tree(repo: Any) -> Path | None:
    """The work tree of `repo` (a pygit2.Repository) once git's environment is taken into account;
    None for a bare repository with none named.

    As git's setup does: GIT_WORK_TREE wins; else a bare repository has none; else core.worktree;
    else, when GIT_DIR named the repository, the current folder (where libgit2 would take the git
    folder's parent); else the folder holding `.git`.
    """
    named = named_work_tree()
    if named is not None:
        return named
    if repo.is_bare:
        return None
    if named_git_dir() is not None and "core.worktree" not in repo.config:
        return Path.cwd().resolve()
    return Path(repo.workdir).resolve() if repo.workdir else None
