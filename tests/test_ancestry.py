"""Whether evidence was taken on an ancestor of HEAD (gitspec.ancestry), through merges' second parents
too, on histories with damaged commits and on long ones."""
from __future__ import annotations

import time

from conftest import (CONFIG, git, make_repo, passed_evidence, requirement, requirements_doc, run_gitspec,
                      truncate, write_files)
from gitspec.history import open_history

WS = {"gitspec.yaml": CONFIG.replace("formats: []", "formats: [html]"),
      "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}


def commit(root, message: str, files: dict | None = None) -> str:
    write_files(root, files or {})
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def merged_side_branch(root) -> tuple[str, str, str]:
    """main: base, then a merge of side (taken, then damaged, then more) and a commit of its own;
    returns the ids of taken (the evidence's commit), damaged, and of a commit on no branch of HEAD's."""
    make_repo(root, WS)
    git(root, "checkout", "-q", "-b", "side")
    taken = commit(root, "side: tests run here")
    damaged = commit(root, "side: more")
    commit(root, "side: and more")
    git(root, "checkout", "-q", "-b", "elsewhere", taken)
    elsewhere = commit(root, "never merged")
    git(root, "checkout", "-q", "main")
    commit(root, "main: work")
    git(root, "merge", "-q", "--no-ff", "-m", "merge side", "side")
    return taken, damaged, elsewhere


def test_a_commit_behind_a_merges_second_parent_is_an_ancestor(tmp_path):
    taken, damaged, elsewhere = merged_side_branch(tmp_path / "ws")
    history = open_history(tmp_path / "ws")
    assert history.is_ancestor(taken) is True and history.is_ancestor(damaged[:7]) is True
    assert history.is_ancestor(elsewhere) is False


def test_evidence_behind_a_truncated_commit_of_a_merged_branch_cannot_be_placed_and_says_why(tmp_path):
    """Before, `gitspec render` looped for good inside libgit2's descendant_of (deaf to Ctrl-C and SIGTERM)
    on a loose commit cut short that only a merge's second parent leads to."""
    root = tmp_path / "ws"
    taken, damaged, elsewhere = merged_side_branch(root)
    write_files(root, {"specs/ev.yaml": passed_evidence(taken)})
    commit(root, "evidence")
    truncate(root, damaged)
    for _ in range(2):  # asked again, not remembered for HEAD, so that a repair is seen
        done = run_gitspec(root, "render", timeout=60)
        assert done.code == 0 and "warning" not in done.err, done  # (the documents' first-parent history is whole)
        matrix = (root / "build/html/traceability.html").read_text()
        assert f"cannot tell whether evidence ev-0001 was taken on an ancestor of HEAD ({taken[:7]}): the history " \
               f"from commit {damaged[:7]} back cannot be read (damaged git object {damaged})" in matrix, matrix
    history = open_history(root)
    assert history.is_ancestor(elsewhere) == history.is_ancestor(taken) == (
        f"the history from commit {damaged[:7]} back cannot be read (damaged git object {damaged})")
    assert history.is_ancestor("HEAD~1") is True  # found before the walk meets it


def merges(root, commits: int) -> tuple[str, str]:
    """`commits` commits on main made with pygit2, each tenth a merge of a side commit; the ids of the
    oldest side commit and of a commit no branch of HEAD's leads to."""
    import pygit2

    repo = pygit2.init_repository(str(root), initial_head="main")
    signature = pygit2.Signature("Bench", "bench@example.invalid", 1767225600, 60)
    tree = repo.TreeBuilder().write()
    head = repo.create_commit(None, signature, signature, "root", tree, [])
    oldest_side = None
    for n in range(commits):
        parents = [head]
        if n % 10 == 9:
            side = repo.create_commit(None, signature, signature, f"side {n}", tree, [head])
            oldest_side = oldest_side or side
            parents.append(side)
        head = repo.create_commit(None, signature, signature, f"commit {n}", tree, parents)
    repo.references.create("refs/heads/main", head)
    elsewhere = repo.create_commit(None, signature, signature, "elsewhere", tree, [])
    return str(oldest_side), str(elsewhere)


def test_three_thousand_commits_with_merges_are_quick(tmp_path):
    oldest_side, elsewhere = merges(tmp_path / "ws", 3000)
    history = open_history(tmp_path / "ws")
    started = time.perf_counter()
    assert history.is_ancestor(oldest_side) is True
    assert history.is_ancestor(elsewhere) is False  # the whole history walked
    cold = time.perf_counter() - started
    started = time.perf_counter()
    assert history.is_ancestor(elsewhere) is False and history.is_ancestor(oldest_side) is True
    again = time.perf_counter() - started
    print(f"is_ancestor over 3,300 commits: {cold * 1000:.0f} ms, asked again {again * 1000:.0f} ms")
    assert cold < 5.0 and again < 1.0  # generous: shared CI machines
