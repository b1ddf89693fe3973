"""The store folder `.gitspec/`: created on demand, explaining itself.

Holds caches only: deleting it loses nothing but time.
"""
from __future__ import annotations

from pathlib import Path

from gitspec.atomic import write_atomic

README = """\
This folder is gitspec's cache: the parse index, generated and rendered
objects, and logs. It is safe to delete; gitspec rebuilds it. Do not commit it.
"""
CACHEDIR_TAG = """\
Signature: 8a477f597d28d172789f06886806bc55
# This file is a cache directory tag created by gitspec.
# For information about cache directory tags see https://bford.info/cachedir/
"""


def ensure_store(folder: Path) -> Path:
    if not (folder / "CACHEDIR.TAG").exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / "README", README.encode(), durable=False)
        write_atomic(folder / ".gitignore", b"*\n", durable=False)
        write_atomic(folder / "CACHEDIR.TAG", CACHEDIR_TAG.encode(), durable=False)
    return folder
