"""Whether a file in the output folder is one gitspec wrote, by the mark each format leaves in it.

What a render without a manifest for its folder takes over: anything unmarked is the user's.
Reads only regular files (a named pipe there would block for ever); never writes.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gitspec.workspace import regular_file

GENERATOR = "gitspec"  # the HTML pages' <meta name="generator">
WORD_MARK = "Rendered by gitspec"  # how a .docx's core properties' comment starts
HEAD_BYTES = 4096  # where the HTML, script and stylesheet marks are
_OLDER_PAGE = (b'<script src="assets/search.js" defer>', b'id="gitspec-search"')  # gitspec 0.x's pages' head

# Diagrams and pictures the site shows are named by a hash of what they hold: no one else's file is
_HASH_NAMED = re.compile(r"(?:.*/)?(?:diagrams|images)/[0-9a-f]{16}\.[A-Za-z0-9]+")


def written_by_gitspec(path: Path, rel: str) -> bool:
    """Whether the file at `path` (`rel` in its format's folder) bears the mark of gitspec's renderers."""
    if not regular_file(path):
        return False
    if _HASH_NAMED.fullmatch(rel):
        return True
    suffix = path.suffix.lower()
    try:
        if suffix in (".html", ".js", ".css"):
            with open(path, "rb") as file:
                head = file.read(HEAD_BYTES)
            if suffix == ".html":  # (pages from before the generator meta: by the search box every page has)
                return f'<meta name="generator" content="{GENERATOR}">'.encode() in head or all(
                    mark in head for mark in _OLDER_PAGE)
            return head.startswith((b"/* gitspec ", b"window.GITSPEC_"))
        if suffix == ".pdf":
            return _pdf_marked(path)
        if suffix == ".docx":
            return _word_marked(path)
    except OSError:
        return False
    return False


def _pdf_marked(path: Path) -> bool:
    """A document's PDF holds the key it was rendered from; the book names gitspec as its producer."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from gitspec.render.pdf import KEY_FIELD

    with open(path, "rb") as file:
        if file.read(5) != b"%PDF-":  # the user's file of another kind, which pypdf would complain about
            return False
    try:
        with quiet_pypdf():
            metadata = PdfReader(path).metadata or {}
        return KEY_FIELD in metadata or str(metadata.get("/Producer", "")).startswith(GENERATOR)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):  # damaged, foreign
        return False


@contextmanager
def quiet_pypdf() -> Iterator[None]:
    """pypdf's log silenced: a damaged PDF in the output is only not gitspec's, or made again, and its
    "EOF marker not found" on stderr would name no file."""
    import logging

    log = logging.getLogger("pypdf")  # its modules' loggers ("pypdf._reader") take their level from it
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _word_marked(path: Path) -> bool:
    from zipfile import BadZipFile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        return (Document(str(path)).core_properties.comments or "").startswith(WORD_MARK)
    except (BadZipFile, PackageNotFoundError, XMLSyntaxError, ValueError, KeyError, TypeError, AttributeError):
        return False  # damaged, or not a Word file
