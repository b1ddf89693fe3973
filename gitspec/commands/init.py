"""`gitspec init`: make the current folder a workspace. Running it twice changes nothing.

`.gitignore` is read and written as bytes: whatever its encoding, it is kept.
"""
from __future__ import annotations

import codecs
import os
from pathlib import Path, PurePosixPath

from gitspec.atomic import create_new, write_atomic
from gitspec.config import CONFIG_FILE, DEFAULT_CONFIG_TEXT
from gitspec.errors import EXIT_USAGE, GitspecError, writing
from gitspec.lineendings import newline_of
from gitspec.streams import messages

IGNORE_LINE = ".gitspec/"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def run(folder: Path | None = None) -> int:
    folder = folder or Path.cwd()
    _refuse_git_folder(folder)
    _refuse_nested(folder)
    config = folder / CONFIG_FILE
    if os.path.lexists(config) and not config.is_file():  # every other command would not see it
        raise GitspecError(f"{CONFIG_FILE} is {_not_a_file(config)}; remove it, then run 'gitspec init' again",
                           exit_code=EXIT_USAGE)
    specs = _spec_folders(folder) if config.exists() else ("specs",)
    missing = _missing_spec_folders(folder, specs)
    gitignore = _gitignore_with_store(folder / ".gitignore")  # everything checked before anything is written
    done = []
    # Each write only when needed: in a read-only checkout that is initialised, init changes nothing.
    if not config.exists():
        with writing(CONFIG_FILE):
            if create_new(config, DEFAULT_CONFIG_TEXT.encode()):
                done.append(f"wrote {CONFIG_FILE}")
    for name in missing:  # also in a clone: git keeps no empty folder
        with writing(f"{name}/"):
            (folder / name).mkdir(parents=True, exist_ok=True)
        done.append(f"made {name}/")
    if gitignore is not None:
        with writing(".gitignore"):
            write_atomic(folder / ".gitignore", gitignore)
        done.append(f"added {IGNORE_LINE} to .gitignore")
    messages().write("".join(f"gitspec: {line}\n" for line in done) or "gitspec: already initialised\n")
    return 0


def _not_a_file(path: Path) -> str:
    """What `path`, which exists (perhaps as a link) but is no regular file, is instead."""
    if os.path.islink(path) and not os.path.exists(path):
        return f"a symlink to {os.readlink(path)}, which does not exist"
    return "a folder, not a file" if path.is_dir() else "not a regular file"


def _spec_folders(folder: Path) -> tuple[str, ...]:
    """The spec folders an existing gitspec.yaml names; a mistake in it is the error any command would give."""
    from gitspec.config import parse_config

    try:
        data = (folder / CONFIG_FILE).read_bytes()
    except OSError as error:
        raise GitspecError(f"cannot read {CONFIG_FILE}: {error.strerror or error}", exit_code=EXIT_USAGE) from None
    from gitspec.unicodenames import stored

    # as stored: a folder spelt otherwise on disk (`spécs` decomposed) is there already, not to be made again
    return tuple(stored(folder, spec) for spec in parse_config(data, CONFIG_FILE).specs)


def _missing_spec_folders(folder: Path, specs: tuple[str, ...]) -> list[str]:
    """The spec folders to make; something else where one goes (a file named `specs`) is refused."""
    from gitspec.workspace import not_a_folder

    missing = []
    for name in dict.fromkeys(PurePosixPath(spec).as_posix() for spec in specs):
        path = folder / name
        if path.is_dir():
            continue
        blocking = next((place for place in (path, *path.parents)
                         if place.is_relative_to(folder) and os.path.lexists(place) and not place.is_dir()), None)
        if blocking is not None:
            raise GitspecError(f"{blocking.relative_to(folder).as_posix()} is {not_a_folder(blocking)}, where the "
                               f"spec folder {name}/ goes; move it away, then run 'gitspec init' again",
                               exit_code=EXIT_USAGE)
        missing.append(name)
    return missing


def _refuse_git_folder(folder: Path) -> None:
    """A repository's git folder (`.git`, a bare repository) is git's own: documents there are no files of
    the repository, and git may rewrite or delete them."""
    from gitspec.workspace import in_git_folder

    resolved = folder.resolve()
    if in_git_folder(resolved, Path(resolved.anchor)):
        raise GitspecError("this folder is git's own (a repository's .git folder, or inside one); run "
                           "'gitspec init' in the repository's working tree", exit_code=EXIT_USAGE)


def _refuse_nested(folder: Path) -> None:
    """A gitspec.yaml inside a workspace would split it (in its spec folder, become a broken document)."""
    if (folder / CONFIG_FILE).is_file():
        return
    outer = next((parent for parent in folder.resolve().parents if (parent / CONFIG_FILE).is_file()), None)
    if outer is not None:
        where = os.path.relpath(outer, folder.resolve())
        raise GitspecError(f"this folder is already inside the workspace at {where} ({where}/{CONFIG_FILE}); "
                           "gitspec commands work here as they are, nothing to initialise", exit_code=EXIT_USAGE)


def _gitignore_with_store(gitignore: Path) -> bytes | None:
    """What `.gitignore` becomes with the store's line, or None when it ignores the store already."""
    if gitignore.is_dir():
        raise GitspecError(".gitignore is a folder, not a file; gitspec cannot add .gitspec/ to it",
                           exit_code=EXIT_USAGE)
    try:
        data = gitignore.read_bytes() if gitignore.exists() else b""
    except OSError as error:
        raise GitspecError(f"cannot read .gitignore: {error.strerror or error}", exit_code=EXIT_USAGE) from None
    new = with_ignore_line(data)
    if new is not None and data.startswith(_UTF16_BOMS):
        messages().write("gitspec: warning: .gitignore is UTF-16, which git does not read; save it as UTF-8\n")
    return new


def with_ignore_line(data: bytes) -> bytes | None:
    """`.gitignore`'s bytes with the store's line added in the file's own encoding and line ending,
    or None when a line already ignores the store. UTF-16 (as PowerShell writes it) is kept UTF-16;
    anything else is taken as bytes, as git does: the line is ASCII, the same in Latin-1 and UTF-8."""
    bom = next((bom for bom in (codecs.BOM_UTF8, *_UTF16_BOMS) if data.startswith(bom)), b"")
    encoding = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}.get(bom, "latin-1")
    try:
        text = data[len(bom):].decode(encoding)
    except UnicodeDecodeError:  # an odd number of bytes after a UTF-16 mark
        text = "\0"
    if "\0" in text:  # UTF-16 without a byte-order mark, UTF-32, or not text at all
        raise GitspecError(".gitignore is neither UTF-8, Latin-1 nor UTF-16 with a byte-order mark; save it "
                           f"as UTF-8, or add {IGNORE_LINE} to it yourself", exit_code=EXIT_USAGE)
    if any(line.strip().strip("/") == ".gitspec" for line in text.split("\n")):
        return None
    newline = newline_of(text, lone_cr=False)  # git ends no line at a CR alone: ours must end at LF
    if text and not text.endswith("\n"):
        text += newline
    return bom + f"{text}{IGNORE_LINE}{newline}".encode(encoding)
