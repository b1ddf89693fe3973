"""The daemon `gitspec daemon start` leaves running: it serves one-shot renders of one workspace.

`python -P -m gitspec.daemonserver ROOT IDLE_SECONDS IMPORT_PATH_JSON`. It imports what a render
imports, then takes one request at a time on its socket (gitspec.daemonplace): a render runs as
`gitspec.cli.main` would run it in the requester's own process, in its current folder, with its
umask and its standard streams (received over the socket), and its exit code is the answer. It
declines (and the render runs in the requester) when the request comes from another environment
or Python, or when any module it has loaded changed on disk since it started: then it exits, as it
does after IDLE_SECONDS without a request (0: never), on `gitspec daemon stop`, and on SIGTERM
between renders. A stop the requester forwards stops the render as Ctrl-C would.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time

from gitspec import daemonplace

# Set by the shell or the terminal for each command, or read per render from the terminal itself:
# they may differ between requests and the daemon's start. Any other variable must be the same.
VOLATILE = frozenset({"PWD", "OLDPWD", "SHLVL", "_", "COLUMNS", "LINES"})
# Imported before the first request, so that the first render after `daemon start` is as quick as the rest
WARM = ("gitspec.cli", "gitspec.commands.render", "gitspec.buildsession", "gitspec.render.session",
        "gitspec.render.run", "gitspec.render.sitemodel", "gitspec.render.html", "gitspec.render.facts",
        "gitspec.checker", "gitspec.engine", "gitspec.symbols", "gitspec.render.searchparts")


class Daemon:
    def __init__(self, root: str, idle: float) -> None:
        self.root, self.idle = root, idle
        self.started, self.served, self.last = time.time(), 0, time.time()
        self.declined = ""  # why the last request it declined was declined
        self.env = {key: value for key, value in os.environ.items() if key not in VOLATILE}
        self.code = code_stamp({})
        self.stop = False

    def answer(self, connection: socket.socket) -> None:
        message, fds = _received(connection)
        try:
            if message.get("do") == "status":
                _send(connection, {"status": self.status()})
            elif message.get("do") == "stop":
                self.stop = True
                _send(connection, {"stopped": os.getpid()})
            elif message.get("do") == "run":
                why = self.refusal(message)
                if why:
                    self.declined = why
                    _send(connection, {"declined": why, "stopping": self.stop})
                else:
                    _send(connection, {"exit": self.run(connection, message, fds)})
        finally:
            for fd in fds:
                os.close(fd)

    def status(self) -> dict:
        return {"pid": os.getpid(), "root": self.root, "started": self.started, "served": self.served,
                "idle": self.idle, "declined": self.declined}

    def refusal(self, message: dict) -> str:
        """Why this daemon will not run the request (its requester then does), or ""."""
        if message.get("root") != self.root:
            return "it serves another workspace"
        if message.get("executable") != sys.executable or message.get("path") != daemonplace.import_path(os.getcwd()):
            return "the request comes from another Python or import path"
        env = {key: value for key, value in message.get("env", {}).items() if key not in VOLATILE}
        if env != self.env:
            differ = sorted(set(env.items()) ^ set(self.env.items()))
            return f"the environment differs from the one it started in (variable {differ[0][0]})"
        if any(stamp != _stamp(path) for path, stamp in self.code.items()):
            self.stop = True
            return "gitspec's code, or a module it loaded, changed since it started"
        return ""

    def run(self, connection: socket.socket, message: dict, fds: list[int]) -> int:
        """The request run as `gitspec.cli.main` runs a command, with the requester's streams."""
        from gitspec import stopping
        from gitspec.cli import main

        self.served += 1
        streams: list = []
        saved = [os.dup(number) for number in (0, 1, 2)]
        environ = dict(os.environ)
        active = threading.Event()
        active.set()
        forwarded: list[int] = []  # the stops the requester sent (a SIGTERM from anyone else ends the daemon too)
        watcher = threading.Thread(target=_watch_requester, args=(connection, active, forwarded), daemon=True)
        try:
            for number, fd in enumerate(fds[:3]):
                os.dup2(fd, number)
            streams = _fresh_streams()
            os.chdir(message["cwd"])
            os.umask(message["umask"])
            os.environ.update({key: value for key, value in message["env"].items() if key in VOLATILE})
            sys.argv = ["gitspec", *message["argv"]]
            _forget_answers()
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, _terminated)
            watcher.start()
            try:
                code = main(message["argv"])
            except SystemExit as exc:  # argparse: --help, a usage error
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except KeyboardInterrupt as exc:  # a stop before main() took stops over, or after it was done
                code = 143 if isinstance(exc, stopping.Terminated) else 130
            if code == 143 and signal.SIGTERM not in forwarded:  # `kill` or a shutdown: the render stopped first
                self.stop = True
            return code
        finally:
            active.clear()
            _quiet_signals()
            stopping.reset()
            for stream in streams:
                try:
                    stream.close()  # (flushed first; a reader that left is owed nothing)
                except Exception:
                    pass
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            for number, fd in enumerate(saved):
                os.dup2(fd, number)
                os.close(fd)
            os.environ.clear()
            os.environ.update(environ)
            os.chdir(self.root)
            self.code = code_stamp(self.code)  # the modules this render imported, as they are now
            self.last = time.time()

    def serve(self, listener: socket.socket) -> None:
        while not self.stop:
            wait = None if not self.idle else max(0.0, self.last + self.idle - time.time())
            listener.settimeout(wait)
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                return
            except InterruptedError:
                continue
            with connection:
                connection.settimeout(None)
                if _same_user(connection):
                    try:
                        self.answer(connection)
                    except (OSError, ValueError, KeyError):  # a requester that went, or spoke nonsense
                        pass
                    except Exception:  # the daemon's own bug: in its log; its requester is told it stopped
                        import traceback

                        traceback.print_exc()
                        sys.stderr.flush()
            _settle()


