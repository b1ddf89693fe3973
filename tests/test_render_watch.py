"""`gitspec render --watch`: a long-running render that follows the files as a user edits them."""
from __future__ import annotations

import contextlib
import http.server
import os
import queue
import shutil
import signal
import subprocess
import threading
import time

import pytest
from conftest import (
    CONFIG, GIT_ENV, GITSPEC, git, install_plugin, make_repo, requirement, requirements_doc, run_gitspec, write_files,
)
from test_render_html import Watched, browser, needs_chromium  # noqa: F401 (browser: a fixture)

HTML_ONLY = CONFIG.replace("formats: []", "formats: [html]")
WAIT = 30.0  # seconds; a re-render takes well under one


class Watcher:
    """`gitspec render --watch` as a subprocess, its stderr read line by line."""

    def __init__(self, root, *args: str, env: dict | None = None) -> None:
        env = {**os.environ, **GIT_ENV, **(env or {})}
        self.process = subprocess.Popen([GITSPEC, "render", "--watch", *args], cwd=root, env=env, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines: queue.Queue[str | None] = queue.Queue()  # None: stderr was closed
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, text: str) -> str:
        """The next stderr line containing `text`; lines before it are kept in `seen`."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            assert line is not None, f"watch ended early: {self.seen}"
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} in {WAIT} s; saw {self.seen}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=WAIT)
        self.process.stdout.close()
        return code


@pytest.fixture
def watched(repo):
    started = []

    def start(root, *args: str, env: dict | None = None) -> Watcher:
        watcher = Watcher(root, *args, env=env)
        started.append(watcher)
        watcher.wait_for("watching")
        return watcher

    yield start
    for watcher in started:
        if watcher.process.poll() is None:
            watcher.process.kill()
            watcher.process.wait()


def test_an_edit_is_rendered_and_a_broken_file_reported_without_stopping(repo, watched):
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    watcher = watched(root)
    assert "rendered 3 (0 unchanged)" in watcher.seen[0], watcher.seen
    assert " files written in " in watcher.seen[0], watcher.seen  # the first render says how long it took too
    page = root / "build" / "html" / "reqs.html"

    write_files(root, {"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001") + requirement("REQ-002"))})
    assert watcher.wait_for("changed") == "gitspec: changed specs/reqs.yaml"
    assert " files written in " in watcher.wait_for("rendered")
    assert "REQ-002" in page.read_text(encoding="utf-8")

    write_files(root, {"specs/reqs.yaml": "kind: requirements\nid: reqs\nitems: [\n"})
    # the check's error line (after the warning that the document is left out of the render)
    assert watcher.wait_for("specs/reqs.yaml:4:").startswith("specs/reqs.yaml:4:"), watcher.seen

    write_files(root, {"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-003"))})
    watcher.wait_for("rendered")
    assert "REQ-003" in page.read_text(encoding="utf-8")
    assert watcher.process.poll() is None
    assert watcher.stop() == 0
    assert watcher.lines.get(timeout=WAIT) == "gitspec: stopped watching"


def test_its_own_output_does_not_trigger_a_render_but_a_commit_does(repo, watched):
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    watcher = watched(root)
    write_files(root, {"build/html/scratch.txt": "mine\n", ".gitspec/scratch": "x\n"})
    probe = root / "specs" / "4913"  # vim makes and removes this file to see if it may write the folder
    probe.write_text("")
    probe.unlink()
    write_files(root, {"notes.txt": "a user's file\n", "specs/notes.txt": "not a document\n"})
    write_files(root, {"gitspec.yaml": HTML_ONLY + "# a comment\n"})
    # the first change reported is the config: the writes to build/ and .gitspec/ were ignored, and
    # so were a file made and removed at once and files that no render reads
    assert watcher.wait_for("changed") == "gitspec: changed gitspec.yaml"
    watcher.wait_for("rendered")
    git(root, "add", "notes.txt")
    git(root, "commit", "-qm", "notes")
    assert ".git/" in watcher.wait_for("changed")
    # the matrix shows HEAD's commit, so a commit re-renders it
    assert "rendered 0 (" not in watcher.wait_for("rendered"), watcher.seen
    assert watcher.stop() == 0


def test_a_problem_before_watching_starts_is_an_ordinary_error(repo):
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    done = subprocess.run([GITSPEC, "render", "--watch", "--format", "nope"], cwd=root, capture_output=True,
                          text=True, timeout=WAIT)
    assert done.returncode == 2, done
    assert "watching" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_watch_writes_its_token_once_per_render_after_the_rest_of_the_site(repo, watched):
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    watcher = watched(root)
    site = root / "build" / "html"
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    write_files(root, {"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")).replace(
        "title: Requirements\n", "title: Renamed\n")})
    line = watcher.wait_for("files written")
    after = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    live = site / "assets" / "live.js"
    changed = [path for path in after if path != live and before.get(path) != after[path]]
    # the index lists the new title: the site's files were rendered again, and live.js kept the
    # watch's token meanwhile (not OFF, which would reload open pages early), so it is not counted
    assert site / "index.html" in changed
    assert f"{len(changed)} files written" in line, (line, changed)
    assert set(_token(root)) != {"0"} and before[live] != after[live]
    assert watcher.stop() == 0


def _token(root) -> str:
    return (root / "build" / "html" / "assets" / "live.js").read_text().rsplit('("', 1)[1].split('"')[0]


@needs_chromium
def test_an_open_page_follows_each_watch_and_polls_only_slowly_without_one(repo, watched, browser):  # noqa: F811
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    assert run_gitspec(root, "render").code == 0
    assert set(_token(root)) == {"0"}  # a one-shot render: no watch to follow

    viewer = Watched(browser)
    polls: list[str] = []
    viewer.page.on("request", lambda r: "live.js?" in r.url and polls.append(r.url))
    viewer.page.goto((root / "build" / "html" / "reqs.html").as_uri())  # opened before the watch starts
    with viewer.page.expect_navigation(timeout=WAIT * 1000):  # the watch starts: the page reloads to follow it
        watcher = watched(root)
    first = _token(root)
    assert set(first) != {"0"}
    assert "REQ-002" not in viewer.page.content()
    with viewer.page.expect_navigation(timeout=WAIT * 1000):
        write_files(root, {"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001") + requirement("REQ-002"))})
    assert "REQ-002" in viewer.page.content()
    assert polls and _token(root) not in (first, "0" * 16)

    with viewer.page.expect_navigation(timeout=WAIT * 1000):  # stopping reloads it once more, to a quiet page
        watcher.process.send_signal(signal.SIGTERM)
    assert watcher.process.wait(timeout=WAIT) == 0
    assert watcher.wait_for("stopped watching") == "gitspec: stopped watching"
    assert set(_token(root)) == {"0"}
    polls.clear()
    viewer.page.wait_for_timeout(3000)
    assert 1 <= len(polls) <= 2, polls  # every two seconds now, not twice a second
    assert viewer.problems == []

    viewer.close()

    served = browser.new_context()  # the same site served over HTTP polls nothing without a watch
    page, requested, errors = served.new_page(), [], []
    page.on("request", lambda r: requested.append(r.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    with _served(root / "build" / "html") as base:
        page.goto(f"{base}/reqs.html")
        page.wait_for_timeout(2500)
    served.close()
    assert f"{base}/assets/live.js" in requested and not [url for url in requested if "live.js?" in url]
    assert errors == []


@contextlib.contextmanager
def _served(folder):
    """`folder` served over loopback HTTP while the block runs; yields the base URL."""
    import functools

    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_a_workspace_in_a_subfolder_of_its_repository_sees_commits(tmp_path, watched):
    repository = make_repo(tmp_path / "mono", {"product/gitspec.yaml": HTML_ONLY,
                                                "product/specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    root = repository / "product"
    watcher = watched(root)
    write_files(repository, {"README.md": "the monorepo\n"})
    git(repository, "add", "README.md")
    git(repository, "commit", "-qm", "readme")
    assert "../.git/" in watcher.wait_for("changed"), watcher.seen  # the git folder is above the workspace
    head = git(repository, "rev-parse", "--short=7", "HEAD").strip()
    watcher.wait_for("rendered")
    assert head in (root / "build/html/index.html").read_text()
    assert watcher.stop() == 0


def test_moving_a_kept_file_away_renders_its_page_and_a_new_output_folder_stops_the_old_sites_watch(repo, watched):
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    watcher = watched(root)
    write_files(root, {"build/html/notes.html": "<p>mine</p>\n",
                       "specs/notes.yaml": requirements_doc("notes", requirement("REQ-002"))})
    watcher.wait_for("rendered")
    assert any("warning: kept build/html/notes.html" in line for line in watcher.seen), watcher.seen
    (root / "build/html/notes.html").rename(root.parent / "mine.html")
    assert watcher.wait_for("changed") == "gitspec: changed build/html/notes.html", watcher.seen
    watcher.wait_for("rendered")
    assert "<h1" in (root / "build/html/notes.html").read_text()
    write_files(root, {"gitspec.yaml": HTML_ONLY.replace("output: build", "output: site")})
    watcher.wait_for("rendered")
    assert set(_token_in(root / "build")) == {"0"} and set(_token_in(root / "site")) != {"0"}
    assert watcher.stop() == 0
    assert set(_token_in(root / "site")) == {"0"}


def _token_in(output) -> str:
    return (output / "html" / "assets" / "live.js").read_text().rsplit('("', 1)[1].split('"')[0]


def test_a_document_saved_and_then_deleted_at_once_is_seen_gone():
    from gitspec.watch import settled
    from watchfiles import Change

    batch = [(Change.added, "/ws/specs/.reqs.yaml.swp"), (Change.deleted, "/ws/specs/.reqs.yaml.swp"),
             (Change.added, "/ws/specs/reqs.yaml"), (Change.deleted, "/ws/specs/reqs.yaml")]
    assert settled(batch) == []  # neither exists now; the watch did not know either
    assert settled(batch, frozenset({"/ws/specs/reqs.yaml"})) == ["/ws/specs/reqs.yaml", "/ws/specs/reqs.yaml"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_during_a_render_ends_the_watch_cleanly(repo, watched, signum):
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    watcher = watched(root)
    write_files(root, {"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-002"))})
    watcher.wait_for("changed")
    watcher.process.send_signal(signum)
    assert watcher.process.wait(timeout=WAIT) == 0
    rest = [line for line in iter(watcher.lines.get, None)]
    assert rest[-1:] == ["gitspec: stopped watching"], watcher.seen + rest
    assert not any("Exception ignored" in line or "Traceback" in line for line in rest), rest


@pytest.mark.parametrize("theirs", ["file", "named pipe"])
def test_a_watch_leaves_a_live_js_gitspec_did_not_write_as_it_is(repo, watched, theirs):
    """Before, the watch wrote its token over the user's file the render had kept, and read a named
    pipe there, waiting for ever."""
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    live = root / "build/html/assets/live.js"
    live.parent.mkdir(parents=True)
    if theirs == "file":
        live.write_text("// mine\n")
    else:
        os.mkfifo(live)
    watcher = watched(root)
    assert watcher.stop() == 0
    assert (live.read_text() == "// mine\n") if theirs == "file" else os.path.exists(live) and not live.is_file()


@contextlib.contextmanager
def _render_lock_held(root):
    """The workspace's render lock, held by this test as another gitspec run would hold it."""
    import fcntl

    (root / ".gitspec").mkdir(exist_ok=True)
    with open(root / ".gitspec" / "build.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _waiting_for_the_lock(process) -> None:
    """Until `process` has the render lock's file open: it is in its render, waiting for the lock."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if any(os.readlink(f"/proc/{process.pid}/fd/{fd}").endswith("build.lock")
                   for fd in os.listdir(f"/proc/{process.pid}/fd")):
                return
        time.sleep(0.05)
    raise AssertionError("the watch never opened the render lock")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_during_the_first_render_ends_the_watch_with_exit_0(repo, signum):
    """Before, a stop during the first render exited 143 (130) with "gitspec: terminated"."""
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    with _render_lock_held(root):
        watcher = Watcher(root, "--lock-timeout", "60")
        _waiting_for_the_lock(watcher.process)
        watcher.process.send_signal(signum)
        assert watcher.process.wait(timeout=WAIT) == 0
    rest = [line for line in iter(watcher.lines.get, None)]
    assert rest == ["gitspec: stopped watching"], rest
    watcher.process.stdout.close()


def test_an_edit_saved_during_the_first_render_is_rendered_after_it(repo):
    """Before, the watch began to look for changes only after its first render: an edit saved while
    that render wrote its PDFs stayed unrendered until some other file changed."""
    documents = {f"specs/reqs{n}.yaml": requirements_doc(f"reqs{n}", requirement(f"REQ-{n:03}")) for n in range(8)}
    root = repo(documents, CONFIG.replace("formats: []", "formats: [html, pdf]"))
    watcher = Watcher(root)
    page = root / "build" / "html" / "reqs0.html"
    deadline = time.monotonic() + WAIT
    while not page.exists() and time.monotonic() < deadline:  # the HTML is written; the PDFs are on their way
        time.sleep(0.02)
    write_files(root, {"specs/reqs0.yaml": requirements_doc("reqs0", requirement("REQ-100"))})
    watcher.wait_for("watching")
    if "REQ-100" not in page.read_text(encoding="utf-8"):
        assert watcher.wait_for("changed") == "gitspec: changed specs/reqs0.yaml"
        watcher.wait_for("rendered")
    assert "REQ-100" in page.read_text(encoding="utf-8")
    assert "REQ-100" in _pdf_text(root / "build" / "pdf" / "reqs0.pdf")
    assert watcher.stop() == 0


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.parametrize("deleted", ["build/html", "build"])
def test_deleting_the_format_folder_or_the_output_folder_renders_it_again(repo, watched, deleted):
    """Before, deleting build/html (unlike build) was taken for the render's own writing, and ignored."""
    import shutil

    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    watcher = watched(root)
    shutil.rmtree(root / deleted)
    assert watcher.wait_for("changed").startswith(f"gitspec: changed {deleted}"), watcher.seen
    assert "rendered 3 (0 unchanged)" in watcher.wait_for("rendered")
    assert (root / "build/html/reqs.html").is_file()
    assert watcher.stop() == 0


def test_a_render_that_finds_the_lock_held_is_done_once_the_lock_is_free(repo, watched):
    """Before, a watch's render that waited --lock-timeout in vain printed the error and dropped the
    change: the page stayed stale after the lock was free, until some other edit."""
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    watcher = watched(root, "--lock-timeout", "0.5")
    with _render_lock_held(root):
        write_files(root, {"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-002"))})
        watcher.wait_for("changed")
        line = watcher.wait_for("build.lock")
        assert line.startswith("gitspec: another gitspec build or render holds ") and line.endswith(
            "build.lock; rendering once it is free"), line
        time.sleep(2)  # several tries meanwhile, each said no more
    assert "files written" in watcher.wait_for("rendered")
    assert "REQ-002" in (root / "build/html/reqs.html").read_text(encoding="utf-8")
    assert [line for line in watcher.seen if "build.lock" in line] == [line]
    assert watcher.stop() == 0


