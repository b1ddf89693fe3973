"""`gitspec render` and the render at the end of `gitspec build`, as a user runs them."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import (CONFIG, GIT_ENV, git, make_repo, passed_evidence, requirement, requirements_doc, run_gitspec,
                      task, tasks_doc, write_files)

HTML_ONLY = CONFIG.replace("formats: []", "formats: [html]")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PRD = """---
kind: prd
id: planted-prd
title: Planted content
status: draft
owners: [qa]
---

# Planted content

## Problem

Hello <script>window.__pwned = 1</script> and <img src="http://127.0.0.1:{port}/img.png">
and <img src="file:///etc/passwd"> and [a link](javascript:alert(1)).

![remote](http://127.0.0.1:{port}/remote.png)

## Goals

- Nothing fetched.
""" + "".join(f"\n## {name}\n\nNone.\n" for name in
              ("Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions"))


def specs(n: int = 3) -> dict[str, str]:
    return {"specs/reqs.yaml": requirements_doc("reqs", "".join(requirement(f"REQ-00{i}") for i in range(1, n + 1))),
            "specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[REQ-001, REQ-002]"))}


def manifest(root, fmt: str) -> dict:
    return json.loads((root / ".gitspec" / "renders" / f"{fmt}.json").read_text())


def test_render_html_writes_the_site_and_reuses_unchanged_pages(repo):
    root = repo({**specs()}, HTML_ONLY)
    first = run_gitspec(root, "render")
    assert first.code == 0, first
    html = root / "build" / "html"
    for name in ("index.html", "reqs.html", "tasks.html", "traceability.html"):
        assert (html / name).is_file(), name
    assert "REQ-002" in (html / "reqs.html").read_text()
    again = run_gitspec(root, "render")
    assert "rendered 0 (3 unchanged)" in again.err, again
    write_files(root, {"specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[REQ-003]"))})
    edited = run_gitspec(root, "render", "--format", "html")
    assert edited.code == 0, edited
    # the edited document, the matrix that shows its links, and the index: nothing else
    assert "rendered 3 (1 unchanged)" in edited.err, edited
    assert "REQ-003" in (html / "tasks.html").read_text()


def test_a_new_title_re_renders_that_page_and_the_site_only(repo):
    """gitspec's pages show the other pages' ids (links), not their titles."""
    root = repo({**specs()}, CONFIG.replace("formats: []", "formats: [html, docx]"))
    assert run_gitspec(root, "render").code == 0
    write_files(root, {"specs/reqs.yaml": requirements_doc("reqs", "".join(
        requirement(f"REQ-00{i}") for i in range(1, 4))).replace("title: Requirements", "title: Renamed")})
    renamed = run_gitspec(root, "render")
    assert renamed.code == 0, renamed
    # per format: the renamed page, the matrix (its rows name the page) and the site; tasks.html is reused
    assert "rendered 6 (2 unchanged)" in renamed.err, renamed
    assert "Renamed" in (root / "build" / "html" / "index.html").read_text()


PRODUCT = """kind: product
id: product
title: Product
status: draft
owners: [qa]
name: Widget
tagline: Widgets for all
category: Tools
directive: Make widgets
targetAudience: Teams
features:
  - id: FEAT-001
    name: Make
    description: Makes widgets.
    priority: must
personas:
  - id: PERS-001
    name: Pat
    role: Maker
    goals: [Make]
journeys:
  - id: JOUR-001
    name: Making
    persona: PERS-001
    steps: [Start]
    features: [FEAT-001]
successMetrics:
  - name: Widgets
    target: 10 a day
"""


def test_a_section_added_to_one_document_re_renders_its_page_not_every_page(repo):
    """A page keys on the sections its values name (`product#features`), not on every document's."""
    files = {**specs(), "specs/product.yaml": PRODUCT,
             "specs/reqs.yaml": specs()["specs/reqs.yaml"] + '    links: ["product#features"]\n'}
    root = repo(files, HTML_ONLY)
    assert run_gitspec(root, "render").code == 0
    write_files(root, {"specs/product.yaml": PRODUCT + "constraints: [One server.]\n"})
    added = run_gitspec(root, "render")
    assert added.code == 0, added
    # the product page, the matrix (it shows the workspace is uncommitted) and the index
    assert "rendered 3 (2 unchanged)" in added.err, added
    write_files(root, {"specs/reqs.yaml": files["specs/reqs.yaml"].replace("#features", "#constraints")})
    assert "rendered 2 (3 unchanged)" in run_gitspec(root, "render").err
    assert 'href="product.html#constraints"' in (root / "build" / "html" / "reqs.html").read_text()
    write_files(root, {"specs/product.yaml": PRODUCT})  # the section it links to is gone: so is the link
    removed = run_gitspec(root, "render")
    assert removed.code == 1 and "rendered 3 (2 unchanged)" in removed.err, removed
    assert 'href="product.html#constraints"' not in (root / "build" / "html" / "reqs.html").read_text()


def test_an_id_added_to_one_document_re_renders_its_page_and_the_pages_naming_it_only(repo):
    """A page keys on the ids its values could link to (a journey step `REQ-004`), not on every
    document's and item's id."""
    mentions = PRODUCT.replace("steps: [Start]", "steps: [Start, REQ-004]")
    files = {**specs(), "specs/product.yaml": mentions}
    root = repo(files, HTML_ONLY)
    assert run_gitspec(root, "render").code == 0
    product = root / "build" / "html" / "product.html"
    assert "REQ-004" in product.read_text() and 'href="reqs.html#REQ-004"' not in product.read_text()
    write_files(root, {"specs/reqs.yaml": specs(4)["specs/reqs.yaml"]})
    added = run_gitspec(root, "render")
    assert added.code == 0, added
    # the requirements page, the product page that names REQ-004, the matrix (a new row) and the index
    assert "rendered 4 (1 unchanged)" in added.err, added
    assert 'href="reqs.html#REQ-004"' in product.read_text()
    write_files(root, {"specs/reqs.yaml": specs(5)["specs/reqs.yaml"]})  # REQ-005: no other page names it
    assert "rendered 3 (2 unchanged)" in run_gitspec(root, "render").err
    write_files(root, {"specs/reqs.yaml": files["specs/reqs.yaml"]})  # both gone: so is the link
    removed = run_gitspec(root, "render")
    assert removed.code == 0 and "rendered 4 (1 unchanged)" in removed.err, removed
    assert "REQ-004" in product.read_text() and 'href="reqs.html#REQ-004"' not in product.read_text()


def test_a_commit_re_renders_only_the_documents_it_changed(repo):
    """Word files name the commit that last changed their document, not HEAD's."""
    root = repo({**specs()}, CONFIG.replace("formats: []", "formats: [docx]"))
    first = run_gitspec(root, "render")
    assert first.code == 0, first
    made = git(root, "rev-parse", "--short=7", "HEAD").strip()
    write_files(root, {"notes.txt": "not a spec\n"})
    git(root, "add", "notes.txt")
    git(root, "commit", "-qm", "unrelated")
    unrelated = run_gitspec(root, "render")
    # the matrix and the book show HEAD; the documents still show the commit that made them
    assert "rendered 2 (2 unchanged)" in unrelated.err, unrelated
    from docx import Document

    props = Document(str(root / "build" / "docx" / "reqs.docx")).core_properties
    assert props.version == made
    write_files(root, {"specs/tasks.yaml": tasks_doc("tasks", task("TASK-001", "[REQ-003]"))})
    git(root, "commit", "-qam", "tasks now cover REQ-003")
    changed = run_gitspec(root, "render")
    assert "rendered 3 (1 unchanged)" in changed.err, changed


def test_deleted_document_removes_its_page_and_only_ours(repo):
    root = repo({**specs(), "build/html/mine.txt": "user file"}, HTML_ONLY)
    assert run_gitspec(root, "render").code == 0
    (root / "specs" / "tasks.yaml").unlink()
    assert run_gitspec(root, "render").code == 0
    assert not (root / "build" / "html" / "tasks.html").exists()
    assert (root / "build" / "html" / "mine.txt").read_text() == "user file"


def test_unknown_format_and_document_are_usage_errors(repo):
    root = repo(specs(), HTML_ONLY)
    bad = run_gitspec(root, "render", "--format", "html,pptx")
    assert bad.code == 2 and "unknown format 'pptx'" in bad.err and "Traceback" not in bad.err, bad
    missing = run_gitspec(root, "render", "no-such-doc")
    assert missing.code == 2 and "no document with id 'no-such-doc'" in missing.err, missing
    empty = run_gitspec(root, "render", "--format", "")
    assert empty.code == 2 and "--format needs at least one format" in empty.err, empty


def test_an_unknown_format_in_the_config_is_reported_at_its_line_before_anything_runs(repo):
    config = HTML_ONLY.replace("formats: [html]", "formats:\n  - html\n  - htlm")
    root = repo({"specs/product.yaml": "kind: product\nid: product\ntitle: Product\n"
                                       "directive: Build a billing dashboard\n"}, config)
    expected = ("gitspec.yaml:9:5: error: key 'formats': unknown format 'htlm' (did you mean 'html'?) "
                "(installed: docx, html, pdf)\n")
    for command in ("build", "render"):
        result = run_gitspec(root, command)
        assert result.code == 2 and result.out == "" and result.err == expected, result
    assert git(root, "status", "--porcelain") == ""  # no stage ran: nothing regenerated
    assert not (root / "build").exists()
    named = run_gitspec(root, "render", "--format", "html")  # the config is checked all the same: a warning
    assert named.code == 1 and expected.replace(": error: ", ": warning: ", 1) in named.err, named  # (findings)
    write_files(root, {"gitspec.yaml": HTML_ONLY})
    bad = run_gitspec(root, "render", "--format", "html,pfd")
    assert bad.code == 2 and bad.err.startswith("gitspec: error: argument --format: unknown format 'pfd' "
                                                "(did you mean 'pdf'?)"), bad


def test_asking_for_a_document_that_cannot_be_read_names_its_file_and_line(repo):
    root = repo(specs(), HTML_ONLY)
    write_files(root, {"specs/reqs.yaml": "kind: requirements\nid: reqs\ntitle: [unclosed\nitems: []\n"})
    result = run_gitspec(root, "render", "reqs")
    assert result.code == 2, result
    assert result.err.strip().splitlines() == [
        "gitspec: error: no document with id 'reqs' (specs/reqs.yaml could not be read, line 4: "
        "YAML syntax error: did not find expected ',' or ']')"], result.err


def test_a_document_is_named_by_its_id_or_its_file_and_a_near_miss_gets_a_guess(repo):
    root = repo(specs(), HTML_ONLY)
    for cwd, given in ((root, "specs/reqs.yaml"), (root / "specs", "reqs.yaml"), (root, "./specs/reqs.yaml")):
        shutil.rmtree(root / "build", ignore_errors=True)
        result = run_gitspec(cwd, "render", given)
        assert result.code == 0, result
        assert (root / "build/html/reqs.html").is_file() and not (root / "build/html/tasks.html").exists()
    for given, guess in (("REQS", "reqs"), ("rqs", "reqs")):
        result = run_gitspec(root, "render", given)
        assert result.code == 2 and result.err == (f"gitspec: error: no document with id '{given}' "
                                                   f"(did you mean '{guess}'?)\n"), result
    # a path is a file's, and the guess is from where the user is; one from the top is taken in a folder
    for cwd, given, guess in ((root, "specs/reqs.yml", "specs/reqs.yaml"), (root / "specs", "reqs.yml", "reqs.yaml")):
        result = run_gitspec(cwd, "render", given)
        assert result.code == 2 and result.err == (f"gitspec: error: no document file '{given}' "
                                                   f"(did you mean '{guess}'?)\n"), result
    assert run_gitspec(root / "specs", "render", "specs/reqs.yaml").code == 0
    write_files(root, {"specs/reqs.yaml": "kind: requirements\nid: reqs\ntitle: [unclosed\nitems: []\n"})
    result = run_gitspec(root, "render", "specs/reqs.yaml")
    assert result.code == 2 and "(specs/reqs.yaml could not be read, line 4: YAML syntax error" in result.err, result


def test_a_document_path_typed_composed_renders_the_file_stored_decomposed(repo):
    # Before, `render` refused the path `check` took (macOS writes `données` decomposed, the user types it
    # composed) and guessed a name that looked exactly like the one typed.
    stored = unicodedata.normalize("NFD", "specs/données/exigé.yaml")
    root = repo({stored: requirements_doc("exig", requirement("REQ-001"))}, HTML_ONLY)
    for cwd, given in ((root, "specs/données/exigé.yaml"), (root / "specs", "données/exigé.yaml"),
                       (root / "specs", "specs/données/exigé.yaml")):
        shutil.rmtree(root / "build", ignore_errors=True)
        result = run_gitspec(cwd, "render", unicodedata.normalize("NFC", given))
        assert result.code == 0, result
        assert (root / "build/html/exig.html").is_file()


def test_repeated_formats_add_up_and_a_format_in_capitals_gets_a_guess(repo):
    root = repo(specs(), HTML_ONLY)
    result = run_gitspec(root, "render", "--format", "html", "--format", "docx", "reqs")
    assert result.code == 0, result
    assert (root / "build/html/reqs.html").is_file() and (root / "build/docx/reqs.docx").is_file()
    bad = run_gitspec(root, "render", "--format", "HTML")
    assert bad.code == 2 and bad.err == ("gitspec: error: argument --format: unknown format 'HTML' "
                                         "(did you mean 'html'?) (installed: docx, html, pdf)\n"), bad


def test_render_one_document(repo):
    root = repo(specs(), HTML_ONLY)
    result = run_gitspec(root, "render", "reqs")
    assert result.code == 0, result
    assert (root / "build" / "html" / "reqs.html").exists()
    assert not (root / "build" / "html" / "tasks.html").exists()


def test_rendering_some_documents_leaves_a_new_one_out_of_the_index_until_it_is_rendered(repo):
    root = repo(specs(), HTML_ONLY)
    assert run_gitspec(root, "render").code == 0
    assert run_gitspec(root, "new", "prd", "gamma").code == 0
    html = root / "build" / "html"
    result = run_gitspec(root, "render", "reqs")
    assert result.code == 0 and not (html / "gamma.html").exists(), result
    links = set(re.findall(r'href="([^"#]+)"', (html / "index.html").read_text()))
    assert links and all((html / link).is_file() for link in links), links
    searched = re.findall(r'search/[^"]+\.js', (html / "search-index.js").read_text())
    assert searched and all((html / name).is_file() for name in searched), searched
    assert "gamma" not in (html / "index.html").read_text() and "gamma" not in (html / "search-index.js").read_text()
    everything = run_gitspec(root, "render")  # gamma rendered: now the index lists it
    assert everything.code == 0 and 'href="gamma.html"' in (html / "index.html").read_text(), everything
    assert '"gamma"' in (html / "search-index.js").read_text()


def test_build_renders_at_its_end_unless_told_not_to(repo):
    root = repo(specs(), HTML_ONLY)
    assert run_gitspec(root, "build", "--no-render").code == 0
    assert not (root / "build").exists()
    result = run_gitspec(root, "build", "--json")
    assert result.code == 0, result
    complete = [json.loads(line) for line in result.out.splitlines()][-1]
    assert complete["event"] == "complete" and "html:reqs" in complete["rendered"]
    assert (root / "build" / "html" / "index.html").exists()


def test_render_without_git_works(tmp_path):
    root = tmp_path / "plain"
    write_files(root, {"gitspec.yaml": HTML_ONLY, **specs()})
    result = run_gitspec(root, "render")
    assert result.code == 0, result
    assert (root / "build" / "html" / "traceability.html").exists()


class Counting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        Counting.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def counting_server():
    Counting.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def test_planted_remote_and_local_fetches_are_never_made(repo, counting_server):
    port = counting_server.server_address[1]
    root = repo({"specs/prd.md": PRD.format(port=port)}, CONFIG.replace("formats: []", "formats: [html, pdf, docx]"))
    result = run_gitspec(root, "render")
    assert result.code == 0, result
    assert Counting.hits == []
    page = (root / "build" / "html" / "planted-prd.html").read_text()
    assert "<script>window.__pwned" not in page and "javascript:" not in page
    assert "&lt;script&gt;" in page
    assert (root / "build" / "pdf" / "planted-prd.pdf").stat().st_size > 1000
    assert (root / "build" / "docx" / "planted-prd.docx").stat().st_size > 1000


def test_render_waits_for_the_build_lock(repo):
    from gitspec.store import build_lock

    root = repo({**specs()}, HTML_ONLY)
    assert run_gitspec(root, "render").code == 0
    with build_lock(root / ".gitspec", 1):  # as a running build holds it
        blocked = run_gitspec(root, "render", "--lock-timeout", "0.2")
    assert blocked.code == 2 and "another gitspec build or render holds" in blocked.err, blocked  # not findings
    assert "build.lock" in blocked.err and "Traceback" not in blocked.err
    assert run_gitspec(root, "render", "--lock-timeout", "0.2").code == 0


def test_document_ids_the_site_keeps_for_itself_are_refused_and_never_replace_its_pages(repo):
    root = repo({**specs(), "specs/index.yaml": requirements_doc("index", requirement("REQ-009")),
                 "specs/traceability.yaml": tasks_doc("traceability", task("TASK-009"))},
                CONFIG.replace("formats: []", "formats: [html, docx]"))
    check = run_gitspec(root, "check")
    assert check.code == 1, check
    assert "specs/index.yaml:2:5: error: document id 'index' is kept for the site's index page" in check.out, check
    assert "specs/traceability.yaml:2:5: error: document id 'traceability' is kept" in check.out, check

    assert run_gitspec(root, "render").code == 1  # the check's errors are listed
    site = root / "build" / "html"
    assert "REQ-009" not in (site / "index.html").read_text() and "REQ-001" in (site / "traceability.html").read_text()
    assert "TASK-009" not in (site / "traceability.html").read_text()
    again = run_gitspec(root, "render")
    assert "0 files written" in again.err, again  # nothing fights over a file

    new = run_gitspec(root, "new", "prd", "book")
    assert new.code == 2 and new.err.strip() == (
        "gitspec: error: argument ID: 'book' is kept for the combined book (book.pdf, book.docx); choose another")
    assert not (root / "specs" / "book.md").exists()


def test_a_moved_worktree_is_named_with_its_remedy(repo, tmp_path):
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    git(root, "worktree", "add", "-q", str(tmp_path / "wt"), "-b", "wt")
    (tmp_path / "wt").rename(tmp_path / "moved")
    result = run_gitspec(tmp_path / "moved", "render", "--format", "html")
    assert result.code == 2 and result.err.strip() == (
        f"gitspec: error: git records this worktree at {tmp_path / 'wt'}, not here ({tmp_path / 'moved'}); "
        "run 'git worktree repair' in it"), result
    git(tmp_path / "moved", "worktree", "repair")
    assert run_gitspec(tmp_path / "moved", "render", "--format", "html").code == 0


@pytest.mark.parametrize("git_folder", ["apart/ws.git", "ws.git"])  # elsewhere, and beside the workspace
def test_a_workspace_whose_git_folder_was_made_apart_renders_its_history(tmp_path, git_folder):
    root = tmp_path / "ws"
    (tmp_path / "apart").mkdir()
    git(tmp_path, "init", "-q", "-b", "main", f"--separate-git-dir={tmp_path / git_folder}", str(root))
    write_files(root, {"gitspec.yaml": HTML_ONLY, **specs()})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "specs")
    head = git(root, "rev-parse", "--short=7", "HEAD").strip()
    result = run_gitspec(root, "render")
    assert result.code == 0, result
    site = root / "build" / "html"
    assert f"commit <code>{head}</code></" in (site / "index.html").read_text()  # no "uncommitted changes"
    page = (site / "reqs.html").read_text()
    assert f"Last change: commit <code>{head}</code>" in page and "uncommitted" not in page


