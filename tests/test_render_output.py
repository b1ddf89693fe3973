"""Where `gitspec render` writes: a clear error when it cannot, never outside the workspace,
and never over or instead of a file that gitspec did not write."""
from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import stat
import subprocess
import threading
import time
import zlib

import docx
import pypdf
import pytest
from conftest import CONFIG, GIT_ENV, GITSPEC, git, run_gitspec, write_files

HTML_ONLY = CONFIG.replace("formats: []", "formats: [html]")
WAIT = 30.0  # seconds; a render of a page or two takes well under one


def workspace(repo, *ids: str, config: str = HTML_ONLY):
    """A workspace with a PRD per id, made as a user makes them."""
    root = repo({}, config)
    for doc_id in ids:
        assert run_gitspec(root, "new", "prd", doc_id).code == 0
    return root


def warnings_of(result) -> str:
    """What a render said on stderr but for its summary line (`gitspec: rendered ...`)."""
    return "".join(line for line in result.err.splitlines(keepends=True) if not line.startswith("gitspec: rendered "))


def assert_one_line_error(result, text: str) -> None:
    assert result.code == 2, result
    assert result.err.strip() == f"gitspec: error: {text}", result


@pytest.mark.parametrize("layout, error", [
    ({"afile": "a file\n"}, "cannot write afile/html/notes.html: afile is not a folder"),
    ({"build/html": "a file\n"}, "cannot write build/html/notes.html: build/html is not a folder"),
])
def test_a_file_where_the_output_needs_a_folder_is_a_clear_error(repo, layout, error):
    config = HTML_ONLY.replace("output: build", "output: afile") if "afile" in layout else HTML_ONLY
    root = workspace(repo, "notes", config=config)
    write_files(root, layout)
    assert_one_line_error(run_gitspec(root, "render"), error)
    assert (root / next(iter(layout))).read_text() == "a file\n"


def test_a_folder_where_a_page_goes_is_a_clear_error_and_so_is_one_where_a_page_was(repo):
    root = workspace(repo, "notes")
    (root / "build" / "html" / "notes.html").mkdir(parents=True)
    assert_one_line_error(run_gitspec(root, "render"), "cannot write build/html/notes.html: Is a directory")
    (root / "build" / "html" / "notes.html").rmdir()
    assert run_gitspec(root, "render").code == 0
    # the page is gone from the specs, and where gitspec wrote it there is now a folder
    (root / "specs" / "notes.md").unlink()
    (root / "build" / "html" / "notes.html").unlink()
    write_files(root, {"build/html/notes.html/kept.txt": "mine\n"})
    assert_one_line_error(run_gitspec(root, "render"), "cannot remove build/html/notes.html: Is a directory")
    assert (root / "build" / "html" / "notes.html" / "kept.txt").read_text() == "mine\n"


def test_a_word_book_whose_folder_is_a_file_is_a_clear_error(repo):
    root = workspace(repo, "notes", config=CONFIG.replace("formats: []", "formats: [docx]"))
    write_files(root, {"build/docx": "a file\n"})
    assert_one_line_error(run_gitspec(root, "render"), "cannot write build/docx/notes.docx: build/docx is not a folder")


def test_a_store_that_cannot_hold_the_manifest_is_a_clear_error(repo):
    root = workspace(repo, "notes")
    assert run_gitspec(root, "render").code == 0
    shutil.rmtree(root / ".gitspec" / "renders")
    write_files(root, {".gitspec/renders": "a file\n"})
    assert_one_line_error(run_gitspec(root, "render"),
                          "cannot write .gitspec/renders/html.json: .gitspec/renders is not a folder")