def test_a_site_the_watch_stops_rendering_is_told_so_and_a_plain_render_clears_a_token_left_behind(repo, watched):
    """Before, a site left live.js holding the watch's token when `formats` dropped html during the
    watch, and a plain render kept it (the cache knew live.js by its size alone): opened pages polled
    for a watch that had ended."""
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    watcher = watched(root)
    assert set(_token(root)) != {"0"}
    write_files(root, {"gitspec.yaml": HTML_ONLY.replace("formats: [html]", "formats: [docx]")})
    watcher.wait_for("rendered")
    assert not (root / "build" / "html").exists()  # the site is removed, live.js and its token with it
    assert watcher.stop() == 0
    assert not (root / "build" / "html").exists()

    write_files(root, {"gitspec.yaml": HTML_ONLY})
    killed = watched(root)  # a watch that cannot say it stopped
    assert set(_token(root)) != {"0"}
    killed.process.kill()
    killed.process.wait()
    assert run_gitspec(root, "render", "--format", "html").code == 0
    assert set(_token(root)) == {"0"}


def _prd(body: str) -> str:
    """A PRD in Markdown whose Problem section holds `body`."""
    sections = "".join(f"## {name}\n\nNone.\n\n" for name in ("Goals", "Non-goals", "Users", "Requirements",
                                                               "Success metrics", "Risks", "Open questions"))
    return f"---\nkind: prd\nid: flow\ntitle: Flow\nstatus: draft\n---\n\n# Flow\n\n## Problem\n\n{body}\n\n{sections}"


