"""`gitspec daemon`: one-shot renders run in a process that has gitspec loaded, and come out as a render
in their own process would: the same files, the same messages, the same exit codes."""
from __future__ import annotations

import filecmp
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from conftest import CONFIG, GIT_ENV, GITSPEC, install_plugin, requirement, requirements_doc, run_gitspec

HTML = CONFIG.replace("formats: []", "formats: [html]")

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="the daemon needs Unix sockets")


@pytest.fixture
def runtime(tmp_path):
    """A private, short runtime folder for the daemons of this test (a socket's path is short)."""
    folder = tempfile.mkdtemp(prefix="gs")
    yield {"XDG_RUNTIME_DIR": folder}
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def daemon(runtime):
    """Start a daemon in a workspace (with `runtime`'s environment); each is stopped after the test."""
    started: list[Path] = []

    def start(root: Path, *options: str):
        done = run_gitspec(root, "daemon", "start", *options, env=runtime)
        assert done.code == 0, done
        started.append(root)
        return done

    yield start
    for root in started:
        run_gitspec(root, "daemon", "stop", env=runtime)


def _workspace(repo, count: int = 3) -> Path:
    files = {f"specs/reqs-{n}.yaml": requirements_doc(f"reqs-{n}", requirement(f"REQ-{n}01")) for n in range(count)}
    return repo(files, config=HTML)


def _served(root: Path, runtime: dict) -> int:
    status = run_gitspec(root, "daemon", "status", env=runtime)
    assert status.code == 0, status
    return int(status.out.split(" renders served")[0].rsplit(" ", 1)[1])


def _same_tree(left: Path, right: Path) -> None:
    compared = filecmp.dircmp(left, right)
    assert not compared.left_only and not compared.right_only and not compared.diff_files, compared.report()
    for sub in compared.common_dirs:
        _same_tree(left / sub, right / sub)


def test_a_render_in_the_daemon_writes_and_says_what_a_render_of_its_own_does(repo, daemon, runtime, tmp_path) -> None:
    root = _workspace(repo)
    twin = tmp_path / "twin"
    shutil.copytree(root, twin)
    daemon(root)
    for step in range(2):  # a cold render, then one after an edit
        if step:
            for where in (root, twin):
                text = (where / "specs/reqs-1.yaml").read_text().replace("shall do", "shall still do")
                (where / "specs/reqs-1.yaml").write_text(text)
        there = run_gitspec(root, "render", env=runtime)
        here = run_gitspec(twin, "render", env={**runtime, "GITSPEC_NO_DAEMON": "1"})
        assert (there.code, there.out, there.err) == (here.code, here.out, here.err)
        assert "rendered" in there.err
        _same_tree(root / "build", twin / "build")
    assert _served(root, runtime) == 2


def test_errors_and_usage_errors_come_back_with_their_exit_codes(repo, daemon, runtime) -> None:
    root = _workspace(repo, 1)
    daemon(root)
    usage = run_gitspec(root, "render", "--format", "nope", env=runtime)
    assert usage.code == 2 and "argument --format" in usage.err, usage
    unknown = run_gitspec(root / "specs", "render", "no-such-doc", env=runtime)
    assert unknown.code == 2 and "no document with id 'no-such-doc'" in unknown.err, unknown
    (root / "specs/reqs-0.yaml").write_text("kind: requirements\nid: reqs-0\ntitle: [\n")
    broken = run_gitspec(root, "render", env=runtime)
    assert broken.code == 1 and "specs/reqs-0.yaml:" in broken.err, broken
    assert _served(root, runtime) == 3


def test_another_environment_renders_in_its_own_process_and_status_says_why(repo, daemon, runtime) -> None:
    root = _workspace(repo, 1)
    daemon(root)
    other = run_gitspec(root, "render", env={**runtime, "SOME_SETTING": "1"})
    assert other.code == 0 and "rendered" in other.err, other
    status = run_gitspec(root, "daemon", "status", env=runtime)
    assert "0 renders served" in status.out and "(variable SOME_SETTING)" in status.out, status


def test_a_plugin_edited_since_the_daemon_started_stops_it(repo, daemon, runtime, tmp_path) -> None:
    plugin = tmp_path / "plugins"
    env = {**runtime, **install_plugin(plugin, "gitspec-extra", {"gitspec_extra.py": "X = 1\n"}, "gitspec_extra")}
    root = _workspace(repo, 1)
    done = run_gitspec(root, "daemon", "start", env=env)
    assert done.code == 0, done
    try:
        assert run_gitspec(root, "render", env=env).code == 0
        assert _served(root, env) == 1
        module = plugin / "gitspec_extra.py"
        module.write_text("X = 2\n")
        os.utime(module, ns=(time.time_ns() + 10**9,) * 2)
        again = run_gitspec(root, "render", env=env)
        assert again.code == 0 and "the daemon stopped: gitspec's code, or a module it loaded, changed" in again.err
        assert "rendered" in again.err, again
        assert run_gitspec(root, "daemon", "status", env=env).code == 1
    finally:
        run_gitspec(root, "daemon", "stop", env=env)