def test_git_dir_and_work_tree_from_the_environment_are_the_repository_read(tmp_path):
    """A bare repository kept apart from its work folder ("dotfiles" style), as git is told of it."""
    store, work = tmp_path / "store.git", tmp_path / "work"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(store))
    write_files(work, {"gitspec.yaml": HTML_ONLY, **specs()})
    env = {"GIT_DIR": str(store), "GIT_WORK_TREE": str(work)}
    git_here = ["git", f"--git-dir={store}", f"--work-tree={work}"]
    subprocess.run([*git_here, "add", "-A"], cwd=work, check=True, env={**os.environ, **GIT_ENV})
    subprocess.run([*git_here, "commit", "-q", "-m", "specs"], cwd=work, check=True, env={**os.environ, **GIT_ENV})
    head = subprocess.run([*git_here, "rev-parse", "HEAD"], cwd=work, check=True, capture_output=True,
                          text=True).stdout.strip()
    for _ in range(2):  # the second render reads HEAD from the files it remembered facts for
        result = run_gitspec(work, "render", env=env)
        assert result.code == 0, result
        assert f"commit <code>{head[:7]}</code></" in (work / "build" / "html" / "index.html").read_text()
        assert f"Last change: commit <code>{head[:7]}</code>" in (work / "build" / "html" / "reqs.html").read_text()
    outside = run_gitspec(work, "render", env={"GIT_DIR": str(store), "GIT_WORK_TREE": str(tmp_path / "other")})
    assert outside.code == 0 and "outside git" in (work / "build" / "html" / "index.html").read_text(), outside


