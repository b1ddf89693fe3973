"""What is installed, as comparable keys: the caches of what plugins offer and declare are
trusted only while these keys still match."""
from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

import gitspec

# tag of `.gitspec/plugins`: the installed plugins' entry points, their code files and their kinds' schemas
ENTRY_POINTS = b"GSEP4"


def plugin_files(store: Path) -> tuple[str, ...]:
    """The files and folders of the code of the installed plugins, and the schema files of the kinds they
    declare, as the last load of them found them (saved in `store/plugins` by gitspec.plugins): what a
    cached result of their hooks depends on."""
    from gitspec.cachefile import read_cache

    saved = read_cache(store / "plugins", ENTRY_POINTS)
    if isinstance(saved, tuple) and len(saved) == 4 and isinstance(saved[2], tuple) and isinstance(saved[3], tuple):
        return saved[2] + saved[3]
    return ()


def module_files(name: str) -> tuple[str, ...]:
    """The file of an imported plugin module that is in no package, or every folder and source file of
    the package holding it (the outermost that is not a namespace package, which several distributions
    share): its own modules are what it imports, and an edit to any changes one of their stat keys (a
    file added to the package, its folder's)."""
    parts = name.split(".")
    for depth in range(1, len(parts) + 1):
        module = sys.modules.get(".".join(parts[:depth]))
        if getattr(module, "__file__", None) and getattr(module, "__path__", None) is not None:
            return _package_files(module.__path__)
    module_file = getattr(sys.modules.get(name), "__file__", None)
    return (module_file,) if isinstance(module_file, str) else ()


def _package_files(path: Iterable[str]) -> tuple[str, ...]:
    found = []
    for top in path:
        for folder, folders, files in os.walk(top):
            folders[:] = sorted(f for f in folders if f != "__pycache__")
            found.append(folder)
            found += sorted(os.path.join(folder, f) for f in files if f.endswith(".py"))
    return tuple(found)


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