def test_a_watch_whose_output_goes_to_a_file_in_the_workspace_renders_once(repo):
    """Before, `gitspec render --watch > watch.log 2>&1` in the workspace rendered for ever, each
    render's line in watch.log being a change: the watch now follows only what a render reads."""
    from test_render_images import picture

    flow = picture((40, 20), (0, 0, 200), "PNG")
    root = repo({"specs/flow.md": _prd("![flow](../img/flow.png)"), "img/flow.png": flow}, HTML_ONLY)
    log = root / "watch.log"
    with open(log, "w") as out:
        process = subprocess.Popen([GITSPEC, "render", "--watch"], cwd=root, env={**os.environ, **GIT_ENV},
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        _until(lambda: "watching" in log.read_text())
        time.sleep(3)  # several of the watch's wake-ups, each writing nothing new
        assert log.read_text().count("rendered") == 1, log.read_text()
        write_files(root, {"img/flow.png": picture((40, 20), (200, 0, 0), "PNG")})  # a picture the document shows
        _until(lambda: log.read_text().count("rendered") == 2)
        assert "changed img/flow.png\n" in log.read_text()
        time.sleep(1.5)
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=WAIT) == 0
    assert log.read_text().count("rendered") == 2, log.read_text()


def _until(condition) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.1)


