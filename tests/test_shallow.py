"""Shallow clones (actions/checkout's default, fetch-depth 1): what gitspec says of the history they
lack, and that it keys its render cache so that a commit re-renders only what it changed."""
from __future__ import annotations

import io

import docx
import pypdf

from conftest import (CONFIG, git, make_repo, passed_evidence, requirement, requirements_doc, run_gitspec,
                      write_files)
from gitspec.history import open_history
from gitspec.render.model import BEFORE_HISTORY


def prd(doc_id: str, problem: str) -> str:
    rest = "".join(f"\n## {name}\n\nNone.\n" for name in
                   ("Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions"))
    header = f"---\nkind: prd\nid: {doc_id}\ntitle: {doc_id}\nstatus: draft\n---\n\n# {doc_id}\n"
    return f"{header}\n## Problem\n\n{problem}\n{rest}"


DOCS = {"gitspec.yaml": CONFIG, "specs/alpha.md": prd("alpha", "Alpha's text."),
        "specs/beta.md": prd("beta", "Beta's text.")}


def commit(root, message: str, files: dict[str, str] | None = None) -> str:
    write_files(root, files or {})
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "--short=7", "HEAD").strip()


def fetch_shallow(clone, depth: int = 1) -> None:
    """What a CI job's checkout of the next commit does: fetch the branch's tip alone, check it out."""
    git(clone, "fetch", "-q", f"--depth={depth}", "origin", "main")
    git(clone, "checkout", "-q", "--detach", "FETCH_HEAD")


def footer(path) -> str:
    return docx.Document(str(path)).sections[0].footer.paragraphs[0].text


def test_a_document_changed_before_the_cut_names_no_commit_and_is_not_rendered_again(tmp_path):
    # Before, file_change credited the commit where the shallow history is cut: with fetch-depth 1 every
    # PDF header and Word footer named HEAD, and every document was rendered again on every commit.
    source = make_repo(tmp_path / "source", DOCS)
    for n in range(3):
        commit(source, f"elsewhere {n}", {"other.txt": str(n)})
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{source}", "clone")
    clone = tmp_path / "clone"
    head = git(clone, "rev-parse", "--short=7", "HEAD").strip()
    assert open_history(clone).file_change("specs/alpha.md") == BEFORE_HISTORY

    first = run_gitspec(clone, "render", "--format", "docx,pdf")
    assert first.code == 0 and "this clone is shallow" in first.err, first
    assert footer(clone / "build/docx/alpha.docx") == "alpha · last change not in this clone · page 1"
    header = pypdf.PdfReader(io.BytesIO((clone / "build/pdf/alpha.pdf").read_bytes())).pages[0].extract_text()
    assert "last change not in this clone" in header and head not in header, header

    commit(source, "edit alpha", {"specs/alpha.md": DOCS["specs/alpha.md"].replace("Alpha's", "New")})
    fetch_shallow(clone)
    beta = (clone / "build/docx/beta.docx").stat().st_mtime_ns
    again = run_gitspec(clone, "render", "--format", "docx")
    assert again.code == 0 and "gitspec: rendered 2 (1 unchanged)" in again.err, again  # alpha's and the book
    assert (clone / "build/docx/beta.docx").stat().st_mtime_ns == beta


