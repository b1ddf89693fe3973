"""Shallow clones (actions/checkout's default, fetch-depth 1): what gitspec says of the history they
lack, and that it keys its render cache so that a commit re-renders only what it changed."""
from __future__ import annotations

import io

import docx
import pypdf

from conftest import CONFIG, git, make_repo, requirement, requirements_doc, run_gitspec, write_files
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
