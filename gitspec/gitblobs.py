"""Reading one old version of a file from git without letting a damaged object hang the process,
and what the repository's folder says about history it lacks (a shallow or a partial clone).

libgit2 1.9 loops for good, deaf to Ctrl-C and SIGTERM, when asked for a truncated loose
object (any kind: a blob, a commit, a tree), so loose blobs are inflated here with zlib and only
packed ones are asked of libgit2, and a loose commit or tree is inflated here (`check_loose`)
before libgit2 is asked for it. Never writes to the repository.
"""
from __future__ import annotations

import functools
import os
import zlib
from pathlib import Path
from typing import Any, Callable


_KINDS = (b"blob", b"tree", b"commit", b"tag")


class UnreadableObject(Exception):
    """An object git should have and cannot give: `missing` (never fetched, or lost) or damaged."""

    def __init__(self, oid: Any, missing: bool) -> None:
        super().__init__(str(oid))
        self.oid, self.missing = oid, missing


def read_blob(repo: Any, oid: Any, max_size: int | None = None) -> bytes | None:
    """The content of blob `oid` in pygit2 repository `repo`; None when it is bigger than `max_size` bytes.
    Raises UnreadableObject."""
    return _read_object(repo, oid, "blob", max_size)


def _read_object(repo: Any, oid: Any, kind: str, max_size: int | None = None) -> bytes | None:
    """The content of object `oid`, which must be a `kind` ("blob", "commit"), as git stores it: a
    commit's own parent lines, say, which libgit2 hides where a shallow clone's history is cut."""
    import pygit2

    raw = _loose(repo, oid)
    if raw is not None:
        return _inflate(raw, oid, kind.encode("ascii"), max_size)
    try:
        obj = repo[oid]
    except KeyError:
        raise UnreadableObject(oid, missing=True) from None
    except (pygit2.GitError, ValueError):
        raise UnreadableObject(oid, missing=False) from None
    if obj.type_str != kind:
        raise UnreadableObject(oid, missing=False)
    if kind == "blob":
        return obj.data if max_size is None or obj.size <= max_size else None
    return obj.read_raw()


def check_loose(repo: Any, oid: Any, kind: str | None = None) -> None:
    """Raises UnreadableObject when object `oid` of pygit2 repository `repo` is stored loose and does not
    inflate whole (to a `kind` object, "commit" or "tree", when given), so that libgit2 is never asked
    for it. A packed object, or one not there, is left to libgit2: a pack's checksums catch damage."""
    raw = _loose(repo, oid)
    if raw is not None:
        _inflate(raw, oid, kind.encode("ascii") if kind else None, None)


def _loose(repo: Any, oid: Any) -> bytes | None:
    """The bytes of `oid`'s loose object file, None when it is not stored loose (one failed open per
    object folder: as cheap as asking whether it exists)."""
    name = str(oid)
    for folder in object_folders(repo.path):
        try:
            with open(os.path.join(folder, name[:2], name[2:]), "rb") as file:
                return file.read()
        except FileNotFoundError:
            continue
        except OSError:
            raise UnreadableObject(oid, missing=False) from None
    return None


def _inflate(raw: bytes, oid: Any, expected: bytes | None, max_size: int | None) -> bytes | None:
    """A loose object's content: a zlib stream of "<expected kind> <size>\\0" (any kind git has for None)
    and that many bytes."""
    inflater = zlib.decompressobj()
    try:
        head = inflater.decompress(raw, 64)
        kind, _, rest = head.partition(b" ")
        size_text, nul, body = rest.partition(b"\0")
        if kind not in ((expected,) if expected else _KINDS) or not nul or not size_text.isdigit():
            raise UnreadableObject(oid, missing=False)
        size = int(size_text)
        if max_size is not None and size > max_size:
            return None
        body += inflater.decompress(inflater.unconsumed_tail)
    except zlib.error:
        raise UnreadableObject(oid, missing=False) from None
    if not inflater.eof or len(body) != size:
        raise UnreadableObject(oid, missing=False)
    return body


