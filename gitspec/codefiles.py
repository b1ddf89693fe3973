"""Where and whether a generated code file (a stub of the code stage) may be written.

Only inside the configured code folder: a code document's paths are user-editable text, so each one is
checked before any write (no absolute paths, no `..`, no backslashes, nothing a symlink leads outside
the folder). Never over a hand edit: every stub is judged before anything is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gitspec.errors import EXIT_FINDINGS, GitspecError, writing
from gitspec.herepaths import here

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gitspec.workspace import Workspace

_DRIVE = re.compile(r"^[A-Za-z]:")


def _refuse(relative: str, why: str) -> GitspecError:
    return GitspecError(f"code file path {relative!r} {why}; it must stay inside the code folder",
                        exit_code=EXIT_FINDINGS)  # no path=: it is not a workspace path, but one in the code folder


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


@dataclass(frozen=True)
class Stub:
    target: Path
    name: str  # workspace-relative, as messages name it
    content: str
    current: str | None  # what the file holds now (None: there is none)


@dataclass(frozen=True)
class StubPlan:
    writes: list[Stub]  # missing, or holding what gitspec wrote last
    edited: list[str]  # names of stubs that hold neither the new text nor the last


def judge_stubs(workspace: Workspace, files: list[dict], previous: list[dict] | None) -> StubPlan:
    """What writing the code document's `files` over the `previous` ones would do to each stub.

    Reads, never writes; a path outside the code folder, or one that is not a regular file, raises
    GitspecError (exit 1) naming it.
    """
    folder = workspace.root / workspace.config.code_folder
    before = {f.get("path"): f.get("content") for f in previous or [] if isinstance(f, dict)}
    writes, edited = [], []
    for entry in files:
        target = safe_target(folder, entry["path"])
        name = workspace.relative(target)
        if target.exists() and not target.is_file():  # a folder, a named pipe (reading it would hang)...
            raise GitspecError(f"{here(name)} is not a file; not overwritten (move it away, then build again)",
                               exit_code=EXIT_FINDINGS)
        current = _text(target)
        if current == entry["content"]:
            continue
        if current is not None and current != before.get(entry["path"]):
            edited.append(name)
            continue
        writes.append(Stub(target, name, entry["content"], current))
    return StubPlan(writes, edited)


def write_stubs(stubs: list[Stub]) -> None:
    """Write each stub atomically, unless its file changed since it was judged (an edit saved meanwhile)."""
    from gitspec.atomic import create_new, write_atomic

    for stub in stubs:
        data = stub.content.encode("utf-8")
        with writing(stub.name):
            done = (create_new(stub.target, data) if stub.current is None
                    else write_atomic(stub.target, data, still=lambda s=stub: _text(s.target) == s.current))
        if not done:
            raise GitspecError(f"{here(stub.name)} changed while gitspec was building; not overwritten "
                               "(run the build again)", exit_code=EXIT_FINDINGS)


def _text(path: Path) -> str | None:
    """The file's text as a stub is compared (any line endings), or None where there is no file."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
