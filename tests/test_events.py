"""Build progress as a user sees it: a rich bar on a terminal (stderr), plain lines in a pipe.

The terminal is a real pseudo-terminal (os.openpty) holding the child's
stdout and/or stderr; `sleepy` (from the stage_plugin fixture) keeps the bar up
a moment, though the bar is drawn at start and stop whatever the timing.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import select
import struct
import subprocess
import termios
import time

import pytest

from conftest import GIT_ENV, GITSPEC, run_gitspec

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
SOURCE = "kind: notes\nid: source\ntitle: Source\ntext: hello\n"
REGENERATED = (b"regenerated slow#value\nregenerated derived#shout\nregenerated derived#length\n"
               b"regenerated echoed#echo\n")


@pytest.fixture
def ws(repo, stage_plugin):
    # formats: [] — rendering has its own tests; this is about the build's progress.
    root = repo({"specs/source.yaml": SOURCE},
                config="specs: [specs]\nformats: []\nplugins:\n  sleepy: {seconds: 0.3}\n")
    return root, stage_plugin


def run_on_terminal(root, env: dict, *args: str, streams: tuple[str, ...] = ("stdout", "stderr")):
    """Run gitspec with `streams` on a 100-column pseudo-terminal and the others piped.
    Returns (exit code, what the terminal showed, {piped stream: bytes})."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS", "LINES", "GITSPEC_TRACE_HOOKS")}
    full_env.update(GIT_ENV, **{"TERM": "xterm-256color", **env})
    proc = subprocess.Popen([GITSPEC, *args], cwd=root, env=full_env, stdin=subprocess.DEVNULL,
                            **{name: slave if name in streams else subprocess.PIPE for name in ("stdout", "stderr")})
    os.close(slave)
    shown = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every holder of the terminal has exited
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    piped = {name: stream.read() for name, stream in (("stdout", proc.stdout), ("stderr", proc.stderr)) if stream}
    proc.wait(timeout=60)
    return proc.returncode, shown, piped


def _bar_shown(shown: bytes) -> bool:
    plain = ANSI.sub(b"", shown)
    return bool(ANSI.search(shown)) and re.search(rb"(upper|echo|sleepy): ", plain) is not None \
        and re.search(rb"\b\d{1,3}%", plain) is not None and "━".encode() in plain


def test_a_terminal_shows_a_progress_bar(ws):
    root, env = ws
    code, shown, _ = run_on_terminal(root, env, "build")
    assert code == 0, shown
    assert _bar_shown(shown), shown
    assert b"regenerated derived#shout" in shown


def test_the_bar_goes_to_stderr_and_leaves_piped_stdout_clean(ws):
    root, env = ws
    code, shown, piped = run_on_terminal(root, env, "build", streams=("stderr",))
    assert code == 0, (shown, piped)
    assert _bar_shown(shown), shown
    assert piped["stdout"] == REGENERATED  # no escape codes, no stray blank line from the bar


def test_no_bar_when_stderr_is_piped(ws):
    root, env = ws
    code, shown, piped = run_on_terminal(root, env, "build", streams=("stdout",))
    assert code == 0, (shown, piped)
    assert not ANSI.search(shown) and not ANSI.search(piped["stderr"])
    assert shown.replace(b"\r\n", b"\n") == REGENERATED


def test_a_pipe_gets_no_escape_codes(ws):
    root, env = ws
    result = run_gitspec(root, "build", env={**env, "TERM": "xterm-256color"})
    assert result.code == 0, result
    assert "\x1b" not in result.out and "\x1b" not in result.err
    assert result.out.encode() == REGENERATED


def test_json_events_on_a_terminal_stay_plain_json(ws):
    root, env = ws
    code, shown, _ = run_on_terminal(root, env, "build", "--json")
    assert code == 0, shown
    assert not ANSI.search(shown)
    events = [json.loads(line) for line in shown.decode().splitlines()]
    assert events[-1]["event"] == "complete" and {e["event"] for e in events} >= {"status", "partial"}


@pytest.fixture
def rendering(repo, stage_plugin):
    root = repo({"specs/source.yaml": SOURCE},
                config="specs: [specs]\nformats: [html, docx]\nplugins:\n  sleepy: {seconds: 0.3}\n")
    return root, stage_plugin


def test_json_progress_only_rises_through_the_stages_and_every_render_format(rendering):
    root, env = rendering
    result = run_gitspec(root, "build", "--json", env=env)
    assert result.code == 0, result
    events = [json.loads(line) for line in result.out.splitlines()]
    progress = [event["progress"] for event in events]
    assert progress == sorted(progress) and progress[0] < 50 and progress[-1] == 100, events
    assert [event["event"] for event in events].count("complete") == 1 and events[-1]["event"] == "complete"
    assert {"render:html", "render:docx"} <= {event["stage"] for event in events}


def test_the_terminal_bar_only_rises_through_the_stages_and_the_render(rendering):
    root, env = rendering
    code, shown, _ = run_on_terminal(root, env, "build")
    assert code == 0, shown
    shown = [int(n) for n in re.findall(rb"\b(\d{1,3})%", ANSI.sub(b"", shown))]
    assert shown and shown == sorted(shown), shown


def test_a_dumb_terminal_gets_no_bar_and_no_empty_lines(ws):
    root, env = ws
    code, shown, _ = run_on_terminal(root, {**env, "TERM": "dumb"}, "build")
    assert code == 0, shown
    assert not ANSI.search(shown)
    assert shown.replace(b"\r\n", b"\n").startswith(REGENERATED), shown


def test_render_on_a_terminal_shows_the_progress_of_a_builds_render(rendering):
    # Before, `gitspec render` drew nothing until its summary line (seconds for a PDF), where a build's
    # render phase drew a bar.
    root, env = rendering
    assert run_gitspec(root, "build", "--no-render", env=env).code == 0
    code, shown, piped = run_on_terminal(root, env, "render", streams=("stderr",))
    assert code == 0, (shown, piped)
    plain = ANSI.sub(b"", shown)
    assert re.search(rb"render:html: source", plain) and re.search(rb"render:docx: source", plain), shown
    assert "━".encode() in plain and re.search(rb"\b100%", plain), shown
    assert re.search(rb"\ngitspec: rendered \d+ \(0 unchanged\)", plain.replace(b"\r", b"")), shown
    assert not ANSI.search(piped["stdout"])


def test_render_in_a_pipe_shows_no_progress(rendering):
    root, env = rendering
    result = run_gitspec(root, "render", env={**env, "TERM": "xterm-256color"})
    assert result.code == 0, result
    assert "\x1b" not in result.out + result.err and "render:" not in result.err
    assert re.fullmatch(r"gitspec: rendered \d+ \(0 unchanged\), \d+ files written\n", result.err), result
