"""Whether a requirement's text changed since a commit: item hashes now against then.

Pure hashing of items plus a thin layer over History; it never reads the
working tree itself (the caller passes the current hashes).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from gitspec.hashing import value_hash

if TYPE_CHECKING:
    from gitspec.documents import Document
    from gitspec.history import History

# A Markdown list item that starts with an item id: "- REQ-001 Invoices ..." (a PRD's Requirements).
# CommonMark numbers list items with 1-9 ASCII digits; `\d` would also take "١." or "３.". The id ends
# where its ASCII letters and digits do (re.ASCII's `\b`): Japanese and Chinese write the next word
# without a space ("- REQ-001の一覧"), and Unicode's `\b` sees no word boundary before "の".
_BULLET = re.compile(r"^[ \t]{0,3}(?:[-*+]|[0-9]{1,9}[.)])[ \t]+\**([A-Z][A-Z0-9]*-[0-9]+)\b", re.ASCII)


# A requirement's text: what its evidence verified. Its priority, tags, links, parent and
# rationale may change without the evidence going stale.
TEXT_FIELDS = ("title", "statement", "acceptance")


def text_hash(item: dict[str, Any]) -> str:
    """Canonical hash of a requirement item's text (its TEXT_FIELDS), what a verdict compares."""
    return value_hash({name: item[name] for name in TEXT_FIELDS if name in item})


def item_hashes(document: Document) -> dict[str, str]:
    """Canonical hash of the text of each identified item of a document, by id.

    `text_hash` of the mappings with an `id` in the `items` list (a Markdown document's front matter
    holds it); in a Markdown document's text, list items starting with an id, with their continuation
    lines, as words.
    """
    found: dict[str, str] = {}
    for text in document.markdown_texts().values():
        found.update(_bullet_items(text))
    items = document.sections.get("items")
    if isinstance(items, list):
        found.update({item["id"]: text_hash(item) for item in items
                      if isinstance(item, dict) and isinstance(item.get("id"), str)})
    return found


def _bullet_items(text: str) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        match = _BULLET.match(line)
        if match:
            current = found.setdefault(match.group(1), [])
            current.append(line.strip())
        elif current is not None and line.startswith((" ", "\t")) and line.strip():
            current.append(line.strip())  # a continuation of the item
        else:
            current = None
    # Words only: re-wrapping a bullet is a formatting edit, not a change.
    return {item: value_hash(" ".join(" ".join(lines).split())) for item, lines in found.items()}


def requirement_changed_since(history: History, rel_path: str, item_id: str, commit: str,
                              current_hash: str | None) -> bool:
    """Whether item `item_id` of `rel_path` differs now (`current_hash`) from what it was at `commit`.

    A file or item that did not exist at `commit`, or an unknown commit, counts as changed. The
    file is followed through renames, those not yet committed included.
    """
    then = history.item_hashes_at(commit, rel_path)
    if then is None and not history.committed_hashes(rel_path):  # not at HEAD: moved here since, maybe
        before = history.uncommitted_rename(rel_path)
        if before is not None:
            then = history.item_hashes_at(commit, before)
    return then is None or current_hash is None or then.get(item_id) != current_hash


def changed_since_checker(history: History,
                          current: Mapping[str, tuple[str, str]]) -> Callable[[str, str], bool]:
    """The `requirement_changed_since(req_id, commit)` callable the verdicts need.

    `current` maps each requirement id to (workspace-relative document path,
    current item hash from `item_hashes`). An unknown requirement counts as changed.
    """
    memo: dict[tuple[str, str], bool] = {}

    def changed(req_id: str, commit: str) -> bool:
        key = (req_id, commit)
        if key not in memo:
            where: Any = current.get(req_id)
            memo[key] = where is None or requirement_changed_since(history, where[0], req_id, commit, where[1])
        return memo[key]

    return changed
