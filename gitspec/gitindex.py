"""What git's index records of a path beyond what pygit2's IndexEntry shows: the skip-worktree flag,
which a sparse checkout sets on every file it leaves out of the work tree. Reads; never writes.
"""
from __future__ import annotations

import os
from typing import Any

SKIP_WORKTREE = 0x4000  # GIT_INDEX_ENTRY_SKIP_WORKTREE, in an entry's extended flags


def skips_worktree(index: Any, path: str) -> bool:
    """Whether the entry of repository-relative `path` in pygit2 Index `index` tells git to leave its
    work-tree file alone (`git ls-files -t` shows it as S): git ignores such a file being missing,
    while libgit2's status reports it deleted (libgit2 issue 5813)."""
    # pygit2's IndexEntry keeps only path, id and mode: the flags are read from libgit2's own entry,
    # through pygit2's cffi binding. A pygit2 without it: not known, so the file counts as deleted.
    try:
        from pygit2 import C, ffi

        entry = C.git_index_get_bypath(index._index, os.fsencode(path), 0)
        return entry != ffi.NULL and bool(entry.flags_extended & SKIP_WORKTREE)
    except (ImportError, AttributeError):
        return False
