"""The work tree against HEAD (gitspec.worktree), as `gitspec render` meets it: HEAD's trees are read
by git's status, and a damaged one is named instead of hanging the render."""
from __future__ import annotations

import pytest

from conftest import CONFIG, git, make_repo, requirement, requirements_doc, run_gitspec, truncate, write_files
from gitspec.headfacts import open_remembered

WS = {"gitspec.yaml": CONFIG.replace("formats: []", "formats: [html]"),
      "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")), "src/app/main.py": "print(1)\n"}


def warnings(done) -> list[str]:
    return [line for line in done.err.splitlines() if line.startswith("warning:")]


@pytest.mark.parametrize("edit", ["none", "a comment", "a new document"])
def test_a_truncated_tree_of_head_outside_the_documents_is_named_and_the_rest_rendered(tmp_path, edit):
    """Before, `gitspec render` and `build` looped for good inside libgit2 (deaf to Ctrl-C and SIGTERM) on
    a loose tree of HEAD's cut short in a folder gitspec never reads: git's status reads every tree of
    HEAD's to tell whether the work tree changed, as its diff does to tell where a new document came
    from. One edited document's status read fewer trees: it was rendered, and the damage went untold."""
    root = make_repo(tmp_path / "ws", WS)
    bad = truncate(root, "HEAD:src/app")
    if edit == "a comment":  # the sections are unchanged: git is asked whether the file is
        (root / "specs/reqs.yaml").write_text(WS["specs/reqs.yaml"] + "# reviewed\n")
    elif edit == "a new document":  # git is asked whether it was moved there
        write_files(root, {"specs/more.yaml": requirements_doc("more", requirement("REQ-002"))})
    for command in ("render", "build", "render"):  # the last with the facts remembered for HEAD
        done = run_gitspec(root, command, timeout=60)
        assert done.code == 0 and warnings(done) == [
            f"warning: git cannot compare the working tree with the last commit (damaged git object {bad}; "
            "'git fsck' tells what is damaged), so the render is marked 'with uncommitted changes'"], done
    assert "uncommitted changes" in (root / "build/html/index.html").read_text()
    assert "REQ-001" in (root / "build/html/reqs.html").read_text()


def test_a_repaired_tree_is_seen_as_repaired(tmp_path):
    root = make_repo(tmp_path / "ws", WS)
    tree = git(root, "rev-parse", "HEAD:src/app").strip()
    loose = root / ".git" / "objects" / tree[:2] / tree[2:]
    whole = loose.read_bytes()
    truncate(root, tree)
    assert warnings(run_gitspec(root, "render", timeout=60))
    loose.write_bytes(whole)  # as a copy from a backup, or another clone, would
    done = run_gitspec(root, "render", timeout=60)
    assert done.code == 0 and warnings(done) == [], done
    assert "uncommitted changes" not in (root / "build/html/index.html").read_text()


def test_heads_trees_are_read_once_per_head(tmp_path):
    """A render after an edit need not read every tree of HEAD's again: that they are whole is remembered."""
    root = make_repo(tmp_path / "ws", WS)
    store = tmp_path / "store"
    first = open_remembered(root, store)
    assert first.dirty() is False and first.git()._folders._sound  # every tree of HEAD's looked at
    first.save()
    again = open_remembered(root, store)
    assert again.dirty() is False and not again.git()._folders._sound
    (root / "src/app/main.py").write_text("print(2)\n")
    assert open_remembered(root, store).dirty() is True
    git(root, "commit", "-q", "-am", "two")
    moved = open_remembered(root, store)
    assert moved.dirty() is False and moved.git()._folders._sound  # another HEAD: looked at again


def test_a_truncated_blob_of_a_file_moved_away_is_named_and_the_rest_rendered(tmp_path):
    """Found by a review: a new document makes gitspec look for where it was moved from, which reads the
    blob of every file gone from HEAD's tree; libgit2 looped for good on one cut short (src/app/main.py,
    moved by hand here), deaf to SIGTERM."""
    root = make_repo(tmp_path / "ws", WS)
    bad = truncate(root, "HEAD:src/app/main.py")
    (root / "src/app/main.py").rename(root / "src/app/start.py")
    write_files(root, {"specs/more.yaml": requirements_doc("more", requirement("REQ-002"))})
    done = run_gitspec(root, "render", timeout=60)
    assert done.code == 0 and warnings(done) == [
        f"warning: git cannot compare the working tree with the last commit (damaged git object {bad}; "
        "'git fsck' tells what is damaged), so the render is marked 'with uncommitted changes'"], done
    assert "REQ-002" in (root / "build/html/more.html").read_text()
