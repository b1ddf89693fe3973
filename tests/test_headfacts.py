"""Git facts remembered per HEAD: HEAD read from the .git files, answers equal to git's, pygit2
left unimported while HEAD stays, and a moved HEAD (commit, checkout, packed refs) seen."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import git, make_repo, write_files
from gitspec.headfacts import RememberedHistory, open_remembered, read_head
from gitspec.history import open_history

DOC = "kind: notes\nid: doc\ntitle: Doc\nalpha: one\nbeta: [1, 2]\n"


def commit(root, message, files) -> str:
    write_files(root, files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def two(tmp_path):
    root = make_repo(tmp_path / "ws", {}, commit=False)
    first = commit(root, "create", {"specs/doc.yaml": DOC})
    second = commit(root, "edit beta", {"specs/doc.yaml": DOC.replace("[1, 2]", "[1, 2, 3]")})
    return root, first, second


def test_head_is_read_from_loose_and_packed_refs_and_when_detached(two):
    root, first, second = two
    assert read_head(root) == read_head(root / "specs") == second
    git(root, "pack-refs", "--all")
    assert not (root / ".git" / "refs" / "heads" / "main").exists() and read_head(root) == second
    git(root, "checkout", "-q", first)
    assert read_head(root) == first


def test_head_in_a_linked_worktree(two, tmp_path):
    root, first, second = two
    git(root, "worktree", "add", "-q", "-b", "side", str(tmp_path / "side"), first)
    assert read_head(tmp_path / "side") == first and read_head(root) == second


def test_unsure_cases_are_left_to_git(tmp_path, monkeypatch):
    root = make_repo(tmp_path / "ws", {}, commit=False)
    assert read_head(root) is None  # an unborn branch
    assert read_head(tmp_path / "elsewhere") is None
    commit(root, "c", {"a.txt": "a"})
    monkeypatch.setenv("GIT_DIR", str(root / ".git"))
    assert read_head(root) is None  # the work tree is then the repository config's or the current folder


def test_head_of_the_repository_git_dir_names(two, tmp_path, monkeypatch):
    root, first, second = two
    elsewhere = make_repo(tmp_path / "elsewhere", {"a.txt": "a"})
    monkeypatch.setenv("GIT_DIR", str(root / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(elsewhere))
    assert read_head(elsewhere) == second and read_head(root) is None  # the workspace is not in that work tree


def test_answers_match_git_and_come_back_from_the_file(two):
    root, first, second = two
    store = root / ".gitspec"
    remembered = open_remembered(root, store)
    assert isinstance(remembered, RememberedHistory)
    plain = open_history(root, store)
    assert remembered.head == plain.head == second[:7]
    asked = (remembered.section_changes("specs/doc.yaml"), remembered.file_change("specs/doc.yaml"),
             remembered.committed_hashes("specs/doc.yaml"), remembered.is_ancestor(first[:9]),
             remembered.item_hashes_at(first, "specs/doc.yaml"))
    assert asked == (plain.section_changes("specs/doc.yaml"), plain.file_change("specs/doc.yaml"),
                     plain.committed_hashes("specs/doc.yaml"), True, plain.item_hashes_at(first, "specs/doc.yaml"))
    assert asked[1].commit == second[:7] and asked[0]["beta"].commit == second[:7] and asked[0]["alpha"].commit == first[:7]
    remembered.save()
    again = RememberedHistory(root.resolve(), store, second)
    assert again.section_changes("specs/doc.yaml") == asked[0] and again.file_change("specs/doc.yaml") == asked[1]
    assert again._history is None  # answered without opening the repository


def test_a_render_after_an_edit_does_not_import_pygit2(two):
    root, first, second = two
    store = root / ".gitspec"
    warm = open_remembered(root, store)
    warm.section_changes("specs/doc.yaml"), warm.file_change("specs/doc.yaml"), warm.committed_hashes("specs/doc.yaml")
    warm.save()
    probe = ("import sys; from pathlib import Path; from gitspec.headfacts import open_remembered; "
             f"h = open_remembered(Path({str(root)!r}), Path({str(store)!r})); "
             "print(h.file_change('specs/doc.yaml').commit, 'pygit2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out == [second[:7], "False"]
    # A new commit moves HEAD: the old answers are dropped and git is asked again.
    third = commit(root, "edit alpha", {"specs/doc.yaml": DOC.replace("one", "two")})
    moved = open_remembered(root, store)
    assert moved.file_change("specs/doc.yaml").commit == third[:7]
    assert moved.section_changes("specs/doc.yaml")["alpha"].commit == third[:7]