def test_git_ceiling_directories_stop_the_search_for_a_repository_as_git_does(tmp_path):
    """A workspace in a folder of a repository that GIT_CEILING_DIRECTORIES puts out of reach is outside
    git, as `git rev-parse` says; before, gitspec read the repository above anyway."""
    outer, work = tmp_path / "outer", tmp_path / "outer" / "ws"
    git(tmp_path, "init", "-q", "-b", "main", str(outer))
    write_files(work, {"gitspec.yaml": HTML_ONLY, **specs()})
    git(outer, "add", "-A")
    git(outer, "commit", "-q", "-m", "specs")
    index = work / "build" / "html" / "index.html"
    assert run_gitspec(work, "render").code == 0 and "outside git" not in index.read_text()
    ceiling = {"GIT_CEILING_DIRECTORIES": str(outer)}
    assert subprocess.run(["git", "rev-parse", "--git-dir"], cwd=work, env={**os.environ, **ceiling},
                          capture_output=True).returncode != 0
    result = run_gitspec(work, "render", env=ceiling)
    assert result.code == 0 and "outside git" in index.read_text(), result


def test_evidence_on_head_by_name_is_not_verified_in_the_matrix(repo):
    evidence = ("kind: evidence\nid: ev-0001\ntitle: Run\nrequirements: [REQ-001]\nsource: run\ncommand: pytest\n"
                "exitCode: 0\nverdict: passed\nstartedAt: \"2026-12-02T10:00:00Z\"\ncommit: {commit}\n"
                "dirty: false\nprevious: null\n")
    root = repo({**specs(), "specs/evidence/ev-0001.yaml": evidence.format(commit="HEAD")}, HTML_ONLY)
    result = run_gitspec(root, "render")
    assert result.code == 1 and "specs/evidence/ev-0001.yaml:10:9: error:" in result.err, result  # check rejects it
    row = next(line for line in (root / "build" / "html" / "traceability.html").read_text().splitlines()
               if ">REQ-001<" in line)
    assert "verified" not in row and "evidence ev-0001 names commit &#x27;HEAD&#x27;, not a commit id" in row, row
    write_files(root, {"specs/evidence/ev-0001.yaml": evidence.format(commit=git(root, "rev-parse", "HEAD"))})
    assert run_gitspec(root, "render").code == 0
    assert "verified" in next(line for line in (root / "build" / "html" / "traceability.html").read_text().splitlines()
                              if ">REQ-001<" in line)


