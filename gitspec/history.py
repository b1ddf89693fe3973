"""Git facts for renderers and verdicts: HEAD, dirty state, ancestry, old file versions
and the commit that last changed each section of a document.

Reads the repository through pygit2 and never writes to it; the only file it
writes is its own cache of parsed blobs, `.gitspec/history`.

Merges: history is followed through first parents only (as `git log
--first-parent`), so a section changed on a merged branch is reported at the
merge commit, the moment the change landed on the branch being built.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitspec.ancestry import Ancestors
from gitspec.blobfacts import CACHE_FORMAT, Facts, blob_facts, facts_version, read_blob_facts
from gitspec.cachefile import write_cache
from gitspec.commitfields import FULL_COMMIT_ID, iso_date, text
from gitspec.gitblobs import (UnreadableObject, check_loose, history_cut, read_blob, shallow_edges, shallow_note,
                              unreadable_note)
from gitspec.gittrees import FolderListings
from gitspec.render.model import BEFORE_HISTORY, Change
from gitspec.worktree import WorkTree

if TYPE_CHECKING:
    import pygit2

MAX_BLOB_SIZE = 4 * 1024 * 1024  # older versions bigger than this are not parsed
# The blob cache is saved during a run once this many new facts, and as many as it held, wait:
# an interrupted run keeps most of its work, while the saves, each of the whole cache, stay linear.
SAVE_BATCH = 1000


def open_history(root: Path, store: Path | None = None) -> History | None:
    """The history of the repository holding workspace `root`, documents in its submodules read from
    theirs (gitspec.submodules); None outside git.

    Raises GitspecError when git refuses the repository (another user owns it, say).
    """
    from gitspec.gitopen import open_repository
    from gitspec.submodules import WithSubmodules

    opened = open_repository(root)
    if opened is None:
        return None
    repo, root, prefix = opened
    return WithSubmodules(repo, root, prefix, store or root / ".gitspec")


class History(WorkTree):
    """Facts from one repository, for a workspace at `prefix` inside it ("" at its root)."""

    def __init__(self, repo: pygit2.Repository, root: Path, prefix: str, store: Path) -> None:
        self.repo, self.root, self.prefix, self.store = repo, root, prefix, store
        self.parsed = 0  # blobs parsed by this object: zero when the cache answered everything
        self._facts: dict[bytes, Facts] | None = None
        self._unsaved = 0
        self._folders = FolderListings(repo)
        self._changes: dict[Any, Change] = {}
        self._chain: list[pygit2.Commit] = []
        self._chain_done = False
        self._chain_cut: UnreadableObject | None = None  # the commit the chain ends at, when it cannot be read
        self._ancestors: Ancestors | None = None  # HEAD's, through every parent: walked as ancestry asks
        self._renames: dict[tuple[Any, Any], dict[str, str]] = {}
        self._worktree_renames: dict[str, str] | None = None  # new path -> path at HEAD, repository-relative
        self.head_trees_whole, self._head_trees_damage = False, None  # (gitspec.worktree)
        self._edges = set(shallow_edges(repo))  # where a shallow clone's history is cut, in HEAD's or not
        self._boundary: set[str] | None = None  # those in HEAD's history (`boundary`)
        self._notes: list[str] | None = None  # (`notes`)
        self.unread = False  # whether an object could not be read, so that some answers fall short

    @property
    def boundary(self) -> set[str]:
        """Where HEAD's history is cut in a shallow clone (gitblobs.history_cut), walked on first need: as far
        as the cut commits, or through the whole history when one of them is not in it."""
        if self._boundary is None:
            self._boundary = set(history_cut(self.repo, self._may_reach))
        return self._boundary

    @boundary.setter
    def boundary(self, known: set[str]) -> None:
        """What a walk found before, for this HEAD and this shallow file (gitspec.headfacts remembers it)."""
        self._boundary = set(known)

    def _may_reach(self, commit: str) -> bool:
        """Whether HEAD's history holds `commit`, or may: behind a commit that cannot be read, HEAD's too."""
        import pygit2

        try:
            head = self._head()
        except pygit2.GitError:
            return True
        if head is None:
            return False
        walk = self._walk(head)
        if walk.reach(pygit2.Oid(hex=commit)):
            return True
        if walk.cut is None:
            return False
        self.unread = True  # not remembered for HEAD: asked again, until the object is repaired
        return True

    @property
    def notes(self) -> list[str]:
        """What the user should know about history that could not be read; where a shallow clone's is
        cut comes first."""
        if self._notes is None:
            self._notes = shallow_note(sorted(self.boundary))
        return self._notes

    @notes.setter
    def notes(self, shared: list[str]) -> None:
        self._notes = shared

    # --- HEAD (the work tree: gitspec.worktree) -----------------------------------

    def _head(self) -> pygit2.Commit | None:
        """HEAD's commit, None before the first commit. Raises pygit2.GitError when the commit HEAD
        names is missing or damaged, so that the render says the history was left out."""
        import pygit2

        if self.repo.head_is_unborn:
            return None
        try:
            head = self.repo.head
        except (pygit2.GitError, KeyError, ValueError):
            return None
        try:
            check_loose(self.repo, head.target)
            return head.peel(pygit2.Commit)
        except (pygit2.GitError, KeyError, UnreadableObject):  # libgit2's "cannot be peeled" would not say why
            raise pygit2.GitError(f"HEAD's commit {head.target} is missing or damaged") from None
        except ValueError:  # HEAD names no commit
            return None

    @property
    def head(self) -> str:
        """Short id (7 characters) of HEAD, "" before the first commit; the id HEAD names when its
        commit cannot be read."""
        import pygit2

        try:
            commit = self._head()
        except pygit2.GitError:
            return str(self.repo.head.target)[:7]
        return str(commit.id)[:7] if commit is not None else ""

    # --- commits ----------------------------------------------------------------

    def _commit(self, rev: str) -> pygit2.Commit | None:
        import pygit2

        if not isinstance(rev, str) or not rev.strip():
            return None
        try:
            if FULL_COMMIT_ID.fullmatch(rev.strip()):  # as evidence names it (libgit2 would loop on a truncated one)
                check_loose(self.repo, rev.strip())
            return self.repo.revparse_single(rev.strip()).peel(pygit2.Commit)
        except (pygit2.GitError, KeyError, ValueError, TypeError, UnreadableObject):
            return None

    def is_ancestor(self, commit: str) -> bool | str:
        """Whether `commit` (full or abbreviated id, or any revision) exists and is HEAD or behind it;
        when that cannot be told, why: the commit may be behind where a shallow clone's history is cut,
        or behind a commit git cannot read.

        HEAD's first parents are walked first (`_first_parents`, which every document walks), then all
        parents (gitspec.ancestry), each commit guarded as there: libgit2's descendant_of would loop
        for good on a truncated commit, and cannot say which one it failed on."""
        head, found = self._head(), self._commit(commit)
        if head is None:
            return False
        if found is None:
            return "the clone is shallow" if self.boundary else False
        if any(each.id == found.id for each in self._first_parents(head)):
            return True
        walk = self._walk(head)
        if walk.reach(found.id):
            return True
        if walk.cut is None:
            return "the clone is shallow" if self.boundary else False
        self.unread = True  # not remembered for HEAD: asked again, until the object is repaired
        return (f"the history from commit {str(walk.cut.oid)[:7]} back cannot be read "
                f"({'missing' if walk.cut.missing else 'damaged'} git object {walk.cut.oid})")

    def _walk(self, head: pygit2.Commit) -> Ancestors:
        """HEAD's history through every parent (gitspec.ancestry), walked as questions ask, once for all."""
        if self._ancestors is None or self._ancestors.start != head.id:
            self._ancestors = Ancestors(self.repo, head, self._edges, self._chain)
        return self._ancestors

    def file_at(self, commit: str, rel_path: str) -> bytes | None:
        """The bytes of workspace-relative `rel_path` at `commit`, None if either is unknown."""
        found = self._commit(commit)
        try:
            blob = self._blob_id(found, self.prefix + rel_path) if found is not None else None
            return read_blob(self.repo, blob) if blob is not None else None
        except UnreadableObject as error:
            self._unreadable(error, found, rel_path)
            return None

    def committed_digest(self, rel_path: str) -> str | None:
        """SHA-256 of `rel_path`'s bytes at HEAD, as the parse index hashes the working file; None
        when HEAD has no such file or it cannot be read."""
        import hashlib

        head = self._head()
        try:
            blob = self._blob_id(head, self.prefix + rel_path) if head is not None else None
            data = read_blob(self.repo, blob) if blob is not None else None
        except UnreadableObject as error:
            self._unreadable(error, head, rel_path)
            return None
        return hashlib.sha256(data).hexdigest() if data is not None else None

    def _blob_id(self, commit: pygit2.Commit, path: str) -> Any:
        return self._folders.blob_id(commit, path)

    @property
    def trees_read(self) -> int:
        """Folder trees listed by this object: one per version of a folder, not one per question."""
        return self._folders.read

    def _first_parents(self, start: pygit2.Commit) -> Iterator[pygit2.Commit]:
        """HEAD and its first parents, newest first; remembered, as every document walks the same chain.

        A plain parent loop: once libgit2 has the commits in its cache it is about ten
        times quicker than a revwalk, which prepares the walk again each time. A parent that
        cannot be read (lost, or a malformed author line that git reads and libgit2 does not)
        cuts the chain there, as a shallow clone's history is cut: `_chain_cut`, and a note.
        """
        import pygit2

        if not self._chain or self._chain[0].id != start.id:
            self._chain, self._chain_done, self._chain_cut = [start], False, None
        chain = self._chain
        index = 0
        while True:
            if index < len(chain):
                yield chain[index]
                index += 1
                continue
            if self._chain_done:
                return
            parents = chain[-1].parent_ids
            if not parents:  # the root, or where a shallow clone's history is cut
                self._chain_done = True
                continue
            try:
                check_loose(self.repo, parents[0], "commit")  # libgit2 would loop for good on a truncated one
                chain.append(self.repo[parents[0]])
            except (KeyError, ValueError, pygit2.GitError, UnreadableObject) as error:  # lost, or damaged
                self._chain_done = True
                self._chain_cut = UnreadableObject(parents[0], missing=isinstance(error, KeyError))
                if str(chain[-1].id) not in self._edges:  # (a shallow clone's edge is told of already)
                    self._cut_note(self._chain_cut)

    def _change(self, commit: pygit2.Commit) -> Change:
        change = self._changes.get(commit.id)
        if change is None:
            author = commit.author
            encoding = commit.message_encoding
            message = text(commit.raw_message, encoding).strip()
            change = Change(str(commit.id)[:7], text(author.raw_name, encoding).strip() or "unknown author",
                            iso_date(author.time, author.offset), message.split("\n", 1)[0].strip())
            self._changes[commit.id] = change
        return change

    # --- sections -----------------------------------------------------------------

    def committed_hashes(self, rel_path: str) -> dict[str, str]:
        """Section hashes of `rel_path` at HEAD ({} if absent there or unparsable)."""
        head = self._head()
        if head is None:
            return {}
        try:
            sections = self._facts_of(self._blob_id(head, self.prefix + rel_path), rel_path)[0]
        except UnreadableObject as error:
            self._unreadable(error, head, rel_path)
            sections = None
        self._save_if_new()
        return {name: digest.hex() for name, digest in (sections or {}).items()}

    def item_hashes_at(self, commit: str, rel_path: str) -> dict[str, str] | None:
        """Hashes of the items (by id) of `rel_path` at `commit`, where the file was then (a rename
        since is followed, as `git log --follow` does); None if it did not exist there, the commit
        is unknown, or that version does not parse."""
        found = self._commit(commit)
        if found is None:
            return None
        path = self.prefix + rel_path
        head = self._head()
        try:
            blob = self._blob_id(found, path)
            if blob is None and head is not None and (before := self._renamed(found, head).get(path)):
                blob = self._blob_id(found, before)
            if blob is None:
                return None
            sections, items = self._facts_of(blob, rel_path)
        except UnreadableObject as error:
            self._unreadable(error, found, rel_path)
            return None
        self._save_if_new()
        return None if sections is None else {item: digest.hex() for item, digest in items.items()}

    def section_changes(self, rel_path: str) -> dict[str, Change]:
        """For each section of `rel_path` at HEAD, the newest first-parent commit where its hash
        changed (or where it appeared).

        Versions that do not parse are skipped: a section is compared with the nearest older
        version that does, and a change is credited to the commit that introduced the newer one.
        Only blobs whose id differs from the previous version's are parsed.
        """
        head = self._head()
        if head is None:
            return {}
        path = self.prefix + rel_path
        result: dict[str, Change] = {}
        wanted: dict[str, bytes] | None = None
        newer: dict[str, bytes] = {}  # section hashes of the newest version not yet compared
        newer_commit = head  # the oldest commit seen carrying that version
        last, parsable = object(), False
        later = head
        for commit in self._first_parents(head):
            try:
                blob = self._blob_id(commit, path)
                if blob is None and commit is not later and last is not None \
                        and (before := self._renamed(commit, later).get(path)):
                    path = before  # the file was moved here by `later`: follow it to where it was
                    blob = self._blob_id(commit, path)
            except UnreadableObject as error:  # a damaged tree: what changed before here cannot be told
                self._unreadable(error, commit, rel_path)
                break
            later = commit
            if blob != last:
                last = blob
                try:
                    sections = {} if blob is None else self._facts_of(blob, rel_path)[0]
                except UnreadableObject as error:  # what changed before here cannot be told
                    self._unreadable(error, commit, rel_path)
                    break
                parsable = sections is not None
                if wanted is None:  # HEAD's version: the sections to account for
                    if not sections:
                        break
                    wanted = newer = sections
                elif sections is not None:
                    self._credit(wanted, newer, sections, self._change(newer_commit), result)
                    if len(result) == len(wanted):
                        break
                    newer = sections
            if parsable:
                newer_commit = commit
        else:
            # the oldest version reached: what is left appeared there, unless the history is cut there
            if wanted and self._history_begins(later):
                self._credit(wanted, newer, {}, self._change(newer_commit), result)
        self._save_if_new()
        return {name: result[name] for name in wanted or {} if name in result}

    def file_change(self, rel_path: str) -> Change | None:
        """The first-parent commit that brought HEAD's version of `rel_path`: the last that changed
        the file in any way, its header included (None when HEAD has no such file). BEFORE_HISTORY
        when the version is as old as the history at hand (`_history_begins`): the commit that
        brought it is not here, as section_changes credits no section there."""
        head = self._head()
        blob = self._blob_id(head, self.prefix + rel_path) if head is not None else None
        if blob is None:
            return None
        brought = head
        for commit in self._first_parents(head):
            try:
                if self._blob_id(commit, self.prefix + rel_path) != blob:
                    return self._change(brought)
            except UnreadableObject as error:  # a damaged tree: the version may be older still
                self._unreadable(error, commit, rel_path)
                return BEFORE_HISTORY
            brought = commit
        return self._change(brought) if self._history_begins(brought) else BEFORE_HISTORY

    def _history_begins(self, oldest: pygit2.Commit) -> bool:
        """Whether `oldest`, the last commit of HEAD's first parents, is where the history begins, so that
        what it carries appeared there; not when the history is cut there (a shallow clone's edge, or a
        parent that cannot be read), when it may have appeared at or before it."""
        return str(oldest.id) not in self._edges and self._chain_cut is None

    def _renamed(self, older: pygit2.Commit, newer: pygit2.Commit) -> dict[str, str]:
        """Each path of `newer` that a rename since `older` brought there -> its path in `older`
        (git's rename detection: the same or a similar blob). Raises UnreadableObject."""
        key = (older.id, newer.id)
        if key not in self._renames:
            import pygit2

            self._folders.check_changed(older, newer)  # UnreadableObject: libgit2 would loop for good
            diff = self.repo.diff(older, newer)
            diff.find_similar(pygit2.enums.DiffFind.FIND_RENAMES)
            self._renames[key] = {delta.new_file.path: delta.old_file.path for delta in diff.deltas
                                  if delta.status == pygit2.enums.DeltaStatus.RENAMED}
        return self._renames[key]

    @staticmethod
    def _credit(wanted: dict[str, bytes], newer: dict[str, bytes], older: dict[str, bytes],
                change: Change, result: dict[str, Change]) -> None:
        for name in wanted:
            if name not in result and newer.get(name) != older.get(name):
                result[name] = change

    # --- the blob cache -------------------------------------------------------------

    def _facts_of(self, blob: Any, rel_path: str) -> Facts:
        if blob is None:
            return None, {}
        facts = self._load()
        key = blob.raw + (b"m" if rel_path.endswith(".md") else b"y")
        found = facts.get(key)
        if found is None:
            data = read_blob(self.repo, blob, MAX_BLOB_SIZE)  # UnreadableObject: the caller tells the user
            found = blob_facts(rel_path, data) if data is not None else (None, {})
            self.parsed += 1
            facts[key] = found
            self._unsaved += 1
        return found

    def _unreadable(self, error: UnreadableObject, commit: pygit2.Commit, rel_path: str) -> None:
        self._note(unreadable_note(self.repo, error, rel_path, str(commit.id)[:7]))

    def _cut_note(self, error: UnreadableObject) -> None:
        """A commit of the first-parent chain cannot be read: every document's history ends before it."""
        self._note(unreadable_note(self.repo, error, "", str(error.oid)[:7]))

    def _note(self, note: str) -> None:
        self.unread = True  # not remembered for HEAD, so that the next render tells it again
        if note not in self.notes:
            self.notes.append(note)

    def _load(self) -> dict[bytes, Facts]:
        if self._facts is None:
            self._facts = read_blob_facts(self.store / "history")
        return self._facts

    def _save_if_new(self) -> None:
        """Save now and then, not after every document: each save rewrites the whole cache."""
        if self._unsaved >= SAVE_BATCH and self._unsaved * 2 >= len(self._load()):
            self.save()

    def save(self) -> None:
        """Write the blob cache (merged with what another process may have saved meanwhile)."""
        facts = {**read_blob_facts(self.store / "history"), **self._load()}
        if write_cache(self.store / "history", CACHE_FORMAT, (facts_version(), facts)):
            self._unsaved = 0
