"""Approvals: what a document's recorded approvals say about it now.

An approval holds the content hash of the document when it was approved; any
later change to the content makes it stale. Pure: no git, no files.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gitspec.hashing import value_hash

APPROVED, STALE, MISSING, NONE = "approved", "stale", "missing", "none"


def content_hash(sections: dict[str, Any]) -> str:
    """The hash an approval records: every section, but not the header (status, owners, approvals)."""
    return value_hash(sections)


@dataclass(frozen=True)
class ApprovalState:
    state: str  # APPROVED, STALE (content changed since), MISSING (nothing recorded), NONE (not `approved`)
    by: str = ""
    date: str = ""


def approval_state(header: dict[str, Any], sections: dict[str, Any]) -> ApprovalState:
    """What the approvals say of the document: only an `approved` one claims them (check's rule, and the
    render's badges); an older approval of a draft, a review or a deprecated one is history."""
    if header.get("status") != "approved":
        return ApprovalState(NONE)
    listed = header.get("approvals")
    approvals = [a for a in listed if isinstance(a, dict)] if isinstance(listed, list) else []
    if not approvals:
        return ApprovalState(MISSING)
    newest = approvals[-1]
    by, date = str(newest.get("by", "")), str(newest.get("date", ""))
    if newest.get("hash") == content_hash(sections):
        return ApprovalState(APPROVED, by, date)
    return ApprovalState(STALE, by, date)
