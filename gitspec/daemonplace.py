"""Where the daemon of a workspace listens (`gitspec daemon`): a Unix socket in a folder of the user's own.

Not in `.gitspec/`: a socket's path is limited to about a hundred bytes, which a deep workspace exceeds,
and `cache gc` would meet it there. The folder is `$XDG_RUNTIME_DIR/gitspec` when that is set, else
`gitspec-<uid>` in `$TMPDIR` (or /tmp), made private (0700); one that another user owns, or that others
may enter, is never used. The socket's name is a checksum of the workspace's real path; the daemon
still checks that a request is for its workspace. Standard library only: a render that a daemon takes
over imports this module and little else.
"""
from __future__ import annotations

import os
import stat
import sys
import zlib

SUFFIX_SOCKET, SUFFIX_LOG = ".sock", ".log"
IDLE_MINUTES = 30  # how long a daemon waits for a render before it stops (Gradle's waits hours)


def supported() -> bool:
    """Whether this system can pass a process's standard streams over a Unix socket (not Windows)."""
    import socket

    return hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds") and hasattr(os, "getuid")


def findable() -> bool:
    """Whether a daemon could be running here at all, without importing socket (a few milliseconds
    every command would pay): it runs only where `supported()`, and needs `os.getuid` for its folder."""
    return hasattr(os, "getuid") and os.name == "posix"


def folder(make: bool = False) -> str | None:
    """The private folder sockets and logs are kept in; None when it is not there (or, with `make`,
    cannot be made) or is not private to this user."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime) and os.path.isdir(runtime):
        place = os.path.join(runtime, "gitspec")
    else:
        place = os.path.join(os.environ.get("TMPDIR") or "/tmp", f"gitspec-{os.getuid()}")
    if make:
        try:
            os.mkdir(place, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return None
    try:
        st = os.lstat(place)
    except OSError:
        return None
    private = stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077
    return place if private else None


def name(root: str) -> str:
    """The file name (without suffix) of the daemon of the workspace whose real path is `root`."""
    return f"{zlib.crc32(os.fsencode(root)):08x}"


def socket_path(root: str, make: bool = False) -> str | None:
    place = folder(make)
    return None if place is None else os.path.join(place, name(root) + SUFFIX_SOCKET)


def log_path(root: str) -> str | None:
    place = folder()
    return None if place is None else os.path.join(place, name(root) + SUFFIX_LOG)


def workspace_root(start: str) -> str | None:
    """The real path of the nearest folder at or above `start` holding gitspec.yaml (as
    gitspec.workspace.find_root finds it), or None."""
    try:
        here = os.path.realpath(start)
    except OSError:
        return None
    while True:
        if os.path.isfile(os.path.join(here, "gitspec.yaml")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def import_path(cwd: str) -> list[str]:
    """sys.path without the current folder that `python -m` or `-c` puts first: what a request's
    Python and the daemon's must share (gitspec.fingerprint leaves the same entries out)."""
    return [entry for entry in sys.path if entry not in ("", cwd)]
