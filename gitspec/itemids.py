"""The item ids (`FEAT-001`) a workspace's documents define: `new` numbers a skeleton's items past them,
and a stage that numbers items (Stage.ids) leaves them out.

A document file that could not be read (a YAML slip, a merge conflict) counts with every `id: FEAT-001`
line written in it: once it is mended, it may define them.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from gitspec.addresses import ITEM_ID

if TYPE_CHECKING:
    from gitspec.findings import Finding
    from gitspec.index import ParseIndex

# An item id where a YAML line defines it: its prefix and its number.
DEFINED_ID = re.compile(r"(?<=\bid: )([A-Z][A-Z0-9]*)-([0-9]+)\b")


def defined_item_ids(root: Path, index: ParseIndex, findings: Iterable[Finding],
                     read_paths: Collection[str]) -> list[tuple[str, str]]:
    """Each item id the documents define, as `check` read them (`findings`), with its document's path;
    then those an unreadable document file writes. `read_paths` are the paths of the documents read."""
    from gitspec.symbols import Definition, unpack
    from gitspec.unreadable import file_start, unreadable_files

    found = [(symbol.id, symbol.path) for entry in index.entries.values() for symbol in unpack(entry.record[1])
             if isinstance(symbol, Definition) and ITEM_ID.match(symbol.id)]
    for path in unreadable_files(findings, index.content()[0], lambda: read_paths):
        found += [(match.group(), path) for match in DEFINED_ID.finditer(file_start(root, path))]
    return found