def test_markup_in_headings_is_shown_as_the_reader_sees_it_in_every_format(repo):
    import docx
    import pypdf

    prd = PRD.replace("title: Planted content", "title: The `ledger` **service**").replace(
        "# Planted content", "# The `ledger` **service**").replace(
        "## Open questions", "## `Open` *questions*")
    root = repo({"specs/prd.md": prd.format(port=9)}, CONFIG.replace("formats: []", "formats: [html, pdf, docx]"))
    assert run_gitspec(root, "render").code == 0
    page = (root / "build" / "html" / "planted-prd.html").read_text()
    assert "Open questions</h2>" in page and 'href="#open-questions">Open questions<' in page
    assert "<h1 dir=\"auto\">The ledger service</h1>" in page and "`" not in page.split("<main>")[1].split("</header>")[0]
    index = (root / "build" / "html" / "index.html").read_text()
    assert ">The ledger service</a>" in index and "**" not in index
    headings = [p.text for p in docx.Document(str(root / "build" / "docx" / "planted-prd.docx")).paragraphs
                if p.style.name.startswith("Heading")]
    assert "Open questions" in headings, headings
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(root / "build" / "pdf" / "planted-prd.pdf")).pages)
    assert "Open questions" in text and "`" not in text and "**" not in text


def test_two_spaces_ending_a_line_break_it_in_every_format_and_are_no_change_to_the_text(repo):
    import docx

    prd = PRD.replace("## Problem\n", "## Problem\n\nRoses are red,  \nviolets are blue.\n\n")
    root = repo({"specs/prd.md": prd.format(port=9)}, CONFIG.replace("formats: []", "formats: [html, docx]"))
    assert run_gitspec(root, "render").code == 0
    assert "Roses are red,<br>violets are blue." in (root / "build" / "html" / "planted-prd.html").read_text()
    paragraph = next(p for p in docx.Document(str(root / "build" / "docx" / "planted-prd.docx")).paragraphs
                     if p.text.startswith("Roses"))
    assert paragraph.text == "Roses are red,\nviolets are blue." and paragraph._p.xpath(".//w:br")
    # The spaces are formatting: taking them out changes no section, so nothing is uncommitted.
    (root / "specs" / "prd.md").write_text(prd.format(port=9).replace("red,  \n", "red,\n"))
    assert run_gitspec(root, "render").code == 0
    assert "uncommitted" not in (root / "build" / "html" / "planted-prd.html").read_text()