@functools.lru_cache(maxsize=16)
def object_folders(git_dir: str) -> tuple[str, ...]:
    """Where the repository at `git_dir` (a pygit2 Repository's `path`) keeps loose objects: its objects
    folder (the main one's, for a linked worktree) and those its objects/info/alternates names. Read once
    per process: a render asks after thousands of objects."""
    common = _common_dir(Path(git_dir))
    folders = [common / "objects"]
    try:
        lines = (common / "objects" / "info" / "alternates").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    folders += [folders[0] / line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return tuple(str(folder) for folder in folders)


def common_dir(repo: Any) -> Path:
    """The git folder holding `repo`'s objects and refs (the main one's, for a linked worktree)."""
    return _common_dir(Path(repo.path))


def _common_dir(git_dir: Path) -> Path:
    try:
        return git_dir / (git_dir / "commondir").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return git_dir


def shallow_boundary(common: Path) -> list[str]:
    """The commits git's `shallow` file lists ([] in a full clone): where a shallow clone's history may
    be cut. A root commit may be among them (a depth-1 clone of a one-commit history); `history_cut`
    tells those apart."""
    try:
        return (common / "shallow").read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return []


def shallow_edges(repo: Any) -> list[str]:
    """The commits of pygit2 repository `repo` whose parents a shallow clone lacks ([] in a full clone):
    those `shallow_boundary` lists whose own object names a parent. libgit2 reads every commit
    listed there as a root, so only the object can tell that nothing is missing before a root.
    They need not be in HEAD's history (`history_cut`)."""
    return [commit for commit in shallow_boundary(common_dir(repo)) if _names_a_parent(repo, commit)]


def history_cut(repo: Any, reaches: Callable[[str], bool]) -> list[str]:
    """Where HEAD's history is cut in pygit2 repository `repo` ([] when it is whole): the `shallow_edges`
    that `reaches` (a commit id -> whether a walk of HEAD's history meets it, or may) finds. A branch
    fetched with --depth beside a whole one (a CI job's base branch, to compare with) lists its tip in
    git's `shallow` file too, yet nothing HEAD's history holds is missing."""
    return [commit for commit in shallow_edges(repo) if reaches(commit)]


def _names_a_parent(repo: Any, commit: str) -> bool:
    try:
        raw = _read_object(repo, commit, "commit")
    except UnreadableObject:
        return True  # cannot tell: history may be missing before it, so say so
    header = raw.partition(b"\n\n")[0] if raw else b""
    return any(line.startswith(b"parent ") for line in header.split(b"\n"))


def shallow_note(boundary: list[str]) -> list[str]:
    """The note a render prints in a shallow clone (none in a full one)."""
    if not boundary:
        return []
    return [f"this clone is shallow: history before commit {', '.join(c[:7] for c in boundary[:3])} is not here, "
            "so sections changed before it show no last change and evidence taken before it cannot be "
            "verified; run 'git fetch --unshallow' for all of it"]


def is_partial_clone(repo: Any) -> bool:
    """Whether `repo` was cloned with --filter, so that objects it lacks are on a promisor remote."""
    config = repo.config
    try:
        if config["extensions.partialclone"]:
            return True
    except KeyError:
        pass
    for entry in config:
        if entry.name.startswith("remote.") and entry.name.endswith(".promisor") \
                and str(entry.value).lower() in ("true", "yes", "on", "1"):
            return True
    return False


def unreadable_note(repo: Any, error: UnreadableObject, rel_path: str, commit: str) -> str:
    """What to tell the user about a version of `rel_path` the history walk could not read at `commit`
    (a short id), or, with `rel_path` "", about commit `commit` itself, which ends every document's history;
    one sentence for all of a partial clone's, which lacks every old version by design."""
    if error.missing and is_partial_clone(repo):
        return ("older versions of the documents are not in this clone (a partial clone, made with --filter): "
                "sections changed before the oldest version at hand show no last change")
    what = "missing" if error.missing else "damaged"
    where = f"{rel_path}: " if rel_path else ""
    return (f"{where}history from commit {commit} back left out: {what} git object {error.oid}; "
            "run 'git fsck' to see what else is affected")
