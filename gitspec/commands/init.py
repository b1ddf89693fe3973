"""`gitspec init`: make the current folder a workspace. Running it twice changes nothing.

`.gitignore` is read and written as bytes: whatever its encoding, it is kept.
"""
from __future__ import annotations

import codecs
import sys
from pathlib import Path

from gitspec.atomic import create_new, write_atomic
from gitspec.config import CONFIG_FILE, DEFAULT_CONFIG_TEXT
from gitspec.errors import EXIT_USAGE, GitspecError, writing
from gitspec.lineendings import newline_of

IGNORE_LINE = ".gitspec/"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def run(folder: Path | None = None) -> int:
    folder = folder or Path.cwd()
    _refuse_nested(folder)
    done = []
    # Each write only when needed: in a read-only checkout that is initialised, init changes nothing.
    if not (folder / CONFIG_FILE).exists():
        with writing(CONFIG_FILE):
            written = create_new(folder / CONFIG_FILE, DEFAULT_CONFIG_TEXT.encode())
        if written:
            done.append(f"wrote {CONFIG_FILE}")
            if not (folder / "specs").is_dir():
                with writing("specs/"):
                    (folder / "specs").mkdir()
                done.append("made specs/")
    if _ignore_store(folder / ".gitignore"):
        done.append(f"added {IGNORE_LINE} to .gitignore")
    sys.stdout.write("".join(f"gitspec: {line}\n" for line in done) or "gitspec: already initialised\n")
    return 0


def _refuse_nested(folder: Path) -> None:
    """A gitspec.yaml inside a workspace would split it (in its spec folder, become a broken document)."""
    import os

    if (folder / CONFIG_FILE).is_file():
        return
    outer = next((parent for parent in folder.resolve().parents if (parent / CONFIG_FILE).is_file()), None)
    if outer is not None:
        where = os.path.relpath(outer, folder.resolve())
        raise GitspecError(f"this folder is already inside the workspace at {where} ({where}/{CONFIG_FILE}); "
                           "gitspec commands work here as they are, nothing to initialise", exit_code=EXIT_USAGE)


def _ignore_store(gitignore: Path) -> bool:
    if gitignore.is_dir():
        raise GitspecError(".gitignore is a folder, not a file; gitspec cannot add .gitspec/ to it",
                           exit_code=EXIT_USAGE)
    try:
        data = gitignore.read_bytes() if gitignore.exists() else b""
    except OSError as error:
        raise GitspecError(f"cannot read .gitignore: {error.strerror or error}", exit_code=EXIT_USAGE) from None
    new = with_ignore_line(data)
    if new is None:
        return False
    if data.startswith(_UTF16_BOMS):
        sys.stderr.write("gitspec: warning: .gitignore is UTF-16, which git does not read; save it as UTF-8\n")
    with writing(".gitignore"):
        write_atomic(gitignore, new)
    return True


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
    newline = newline_of(text)
    if text and not text.endswith("\n"):
        text += newline
    return bom + f"{text}{IGNORE_LINE}{newline}".encode(encoding)
