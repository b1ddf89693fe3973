"""Stamps: the record beside each generated section, and what it says about the section now.

Pure: from the stamp, the section's current value and its inputs' current
hashes alone, a section is fresh, stale (naming the inputs that changed),
hand-edited, pinned, or missing. No stage runs to find out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gitspec.hashing import value_hash

FRESH = "fresh"
STALE = "stale"
EDITED = "hand-edited"
PINNED = "pinned"
MISSING = "missing"
UNSTAMPED = "unstamped"  # a section written by hand where a stage would write it
UNREADABLE = "unreadable"  # not judged: its stage reads or writes a document that could not be read


@dataclass(frozen=True)
class SectionState:
    address: str
    state: str
    changed_inputs: tuple[str, ...] = ()

    @property
    def stale(self) -> bool:
        return bool(self.changed_inputs)


def make_stamp(stage: str, version: str, provider: str, model: str | None, inputs: dict[str, str],
               value: Any, cache_key: str, tokens: int = 0) -> dict[str, Any]:
    stamp: dict[str, Any] = {"stage": stage, "version": version, "provider": provider}
    if model:
        stamp["model"] = model
    stamp["inputs"] = dict(sorted(inputs.items()))
    stamp["output"] = value_hash(value)
    stamp["cache"] = cache_key  # lets `gitspec cache gc` keep what the workspace still uses
    if tokens:
        stamp["tokens"] = tokens
    return stamp


def section_state(address: str, value: Any, present: bool, stamp: dict | None, pinned: bool,
                  input_hashes: dict[str, str | None], output_hash: str | None = None) -> SectionState:
    """Judge one generated section from its stamp and its inputs' current hashes.

    `output_hash`, when known (the parse index records every section's hash),
    stands for `value_hash(value)`.
    """
    if not present:
        return SectionState(address, MISSING)
    if not isinstance(stamp, dict):
        return SectionState(address, UNSTAMPED)
    recorded = stamp.get("inputs") if isinstance(stamp.get("inputs"), dict) else {}
    changed = tuple(sorted(a for a in set(recorded) | set(input_hashes)
                           if recorded.get(a) != input_hashes.get(a)))
    if stamp.get("output") != (output_hash if output_hash is not None else value_hash(value)):
        return SectionState(address, PINNED if pinned else EDITED, changed)
    return SectionState(address, STALE if changed else FRESH, changed)
