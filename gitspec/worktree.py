"""What the work tree holds against HEAD, as `git status` sees it: whether anything under the workspace
changed, whether one file did, and a rename not yet committed. A part of gitspec.history.History.

Never remembered across runs: the work tree may change while HEAD stays. A status reads every tree of
HEAD's, and libgit2 loops for good on a truncated loose one: git is asked only once they all inflate.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pygit2

    from gitspec.gittrees import FolderListings


class WorkTree:
    """The work-tree questions of a History (its `repo`, `root`, `prefix`, `notes` and `_head`)."""

    repo: pygit2.Repository
    root: Path
    prefix: str
    notes: list[str]
    _worktree_renames: dict[str, str] | None  # new path -> path at HEAD, repository-relative
    _folders: FolderListings
    head_trees_whole: bool  # every loose tree of HEAD's inflates (found here, or remembered by gitspec.headfacts)
    _head_trees_damage: Exception | None  # why git may not be asked, once looked at

    def _head(self) -> pygit2.Commit | None:
        raise NotImplementedError

    def dirty(self, ignored: tuple[str, ...] = ()) -> bool:
        """Whether a tracked file changed, or an untracked one appeared, under the workspace, as `git status`
        sees it; `ignored` are workspace-relative folders ("build/") whose files do not count."""
        import pygit2
        from pygit2.enums import FileStatus

        from gitspec.gitindex import skips_worktree

        skip = tuple(self.prefix + folder for folder in ignored)
        if not self.status_readable():
            return True
        try:  # "normal" reports an untracked folder as one entry instead of walking into it
            status = self.repo.status(untracked_files="normal")
        except (pygit2.GitError, OSError) as error:
            return self._worktree_unknown(error)
        index = None
        for path, flags in status.items():
            if flags == FileStatus.CURRENT or flags & FileStatus.IGNORED or path.startswith(skip):
                continue
            if not (path.startswith(self.prefix) or (path.endswith("/") and self.prefix.startswith(path))):
                continue
            if flags == FileStatus.WT_DELETED:  # left out by a sparse checkout, as git sees it?
                index = self.repo.index if index is None else index
                if skips_worktree(index, path):
                    continue
            return True
        return False

    def file_differs(self, rel_path: str) -> bool:
        """Whether the working file `rel_path` differs from HEAD's, staged or not, as `git status`
        sees it (line-ending filters applied); True when git cannot tell."""
        import pygit2
        from pygit2.enums import FileStatus

        if not self.status_readable():
            return True
        try:
            return self.repo.status_file(self.prefix + rel_path) != FileStatus.CURRENT
        except (KeyError, ValueError):
            return True
        except (pygit2.GitError, OSError) as error:
            return self._worktree_unknown(error)

    def status_readable(self) -> bool:
        """Whether git may be asked to compare the work tree with HEAD: every loose tree of HEAD's inflates
        whole. Otherwise the user is told which object is damaged, and the work tree counts as changed.
        Looked at once: the trees of a commit never change."""
        import pygit2

        from gitspec.gitblobs import UnreadableObject

        if not self.head_trees_whole and self._head_trees_damage is None:
            try:
                head = self._head()
                if head is not None:
                    self._folders.check_all(head.tree_id)
                self.head_trees_whole = True
            except (pygit2.GitError, UnreadableObject) as error:
                self._head_trees_damage = error
        if self._head_trees_damage is not None:
            self._worktree_unknown(self._head_trees_damage)
            return False
        return True

    def _worktree_unknown(self, error: Exception) -> bool:
        """Git cannot compare the work tree with its index (a file the user may not read, anywhere in the
        repository; a damaged index): the user is told, and it counts as changed (True)."""
        from gitspec.worktreenote import worktree_note

        if (note := worktree_note(error, self.root)) not in self.notes:
            self.notes.append(note)
        return True

    def uncommitted_rename(self, rel_path: str) -> str | None:
        """The workspace-relative path at HEAD of the file now at `rel_path`, when a rename not yet
        committed brought it there (staged with `git mv`, or a plain move in the work tree); else None.
        Never remembered across runs: the work tree may change while HEAD stays."""
        if self._worktree_renames is None:
            import pygit2
            from pygit2.enums import DiffFind, DiffOption

            head = self._head()
            self._worktree_renames = {}
            if head is not None and self.status_readable():  # the diff reads HEAD's trees, as a status does
                from gitspec.gitblobs import UnreadableObject, check_loose

                try:
                    diff = head.tree.diff_to_workdir(DiffOption.INCLUDE_UNTRACKED | DiffOption.RECURSE_UNTRACKED_DIRS)
                    for delta in diff.deltas:  # looking for renames reads each gone file's blob: libgit2 loops on a cut one
                        if delta.status == pygit2.enums.DeltaStatus.DELETED:
                            check_loose(self.repo, delta.old_file.id, "blob")
                    diff.find_similar(DiffFind.FIND_RENAMES | DiffFind.FIND_FOR_UNTRACKED)
                except (pygit2.GitError, OSError, UnreadableObject) as error:
                    self._worktree_unknown(error)
                    return None
                self._worktree_renames = {delta.new_file.path: delta.old_file.path for delta in diff.deltas
                                          if delta.status == pygit2.enums.DeltaStatus.RENAMED}
        before = self._worktree_renames.get(self.prefix + rel_path)
        return before[len(self.prefix):] if before is not None and before.startswith(self.prefix) else None
