"""Git facts remembered per HEAD commit, so that a render after an edit need not open git.

Nearly everything a render asks of git depends on HEAD alone: the commit that
brought each document, when each section last changed, the section hashes at
HEAD, whether a commit is behind HEAD, a file's item hashes at a commit. HEAD's
commit id can be read from the .git files in a few small reads, so while it is
the one `.gitspec/headfacts` was saved for, the answers come from there and
pygit2 is not even imported. Whatever the file lacks, and any HEAD this module
cannot read with certainty (an unborn branch, reftable refs, GIT_DIR set without
GIT_WORK_TREE), goes to gitspec.history as before. Whether the working tree is
dirty is never cached; that HEAD's trees can be read, for git to tell, is.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Callable

from gitspec.cachefile import read_cache, write_cache
from gitspec.commitfields import FULL_COMMIT_ID
from gitspec.gitenv import named_git_dir, named_work_tree
from gitspec.blobfacts import facts_version
from gitspec.render.model import Change

FORMAT = b"GSHF11"  # 2: item hashes are of a requirement's text alone; 3: a shallow cut at a root cuts nothing;
# 4: a date out of datetime's range is clamped in UTC too; 5: is_ancestor says why it cannot tell, never None;
# 6: whether HEAD's loose trees all inflate (so that git may be asked for a status); 7: a document's last
# change at a shallow clone's cut is BEFORE_HISTORY, not the commit there; 8: a shallow cut is one HEAD's
# history reaches (is_ancestor and the note know another branch's for none); 9: a commit whose encoding
# header names no character set is read as one without a header (UTF-8, else Latin-1); 10: a Markdown
# document's front-matter keys (but the header's) are sections, and its front matter's `items` are items;
# 11: a Markdown item's id ends where its ASCII letters and digits do ("- REQ-001の一覧" is REQ-001's)
_COMMIT_ID = re.compile(r"[0-9a-f]{7,40}")  # only fixed ids are remembered, never a branch name


def read_head(root: Path) -> str | None:
    """HEAD's full commit id for the repository holding `root`, or None when unsure."""
    if os.environ.get("GIT_CEILING_DIRECTORIES") or not _in_named_work_tree(Path(root).resolve()):
        return None
    folders = git_folders(root)
    if folders is None:
        return None
    git_dir, common = folders
    try:
        head = (git_dir / "HEAD").read_text(encoding="ascii").strip()
        if FULL_COMMIT_ID.fullmatch(head):
            return head
        if not head.startswith("ref: refs/"):
            return None
        ref = head[len("ref: "):]
        loose = common / ref
        if loose.is_file():
            value = loose.read_text(encoding="ascii").strip()
            return value if FULL_COMMIT_ID.fullmatch(value) else None
        packed = common / "packed-refs"
        for line in packed.read_text(encoding="ascii").splitlines() if packed.is_file() else ():
            value, _, name = line.partition(" ")
            if name == ref and FULL_COMMIT_ID.fullmatch(value):
                return value
    except (OSError, UnicodeDecodeError):
        return None
    return None


def _in_named_work_tree(root: Path) -> bool:
    """Whether `root` is in the work tree git's environment names (True when it names none). With
    GIT_DIR alone the work tree hangs on the repository's config: git is left to decide."""
    tree = named_work_tree()
    if tree is None:
        return named_git_dir() is None
    return root.is_relative_to(tree)


def git_folders(root: Path) -> tuple[Path, Path] | None:
    """The git folder of the repository holding `root` (GIT_DIR, `.git`, or a linked worktree's own
    folder, which holds its HEAD) and the one holding its refs (the same, or the main `.git`); None
    when there is none or it cannot be told from the files."""
    root = Path(root).resolve()
    git_dir = named_git_dir()
    if git_dir is None:
        git_dir = _git_dir(root) if ".git" not in root.parts else None  # inside .git itself: let git decide
    if git_dir is None:
        return None
    common = git_dir
    try:
        if (git_dir / "commondir").is_file():  # a linked worktree keeps its refs in the main one
            common = (git_dir / (git_dir / "commondir").read_text(encoding="ascii").strip()).resolve()
    except (OSError, UnicodeDecodeError):
        return None
    return git_dir, common


def _git_dir(root: Path) -> Path | None:
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
            return (folder / text[len("gitdir:"):].strip()).resolve() if text.startswith("gitdir:") else None
    return None