def test_a_hard_break_in_a_document_saved_with_a_bom_renders_as_without_it(repo):
    # Notepad saves UTF-8 with a BOM: render and build stopped with an internal error (exit 3) then.
    prd = PRD.format(port=9).replace("## Problem\n", "## Problem\n\nRoses are red,  \nviolets are blue.\n\n")
    root = repo({"specs/prd.md": b"\xef\xbb\xbf" + prd.encode()}, HTML_ONLY)
    done = run_gitspec(root, "render")
    assert done.code == 0, done
    assert "Roses are red,<br>violets are blue." in (root / "build" / "html" / "planted-prd.html").read_text()
    assert run_gitspec(root, "build").code == 0


def test_a_render_with_check_errors_exits_1_having_rendered_what_it_could(repo):
    root = repo({**specs(), "specs/sprint.yaml": "kind: tasks\nid: sprint\ntitle: Sprint\nitems: [\n"}, HTML_ONLY)
    result = run_gitspec(root, "render")
    assert result.code == 1, result  # as a build's: CI must not pass an incomplete site
    assert "specs/sprint.yaml:5:1: error: YAML syntax error" in result.err, result
    assert (root / "build" / "html" / "reqs.html").exists() and not (root / "build" / "html" / "sprint.html").exists()
    (root / "specs" / "sprint.yaml").unlink()
    assert run_gitspec(root, "render").code == 0


