"""What is installed, as comparable keys: the caches of what plugins offer and declare are
trusted only while these keys still match."""
from __future__ import annotations

import os
import sys

import gitspec


def environment() -> tuple:
    """The interpreter, gitspec's version and the import path."""
    return gitspec.__version__, sys.version, sys.executable, tuple(sys.path)


def stat_key(name: str) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(name)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def distributions_key() -> tuple:
    """Every folder on sys.path, with the name and entry points file of every distribution in it:
    installing, removing, upgrading or re-declaring a plugin changes one of them. Not the folder's
    own timestamp, which any write there moves (Python's bytecode cache, for one)."""
    key = []
    for entry in sys.path:
        folder = os.path.abspath(entry or os.curdir)
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            names = []
        key.append((folder, tuple((n, stat_key(os.path.join(folder, n, "entry_points.txt"))) for n in names)))
    return tuple(key)
