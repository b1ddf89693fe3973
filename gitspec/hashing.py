"""Canonical forms and SHA-256 hashes of sections and cache keys.

A hash must not change when only formatting changes: key order, quoting,
flow or block style, line endings, trailing whitespace.
"""
from __future__ import annotations

import hashlib
import json
import re
from typing import Any

_TRAILING = re.compile(r"[ \t]+$", re.M)


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no insignificant whitespace, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def normalise_text(text: str) -> str:
    """Markdown text as hashed: LF line endings, no trailing spaces, no blank edges."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _TRAILING.sub("", text).strip("\n")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def value_hash(value: Any) -> str:
    """Hash of a section's value (YAML data, or normalised Markdown text)."""
    return sha256(canonical_json(value))
