"""`gitspec daemon start|stop|status`: a process that keeps gitspec loaded, so that each one-shot
`gitspec render` in the workspace runs in it (gitspec.daemonclient, gitspec.daemonserver)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from gitspec import daemonplace
from gitspec.daemonclient import reply, request
from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.streams import messages, results

START_SECONDS = 60  # how long `start` waits for the daemon to answer (it imports gitspec's renderers first)


def run(action: str, idle_minutes: float = daemonplace.IDLE_MINUTES) -> int:
    if not daemonplace.supported():
        raise GitspecError("gitspec daemon needs Unix sockets that pass file descriptors, which this system "
                           "lacks; renders run on their own as before", exit_code=EXIT_USAGE)
    from gitspec.opening import open_workspace

    workspace, _ = open_workspace(verb=f"daemon {action}")
    root = os.path.realpath(workspace.root)
    status = _ask(root, {"do": "status"})
    if action == "status":
        return _status(root, status)
    if action == "stop":
        if status is None:
            messages().write("gitspec: no daemon runs for this workspace\n")
            return 0
        _ask(root, {"do": "stop"})
        _gone(root)
        messages().write(f"gitspec: daemon stopped (pid {status['pid']})\n")
        return 0
    if status is not None:
        messages().write(f"gitspec: a daemon already serves this workspace (pid {status['pid']})\n")
        return 0
    pid = _start(root, idle_minutes)
    until = f"after {idle_minutes:g} minutes without a render, or" if idle_minutes else "on"
    messages().write(f"gitspec: daemon started (pid {pid}): `gitspec render` in this workspace runs in it, "
                     f"from a shell with this environment; it stops {until} `gitspec daemon stop`\n")
    return 0


def _ask(root: str, message: dict) -> dict | None:
    """The daemon's answer to `message`, or None when none answers for the workspace at `root`."""
    path = daemonplace.socket_path(root)
    if path is None:
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(START_SECONDS)  # one busy with a render answers when it is done
    try:
        with connection:
            connection.connect(path)
            request(connection, message)
            answer = reply(connection)
    except (OSError, ValueError):
        return None
    if answer is not None and "status" in answer and answer["status"].get("root") != root:
        raise GitspecError(f"the daemon of another workspace ({answer['status'].get('root')}) answers at this "
                           f"workspace's socket, {path}: stop it there", exit_code=EXIT_USAGE)
    return answer["status"] if answer is not None and "status" in answer else answer


def _status(root: str, status: dict | None) -> int:
    out = results()
    if status is None:
        out.write("no daemon runs for this workspace\n")
        return 1
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(status["started"]))
    idle = f"stops after {status['idle'] / 60:g} minutes without a render" if status["idle"] else "never stops on its own"
    out.write(f"daemon pid {status['pid']}, started {started}, {status['served']} renders served, {idle}\n")
    if status["declined"]:
        out.write(f"last render it left to its caller: {status['declined']}\n")
    out.write(f"log: {daemonplace.log_path(root)}\n")
    return 0


def _start(root: str, idle_minutes: float) -> int:
    """Start the daemon, detached from this terminal, and wait until it answers; its pid."""
    import json

    socket_path = daemonplace.socket_path(root, make=True)
    if socket_path is None:
        raise GitspecError(f"cannot make a private folder for the daemon's socket ({daemonplace.folder() or 'taken'}); "
                           "set XDG_RUNTIME_DIR or TMPDIR to a folder of your own", exit_code=EXIT_USAGE)
    log = daemonplace.log_path(root)
    command = [sys.executable, "-P", "-m", "gitspec.daemonserver", root, str(idle_minutes * 60),
               json.dumps(daemonplace.import_path(os.getcwd()))]
    with open(log, "wb") as out:
        os.chmod(log, 0o600)
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=out, cwd=root,
                                 start_new_session=True, close_fds=True)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise GitspecError(f"the daemon did not start (exit {child.returncode}): {_last_line(log)}",
                               exit_code=EXIT_USAGE)
        status = _ask(root, {"do": "status"})
        if status is not None:
            return status["pid"]
        time.sleep(0.05)
    child.terminate()
    raise GitspecError(f"the daemon did not answer within {START_SECONDS} s; its log is {log}", exit_code=EXIT_USAGE)


def _gone(root: str) -> None:
    """Wait (a few seconds at most) until the daemon has left (it removes its socket last), so that a
    `start` right after finds none."""
    path = daemonplace.socket_path(root)
    deadline = time.monotonic() + 10
    while path is not None and os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.02)


def _last_line(log: str) -> str:
    try:
        with open(log, "rb") as text:
            lines = text.read().decode("utf-8", "replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return lines[-1] if lines else "(its log is empty)"
