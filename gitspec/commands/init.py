"""`gitspec init`: make the current folder a workspace. Running it twice changes nothing."""
from __future__ import annotations

import sys
from pathlib import Path

from gitspec.atomic import create_new, write_atomic
from gitspec.config import CONFIG_FILE, DEFAULT_CONFIG_TEXT

IGNORE_LINE = ".gitspec/"


def run(folder: Path | None = None) -> int:
    folder = folder or Path.cwd()
    done = []
    if create_new(folder / CONFIG_FILE, DEFAULT_CONFIG_TEXT.encode()):
        done.append(f"wrote {CONFIG_FILE}")
        if not (folder / "specs").is_dir():
            (folder / "specs").mkdir()
            done.append("made specs/")
    if _ignore_store(folder / ".gitignore"):
        done.append(f"added {IGNORE_LINE} to .gitignore")
    sys.stdout.write("".join(f"gitspec: {line}\n" for line in done) or "gitspec: already initialised\n")
    return 0


def _ignore_store(gitignore: Path) -> bool:
    text = gitignore.read_text(encoding="utf-8") if gitignore.exists() else ""
    if any(line.strip().strip("/") == ".gitspec" for line in text.splitlines()):
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    write_atomic(gitignore, f"{text}{IGNORE_LINE}\n".encode())
    return True
