"""The workspace pictures Markdown documents show, as `check` sees them.

Each picture's stat key goes into the no-op check's digest, so a picture that is
changed, replaced or deleted is looked at again although no document changed.
Each verdict (None, or why the picture cannot be shown) is remembered in the
parse index against that key: a check after an unrelated edit decodes no picture.
"""
from __future__ import annotations

import os
from pathlib import Path

from gitspec.index import RACY_NS, ParseIndex

MEMO = "pictures"

# (path, size, mtime_ns, inode, ctime_ns, mode, where symlinks lead it), or (path,) when there is nothing to stat
Key = tuple


def picture_key(root: Path, path: str) -> Key:
    """What decides a picture's verdict short of its bytes: its file's stat key (ctime too: a rewrite
    given its old mtime back moves it), its permissions, and the real path (a folder on the way may become a symlink leading out of the workspace)."""
    if path == ".." or path.startswith("../"):
        return (path,)  # outside the workspace: never looked at, its verdict never changes
    from gitspec.unicodenames import on_disk

    try:
        real = os.path.realpath(on_disk(root / path) or f"{root}/{path}")  # found as localimages finds it
        st = os.stat(real)
    except (OSError, ValueError):
        return (path,)
    return (path, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns, st.st_mode, real)


def settled(keys: list[Key], scan_ns: int) -> bool:
    """Whether no picture changed so close to `scan_ns` that a later edit could keep its key."""
    return all(len(key) == 1 or key[2] < scan_ns - RACY_NS for key in keys)


class PictureVerdicts:
    """Why each picture cannot be shown, or None: read again only when its stat key changed.

    `keys` holds the key of every picture asked about, taken before it was read; `remember`
    keeps their verdicts (only theirs, and only settled ones) in the index's memo for the caller to save.
    """

    def __init__(self, root: Path, index: ParseIndex, scan_ns: int) -> None:
        self.root, self.index, self.scan_ns = root, index, scan_ns
        self._known: dict = index.memo.get(MEMO) if isinstance(index.memo.get(MEMO), dict) else {}
        self._verdicts: dict[str, tuple[Key, str | None]] = {}

    def problem(self, path: str) -> str | None:
        if path not in self._verdicts:
            key = picture_key(self.root, path)
            known = self._known.get(path)
            if known is not None and known[0] == key and settled([key], self.scan_ns):
                self._verdicts[path] = known
            else:
                from gitspec.render.localimages import picture_problem

                self._verdicts[path] = (key, picture_problem(self.root, path))
        return self._verdicts[path][1]

    @property
    def keys(self) -> list[Key]:
        return [self._verdicts[path][0] for path in sorted(self._verdicts)]

    def remember(self) -> None:
        self.index.memo[MEMO] = {path: verdict for path, verdict in self._verdicts.items()
                                 if settled([verdict[0]], self.scan_ns)}