def _settle() -> None:
    """Between requests, while nobody waits: collect what the last one left, and set what is still alive
    aside from the collector (gc.freeze), so that the next render does not scan gitspec's loaded modules."""
    import gc

    gc.collect()
    gc.freeze()


def code_stamp(known: dict) -> dict:
    """`known` and the stamp (size, mtime) of each module loaded since, and of each folder on the import
    path: a change to any (an edit, a package installed or upgraded) and this process no longer renders
    as a fresh one would."""
    stamps = dict(known)
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and path not in stamps:
            stamps[path] = _stamp(path)
    for entry in sys.path:
        if entry not in stamps:
            stamps[entry] = _stamp(entry)
    return stamps


def _stamp(path: str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _received(connection: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _, _ = socket.recv_fds(connection, 1 << 16, 3)
    if len(data) < 8:
        raise ValueError("no request")
    size, data = int.from_bytes(data[:8], "big"), data[8:]
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ValueError("a request cut short")
        data += chunk
    return json.loads(data.decode("utf-8", "surrogateescape")), list(fds)


def _send(connection: socket.socket, answer: dict) -> None:
    connection.sendall(json.dumps(answer).encode() + b"\n")


def _watch_requester(connection: socket.socket, active: threading.Event, forwarded: list[int]) -> None:
    """Ctrl-C (`I`) or SIGTERM (`T`) the requester forwards, or its going away, stops the render; each
    stop sent is added to `forwarded`."""
    while active.is_set():
        try:
            byte = connection.recv(1)
        except OSError:
            byte = b""
        if not active.is_set():
            return
        signum = signal.SIGINT if byte == b"I" else signal.SIGTERM
        forwarded.append(signum)
        os.kill(os.getpid(), signum)
        if not byte:
            return


def _terminated(signum, frame) -> None:
    from gitspec.stopping import Terminated

    raise Terminated()


def _quiet_signals() -> None:
    """Between requests: a late forwarded Ctrl-C is dropped; SIGTERM ends the daemon."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _leave)


def _leave(signum, frame) -> None:
    raise SystemExit(0)


def _fresh_streams() -> list:
    """Standard output and error as a new process would have them on the requester's descriptors
    (gitspec.streams wraps them once per command), on copies closed when the request is done: what
    could not be written then is dropped, never left for the next requester."""
    made = []
    for number, name in ((1, "stdout"), (2, "stderr")):
        original = getattr(sys, f"__{name}__")
        stream = open(os.dup(number), "w", buffering=1 if number == 2 or os.isatty(number) else -1,
                      encoding=original.encoding, errors=original.errors)
        setattr(sys, name, stream)
        made.append(stream)
    return made


def _forget_answers() -> None:
    """What one render asked plugins, and the mmdc version it found, are asked again (as a watch does)."""
    from gitspec.plugincalls import forget_answers
    from gitspec.plugins import managers

    for manager in managers():
        forget_answers(manager)
    mmdc = sys.modules.get("gitspec.render.mmdc")
    if mmdc is not None:
        mmdc.mmdc_version.cache_clear()


def _same_user(connection: socket.socket) -> bool:
    """Only this user's processes are served (the socket's folder is private too)."""
    credentials = getattr(socket, "SO_PEERCRED", None)
    if credentials is None:
        return True
    import struct

    pid, uid, gid = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, credentials, struct.calcsize("3i")))
    return uid == os.getuid()


def main(argv: list[str]) -> int:
    root, idle, path = argv[0], float(argv[1]), json.loads(argv[2])
    sys.path[:] = path
    os.chdir(root)
    _quiet_signals()
    import importlib

    for module in WARM:
        importlib.import_module(module)
    from gitspec.render.pdfpool import start_server

    start_server()
    _settle()
    daemon = Daemon(root, idle)
    where = daemonplace.socket_path(root, make=True)
    if where is None:
        sys.stderr.write("gitspec daemon: no private folder for its socket\n")
        return 2
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        os.unlink(where)  # one left by a daemon that was killed (`daemon start` found none answering)
    except FileNotFoundError:
        pass
    listener.bind(where)
    mine = os.stat(where).st_ino
    listener.listen(8)
    sys.stderr.write(f"gitspec daemon: pid {os.getpid()} serves {root}\n")
    sys.stderr.flush()
    try:
        daemon.serve(listener)
    except SystemExit:
        pass
    finally:
        listener.close()
        try:
            if os.stat(where).st_ino == mine:
                os.unlink(where)
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
