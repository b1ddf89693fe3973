"""A format's render manifest in `.gitspec/renders/<format>.json` (gitspec.render.run writes it): for the
output folder it describes (FOLDER), each page's entry (and SITE's, the files that span pages) holds the key
it was rendered from and the files it wrote; beside it, a journal of the files a render had begun to write.
"""
from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from gitspec.store import read_plain

# A format names its folder under the output folder and its manifest in .gitspec/renders: a plain name,
# never a path ("../specs" would render over the specs).
SITE = "\0site"  # manifest key of the files that span pages
FOLDER = "\0folder"  # manifest key of the format's folder it describes, relative to the workspace
JOURNAL = ".pending"  # suffix of the list of files a killed render had begun to write, beside its manifest


def load_manifest(path: Path) -> tuple[dict, bytes]:
    """The manifest, and the bytes it was read from (b"" when missing)."""
    try:
        raw = read_plain(path)
    except OSError:
        return {}, b""
    try:
        data = json.loads(raw)
    except ValueError:
        return {}, raw
    entries = [entry for name, entry in data.items() if name != FOLDER] if isinstance(data, dict) else [None]
    if not all(isinstance(entry, dict) and isinstance(entry.get("files"), dict) for entry in entries):
        return {}, raw  # not a manifest this gitspec wrote: as good as none
    # An entry naming a file outside the folder is damaged (gitspec never writes one): dropped, so that
    # its page renders again, and nothing it names is ever removed
    return {name: entry for name, entry in data.items() if name == FOLDER or all(map(in_folder, entry["files"]))}, raw


def in_folder(rel: str) -> bool:
    """Whether a manifest's path names a file inside the format's folder, as a renderer's paths must."""
    path = PurePosixPath(rel)
    return bool(rel) and not path.is_absolute() and ".." not in path.parts


def journalled(journal: Path) -> set[str]:
    """The files a render killed before saving its manifest had begun to write (its journal)."""
    try:
        return set(read_plain(journal).decode("utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return set()


def listed(manifest: dict) -> set[str]:
    """Every file the manifest lists, of every entry."""
    return {rel for name, entry in manifest.items() if name != FOLDER for rel in entry.get("files", {})}
