"""Which commits are behind HEAD through any of their parents (a merge's second ones too), walked
here breadth-first so that each loose commit is inflated (gitblobs.check_loose) before libgit2 parses
it: libgit2's own descendant_of loops for good on a truncated one, and could not say which it failed
on. Reads the repository through pygit2; never writes to it.
"""
from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from gitspec.gitblobs import UnreadableObject, check_loose

if TYPE_CHECKING:
    import pygit2


class Ancestors:
    """The commits behind `start` (itself included), walked only as far as a question needs; what was
    walked is kept for the next question, so that all of them together walk the history once."""

    def __init__(self, repo: pygit2.Repository, start: pygit2.Commit, boundary: set[str],
                 read: list[pygit2.Commit]) -> None:
        """`boundary`: where a shallow clone's history is cut; `read`: commits already read whole (HEAD's
        first parents, as History walks them), not read again."""
        self.repo, self.start, self.boundary = repo, start.id, boundary
        self._read = {commit.id: commit for commit in read}
        self._found: set[Any] = {start.id}  # commits known to be behind start, walked or not yet
        self._pending: deque[pygit2.Commit] = deque([start])
        self.cut: UnreadableObject | None = None  # the first commit met that cannot be read, if any

    def reach(self, oid: Any) -> bool:
        """Whether commit `oid` is `start` or behind it. False may fall short where the history cannot
        be read: `cut` then says where."""
        import pygit2

        while oid not in self._found and self._pending:
            commit = self._pending.popleft()
            if str(commit.id) in self.boundary:  # a shallow clone's edge: its parents are not here
                continue
            for parent in commit.parent_ids:
                if parent in self._found:
                    continue
                self._found.add(parent)
                if parent in self._read:
                    self._pending.append(self._read[parent])
                    continue
                try:
                    check_loose(self.repo, parent, "commit")  # libgit2 would loop for good on a truncated one
                    self._pending.append(self.repo[parent])
                except (KeyError, ValueError, pygit2.GitError, UnreadableObject) as error:  # lost, or damaged
                    self.cut = self.cut or UnreadableObject(parent, missing=isinstance(error, KeyError))
        return oid in self._found
