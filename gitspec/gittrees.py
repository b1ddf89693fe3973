"""Blob ids by path at a commit, each version of a folder listed once.

Looking a path up in a commit's tree (`commit.tree[path]`) parses every tree on the way, and
libgit2 does not keep large trees parsed: asked for each document, that made a render quadratic
in the number of documents. A loose tree is inflated first (gitblobs.check_loose): libgit2 loops
for good on a truncated one. Reads the repository through pygit2; never writes to it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gitspec.gitblobs import UnreadableObject, check_loose

if TYPE_CHECKING:
    import pygit2

# Entries kept at once, over all folders and commits: past it they are dropped and read again, so
# a very long history costs what it did before listings were kept, never more memory.
MAX_LISTED = 1_000_000


class FolderListings:
    """The blob ids of the files in a folder at a commit, read once per version of the folder: a
    folder's tree id shares its listing between the commits that leave it alone."""

    def __init__(self, repo: pygit2.Repository) -> None:
        self.repo = repo
        self._sound: set[Any] = set()  # tree ids found whole, or packed
        self._by_commit: dict[tuple[Any, str], dict[str, Any]] = {}  # (commit id, folder) -> name -> blob id
        self._by_tree: dict[Any, dict[str, Any]] = {}  # folder tree id -> the same
        self._held = 0  # entries in _by_tree
        self.read = 0  # folder trees listed

    def blob_id(self, commit: pygit2.Commit, path: str) -> Any:
        """The id of the blob at repository-relative `path` in `commit`, None when there is none.
        Raises UnreadableObject when a tree on the way is stored loose and damaged."""
        folder, _, name = path.rpartition("/")
        key = (commit.id, folder)
        listing = self._by_commit.get(key)
        if listing is None:
            listing = self._by_commit[key] = self._listing(commit, folder)
        return listing.get(name)

    def _listing(self, commit: pygit2.Commit, folder: str) -> dict[str, Any]:
        self._check(commit.tree_id)
        tree = commit.tree
        try:
            for part in folder.split("/") if folder else ():
                tree = tree[part]  # an entry: libgit2 reads the tree only when it is looked into
                if tree.type_str != "tree":
                    return {}
                self._check(tree.id)
        except KeyError:
            return {}
        listing = self._by_tree.get(tree.id)
        if listing is None:
            if self._held > MAX_LISTED:
                self._by_tree.clear()
                self._by_commit.clear()
                self._held = 0
            listing = self._by_tree[tree.id] = {entry.name: entry.id for entry in tree if entry.type_str == "blob"}
            self._held += len(listing)
            self.read += 1
        return listing

    def check_changed(self, older: pygit2.Commit, newer: pygit2.Commit) -> None:
        """Raises UnreadableObject when a tree that a diff of the two commits reads is loose and damaged:
        every tree that differs between them, as far down as they differ (all of an added folder's)."""
        pairs: list[tuple[Any, Any]] = [(older.tree_id, newer.tree_id)]
        while pairs:
            before, after = (self._subtrees(tree_id) if tree_id is not None else {} for tree_id in pairs.pop())
            pairs += [(before.get(name), after.get(name)) for name in before.keys() | after.keys()
                      if before.get(name) != after.get(name)]

    def check_all(self, tree_id: Any) -> None:
        """Raises UnreadableObject when a tree under `tree_id`, itself included, is loose and damaged (or
        missing): what `git status` reads of HEAD's, every folder of it."""
        pending, seen = [tree_id], {tree_id}
        while pending:
            for subtree in self._subtrees(pending.pop()).values():
                if subtree not in seen:
                    seen.add(subtree)
                    pending.append(subtree)

    def _subtrees(self, tree_id: Any) -> dict[str, Any]:
        self._check(tree_id)
        try:
            return {entry.name: entry.id for entry in self.repo[tree_id] if entry.type_str == "tree"}
        except KeyError:
            raise UnreadableObject(tree_id, missing=True) from None

    def _check(self, tree_id: Any) -> None:
        if tree_id not in self._sound:
            check_loose(self.repo, tree_id, "tree")
            self._sound.add(tree_id)
