"""Documents that could not be read, by each id they may have: a stage reading or writing one must not run,
`new` must not reuse one of their ids, and `check` must not call a reference to one unknown.

A file that does not parse has no id to go by, so it answers to its name
(specs/product.yaml: product) and to any `id:` line at the start of a line in it;
and it may define each item id (`REQ-001`) an `id: ` in it names.
Reads only the files that failed; never writes.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from gitspec.findings import ERROR, Finding

_ID = re.compile(r"^id:[ \t]*[\"']?([a-z0-9][a-z0-9-]*)[\"']?[ \t]*(?:#.*)?\r?$", re.MULTILINE)


@dataclass(frozen=True)
class Unreadable:
    path: str
    line: int
    message: str
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path} line {self.line}: {self.message}"


def unreadable_documents(root: Path, findings: Iterable[Finding], files: Collection[str],
                         read: Callable[[], dict[str, str]]) -> dict[str, Unreadable]:
    """Each id a document file that could not be read may have, with the error that says why; never the id
    of a document that was read. `files` are the document files; `read()` gives the path of each document
    that was read, by id (asked only when some file has an error: it may unpack every document)."""
    documents: dict[str, str] = {}

    def read_paths() -> Collection[str]:
        documents.update(read())
        return set(documents.values())

    found: dict[str, Unreadable] = {}
    for path, finding in unreadable_files(findings, files, read_paths).items():
        for doc_id in _ids(root, path):
            if doc_id not in documents:
                found.setdefault(doc_id, Unreadable(path, finding.line, finding.message, finding.col))
    return found


def unreadable_items(root: Path, findings: Iterable[Finding], files: Collection[str],
                     read: Callable[[], Collection[str]]) -> dict[str, Unreadable]:
    """Each item id (`REQ-001`) a document file that could not be read writes as an `id:` (as `new` counts
    it used: gitspec.itemids), with the error that says why the file was not read. `files` and `read()`
    are as for `unreadable_files`."""
    from gitspec.itemids import DEFINED_ID

    found: dict[str, Unreadable] = {}
    for path, finding in unreadable_files(findings, files, read).items():
        for match in DEFINED_ID.finditer(file_start(root, path)):
            found.setdefault(match.group(), Unreadable(path, finding.line, finding.message, finding.col))
    return found


def unreadable_files(findings: Iterable[Finding], files: Collection[str],
                     read: Callable[[], Collection[str]]) -> dict[str, Finding]:
    """The error that says why each document file that could not be read was not (see `reasons`), by
    path, in path order. `files` are the document files; `read()` gives the paths of the documents that
    were read (asked only when some file has an error)."""
    why = reasons(findings)
    if not why:
        return {}
    skip = set(read())
    files = set(files)
    return {path: finding for path, finding in sorted(why.items()) if path in files and path not in skip}


# The errors that say why a file was not read, before any other: its merge conflict (a Markdown file's
# sides read well enough to have other errors, a stale approval at line 7, that say nothing of why), an id
# another file has, a kind it lacks. Otherwise its first error is why: a file that does not parse has no other.
_REASONS = ("merge-conflict", "duplicate-id", "unknown-kind")


def reasons(findings: Iterable[Finding]) -> dict[str, Finding]:
    """Each file's error that would say why it was not read, by path: for a file that was read, any."""
    why: dict[str, Finding] = {}
    for finding in sorted(f for f in findings if f.severity == ERROR):
        known = why.get(finding.path)
        if known is None or _rank(finding) < _rank(known):
            why[finding.path] = finding
    return why


def _rank(finding: Finding) -> int:
    return _REASONS.index(finding.rule) if finding.rule in _REASONS else len(_REASONS)


def file_start(root: Path, path: str) -> str:
    """The text at the start of a file that could not be read, as far as it decodes ('' when it cannot be
    opened): the first MiB only, as the file may be far over max_file_size."""
    try:
        with open(root / path, "rb") as file:
            return file.read(1 << 20).decode("utf-8", "replace")
    except OSError:
        return ""


def _ids(root: Path, path: str) -> list[str]:
    ids = [Path(path).stem]
    return ids + [match for match in _ID.findall(file_start(root, path)) if match not in ids]