def test_before_the_first_commit_every_format_says_no_commits_yet(tmp_path):
    import docx

    root = tmp_path / "ws"
    git(tmp_path, "init", "-q", str(root))
    write_files(root, {"gitspec.yaml": CONFIG.replace("formats: []", "formats: [html, docx]"), **specs(),
                       "specs/ev.yaml": passed_evidence("9c1e4b7" * 5 + "9c1e4")})
    result = run_gitspec(root, "render")
    assert result.code == 0, result
    assert "no commits yet" in (root / "build/html/index.html").read_text()
    matrix = (root / "build/html/traceability.html").read_text()
    assert "evidence ev-0001 was taken on 9c1e4b7, and the repository has no commits yet" in matrix
    assert "ancestor of HEAD" not in matrix
    footer = docx.Document(str(root / "build/docx/book.docx")).sections[0].footer.paragraphs[0].text
    assert "no commits yet" in footer, footer




def test_the_configured_language_is_every_formats_and_changing_it_renders_again(repo):
    """Every page said lang="en" and Word en-US, whatever language the specs are in, with no setting to change it."""
    import docx
    import pypdf

    root = repo({**specs()}, CONFIG.replace("formats: []", "formats: [html, pdf, docx]") + "language: ja\n")
    result = run_gitspec(root, "render")
    assert result.code == 0, result
    for name in ("index.html", "reqs.html", "traceability.html"):
        assert '<html lang="ja">' in (root / "build/html" / name).read_text(), name
    for name in ("reqs.pdf", "book.pdf"):
        assert pypdf.PdfReader(root / "build/pdf" / name).trailer["/Root"]["/Lang"] == "ja", name
    for name in ("reqs.docx", "book.docx"):
        defaults = docx.Document(str(root / "build/docx" / name)).styles.element.xpath("w:docDefaults//w:lang")[0]
        assert (defaults.get(W + "val"), defaults.get(W + "eastAsia")) == ("en-US", "ja"), name  # as Word sets up ja
    write_files(root, {"gitspec.yaml": CONFIG.replace("formats: []", "formats: [html, pdf, docx]") + "language: ar\n"})
    again = run_gitspec(root, "render")
    assert "(0 unchanged)" in again.err, again
    assert '<html lang="ar">' in (root / "build/html/reqs.html").read_text()
    defaults = docx.Document(str(root / "build/docx/reqs.docx")).styles.element.xpath("w:docDefaults//w:lang")[0]
    assert (defaults.get(W + "val"), defaults.get(W + "bidi")) == ("en-US", "ar")


