"""What one version (blob) of a document tells the history: its section hashes and requirement-item
hashes, and the file they are kept in between runs, `.gitspec/history` (read and written by history.py).
"""
from __future__ import annotations

from pathlib import Path

from gitspec.cachefile import read_cache

CACHE_FORMAT = b"GSHC4"  # 2: item hashes are of a requirement's text alone; 3: a Markdown document's
# front-matter keys (but the header's) are sections, and its front matter's `items` are items; 4: "- REQ-001の…" is an item
# What one blob tells, as kept in the cache: (section hashes, or None when that
# version does not parse; requirement-item hashes). Digests are raw 32 bytes.
Facts = tuple[dict[str, bytes] | None, dict[str, bytes]]


def read_blob_facts(path: Path) -> dict[bytes, Facts]:
    """The saved blob facts, or {} when the file is missing, corrupt or from another version."""
    try:
        version, facts = read_cache(path, CACHE_FORMAT)
    except (ValueError, TypeError):
        return {}
    return facts if version == facts_version() and isinstance(facts, dict) else {}


def facts_version() -> str:
    # Parsing and hashing may change between releases: a cache from another one is discarded
    # (the blob cache here and the facts remembered per HEAD in headfacts.py).
    from gitspec import __version__

    return __version__


def blob_facts(rel_path: str, data: bytes) -> Facts:
    """Section and item hashes of one version of a document; (None, {}) if it does not parse."""
    from gitspec.documents import DocumentProblem, parse_document
    from gitspec.requirementhistory import item_hashes

    try:
        document = parse_document(rel_path, data)
    except (DocumentProblem, RecursionError):
        return None, {}
    sections = {name: bytes.fromhex(digest) for name, digest in document.section_hashes().items()}
    return sections, {item: bytes.fromhex(digest) for item, digest in item_hashes(document).items()}
