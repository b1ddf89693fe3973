"""`gitspec check --placeholders`: every `[placeholder]` text left for a person (or an LLM) to fill."""
from __future__ import annotations

import json
from typing import Any, Iterator

from gitspec.addresses import format_address
from gitspec.findings import count_of
from gitspec.herepaths import from_here
from gitspec.opening import loaded_documents, open_workspace
from gitspec.printable import one_line
from gitspec.stage import PLACEHOLDER
from gitspec.streams import messages, results
from gitspec.workspace import selected


def run(paths: list[str], output_format: str = "text", use_cache: bool = True) -> int:
    from gitspec.checker import check

    workspace, index = open_workspace(use_cache, paths=paths)
    check(workspace, index)
    wanted = workspace.selection(paths)
    found = []
    for document in sorted(loaded_documents(index).values(), key=lambda d: d.path):
        if not selected(document.path, wanted):
            continue
        lines = dict(zip(index.entries[document.path].record[2][3], index.entries[document.path].record[2][4]))
        for path, text in _placeholders(document.sections, ()):
            found.append({"path": document.path, "line": lines.get(path[0], 1), "col": 1, "severity": "info",
                          "address": format_address(document.id, path), "text": text})
    if output_format == "json":
        json.dump(found, results(), indent=2)
        results().write("\n")
    else:
        here = {p["path"]: from_here(workspace.root, p["path"]) for p in found}
        results().write("".join(one_line(f"{here[p['path']]}:{p['line']}:1: info: {p['address']}: {_short(p['text'])}")
                                 + "\n" for p in found))
    messages().write(f"gitspec: {count_of(len(found), 'placeholder')}\n")
    return 0


def _short(text: str, width: int = 120) -> str:
    """`text` cut after its last whole word that fits in `width` characters, with "…" to say so."""
    import textwrap

    if len(text) <= width:
        return text
    shortened = textwrap.shorten(text, width, placeholder=" …", break_on_hyphens=False)
    if len(shortened) < width // 2:  # a word longer than the line (a URL): cut inside it instead
        return text[:width - 1] + "…"
    return shortened


def _placeholders(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        for line in value.splitlines():
            if PLACEHOLDER in line:
                yield path, line.strip()
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _placeholders(item, (*path, index))