def test_a_document_whose_file_differs_from_head_says_so_in_its_pdf_header_and_word_footer(repo):
    """Before, only a changed section counted: an uncommitted header edit (an approval, a status), a
    removed section or a comment left the PDF header, Word footer and Word version saying "commit X",
    as if the file were what X holds, while the index and the book said "with uncommitted changes"."""
    import docx

    root = repo({"specs/reqs.yaml": "status: draft\n" + requirements_doc("reqs", requirement("REQ-001")),
                 "specs/ev.yaml": passed_evidence("0" * 40).replace("id: ev-0001", "id: ev"),
                 "specs/notes.yaml": requirements_doc("notes", requirement("REQ-002")),
                 "specs/same.yaml": requirements_doc("same", requirement("REQ-003"))},
                CONFIG.replace("formats: []", "formats: [pdf, docx]"))
    head = git(root, "rev-parse", "--short=7", "HEAD").strip()
    edits = {"reqs": ("status: draft", "status: review"), "ev": ("exitCode: 0\n", ""),
             "notes": ("items:", "# kept for the audit\nitems:")}
    for doc_id, (old, new) in edits.items():
        path = root / "specs" / f"{doc_id}.yaml"
        path.write_text(path.read_text().replace(old, new))
    assert run_gitspec(root, "render").code == 0
    for doc_id, label in [*((d, f"commit {head} with uncommitted changes") for d in edits), ("same", f"commit {head}")]:
        pdf = subprocess.run(["pdftotext", "-l", "1", str(root / "build/pdf" / f"{doc_id}.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
        assert pdf.split()[:len(label.split()) + 1] == [doc_id, *label.split()], (doc_id, pdf[:80])
        document = docx.Document(str(root / "build/docx" / f"{doc_id}.docx"))
        assert document.sections[0].footer.paragraphs[0].text == f"{doc_id} · {label} · page 1"
        assert document.core_properties.version == head + ("+dirty" if doc_id in edits else "")


def test_a_file_checked_out_with_other_line_endings_is_not_an_uncommitted_change(repo):
    """Its bytes differ from the commit's (git writes CRLF where it keeps LF), but git sees no change."""
    import docx

    root = repo({".gitattributes": "*.yaml text eol=crlf\n",
                 "specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))},
                CONFIG.replace("formats: []", "formats: [docx]"))
    (root / "specs/reqs.yaml").unlink()
    git(root, "checkout", "--", "specs/reqs.yaml")
    assert b"\r\n" in (root / "specs/reqs.yaml").read_bytes()
    assert run_gitspec(root, "render").code == 0
    head = git(root, "rev-parse", "--short=7", "HEAD").strip()
    assert docx.Document(str(root / "build/docx/reqs.docx")).core_properties.version == head


def test_a_requirement_id_two_documents_define_gets_each_its_own_verdict_and_link(repo):
    """The check reports the duplicate id; the matrix still tells each row's truth. Before, both
    rows showed the later document's "stale" and both linked to the first document."""
    root = repo({"specs/a.yaml": requirements_doc("a", requirement("REQ-001"))}, HTML_ONLY)
    first = git(root, "rev-parse", "HEAD").strip()
    write_files(root, {"specs/ev.yaml": passed_evidence(first).replace("id: ev-0001", "id: ev"),
                       "specs/z.yaml": requirements_doc("z", requirement("REQ-001").replace("Title of", "Other"))})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "evidence, and z.yaml repeating REQ-001")
    assert "duplicate id 'REQ-001'" in run_gitspec(root, "check").out
    run_gitspec(root, "render")
    matrix = (root / "build/html/traceability.html").read_text()
    rows = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr(?: id=\"[^\"]*\")?>(.*?)</tr>", matrix)]
    links = re.findall(r'<tr id="[^"]*"><td dir="auto"><a href="([^"]+)"', matrix)
    assert rows[1].startswith("REQ-001 Title of REQ-001 — ev verified"), rows
    assert rows[2].startswith("REQ-001 Other REQ-001 — ev stale"), rows
    assert links == ["a.html#REQ-001", "z.html#REQ-001"]
    for doc_id, verdict in (("a", "verified"), ("z", "stale")):  # and beside the requirement on its page
        page = (root / f"build/html/{doc_id}.html").read_text()
        assert re.search(rf'<span class="badge badge-\w+"><bdi>{verdict}</bdi></span>', page), doc_id


def test_an_evidence_tail_is_shown_as_code_with_its_spaces_in_every_format(repo):
    import docx

    tail = "tail: |\n  >       assert add(1, 2) == 4\n  E       assert 3 == 4\n"
    root = repo({**specs(), "specs/ev.yaml": passed_evidence("9c1e4b7" * 5 + "9c1e4") + tail})
    assert run_gitspec(root, "render", "--format", "html,docx").code == 0
    page = (root / "build/html/ev-0001.html").read_text()
    assert ('<pre tabindex="0" role="group" aria-label="Code"><code>&gt;       assert add(1, 2) == 4\n'
            'E       assert 3 == 4\n</code></pre>') in page  # not <p>…<br>
    shown = [p for p in docx.Document(str(root / "build/docx/ev-0001.docx")).paragraphs if "assert" in p.text]
    assert [p.style.name for p in shown] == ["Code"], [(p.style.name, p.text) for p in shown]
    assert shown[0].text.startswith(">       assert add(1, 2) == 4")


def test_each_row_of_the_traceability_matrix_can_be_linked_to_in_every_format(repo):
    """Its rows had no ids: a row of 2,000 could not be linked to (`traceability.html#REQ-0042`)."""
    import docx
    import pypdf

    items = "".join(requirement(f"REQ-{i:03d}") for i in range(1, 61))
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", items),
                 "specs/more.yaml": requirements_doc("more", requirement("REQ-001"))},
                CONFIG.replace("formats: []", "formats: [html, pdf, docx]"))
    assert run_gitspec(root, "render").code == 1  # (REQ-001 twice: a finding, rendered all the same)
    html = (root / "build/html/traceability.html").read_text()
    rows = re.findall(r'<tr id="([^"]*)"><td[^>]*><a href="([^"]*)"', html)
    assert rows[:2] == [("REQ-001", "more.html#REQ-001"), ("REQ-001-2", "reqs.html#REQ-001")]  # as other anchors
    assert len(rows) == 61 and rows[-1] == ("REQ-060", "reqs.html#REQ-060")
    reader = pypdf.PdfReader(root / "build/pdf/traceability.pdf")
    assert {"REQ-001", "REQ-001-2", "REQ-060"} <= set(reader.named_destinations)
    assert len(reader.pages) > 2 and all("Requirement Title Tasks Evidence Verdict Why" in " ".join(
        page.extract_text().split()) for page in reader.pages[1:])  # the header row on each page of the table
    book = docx.Document(str(root / "build/docx/book.docx")).element.body
    links = {link.get(W + "anchor") for link in book.iter(W + "hyperlink")}
    marks = {mark.get(W + "name") for mark in book.iter(W + "bookmarkStart")}
    page = docx.Document(str(root / "build/docx/traceability.docx")).element.body
    assert len([tc for tc in page.iter(W + "tc") if tc.find(f".//{W}bookmarkStart") is not None]) == 61
    assert links <= marks


