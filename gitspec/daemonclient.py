"""A `gitspec render` handed to the workspace's daemon (`gitspec daemon start`), when one runs.

The daemon has gitspec imported already, which is most of what a one-shot render after one edit
costs. This side passes it the command line, the current folder, the environment and the standard
streams themselves (so that it writes where this process would, a terminal's progress bar too),
forwards Ctrl-C and SIGTERM, and exits with the daemon's exit code. When no daemon runs, or it
declines (another environment, another Python, its code changed), the render runs here as always.
Standard library only, and as little of it as can be.
"""
from __future__ import annotations

import os
import sys

from gitspec import daemonplace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing on every command's start
if TYPE_CHECKING:
    import socket

NO_DAEMON = "GITSPEC_NO_DAEMON"  # set (to anything but empty): never hand a command to a daemon
# What a daemon takes: a one-shot render (a watch is a long-lived process of its own)
TAKEN = ("render",)


def main() -> int:
    """The `gitspec` command: the workspace's daemon runs it if it takes it, else gitspec.cli does, here.
    (gitspec.cli is imported only then: a render the daemon takes costs this process little more than
    Python's start-up.)"""
    code = forwarded(sys.argv[1:])
    if code is not None:
        return code
    from gitspec.cli import main as here

    return here()


def forwarded(argv: list[str]) -> int | None:
    """The exit code of `argv` as the daemon ran it, or None when it is to run here."""
    if not argv or argv[0] not in TAKEN or "--watch" in argv or os.environ.get(NO_DAEMON):
        return None
    if not daemonplace.findable():
        return None
    try:
        cwd = os.getcwd()
    except OSError:  # the current folder is gone: the command tells it
        return None
    root = daemonplace.workspace_root(cwd)
    path = daemonplace.socket_path(root) if root is not None else None
    if path is None or not os.path.exists(path):
        return None
    import socket

    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError:  # none runs (or a socket left by one that was killed)
        connection.close()
        return None
    with connection:
        return _handed(connection, {"do": "run", "argv": argv, "cwd": cwd, "root": root})


def request(connection: socket.socket, message: dict, fds: list[int] = ()) -> None:
    """Send one request: its length, then itself as JSON, with `fds` (passed to the daemon) on the first part."""
    import json
    import socket

    data = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogateescape")
    socket.send_fds(connection, [len(data).to_bytes(8, "big") + data], list(fds))


def reply(connection: socket.socket) -> dict | None:
    """The daemon's one-line JSON answer, or None when it closed the connection without one."""
    import json

    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(65536)
        if not chunk:
            return None
        data += chunk
    return json.loads(data)


def _handed(connection: socket.socket, message: dict) -> int | None:
    import signal

    umask = os.umask(0o022)
    os.umask(umask)
    message.update(env=dict(os.environ), umask=umask, executable=sys.executable,
                   path=daemonplace.import_path(message["cwd"]))
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    try:
        request(connection, message, [0, 1, 2])
    except OSError:  # a standard stream closed (`>&-`), or the daemon went: run here, which tells it
        return None

    def forward(signum: int, frame) -> None:  # the daemon stops the render as Ctrl-C would stop it here
        try:
            connection.sendall(b"T" if signum == signal.SIGTERM else b"I")
        except OSError:
            pass

    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, forward)
    try:
        answer = reply(connection)
    except (OSError, ValueError):
        answer = None
    if answer is None:
        sys.stderr.write("gitspec: error: the daemon stopped during the render (`gitspec daemon status` says "
                         "whether one runs); run the command again\n")
        return 3
    if "declined" in answer:
        if answer.get("stopping"):
            sys.stderr.write(f"gitspec: the daemon stopped: {answer['declined']}; rendering here "
                             "(`gitspec daemon start` starts it again)\n")
        return None
    return int(answer["exit"])
