"""What a render reads from the workspace, so that a watch renders again only when one of these changes.

Bookkeeping over what the check already found (the documents, the pictures they show): it reads no
file and never decides what a render writes.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from gitspec.config import CONFIG_FILE
from gitspec.unicodenames import on_disk
from gitspec.workspace import DOCUMENT_SUFFIXES, Workspace

_INSTALLED = (".dist-info", ".egg-info")  # what installing a plugin changes (gitspec.installed)


@dataclass(frozen=True)
class RenderInputs:
    """Absolute paths (folders end with a separator). A file changed outside all of these (a log, notes,
    a build tool's output) cannot change a render; git's own state (HEAD, refs) is the watch's to follow."""

    documents: tuple[str, ...]  # folders whose documents it reads, and sub-folders: the spec folders
    folders: tuple[str, ...]  # folders whose files it may read: schemas, templates
    files: frozenset[str]  # gitspec.yaml, the pictures documents show, where symlinked documents lead, mmdc
    packages: tuple[str, ...]  # import folders inside the workspace, where a plugin may be installed
    # the workspace's folders holding one of `files` (`pics` for `pics/top.png`), whether there or not:
    # a folder moved in or out, or copied in, may be all the watch is told of (not each file in it)
    holders: frozenset[str] = frozenset()

    def named(self, path: str) -> bool:
        """Whether `path` is one of `files` or a folder that holds one, wherever it is (in a folder an
        editor's scratch files would be, such as `node_modules`, too)."""
        return path in self.files or path in self.holders

    def installed(self, path: str) -> bool:
        """Whether `path` is where a package in the workspace is installed: a plugin may be one."""
        folder = next((folder for folder in self.packages if path.startswith(folder)), None)
        return folder is not None and path[len(folder):].split(os.sep, 1)[0].endswith(_INSTALLED)

    def read(self, path: str) -> bool:
        """Whether the file or folder at `path` (there, or deleted or moved away) is one a render reads."""
        if self.named(path) or (path + os.sep).startswith(self.folders):
            return True
        if not (path + os.sep).startswith(self.documents):
            return False
        return path.endswith(DOCUMENT_SUFFIXES) or os.path.isdir(path)  # a folder there may bring documents


def render_inputs(workspace: Workspace, documents: tuple[str, ...], pictures: tuple[str, ...]) -> RenderInputs:
    """`documents` and `pictures` are workspace-relative, as the parse index lists them."""
    root, config = workspace.root, workspace.config
    files = {str(root / "node_modules" / ".bin" / "mmdc")}  # gitspec.render.mmdc.find_mmdc
    for rel in (*documents, *pictures, CONFIG_FILE):
        if not rel.startswith("../"):  # a picture path leading out of the workspace is never read
            path = on_disk(root / rel) or root / rel  # as localimages reads it: perhaps spelt otherwise on disk
            files.update((str(root / rel), str(path), os.path.realpath(path)))
    packages = [Path(entry) for entry in sys.path if entry and Path(entry).is_absolute()]
    return RenderInputs(_folders(root, config.specs), _folders(root, (config.schemas, config.templates)),
                        frozenset(files), tuple(_folder(entry) for entry in packages if entry.is_relative_to(root)),
                        _holders(root, files))


def _holders(root: Path, files: set[str]) -> frozenset[str]:
    """The folders below `root` that hold one of `files` (the watch is told of nothing above it)."""
    top = str(root)
    holders = set()
    for file in files:
        folder = os.path.dirname(file)
        while folder.startswith(top + os.sep) and folder not in holders:
            holders.add(folder)
            folder = os.path.dirname(folder)
    return frozenset(holders)


def _folders(root: Path, folders) -> tuple[str, ...]:
    """Each folder, and where it leads when it is a symlink: the watch is told of changes there."""
    return tuple(dict.fromkeys(path for folder in folders for path in (_folder(root / folder),
                                                                       _folder(Path(os.path.realpath(root / folder))))))


def _folder(path: Path) -> str:
    return os.path.normpath(path) + os.sep
