"""What a page's files are named in every format: its id, made safe for any file system."""
from __future__ import annotations

import hashlib
import re

_STEM_BAD = re.compile(r"[^A-Za-z0-9._-]")
MAX_STEM = 200  # file systems allow 255 bytes a name; the longest suffix added is ".docx"


def file_stem(page_id: str) -> str:
    """The file name (without extension) of a page: its id, with anything unsafe replaced, and a
    very long one cut, ending in a digest of the whole id. A valid id of up to MAX_STEM characters
    is its own stem; two invalid ones may share one (the site keeps the first)."""
    stem = _STEM_BAD.sub("_", page_id) or "_"
    stem = "_" + stem if stem.startswith(".") else stem
    if len(stem) > MAX_STEM:
        stem = f"{stem[:MAX_STEM - 17]}-{hashlib.sha256(page_id.encode('utf-8')).hexdigest()[:16]}"
    return stem