class RememberedHistory:
    """gitspec.history.History's answers for the current HEAD, from the cache when it has them.

    Only for workspaces inside a git repository with a HEAD commit: `open_remembered`
    returns the plain History (or None outside git) otherwise.
    """

    def __init__(self, root: Path, store: Path, head_id: str) -> None:
        self.root, self.store, self.head_id = root, store, head_id
        self.head = head_id[:7]
        from gitspec.gitblobs import shallow_boundary

        saved = read_cache(store / "headfacts", FORMAT)
        folders = git_folders(root)
        self._shallow = shallow_boundary(folders[1]) if folders else []
        key = (head_id, str(root), facts_version(), tuple(self._shallow))  # unshallowing refreshes
        self._facts: dict[str, Any] = saved if isinstance(saved, dict) and saved.get("key") == key else {"key": key}
        self._history: Any = None
        self._unsaved = False

    def git(self) -> Any:
        """The repository itself, opened on first need."""
        if self._history is None:
            from gitspec.history import open_history

            self._history = open_history(self.root, self.store)
            if self._history is None:  # HEAD was read from .git, yet git does not see a repository here
                from gitspec.errors import GitspecError

                raise GitspecError(f"cannot open the git repository of {self.root}")
            cut = self._facts.get("shallow", {}).get("cut")
            if cut is not None:  # telling it may take a walk through the whole history: not again
                self._history.boundary = set(cut)
        return self._history

    @property
    def notes(self) -> list[str]:
        """What could not be read from git (see History.notes): empty while the cache answers."""
        from gitspec.gitblobs import shallow_note

        cut = self._cut()
        return self._history.notes if self._history is not None else shallow_note(cut)

    def _cut(self) -> list[str]:
        """Which commits of the shallow file cut HEAD's history (a root commit cuts none, nor another
        branch's tip): git tells, walking the history as far as it must; remembered too."""
        return self._remembered("shallow", "cut", lambda: sorted(self.git().boundary)) if self._shallow else []

    def _remembered(self, table: str, key: Any, ask: Callable[[], Any]) -> Any:
        entries = self._facts.setdefault(table, {})
        if key in entries:
            return entries[key]
        answer = ask()
        if self._history is None or not self._history.unread:  # an answer short of unreadable history is asked again, to tell it again
            entries[key] = answer
            self._unsaved = True
        return answer

    def file_change(self, rel_path: str) -> Change | None:
        def ask() -> tuple | None:
            change = self.git().file_change(rel_path)
            return None if change is None else (change.commit, change.author, change.date, change.summary)

        fields = self._remembered("lastchange", rel_path, ask)
        return Change(*fields) if fields is not None else None

    def committed_hashes(self, rel_path: str) -> dict[str, str]:
        return self._remembered("committed", rel_path, lambda: self.git().committed_hashes(rel_path))

    def committed_digest(self, rel_path: str) -> str | None:
        return self._remembered("digest", rel_path, lambda: self.git().committed_digest(rel_path))

    def section_changes(self, rel_path: str) -> dict[str, Change]:
        def ask() -> dict[str, tuple]:
            return {name: (c.commit, c.author, c.date, c.summary)
                    for name, c in self.git().section_changes(rel_path).items()}

        return {name: Change(*fields) for name, fields in self._remembered("changes", rel_path, ask).items()}

    def is_ancestor(self, commit: str) -> bool | str:
        return self._at_commit("ancestors", commit, (), lambda: self.git().is_ancestor(commit))

    def item_hashes_at(self, commit: str, rel_path: str) -> dict[str, str] | None:
        return self._at_commit("items", commit, (rel_path,), lambda: self.git().item_hashes_at(commit, rel_path))

    def uncommitted_rename(self, rel_path: str) -> str | None:
        return self._work_tree().uncommitted_rename(rel_path)  # of the work tree: never remembered

    def _at_commit(self, table: str, commit: Any, rest: tuple, ask: Callable[[], Any]) -> Any:
        """Remembered only for a fixed commit id: a branch name may move while HEAD stays."""
        if not isinstance(commit, str) or not _COMMIT_ID.fullmatch(commit.strip()):
            return ask()
        return self._remembered(table, (commit.strip(), *rest) if rest else commit.strip(), ask)

    def dirty(self, ignored: tuple[str, ...] = ()) -> bool:
        return self._work_tree().dirty(ignored)

    def file_differs(self, rel_path: str) -> bool:
        return self._work_tree().file_differs(rel_path)

    def _work_tree(self) -> Any:
        """The repository, to compare the work tree with HEAD, told whether HEAD's loose trees were found
        whole before (checking them reads every tree of HEAD's). Only a whole answer is remembered: a
        damaged object is looked for again, and told again, until it is repaired."""
        history = self.git()
        remembered = self._facts.setdefault("worktree", {})
        if remembered.get("trees whole"):
            history.head_trees_whole = True
        elif history.status_readable():
            remembered["trees whole"] = True
            self._unsaved = True
        return history

    def save(self) -> None:
        self._cut()  # (the notes are read after the save)
        if self._history is not None:
            self._history.save()
        if not self._unsaved:
            return
        if write_cache(self.store / "headfacts", FORMAT, self._facts):
            self._unsaved = False


def open_remembered(root: Path, store: Path) -> Any:
    """A RememberedHistory when HEAD can be read from the files, else gitspec.history's History
    (None outside git). Raises GitspecError as open_history does."""
    head_id = read_head(root)
    if head_id is None:
        from gitspec.history import open_history

        return open_history(root, store)
    return RememberedHistory(Path(root).resolve(), store, head_id)

