"""Where a generated code file may be written: only inside the configured code folder.

A code document's paths are user-editable text, so each one is checked before any write:
no absolute paths, no `..`, no backslashes, and nothing that a symlink leads outside the folder.
"""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from gitspec.errors import EXIT_FINDINGS, GitspecError

_DRIVE = re.compile(r"^[A-Za-z]:")


def _refuse(relative: str, why: str) -> GitspecError:
    return GitspecError(f"code file path {relative!r} {why}; it must stay inside the code folder",
                        path=relative, exit_code=EXIT_FINDINGS)


def safe_target(folder: Path, relative: str) -> Path:
    """The absolute path `relative` names under `folder`, or GitspecError (exit 1) naming the path."""
    if not isinstance(relative, str) or not relative.strip():
        raise _refuse(str(relative), "is empty")
    if "\\" in relative:
        raise _refuse(relative, "contains a backslash")  # a separator on Windows, a name character elsewhere
    if "\0" in relative:
        raise _refuse(relative, "contains a NUL character")
    if relative.startswith("/") or _DRIVE.match(relative):
        raise _refuse(relative, "is absolute")
    parts = PurePosixPath(relative).parts
    if ".." in parts:
        raise _refuse(relative, "has a '..' segment")
    root = folder.resolve()
    # resolve() follows every symlink that exists along the way, including the file itself.
    try:
        target = root.joinpath(*parts).resolve()
    except (OSError, RuntimeError) as error:  # a symlink loop: RuntimeError before Python 3.13
        raise _refuse(relative, f"cannot be resolved ({error})") from error
    if target == root or not target.is_relative_to(root):
        raise _refuse(relative, "resolves outside the code folder" if target != root else "names the folder itself")
    return target
