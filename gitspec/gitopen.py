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

    from gitspec.gitenv import discovery_limits, named_git_dir, named_work_tree, search_config_as_git, work_tree

    search_config_as_git()
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
        if "owned" not in str(exc):
            raise GitspecError(f"cannot open the git repository of {root}: {exc}") from None
        repo = _open_trusted(found or str(root), root, named is not None)
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


def _open_trusted(git_dir: str, root: Path, named: bool) -> Any:
    """The repository libgit2 refused because another user owns it, when git would open it all the same:
    `safe.directory` trusts it in a config file that git's environment names (GIT_CONFIG_GLOBAL, say),
    which libgit2 does not read. Else the one-line error saying how to trust it."""
    import pygit2

    from gitspec.gitenv import trusted_by_environment

    if not trusted_by_environment(_top(git_dir)):
        raise _not_owned(git_dir)
    check = pygit2.option(pygit2.enums.Option.GET_OWNER_VALIDATION)
    pygit2.option(pygit2.enums.Option.SET_OWNER_VALIDATION, 0)
    try:
        return pygit2.Repository(git_dir if named else str(root),
                                 pygit2.enums.RepositoryOpenFlag.NO_SEARCH if named else 0)
    except pygit2.GitError as exc:
        raise GitspecError(f"cannot open the git repository of {root}: {exc}") from None
    finally:
        pygit2.option(pygit2.enums.Option.SET_OWNER_VALIDATION, check)  # only this repository is trusted


def _top(git_dir: str) -> Path:
    """The folder git names a repository by: the work tree holding `.git`, else the git folder itself."""
    path = Path(git_dir.rstrip("/"))
    return path.parent if path.name == ".git" else path


def _not_owned(git_dir: str) -> GitspecError:
    path = _top(git_dir)
    return GitspecError(f"git refuses to open {path}: the repository is owned by another user; "
                        f"if you trust it, run: git config --global --add safe.directory {path}")
