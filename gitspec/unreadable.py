"""Documents that could not be read, by each id they may have: a stage reading or writing one must not run.

A file that does not parse has no id to go by, so it answers to its name
(specs/product.yaml: product) and to any `id:` line at the start of a line in it.
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
    """Each id a document file that could not be read may have, with the file's first error; never the id
    of a document that was read. `files` are the document files; `read()` gives the path of each document
    that was read, by id (asked only when some file has an error: it may unpack every document)."""
    first: dict[str, Finding] = {}
    for finding in findings:
        if finding.severity == ERROR:
            first.setdefault(finding.path, finding)
    if not first:
        return {}
    documents = read()
    skip = set(documents.values())
    files = set(files)
    found: dict[str, Unreadable] = {}
    for path, finding in sorted(first.items()):
        if path in skip or path not in files:
            continue
        for doc_id in _ids(root, path):
            if doc_id not in documents:
                found.setdefault(doc_id, Unreadable(path, finding.line, finding.message, finding.col))
    return found


def _ids(root: Path, path: str) -> list[str]:
    ids = [Path(path).stem]
    try:
        with open(root / path, "rb") as file:  # the first MiB only: the file may be far over max_file_size
            text = file.read(1 << 20).decode("utf-8", "replace")
    except OSError:
        return ids
    return ids + [match for match in _ID.findall(text) if match not in ids]