def test_a_deeper_clone_names_the_commits_it_holds_and_only_those(tmp_path):
    # Before, at depth 2 a document last changed long before was credited to the older of the two commits.
    source = make_repo(tmp_path / "source", DOCS)
    commit(source, "elsewhere", {"other.txt": "x"})
    edited = commit(source, "edit beta", {"specs/beta.md": DOCS["specs/beta.md"].replace("Beta's", "New")})
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{source}", "clone")
    clone = tmp_path / "clone"
    history = open_history(clone)
    assert history.file_change("specs/alpha.md") == BEFORE_HISTORY
    assert history.file_change("specs/beta.md").commit == edited
    assert run_gitspec(clone, "render", "--format", "docx").code == 0
    assert footer(clone / "build/docx/alpha.docx") == "alpha · last change not in this clone · page 1"
    assert footer(clone / "build/docx/beta.docx") == f"beta · commit {edited} · page 1"
    (clone / "specs/alpha.md").write_text(DOCS["specs/alpha.md"] + "\nMore.\n")
    assert run_gitspec(clone, "render", "--format", "docx").code == 0
    assert footer(clone / "build/docx/alpha.docx") == \
        "alpha · last change not in this clone with uncommitted changes · page 1"
    git(clone, "fetch", "-q", "--unshallow")
    assert run_gitspec(clone, "render", "--format", "docx").code == 0
    assert footer(clone / "build/docx/alpha.docx") == \
        f"alpha · commit {git(source, 'rev-parse', '--short=7', 'HEAD~2').strip()} with uncommitted changes · page 1"


REQS = {"gitspec.yaml": CONFIG.replace("formats: []", "formats: [html]"),
        "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}


def branched(source) -> str:
    """`source` with REQS on main, then a branch `pr` and a commit on main that it lacks; main's tip."""
    make_repo(source, REQS)
    commit(source, "main 1", {"main.txt": "1"})
    git(source, "branch", "pr")
    git(source, "checkout", "-q", "pr")
    commit(source, "pr 1", {"pr.txt": "1"})
    git(source, "checkout", "-q", "main")
    commit(source, "main 2", {"main.txt": "2"})
    return git(source, "rev-parse", "HEAD").strip()


def test_a_base_branch_fetched_shallow_beside_a_whole_one_cuts_nothing_of_heads_history(tmp_path):
    # Before, `git fetch --depth=1 origin main` in a whole clone of the PR branch (a CI job comparing
    # with its base) put main's tip in .git/shallow, and every render warned that the clone is shallow;
    # evidence taken on main's tip "cannot tell ... the clone is shallow", where git can tell.
    main = branched(tmp_path / "source")
    git(tmp_path, "clone", "-q", "--single-branch", "--branch", "pr", f"file://{tmp_path / 'source'}", "clone")
    clone = tmp_path / "clone"
    git(clone, "fetch", "-q", "--depth=1", "origin", "main:refs/remotes/origin/main")
    assert main in (clone / ".git/shallow").read_text()
    history = open_history(clone)
    assert (history.notes, history.is_ancestor(main)) == ([], False)

    write_files(clone, {"specs/ev.yaml": passed_evidence(main)})
    for _ in range(2):  # the second from the cached facts
        rendered = run_gitspec(clone, "render")
        assert rendered.code == 0 and "shallow" not in rendered.err, rendered
        matrix = (clone / "build/html/traceability.html").read_text()
        assert f"taken on {main[:7]}, which is not an ancestor of HEAD" in matrix and "shallow" not in matrix
        assert "Last change" in (clone / "build/html/reqs.html").read_text()


def test_a_shallow_clone_of_every_branch_names_only_where_heads_history_is_cut(tmp_path):
    # Before, `git clone --depth 1 --no-single-branch` warned "history before commit <every branch's tip>",
    # sorted by id, at most three: the one HEAD's history ends at could be left out.
    branched(tmp_path / "source")
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{tmp_path / 'source'}", "clone")
    clone = tmp_path / "clone"
    git(clone, "checkout", "-q", "--detach", "origin/pr")
    head = git(clone, "rev-parse", "HEAD").strip()
    assert len((clone / ".git/shallow").read_text().split()) == 2
    for _ in range(2):  # the second from the cached facts
        rendered = run_gitspec(clone, "render")
        assert rendered.code == 0, rendered
        assert [line for line in rendered.err.splitlines() if "shallow" in line] == [
            f"warning: this clone is shallow: history before commit {head[:7]} is not here, so sections changed "
            "before it show no last change and evidence taken before it cannot be verified; run 'git fetch "
            "--unshallow' for all of it"], rendered
