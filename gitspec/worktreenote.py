"""What to tell the user when git cannot compare the working tree with its index: a file the user may
not read (anywhere in the repository), a damaged index, or a damaged tree of the last commit. Pure: the
error in, one sentence out.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from gitspec.gitblobs import UnreadableObject

# libgit2's words for a work-tree file it may not open (git status just lists such a file as modified)
_LOCKED = re.compile(r"failed open - '(?P<path>.+)' is locked: (?P<why>.+)$")
_MARKED = "so the render is marked 'with uncommitted changes'"


def worktree_note(error: Exception, root: Path) -> str:
    """The note for `error`, raised by a status or work-tree diff of the repository holding workspace `root`."""
    if isinstance(error, UnreadableObject):  # found before libgit2 was asked: it would loop for good on it
        what = "missing" if error.missing else "damaged"
        return (f"git cannot compare the working tree with the last commit ({what} git object {error.oid}; "
                f"'git fsck' tells what is damaged), {_MARKED}")
    message = str(error)
    locked = _LOCKED.search(message)
    if locked:
        where = os.path.relpath(locked["path"], root)
        return f"git cannot read {where} ({locked['why']}) to tell whether it changed, {_MARKED}"
    if "'sdir'" in message:  # `git sparse-checkout set --sparse-index`: git reads it, libgit2 cannot
        return (f"git's sparse index cannot be read by libgit2, which gitspec reads git with ({message}), "
                f"{_MARKED}; 'git sparse-checkout reapply --no-sparse-index' keeps the sparse checkout in a full index")
    if "index" in message:  # git itself stops at it: "fatal: index file corrupt"
        return (f"git cannot read the repository's index ({message}; 'git status' fails too), {_MARKED}; "
                "'rm .git/index && git reset' rebuilds it from the last commit, keeping the files")
    return f"git cannot compare the working tree with the last commit ({message}), {_MARKED}"