def test_a_new_document_in_a_symlinked_spec_folder_is_rendered(repo, watched):
    """The watch is told of changes where a symlinked spec folder leads: a new document there went unseen."""
    root = repo({"real/specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    shutil.rmtree(root / "specs", ignore_errors=True)
    (root / "specs").symlink_to(root / "real" / "specs")
    watcher = watched(root)
    write_files(root, {"real/specs/more.yaml": requirements_doc("more", requirement("REQ-002"))})
    watcher.wait_for("changed")
    watcher.wait_for("rendered")
    assert (root / "build/html/more.html").exists()
    assert watcher.stop() == 0


def test_a_watch_started_while_another_run_holds_the_lock_renders_once_it_is_free(repo):
    """Before, the first render's lock error ended the watch (exit 2), though later renders wait for it."""
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    with _render_lock_held(root):
        watcher = Watcher(root, "--lock-timeout", "0.5")
        assert watcher.wait_for("build.lock").endswith("build.lock; rendering once it is free")
        time.sleep(1.5)  # tried again meanwhile, said no more
    watcher.wait_for("watching")
    assert (root / "build/html/reqs.html").exists()
    assert [line for line in watcher.seen if "build.lock" in line] == [watcher.seen[0]], watcher.seen
    assert watcher.stop() == 0


def test_an_edit_to_a_tracked_file_no_render_reads_updates_the_uncommitted_changes_badge(repo, watched):
    """Since the watch follows only what a render reads, an edit to another tracked file (a README)
    left the index without its "uncommitted changes" badge, which a plain render showed."""
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")), "README.md": "# Notes\n"},
                HTML_ONLY)
    watcher = watched(root)
    assert "uncommitted changes" not in (root / "build/html/index.html").read_text()
    write_files(root, {"README.md": "# Notes\n\nMore.\n"})
    assert watcher.wait_for("changed") == "gitspec: changed README.md"
    watcher.wait_for("rendered")
    assert "uncommitted changes" in (root / "build/html/index.html").read_text()
    write_files(root, {"README.md": "# Notes\n\nMore still.\n"})  # dirty already: nothing to show anew
    time.sleep(1.5)
    git(root, "commit", "-qam", "notes")  # a commit: HEAD moves, the watch renders
    watcher.wait_for("rendered")
    assert "uncommitted changes" not in (root / "build/html/index.html").read_text()
    assert [line for line in watcher.seen if "changed README.md" in line] == ["gitspec: changed README.md"]
    assert watcher.stop() == 0


def test_a_watch_goes_on_when_git_cannot_open_the_repository_after_an_unrelated_change(repo, watched):
    """Asking git whether the work tree changed, after an edit to a file no render reads, ended the watch
    (exit 2) when git could not open the repository: the render reports it, and the watch goes on."""
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    watcher = watched(root)
    config = (root / ".git" / "config").read_text()
    (root / ".git" / "config").write_text("[core\n bogus")
    write_files(root, {"notes.txt": "hi\n"})
    assert "cannot open the git repository" in watcher.wait_for("error"), watcher.seen
    (root / ".git" / "config").write_text(config)
    write_files(root, {"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-002"))})
    watcher.wait_for("rendered")
    assert "REQ-002" in (root / "build/html/reqs.html").read_text()
    assert watcher.stop() == 0


