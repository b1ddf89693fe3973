"""Canonical forms and SHA-256 hashes of sections and cache keys.

A hash must not change when only formatting changes: key order, quoting,
flow or block style, line endings, trailing whitespace.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no insignificant whitespace, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def normalise_text(text: str) -> str:
    """Markdown text as hashed: LF line endings, no trailing spaces, no blank edges."""
    # Line by line, not with a `[ \t]+$` pattern: that one rescans a long run of spaces from each of its
    # spaces when something other than a line end follows it (minutes for one line of 50,000 spaces).
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip(" \t") for line in lines).strip("\n")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def value_hash(value: Any) -> str:
    """Hash of a section's value (YAML data, or normalised Markdown text)."""
    return sha256(canonical_json(value))