def test_a_watch_reports_an_output_it_cannot_write_and_goes_on(repo):
    root = workspace(repo, "notes")
    watch = subprocess.Popen([GITSPEC, "render", "--watch"], cwd=root, env={**os.environ, **GIT_ENV}, text=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=lambda: [*map(lines.put, watch.stderr), lines.put(None)], daemon=True).start()
    seen: list[str] = []

    def wait_for(text: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            assert line is not None, f"watch ended early: {seen}"
            seen.append(line.rstrip("\n"))
            if text in line:
                return seen[-1]
        raise AssertionError(f"no line with {text!r} in {WAIT} s; saw {seen}")

    try:
        wait_for("watching")
        page = root / "build" / "html" / "notes.html"
        page.unlink()
        page.mkdir()  # in the watch's own folder: no render yet
        spec = root / "specs" / "notes.md"
        spec.write_text(spec.read_text().replace("TODO Who", "Edited: who"))
        assert wait_for("error") == "gitspec: error: cannot write build/html/notes.html: Is a directory"
        page.rmdir()
        spec.write_text(spec.read_text().replace("Edited: who", "Edited again: who"))
        wait_for("rendered")
        assert "Edited again" in page.read_text()
        assert watch.poll() is None, seen
    finally:
        watch.send_signal(signal.SIGINT)
        assert watch.wait(timeout=WAIT) == 0, seen


@pytest.mark.parametrize("link, target, shown, owner", [("build", ".git", ".git/html", "git"),
                                                        ("build", ".gitspec", ".gitspec/html", "gitspec"),
                                                        ("build/html", "../.git/info", ".git/info", "git")])
def test_an_output_folder_that_a_symlink_takes_into_git_or_the_store_is_refused(repo, link, target, shown, owner):
    root = workspace(repo, "notes")
    assert run_gitspec(root, "check").code == 0  # the store is there
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(target)
    assert_one_line_error(run_gitspec(root, "render"), f"the output folder build/html leads into {owner}'s own "
                          f"folder, to {shown} (a symlink); choose another folder")
    assert not [path for folder in (".git", ".gitspec") for path in (root / folder).rglob("*.html")]


@pytest.mark.parametrize("link, output", [("build", "build"), ("out", "out"), ("build/html", "build")])
def test_an_output_folder_that_a_symlink_takes_outside_the_workspace_is_refused(repo, tmp_path, link, output):
    root = workspace(repo, "notes", config=HTML_ONLY.replace("output: build", f"output: {output}"))
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(outside if link == "out" else os.path.relpath(outside, (root / link).parent))
    shown = f"{output}/html"
    resolved = outside / "html" if link != "build/html" else outside
    assert_one_line_error(run_gitspec(root, "render"), f"the output folder {shown} leads outside the workspace, "
                          f"to {resolved} (a symlink); gitspec writes only inside the workspace")
    assert list(outside.iterdir()) == []
    # a symlink to a folder inside the workspace is fine
    (root / link).unlink()
    (root / "site").mkdir()
    (root / link).symlink_to(root / "site")
    assert run_gitspec(root, "render").code == 0
    assert (root / link / ("notes.html" if link == "build/html" else "html/notes.html")).is_file()


def test_a_symlink_inside_the_format_folder_that_leads_outside_is_refused(repo, tmp_path):
    root = workspace(repo, "notes")
    assert run_gitspec(root, "render").code == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(root / "build" / "html" / "assets")
    (root / "build" / "html" / "assets").symlink_to(outside)
    (root / "specs" / "notes.md").write_text((root / "specs" / "notes.md").read_text().replace("Notes", "Renamed"))
    assert_one_line_error(run_gitspec(root, "render"), "cannot write build/html/assets/live.js: "
                          f"a symlink leads it outside build/html, to {outside / 'live.js'}")
    assert list(outside.iterdir()) == []


def test_a_symlink_loop_where_an_earlier_pdf_was_is_rendered_again_not_a_crash(repo):
    root = workspace(repo, "alpha", "beta", config=CONFIG.replace("formats: []", "formats: [pdf]"))
    assert run_gitspec(root, "render").code == 0
    (root / "build" / "pdf" / "beta.pdf").unlink()
    (root / "build" / "pdf" / "beta.pdf").symlink_to("beta.pdf")  # a loop, where the book takes beta's pages from
    alpha = root / "specs" / "alpha.md"
    alpha.write_text(alpha.read_text() + "\nA new paragraph.\n")
    result = run_gitspec(root, "render", "alpha")
    assert result.code == 0 and result.err == "gitspec: rendered 2 (0 unchanged), 2 files written\n", result
    book = "".join(page.extract_text() for page in pypdf.PdfReader(root / "build" / "pdf" / "book.pdf").pages)
    assert "A new paragraph." in book and "Beta" in book


def test_a_new_output_folder_keeps_the_users_file_of_a_page_that_is_gone(repo):
    root = workspace(repo, "keep", "old")
    assert run_gitspec(root, "render").code == 0
    write_files(root, {"pub/html/old.html": "MINE\n"})
    write_files(root, {"gitspec.yaml": HTML_ONLY.replace("output: build", "output: pub")})
    (root / "specs" / "old.md").unlink()
    moved = run_gitspec(root, "render")
    assert moved.code == 0, moved
    assert (root / "pub" / "html" / "old.html").read_text() == "MINE\n"
    assert (root / "pub" / "html" / "keep.html").is_file()
    assert (root / "build" / "html" / "old.html").is_file()  # the old folder is left as it was


def test_a_file_gitspec_did_not_write_is_kept_until_the_user_moves_it(repo):
    root = workspace(repo, "notes")
    assert run_gitspec(root, "render").code == 0
    mine = root / "build" / "html" / "mine.html"
    mine.write_text("MY OWN\n")
    assert run_gitspec(root, "new", "prd", "mine").code == 0
    kept = run_gitspec(root, "render")
    assert kept.code == 0, kept
    warning = "warning: kept build/html/mine.html, which gitspec did not write; move it away to render mine\n"
    assert warnings_of(kept) == warning, kept
    assert mine.read_text() == "MY OWN\n"
    again = run_gitspec(root, "render")  # the page was not recorded as rendered: it is tried again
    assert warnings_of(again) == warning, again
    assert mine.read_text() == "MY OWN\n"
    mine.rename(root / "mine-by-hand.html")
    moved = run_gitspec(root, "render")
    assert moved.code == 0 and moved.out == warnings_of(moved) == "", moved
    assert "<!doctype html>" in mine.read_text()
    # with the cache deleted, gitspec takes over the files it wrote (they bear its mark), without a word
    shutil.rmtree(root / ".gitspec")
    spec = root / "specs" / "notes.md"
    spec.write_text(spec.read_text().replace("TODO Who", "Edited: who"))
    cold = run_gitspec(root, "render")
    assert cold.code == 0 and cold.out == warnings_of(cold) == "", cold
    assert "Edited: who" in (root / "build" / "html" / "notes.html").read_text()


@pytest.mark.parametrize("fmt, name", [("html", "notes.html"), ("html", "assets/site.css"), ("pdf", "notes.pdf"),
                                       ("pdf", "book.pdf"), ("docx", "notes.docx")])
def test_without_its_manifest_a_render_keeps_a_file_gitspec_did_not_write(repo, fmt, name):
    """A new output folder, or .gitspec/ deleted: before, the user's own file there was replaced without a word."""
    root = workspace(repo, "notes")
    write_files(root, {f"build/{fmt}/{name}": "my own file\n", f"build/{fmt}/other.{fmt}": "%PDF-1.7 cut short\n"})
    assert run_gitspec(root, "new", "prd", "other").code == 0
    result = run_gitspec(root, "render", "--format", fmt)
    assert result.code == 0 and f"warning: kept build/{fmt}/{name}, which gitspec did not write" in result.err, result
    assert f"warning: kept build/{fmt}/other.{fmt}," in result.err and "EOF" not in result.err, result
    assert (root / "build" / fmt / name).read_text() == "my own file\n"


def _retitle(root, doc_id: str, title: str) -> None:
    spec = root / "specs" / f"{doc_id}.md"
    spec.write_text(re.sub(r'(?m)^title: .*$', f'title: "{title}"', spec.read_text(), count=1))


def test_without_its_manifest_a_render_takes_over_every_file_gitspec_wrote(repo):
    root = workspace(repo, "notes", "other")
    assert run_gitspec(root, "render", "--format", "html,pdf,docx").code == 0
    shutil.rmtree(root / ".gitspec")
    _retitle(root, "notes", "Notes renamed")
    result = run_gitspec(root, "render", "--format", "html,pdf,docx")
    assert result.code == 0 and result.out == warnings_of(result) == "", result
    assert "Notes renamed" in (root / "build/html/notes.html").read_text()
    assert "Notes renamed" in pypdf.PdfReader(root / "build/pdf/notes.pdf").metadata.title
    assert "Notes renamed" in docx.Document(str(root / "build/docx/notes.docx")).core_properties.title


def test_a_render_of_one_document_without_its_manifest_leaves_the_others_to_the_next_render(repo):
    """Before, the manifest it saved listed only that document, so the next render called the others'
    pages files gitspec did not write, and kept them stale for good."""
    root = workspace(repo, "alpha", "beta")
    assert run_gitspec(root, "render", "--format", "html").code == 0
    shutil.rmtree(root / ".gitspec")
    assert run_gitspec(root, "render", "--format", "html", "alpha").code == 0
    _retitle(root, "beta", "Beta renamed")
    result = run_gitspec(root, "render", "--format", "html")
    assert result.code == 0 and result.out == warnings_of(result) == "", result
    assert "Beta renamed" in (root / "build/html/beta.html").read_text()


@pytest.mark.parametrize("listed", [False, True])
def test_a_named_pipe_where_a_page_goes_is_kept_not_read(repo, listed):
    """Before, the render read it, and waited for a writer for ever, holding the workspace's lock."""
    root = workspace(repo, "notes")
    assert run_gitspec(root, "render").code == 0
    if listed:  # the page gitspec wrote, replaced by a pipe
        (root / "build/html/notes.html").unlink()
        _retitle(root, "notes", "Notes renamed")
    else:
        assert run_gitspec(root, "new", "prd", "other").code == 0
    page = root / "build/html" / ("notes.html" if listed else "other.html")
    os.mkfifo(page)
    result = subprocess.run([GITSPEC, "render"], cwd=root, env={**os.environ, **GIT_ENV}, capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, result
    assert result.stdout == "" and result.stderr.startswith(f"warning: kept build/html/{page.name}, which gitspec "
                                                            f"did not write; move it away to render {page.stem}\n"
                                                            "gitspec: rendered "), result
    assert stat.S_ISFIFO(os.lstat(page).st_mode)


def _doc(doc_id: str, title: str, items: int = 1) -> str:
    """A requirements document with `items` requirements, whose ids come from the document's."""
    first = zlib.crc32(doc_id.encode())
    return f'kind: requirements\nid: "{doc_id}"\ntitle: {title}\nitems:\n' + "".join(
        f"  - id: REQ-{(first + n) % 10 ** 6:06d}\n    title: T\n    statement: The system shall do it.\n"
        f"    acceptance: [It does.]\n    priority: must\n" for n in range(items))


def test_invalid_ids_give_safe_file_names_in_every_format_and_one_page_per_name(repo):
    root = repo({"specs/c1.yaml": _doc("c b", "First C"), "specs/c2.yaml": _doc("c_b", "Second C"),
                 "specs/s.yaml": _doc("sub/../../evil", "Evil")})
    assert run_gitspec(root, "render", "--format", "html,docx").code == 1  # the check reports the ids
    assert (root / "build/docx/sub_.._.._evil.docx").is_file() and not (root / "evil.docx").exists()
    first = (root / "build/html/c_b.html").read_text()
    assert "First C" in first  # the first by id keeps the page; the check reports both ids
    write_files(root, {"specs/c2.yaml": _doc("c_b", "Second C, edited")})
    assert run_gitspec(root, "render", "--format", "html").code == 1
    assert (root / "build/html/c_b.html").read_text() == first  # warm as cold


def test_a_page_edited_by_hand_is_rendered_again_even_at_the_same_size(repo):
    root = repo({"specs/r.yaml": _doc("reqs", "Xyz")})
    assert run_gitspec(root, "render", "--format", "html").code == 0
    page = root / "build/html/reqs.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"Xyz", b"Abc"))
    assert run_gitspec(root, "render", "--format", "html").code == 0
    assert page.read_bytes() == good
    assert "rendered 0 " in run_gitspec(root, "render", "--format", "html").err  # and then it is fresh again


def test_a_very_long_id_gets_a_file_name_every_file_system_takes(repo):
    long_id = "a" * 300
    root = repo({"specs/r.yaml": _doc(long_id, "Long")})
    result = run_gitspec(root, "render", "--format", "html,docx")
    assert result.code == 0, result
    pages = [p.name for p in (root / "build/html").glob("a*.html")] + [p.name for p in (root / "build/docx").glob("a*")]
    assert len(pages) == 2 and all(len(name) <= 255 for name in pages)
    assert pages[0].startswith("a" * 183 + "-")


def test_a_render_killed_before_saving_its_list_still_owns_the_files_it_wrote(repo):
    root = repo({"specs/r.yaml": _doc("reqs", "Reqs"), "specs/s.yaml": _doc("sreqs", "S")})
    assert run_gitspec(root, "render", "--format", "pdf").code == 0  # warm: the manifest lists its files
    # (big enough that a PDF worker is started for them: pdfpool.WORKER_START)
    write_files(root, {"specs/a.yaml": _doc("areqs", "A", 40), "specs/z.yaml": _doc("zreqs", "Z", 40)})
    already = _multiprocessing_helpers()
    render = subprocess.Popen([GITSPEC, "render", "--format", "pdf"], cwd=root, env={**os.environ, **GIT_ENV},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (root / "build/pdf/areqs.pdf").exists() and render.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    before = already
    render.kill()  # as kill -9: nothing of it runs after this
    render.wait()
    deadline = time.monotonic() + 10
    while _multiprocessing_helpers() - before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _multiprocessing_helpers() - before  # its PDF workers ended with it
    write_files(root, {"specs/a.yaml": _doc("areqs", "A, renamed")})
    result = run_gitspec(root, "render", "--format", "pdf")
    assert result.code == 0 and "kept" not in result.err, result
    assert not list((root / ".gitspec/renders").glob("*.pending"))


def _multiprocessing_helpers() -> set[int]:
    """Processes running multiprocessing's forkserver or resource tracker (PDF workers and their helpers)."""
    found = set()
    for entry in os.listdir("/proc"):
        try:
            command = open(f"/proc/{entry}/cmdline", "rb").read()
        except OSError:
            continue
        if b"multiprocessing.forkserver" in command or b"multiprocessing.resource_tracker" in command:
            found.add(int(entry))
    return found


def test_sigterm_stops_a_render_as_ctrl_c_does(repo):
    root = repo({f"specs/r{n}.yaml": _doc(f"reqs{n}", f"R{n}") for n in range(20)})
    render = subprocess.Popen([GITSPEC, "render", "--format", "pdf"], cwd=root, env={**os.environ, **GIT_ENV},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(root.glob("build/pdf/*.pdf")) and render.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    render.terminate()  # laying out: the first PDFs are written, most are not
    _, err = render.communicate(timeout=60)
    if "gitspec: rendered" in err:
        pytest.skip("the render finished before it was stopped")
    assert (render.returncode, err.splitlines()[-1]) == (143, "gitspec: terminated")
    assert not [p for p in (root / "build").rglob("*") if p.name.endswith(".tmp")]


def test_a_very_long_id_is_cut_in_the_pdf_running_header_and_the_commit_beside_it_stays_on_the_page(repo):
    import shutil

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    long_id = "b" * 230
    root = repo({"specs/r.yaml": _doc(long_id, "Long")})
    assert run_gitspec(root, "render", "--format", "pdf").code == 0
    pdf = next((root / "build/pdf").glob("b*.pdf"))
    last = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # a page of sections, under the running header
    header = last.strip().splitlines()[0]
    assert "b" * 47 + "…" in header and "b" * 48 not in header, header
    assert header.rstrip().endswith("commit " + git(root, "rev-parse", "--short", "HEAD").strip()), header


def test_pages_an_earlier_gitspec_wrote_are_taken_over_when_the_cache_is_gone(repo):
    """Pages from before the generator meta carry only the search box every page has: with no manifest
    (`.gitspec` deleted, a fresh clone of committed output), they were all kept as the user's."""
    import shutil

    root = workspace(repo, "alpha")
    assert run_gitspec(root, "render").code == 0
    for page in (root / "build" / "html").glob("*.html"):
        page.write_text(page.read_text().replace('<meta name="generator" content="gitspec">\n', ""))
    shutil.rmtree(root / ".gitspec")
    prd = root / "specs" / "alpha.md"
    prd.write_text(prd.read_text().replace('title: "Alpha"', 'title: "Alpha two"'))
    result = run_gitspec(root, "render")
    assert result.code == 0 and "kept" not in result.err, result
    assert "Alpha two" in (root / "build" / "html" / "alpha.html").read_text()


@pytest.mark.parametrize("damage", ["../elsewhere.txt", "{tmp}/elsewhere.txt", "./../../elsewhere.txt"])
def test_a_manifest_entry_naming_a_file_outside_the_folder_is_dropped_and_the_page_rendered_again(repo, tmp_path,
                                                                                                   damage):
    # Before, every later render stopped with "renderer wrote outside its folder" (exit 2), and so did
    # the one after cache gc: the damaged manifest wedged the workspace.
    import json

    root = workspace(repo, "notes")
    assert run_gitspec(root, "render").code == 0
    damage = damage.format(tmp=tmp_path)
    elsewhere = root / "build" / "html" / damage
    elsewhere.write_text("mine\n")
    manifest = root / ".gitspec" / "renders" / "html.json"
    entries = json.loads(manifest.read_text())
    entries["notes"]["files"][damage] = [5, 1]
    manifest.write_text(json.dumps(entries))
    result = run_gitspec(root, "render")
    assert result.code == 0 and "rendered 1 (0 unchanged)" in result.err, result
    assert elsewhere.read_text() == "mine\n"
    assert damage not in json.loads(manifest.read_text())["notes"]["files"]
    again = run_gitspec(root, "render")
    assert again.code == 0 and "rendered 0 (1 unchanged)" in again.err, again


def test_a_format_dropped_from_the_config_takes_its_files_away_but_the_users(repo):
    """Before, `formats: [html]` after a render of [html, pdf, docx] left build/pdf and build/docx in place,
    stale. Now what gitspec wrote there, as it wrote it, is removed; an edited or replaced file is kept."""
    root = workspace(repo, "alpha", "beta", config=CONFIG.replace("formats: []", "formats: [html, pdf, docx]"))
    assert run_gitspec(root, "render").code == 0
    pdfs, docxs = sorted((root / "build/pdf").iterdir()), sorted((root / "build/docx").iterdir())
    assert [p.name for p in pdfs] == ["alpha.pdf", "beta.pdf", "book.pdf"] and len(docxs) == 3
    (root / "build/docx/beta.docx").write_bytes(b"the user's own notes")  # replaced: kept
    (root / "build/pdf/mine.txt").write_text("user file")  # never gitspec's
    write_files(root, {"gitspec.yaml": HTML_ONLY})
    dropped = run_gitspec(root, "render")
    assert dropped.code == 0 and dropped.out == "" and dropped.err == (
        "warning: kept build/docx/beta.docx, which changed since gitspec wrote it; the docx format is no longer rendered\n"
        "gitspec: rendered 0 (2 unchanged), 0 files written, 5 removed (no longer in formats: docx, pdf)\n"), dropped
    assert sorted(p.name for p in (root / "build/pdf").iterdir()) == ["mine.txt"]
    assert sorted(p.name for p in (root / "build/docx").iterdir()) == ["beta.docx"]
    assert (root / "build/docx/beta.docx").read_bytes() == b"the user's own notes"
    assert (root / "build/html/alpha.html").is_file()
    again = run_gitspec(root, "render")
    assert again.code == 0 and again.out == "" and again.err == "gitspec: rendered 0 (2 unchanged), 0 files written\n"


def test_a_format_rendered_on_request_alone_stays_and_cache_gc_keeps_what_says_so(repo):
    """`render --format pdf` with `formats: [html]` is a PDF asked for: a later plain render or build keeps it."""
    root = workspace(repo, "alpha", "beta", config=HTML_ONLY)
    assert run_gitspec(root, "render").code == 0
    asked = run_gitspec(root, "render", "--format", "pdf")
    assert asked.code == 0 and (root / "build/pdf/alpha.pdf").is_file(), asked
    assert run_gitspec(root, "cache", "gc").code == 0
    again = run_gitspec(root, "render")
    assert again.code == 0 and "removed" not in again.err, again
    assert sorted(p.name for p in (root / "build/pdf").iterdir()) == ["alpha.pdf", "beta.pdf", "book.pdf"]
    write_files(root, {"gitspec.yaml": CONFIG.replace("formats: []", "formats: [html, pdf]")})
    assert run_gitspec(root, "render").code == 0
    write_files(root, {"gitspec.yaml": HTML_ONLY})  # listed, then dropped: now it goes
    assert run_gitspec(root, "cache", "gc").code == 0
    dropped = run_gitspec(root, "render")
    assert dropped.code == 0 and "3 removed (no longer in formats: pdf)" in dropped.err, dropped
    assert not (root / "build/pdf").exists()


def test_a_format_dropped_as_the_output_folder_changes_leaves_the_old_folder_as_it_is(repo):
    """Changing `output` leaves the old folder as it is, even when `formats` drops a format at once."""
    root = workspace(repo, "alpha", "beta", config=CONFIG.replace("formats: []", "formats: [html, pdf]"))
    assert run_gitspec(root, "render").code == 0
    write_files(root, {"gitspec.yaml": HTML_ONLY.replace("output: build", "output: site")})
    moved = run_gitspec(root, "render")
    assert moved.code == 0 and "removed" not in moved.err, moved
    assert sorted(p.name for p in (root / "build/pdf").iterdir()) == ["alpha.pdf", "beta.pdf", "book.pdf"]


def test_a_deleted_document_takes_its_pdf_and_word_file_away(repo):
    root = workspace(repo, "alpha", "beta", config=CONFIG.replace("formats: []", "formats: [html, pdf, docx]"))
    assert run_gitspec(root, "render").code == 0
    (root / "specs/beta.md").unlink()
    done = run_gitspec(root, "render")
    assert done.code == 0 and done.err.endswith(" files written, 4 removed\n"), done  # (and its search part)
    assert not any((root / "build" / folder / f"beta.{suffix}").exists()
                   for folder, suffix in (("html", "html"), ("pdf", "pdf"), ("docx", "docx")))
    assert (root / "build/pdf/alpha.pdf").is_file() and (root / "build/docx/alpha.docx").is_file()


def test_the_summary_counts_one_file_in_the_singular(repo):
    """It read "1 files written"."""
    root = workspace(repo, "alpha", "beta", config=HTML_ONLY)
    assert run_gitspec(root, "render").code == 0
    (root / "build/html/beta.html").unlink()
    again = run_gitspec(root, "render")
    assert again.code == 0 and again.err.endswith(", 1 file written\n"), again


def test_a_document_added_or_removed_lays_out_no_other_documents_pdf(repo):
    """A document's PDF shows nothing of the others (a link to one is plain text): adding one laid out
    every document's PDF again (the example: 6.4 s instead of about 1 s), though none changed."""
    root = workspace(repo, "alpha", "beta", config=CONFIG.replace("formats: []", "formats: [pdf]"))
    assert run_gitspec(root, "render").code == 0
    before = {name: (root / "build/pdf" / name).read_bytes() for name in ("alpha.pdf", "beta.pdf")}
    assert run_gitspec(root, "new", "prd", "gamma").code == 0
    added = run_gitspec(root, "render")
    assert added.code == 0 and added.err.startswith("gitspec: rendered 2 (2 unchanged)"), added  # gamma, the book
    (root / "specs/beta.md").unlink()
    removed = run_gitspec(root, "render")
    assert removed.code == 0 and removed.err.startswith("gitspec: rendered 1 (2 unchanged)"), removed  # the book
    assert (root / "build/pdf/alpha.pdf").read_bytes() == before["alpha.pdf"]
    assert not (root / "build/pdf/beta.pdf").exists() and (root / "build/pdf/gamma.pdf").is_file()


def test_a_document_added_rerenders_only_the_pages_that_name_it(repo):
    """An HTML page or a Word file shows links to other documents, never their titles: adding a
    document re-rendered every page in both formats (10,000 requirements: 12 s, not 1 s) though only
    those naming the new document change, as alpha's `product: product` does here (now a link)."""
    root = workspace(repo, "alpha", "beta", config=CONFIG.replace("formats: []", "formats: [html, docx]"))
    alpha = root / "specs/alpha.md"
    alpha.write_text(alpha.read_text().replace("kind: prd\n", "kind: prd\nproduct: product\n", 1))
    first = run_gitspec(root, "render")
    assert first.code == 1 and "unknown document 'product'" in first.err, first  # rendered all the same
    assert 'href="product.html"' not in (root / "build/html/alpha.html").read_text()
    before = (root / "build/docx/beta.docx").read_bytes()
    assert run_gitspec(root, "new", "product", "Build a billing dashboard").code == 0
    added = run_gitspec(root, "render")
    # in each format: the product, alpha (which names it) and the files that span documents; not beta
    # (exit 1: the product's skeleton lacks the sections `build` writes, a check error; rendered all the same)
    assert added.code == 1 and added.err.startswith("gitspec: rendered 6 (2 unchanged)"), added
    assert 'href="product.html"' in (root / "build/html/alpha.html").read_text()
    assert (root / "build/docx/beta.docx").read_bytes() == before