def test_a_piped_render_ends_when_the_render_does(repo, daemon, runtime) -> None:
    """The daemon writes to the requester's own pipe; nothing it or its PDF workers keep holds it open."""
    root = _workspace(repo, 2)
    daemon(root)
    env = {k: v for k, v in os.environ.items() if k != "GITSPEC_TRACE_HOOKS"} | GIT_ENV | runtime
    for formats in ("html", "pdf"):
        piped = subprocess.Popen([GITSPEC, "render", "--format", formats], cwd=root, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = piped.communicate(timeout=120)  # both pipes reach their end
        assert piped.returncode == 0 and "rendered" in err, err
    assert sorted(p.name for p in (root / "build/pdf").glob("*.pdf")) == ["book.pdf", "reqs-0.pdf", "reqs-1.pdf", "traceability.pdf"]
    assert _served(root, runtime) == 2


def test_ctrl_c_stops_the_render_in_the_daemon_which_goes_on(repo, daemon, runtime) -> None:
    files = {f"specs/reqs-{n}.yaml": requirements_doc(f"reqs-{n}", "".join(requirement(f"REQ-{n}{i:02}")
                                                                        for i in range(40)))
             for n in range(30)}
    root = repo(files, config=HTML)
    daemon(root)
    env = {k: v for k, v in os.environ.items() if k != "GITSPEC_TRACE_HOOKS"} | GIT_ENV | runtime
    render = subprocess.Popen([GITSPEC, "render", "--format", "pdf"], cwd=root, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (root / "build/pdf").is_dir() and time.monotonic() < deadline:  # the render is under way
            time.sleep(0.05)
        render.send_signal(signal.SIGINT)
        err = render.communicate(timeout=60)[1]
    finally:
        if render.poll() is None:
            render.kill()
    assert render.returncode == 130 and err.strip().splitlines()[-1] == "gitspec: interrupted", err
    assert "Traceback" not in err
    assert run_gitspec(root, "render", "--format", "html", env=runtime).code == 0  # it serves the next one
    assert _served(root, runtime) == 2
    # SIGTERM sent to the daemon itself (`kill`, a shutdown) stops the render, then the daemon
    pid = int(run_gitspec(root, "daemon", "status", env=runtime).out.split()[2].rstrip(","))
    shutil.rmtree(root / "build/pdf")
    render = subprocess.Popen([GITSPEC, "render", "--format", "pdf"], cwd=root, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (root / "build/pdf").is_dir() and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(pid, signal.SIGTERM)
        err = render.communicate(timeout=60)[1]
    finally:
        if render.poll() is None:
            render.kill()
    assert render.returncode == 143 and err.strip().splitlines()[-1] == "gitspec: terminated", err
    deadline = time.monotonic() + 10
    while run_gitspec(root, "daemon", "status", env=runtime).code == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert run_gitspec(root, "daemon", "status", env=runtime).code == 1


def test_start_status_stop_and_the_idle_timeout(repo, daemon, runtime) -> None:
    root = _workspace(repo, 1)
    assert run_gitspec(root, "daemon", "status", env=runtime).code == 1
    started = daemon(root)
    assert "daemon started (pid" in started.err
    assert "already serves this workspace" in run_gitspec(root, "daemon", "start", env=runtime).err
    stopped = run_gitspec(root / "specs", "daemon", "stop", env=runtime)
    assert stopped.code == 0 and "daemon stopped" in stopped.err, stopped
    assert run_gitspec(root, "daemon", "status", env=runtime).code == 1
    assert "rendered" in run_gitspec(root, "render", env=runtime).err  # in its own process
    daemon(root, "--idle-timeout", "0.02")  # 1.2 seconds
    deadline = time.monotonic() + 30
    while run_gitspec(root, "daemon", "status", env=runtime).code == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert run_gitspec(root, "daemon", "status", env=runtime).code == 1


def test_a_bad_idle_timeout_is_a_usage_error(repo, runtime) -> None:
    root = _workspace(repo, 1)
    bad = run_gitspec(root, "daemon", "start", "--idle-timeout", "-1", env=runtime)
    assert bad.code == 2 and "'-1' must be a finite number of minutes" in bad.err, bad


def test_two_renders_at_once_are_served_one_after_the_other(repo, daemon, runtime) -> None:
    root = _workspace(repo, 3)
    daemon(root)
    env = {k: v for k, v in os.environ.items() if k != "GITSPEC_TRACE_HOOKS"} | GIT_ENV | runtime
    renders = [subprocess.Popen([GITSPEC, "render", "--format", formats], cwd=root, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for formats in ("html", "docx")]
    for render in renders:
        out, err = render.communicate(timeout=120)
        assert render.returncode == 0 and "rendered" in err, err
    assert (root / "build/html/index.html").is_file() and (root / "build/docx/book.docx").is_file()
    assert _served(root, runtime) == 2
