"""What cached check results depend on besides the documents themselves.

gitspec's own code and schemas, the workspace's config and local schemas, the
Python version, the import path and each folder on it (a plugin installed or
removed changes its folder's mtime), and the code of the plugins the last load
found, wherever it came from (PYTHONPATH, an editable install), with the schema
files of their kinds. Cheap: a few stats and one small cache file, no imports.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import gitspec

_PACKAGE = Path(gitspec.__file__).resolve().parent
# Every folder of gitspec's modules: a check reads anchors and pictures as the renderers do (render/),
# and an editable install updated by `git pull` changes only the files it changes.
CODE_FOLDERS = tuple(_PACKAGE / name for name in ("", "builtin", "commands", "providers", "render", "stages"))


def fingerprint(root: Path, config_bytes: bytes, schemas_folder: str, store: Path) -> str:
    from gitspec.installed import plugin_files
    from gitspec.unicodenames import stored

    parts = [gitspec.__version__, sys.version, config_bytes.decode("utf-8", "replace")]
    for folder in (*CODE_FOLDERS, _PACKAGE / "templates", _PACKAGE / "schemas", _PACKAGE.parent / "schemas",
                   root / stored(root, schemas_folder)):
        parts.append(_folder_stamp(folder))
    for entry in _import_folders():  # a plugin may come from PYTHONPATH as well as from site-packages
        parts.append(_folder_stamp(Path(entry), files=False))
    for name in plugin_files(store):
        parts.append(_path_stamp(name))
    return "\0".join(parts)  # compared whole: hashing would cost more than it saves


def _import_folders() -> list[str]:
    """The folders on the import path, but the current folder that `python -m gitspec` (or `-c`) puts first:
    its mtime moves with every file made in it (an editor's swap file, build/). A plugin module found
    there is stamped with the plugin files all the same."""
    try:
        here = os.getcwd()
    except OSError:  # deleted: nothing is imported from it
        here = None
    return [entry for entry in sys.path if entry not in ("", here)]


def _path_stamp(name: str) -> str:
    try:
        st = os.stat(name)
    except OSError:
        return f"{name}:-"
    return f"{name}:{st.st_mtime_ns}:{st.st_size}:{st.st_ino}:{st.st_ctime_ns}"


def _folder_stamp(folder: Path, files: bool = True) -> str:
    try:
        stamp = [f"{folder}:{os.stat(folder).st_mtime_ns}"]
        if files:
            with os.scandir(folder) as entries:
                # as the index knows a document: a file rewritten with its old mtime moves the ctime
                stamp += sorted(f"{e.name}:{st.st_mtime_ns}:{st.st_size}:{st.st_ino}:{st.st_ctime_ns}"
                                for e in entries if e.is_file() for st in (e.stat(),))
    except OSError:
        return f"{folder}:-"
    return "|".join(stamp)
