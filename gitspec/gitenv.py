"""The repository and work tree that git's environment names (GIT_DIR, GIT_WORK_TREE, and how far up
GIT_CEILING_DIRECTORIES lets git look for one), and the config files it names, decided as
git decides them, so that gitspec reads the repository git itself would use.

Reads the environment and the repository's config; never writes anything (but libgit2's search path).
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
    across = _true("GIT_DISCOVERY_ACROSS_FILESYSTEM")
    return across, os.environ.get("GIT_CEILING_DIRECTORIES", "")


def search_config_as_git() -> None:
    """Keep libgit2 from reading the global or system config files git leaves out: GIT_CONFIG_GLOBAL
    replaces ~/.gitconfig and ~/.config/git/config, GIT_CONFIG_SYSTEM or GIT_CONFIG_NOSYSTEM the system
    file. libgit2 would still read them, and so trust through their safe.directory a repository git
    refuses. The files named instead are read by `trusted_by_environment`, as libgit2 cannot read them."""
    import pygit2
    from pygit2.enums import ConfigLevel

    left_global = "GIT_CONFIG_GLOBAL" in os.environ  # set but empty, git reads no global file either
    left_system = "GIT_CONFIG_SYSTEM" in os.environ or _true("GIT_CONFIG_NOSYSTEM")
    for level, left_out in ((ConfigLevel.GLOBAL, left_global), (ConfigLevel.XDG, left_global),
                            (ConfigLevel.SYSTEM, left_system), (ConfigLevel.PROGRAMDATA, left_system)):
        pygit2.settings.search_path[level] = "" if left_out else None  # None: libgit2's own default


def _true(variable: str) -> bool:
    return os.environ.get(variable, "").strip().lower() in ("1", "true", "yes", "on")


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


def trusted_by_environment(path: Path) -> bool:
    """Whether `safe.directory` trusts the repository at `path` (its work tree) in the config git's
    environment names and libgit2 does not read: GIT_CONFIG_SYSTEM (unless GIT_CONFIG_NOSYSTEM),
    GIT_CONFIG_GLOBAL, and GIT_CONFIG_COUNT's KEY/VALUE pairs, in that order (as git reads them;
    an empty value empties the list; "*" trusts every repository, "/a/b/*" every one under /a/b)."""
    values = []
    files = [os.environ.get("GIT_CONFIG_GLOBAL")]
    if not _true("GIT_CONFIG_NOSYSTEM"):
        files.insert(0, os.environ.get("GIT_CONFIG_SYSTEM"))
    for file in filter(None, files):
        values += _config_values(file, "safe.directory")
    try:
        count = int(os.environ.get("GIT_CONFIG_COUNT", "0"))
    except ValueError:
        count = 0
    for n in range(count):
        if os.environ.get(f"GIT_CONFIG_KEY_{n}", "").lower() == "safe.directory":
            values.append(os.environ.get(f"GIT_CONFIG_VALUE_{n}", ""))
    if "" in values:
        values = values[len(values) - values[::-1].index(""):]
    here = os.path.realpath(path)
    for value in values:
        if value == "*":
            return True
        if value.endswith("/*"):
            folder = os.path.realpath(os.path.expanduser(value[:-2]))
            if here == folder or here.startswith(folder.rstrip("/") + "/"):
                return True
        elif os.path.realpath(os.path.expanduser(value)) == here:
            return True
    return False


def _config_values(file: str, name: str) -> list[str]:
    """Every value of `name` in the git config `file`; none from a file that is missing or unreadable."""
    import pygit2

    if not os.path.isfile(file):  # /dev/null, as CI sets it to read no global config
        return []
    try:
        return list(pygit2.Config(file).get_multivar(name))
    except (pygit2.GitError, OSError, ValueError):
        return []
