"""The history of documents inside git submodules of the workspace: each is read from the submodule's
own repository, at the commit the superproject's HEAD records for it (its gitlink), so that a committed
document there shows its last changes and is not called uncommitted. Reads; never writes.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitspec.history import History

if TYPE_CHECKING:
    import pygit2
    from gitspec.render.model import Change

GITLINK = 0o160000  # the mode of a tree entry that records a submodule's commit


class WithSubmodules(History):
    """A repository's history in which questions about a document inside a submodule are answered by
    that submodule's PinnedHistory (paths stay workspace-relative for the caller)."""

    def __init__(self, repo: pygit2.Repository, root: Path, prefix: str, store: Path) -> None:
        super().__init__(repo, root, prefix, store)
        self._owners: dict[str, tuple[History, str, str]] = {}  # workspace path -> history, its path there, mount
        self._submodules: dict[str, PinnedHistory | None] = {}  # repository path of a gitlink -> its history

    def _owner(self, rel_path: str) -> tuple[History, str, str]:
        """Who answers for workspace-relative `rel_path`, the path to ask it about, and the repository
        path of the submodule ("" for this repository)."""
        if rel_path not in self._owners:
            path = self.prefix + rel_path
            head = self._head()
            owner: tuple[History, str, str] = (self, rel_path, "")
            if head is not None and self._blob_id(head, path) is None:
                found = _gitlink(head.tree, path)
                submodule = self._submodule(*found) if found is not None else None
                if submodule is not None:
                    owner = (submodule, path[len(found[0]) + 1:], found[0])
            self._owners[rel_path] = owner
        return self._owners[rel_path]

    def _submodule(self, mount: str, recorded: Any) -> PinnedHistory | None:
        """The history of the submodule checked out at repository path `mount`, None (and a note) when
        it lacks the commit HEAD records for it or cannot be opened."""
        if mount not in self._submodules:
            import pygit2

            folder = Path(self.repo.workdir) / mount
            try:
                repo = pygit2.Repository(str(folder), pygit2.enums.RepositoryOpenFlag.NO_SEARCH)
                pinned = repo[recorded].peel(pygit2.Commit)
            except (pygit2.GitError, KeyError, ValueError):
                shown = mount[len(self.prefix):] if mount.startswith(self.prefix) else mount
                self.notes.append(f"the submodule {shown} lacks commit {str(recorded)[:7]}, which the last commit "
                                  "records for it, so its documents show as uncommitted; 'git submodule update' "
                                  "checks it out")
                self.unread = True  # asked again next time, when it may be there
                self._submodules[mount] = None
                return None
            submodule = PinnedHistory(repo, folder, self.store, pinned)
            self.notes.extend(note for note in submodule.notes if note not in self.notes)
            submodule.notes, submodule._facts = self.notes, self._load()  # one list of notes, one blob cache
            self._submodules[mount] = submodule
        return self._submodules[mount]

    def _ask(self, rel_path: str, question: str) -> Any:
        """A question about `rel_path` as it is at HEAD, asked of the history that holds it."""
        history, path, _ = self._owner(rel_path)
        if history is self:
            return getattr(super(), question)(rel_path)
        answer = getattr(history, question)(path)
        self.unread = self.unread or history.unread
        return answer

    def _ask_at(self, commit: str, rel_path: str, question: str) -> Any:
        """A question about `rel_path` at superproject `commit`: asked of the submodule at the commit
        that `commit` records for it; of this repository when the file was not in that submodule then."""
        history, path, mount = self._owner(rel_path)
        found = self._commit(commit) if history is not self else None
        then = _gitlink(found.tree, self.prefix + rel_path) if found is not None else None
        if then is None or then[0] != mount:
            return getattr(super(), question)(commit, rel_path)
        answer = getattr(history, question)(str(then[1]), path)
        self.unread = self.unread or history.unread
        return answer

    def file_differs(self, rel_path: str) -> bool:
        return self._ask(rel_path, "file_differs")

    def file_at(self, commit: str, rel_path: str) -> bytes | None:
        return self._ask_at(commit, rel_path, "file_at")

    def item_hashes_at(self, commit: str, rel_path: str) -> dict[str, str] | None:
        return self._ask_at(commit, rel_path, "item_hashes_at")

    def committed_digest(self, rel_path: str) -> str | None:
        return self._ask(rel_path, "committed_digest")

    def committed_hashes(self, rel_path: str) -> dict[str, str]:
        return self._ask(rel_path, "committed_hashes")

    def section_changes(self, rel_path: str) -> dict[str, Change]:
        return self._ask(rel_path, "section_changes")

    def file_change(self, rel_path: str) -> Change | None:
        return self._ask(rel_path, "file_change")

    def uncommitted_rename(self, rel_path: str) -> str | None:
        history, path, mount = self._owner(rel_path)
        if history is self:
            return super().uncommitted_rename(rel_path)
        before = history.uncommitted_rename(path)
        return None if before is None else (mount + "/" + before)[len(self.prefix):]


class PinnedHistory(WithSubmodules):
    """A submodule's history whose HEAD is the commit the superproject records for it, not the one
    checked out: the render is of the superproject's commit, and anything else is a change to it.
    A submodule of its own is asked in turn (submodules nest)."""

    def __init__(self, repo: pygit2.Repository, root: Path, store: Path, pinned: pygit2.Commit) -> None:
        super().__init__(repo, root, "", store)
        self.pinned = pinned

    def _head(self) -> pygit2.Commit:
        return self.pinned

    def file_differs(self, rel_path: str) -> bool:
        """git's answer when the recorded commit is checked out; else the file differs (the caller asks
        only once its bytes differ from the recorded commit's)."""
        if self.repo.head_is_unborn or self.repo.head.target != self.pinned.id:
            return True
        return super().file_differs(rel_path)


def _gitlink(tree: pygit2.Tree, path: str) -> tuple[str, Any] | None:
    """The repository path of the submodule that repository path `path` lies in, in `tree`, and the
    commit recorded for it; None when it lies in none."""
    parts = path.split("/")[:-1]
    for depth, part in enumerate(parts):
        try:
            entry = tree[part]
        except KeyError:
            return None
        if entry.filemode == GITLINK:
            return "/".join(parts[:depth + 1]), entry.id
        if entry.type_str != "tree":
            return None
        tree = entry
    return None