def test_a_file_outside_the_workspace_is_named_as_check_names_it(tmp_path):
    """Before, `render /etc/passwd` said `no document with id '/etc/passwd'`, where check says the file is
    outside the workspace; and files of two workspaces were to be "checked" each on its own by render."""
    for name in ("a", "b"):
        make_repo(tmp_path / name, {"gitspec.yaml": HTML_ONLY, "specs/reqs.yaml": requirements_doc(
            "reqs", requirement("REQ-001"))})
    a, other = tmp_path / "a", str(tmp_path / "b" / "specs" / "reqs.yaml")
    for given in ("/etc/passwd", other):
        checked, rendered = run_gitspec(a, "check", given), run_gitspec(a, "render", "--format", "html", given)
        assert rendered.code == checked.code == 2 and rendered.out == "", rendered
        assert rendered.err == checked.err == f"gitspec: error: {given} is outside the workspace {a}\n", rendered
    two = run_gitspec(tmp_path, "render", "--format", "html", "a/specs/reqs.yaml", "b/specs/reqs.yaml")
    assert two.code == 2 and two.err == ("gitspec: error: a/specs/reqs.yaml and b/specs/reqs.yaml are in different "
                                         "workspaces: render each workspace on its own\n"), two
    assert not (a / "build").exists()


def test_rendering_a_named_document_renders_the_matrix_again_when_what_it_shows_changed(repo):
    """`render reqs` rendered reqs.html alone: after an edit to a requirement its page said its evidence was
    stale while traceability.html, left as it was, still said the requirement was verified."""
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    head = git(root, "rev-parse", "HEAD").strip()
    write_files(root, {"specs/ev.yaml": passed_evidence(head)})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "evidence")
    assert run_gitspec(root, "render").code == 0
    page, matrix = root / "build/html/reqs.html", root / "build/html/traceability.html"
    before = matrix.read_text()
    spec = root / "specs/reqs.yaml"
    spec.write_text(spec.read_text().replace("shall do REQ-001", "shall do REQ-001 twice"))
    git(root, "commit", "-qam", "change REQ-001")
    named = run_gitspec(root, "render", "reqs")
    assert named.code == 0, named
    assert "twice" in page.read_text()
    assert "1 stale." not in before and "REQ-001 changed since ev-0001 was taken" in matrix.read_text()
    unchanged = run_gitspec(root, "render", "reqs")
    assert "rendered 0" in unchanged.err, unchanged  # nor again when nothing changed