def test_a_folder_holding_a_shown_picture_moved_in_or_out_renders_again(repo, watched, tmp_path):
    """Before, moving in (or copying in) a folder outside the spec folders that holds a picture a
    document shows, or moving it away, went unseen while a document had uncommitted changes: the
    watch is told of the folder alone, not of the picture in it, and the page stayed stale."""
    from test_render_images import picture

    root = repo({"specs/flow.md": _prd("None.")}, HTML_ONLY)
    write_files(root, {"specs/flow.md": _prd("![flow](/pics/flow.png)")})  # not committed, as while a writer works
    write_files(tmp_path, {"elsewhere/flow.png": picture((40, 20), (0, 0, 200), "PNG")})
    watcher = watched(root)
    page = root / "build/html/flow.html"
    assert "image-missing" in page.read_text()

    os.rename(tmp_path / "elsewhere", root / "pics")  # mv ../elsewhere pics
    assert watcher.wait_for("changed").startswith("gitspec: changed pics"), watcher.seen
    watcher.wait_for("rendered")
    assert "image-missing" not in page.read_text()

    os.rename(root / "pics", root / "pics-old")  # mv pics pics-old
    assert watcher.wait_for("changed").startswith("gitspec: changed pics"), watcher.seen
    watcher.wait_for("rendered")
    assert "image-missing" in page.read_text()
    assert watcher.stop() == 0


