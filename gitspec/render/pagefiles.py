"""What a page's files are named in every format: its id, made safe for any file system."""
from __future__ import annotations

import re

_STEM_BAD = re.compile(r"[^A-Za-z0-9._-]")


def file_stem(page_id: str) -> str:
    """The file name (without extension) of a page: its id, with anything unsafe replaced.
    A valid id is its own stem; two invalid ones may share one (the site keeps the first)."""
    stem = _STEM_BAD.sub("_", page_id) or "_"
    return "_" + stem if stem.startswith(".") else stem
