"""Opening the git repository of a workspace as git itself would: from the workspace, following a
`.git` file (linked worktrees, submodules, `git init --separate-git-dir`), or the repository and work
tree that GIT_DIR and GIT_WORK_TREE name (gitspec.gitenv). Reads; never writes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from gitspec.errors import GitspecError


def open_repository(root: Path) -> tuple[Any, Path, str] | None:
    """The repository holding workspace `root`, `root` resolved, and the workspace's path in the work
    tree ("" at its top, else ending in "/"); None outside git.

    Raises GitspecError when git refuses the repository because another user owns it.
    """
    import pygit2

    from gitspec.gitenv import discovery_limits, named_git_dir, named_work_tree, work_tree

    root = Path(root).resolve()
    named = named_git_dir()
    found = None
    try:
        found = str(named) if named is not None else pygit2.discover_repository(str(root), *discovery_limits())
        if found is None:
            return None
        # Opened from the workspace, as git does: libgit2 then follows a `.git` file (worktrees,
        # submodules, `git init --separate-git-dir`) back to the folder holding it, its work tree;
        # opened from the git folder, a repository made apart would get that folder's parent.
        repo = pygit2.Repository(found if named is not None else str(root),
                                 pygit2.enums.RepositoryOpenFlag.NO_SEARCH if named is not None else 0)
    except pygit2.GitError as exc:
        if "owned" in str(exc):
            raise _not_owned(found or str(root)) from None
        raise GitspecError(f"cannot open the git repository of {root}: {exc}") from None
    tree = work_tree(repo)
    if tree is None:
        return None
    try:
        prefix = root.relative_to(tree).as_posix()
    except ValueError:
        if root.is_relative_to(Path(repo.path).resolve()):  # a workspace inside the .git folder itself
            return None
        if named is not None or named_work_tree() is not None:  # not in the work tree git was told of
            return None
        # a linked worktree moved after `git worktree add`: git copes, libgit2 looks where it was
        raise GitspecError(f"git records this worktree at {repo.workdir.rstrip('/')}, not here ({root}); "
                           "run 'git worktree repair' in it") from None
    if repo.workdir is None or Path(repo.workdir).resolve() != tree:
        repo.workdir = str(tree)  # GIT_WORK_TREE, or the current folder for a GIT_DIR
    return repo, root, "" if prefix == "." else prefix + "/"


def _not_owned(git_dir: str) -> GitspecError:
    path = Path(git_dir.rstrip("/"))
    if path.name == ".git":
        path = path.parent
    return GitspecError(f"git refuses to open {path}: the repository is owned by another user; "
                        f"if you trust it, run: git config --global --add safe.directory {path}")