def test_a_markdown_document_moved_away_during_a_render_is_rendered_and_then_removed(repo, watched, tmp_path):
    """Before, a Markdown document moved away while the watch rendered it was an internal error (the
    render read it again for its headings), which ended the watch in its first render."""
    from test_render_facts import PRD, WRITER

    root = repo({"specs/checkout.md": PRD}, HTML_ONLY)
    env = {**install_plugin(tmp_path / "plugin", "writer", {"writer.py": WRITER}), "WRITER": "moves"}
    watcher = watched(root, env=env)  # its first render reads the document, which the plugin then moves away
    assert watcher.wait_for("changed") == "gitspec: changed specs/checkout.md", watcher.seen
    assert "removed" in watcher.wait_for("rendered"), watcher.seen
    assert not (root / "build/html/checkout.html").exists()
    assert not [line for line in watcher.seen if "internal error" in line], watcher.seen
    assert watcher.stop() == 0


def test_a_format_not_installed_written_into_the_config_during_a_watch_is_one_error(repo, watched):
    """Before, the watch said the same finding twice, as a warning and then as an error."""
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}, HTML_ONLY)
    watcher = watched(root)
    write_files(root, {"gitspec.yaml": HTML_ONLY.replace("formats: [html]", "formats: [html, pfd]")})
    line = watcher.wait_for("pfd")
    assert line.startswith("gitspec.yaml:") and ": error: key 'formats': unknown format 'pfd'" in line, line
    write_files(root, {"gitspec.yaml": HTML_ONLY})  # the typo fixed: the watch went on
    watcher.wait_for("rendered")
    assert [line for line in watcher.seen if "pfd" in line] == [line], watcher.seen
    assert watcher.stop() == 0
