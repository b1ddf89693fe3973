"""Stamps: the record beside each generated section, and what it says about the section now.

Pure: from the stamp, the section's current value and its inputs' current
hashes alone, a section is fresh, stale (naming the inputs that changed, or
the stage's version or options), hand-edited, pinned, missing, or orphaned
(every input it was generated from is gone); or, where a Markdown region's
markers cannot be read, broken. No stage runs to find out. A stamp without
`options` was made with none; one without `version` (older than any gitspec
that wrote versions) is not judged by it.
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
ORPHANED = "orphaned"  # every input it was generated from is gone: no build can derive it again
UNREADABLE = "unreadable"  # not judged: its stage reads or writes a document that could not be read
BROKEN = "broken"  # a Markdown region whose markers cannot be read: not judged, and never written over unasked


@dataclass(frozen=True)
class SectionState:
    address: str
    state: str
    changed_inputs: tuple[str, ...] = ()
    reason: str = ""  # what else changed since generation: the stage's version or options

    @property
    def stale(self) -> bool:
        return bool(self.changed_inputs)


def make_stamp(stage: str, version: str, provider: str, model: str | None, inputs: dict[str, str],
               value: Any, cache_key: str, tokens: int = 0, options: dict | None = None) -> dict[str, Any]:
    stamp: dict[str, Any] = {"stage": stage, "version": version, "provider": provider}
    if model:
        stamp["model"] = model
    if options:  # a hash, not the values: options may hold paths or names nobody should read in a spec
        stamp["options"] = value_hash(options)
    stamp["inputs"] = dict(sorted(inputs.items()))
    stamp["output"] = value_hash(value)
    stamp["cache"] = cache_key  # lets `gitspec cache gc` keep what the workspace still uses
    if tokens:
        stamp["tokens"] = tokens
    return stamp


def section_state(address: str, value: Any, present: bool, stamp: dict | None, pinned: bool,
                  input_hashes: dict[str, str | None], output_hash: str | None = None,
                  version: str | None = None, options: dict | None = None) -> SectionState:
    """Judge one generated section from its stamp and its inputs' current hashes.

    `output_hash`, when known (the parse index records every section's hash),
    stands for `value_hash(value)`. `version` and `options`, when given, are the
    stage's now: a stamp made by another version or with other options is stale.
    """
    if not present:
        return SectionState(address, MISSING)
    if not isinstance(stamp, dict):
        return SectionState(address, UNSTAMPED)
    recorded = stamp.get("inputs") if isinstance(stamp.get("inputs"), dict) else {}
    changed = tuple(sorted(a for a in set(recorded) | set(input_hashes)
                           if recorded.get(a) != input_hashes.get(a)))
    reason = _stage_change(stamp, version, options)
    # Only inputs judged now count as gone: one the stage no longer reads is a change, as ever.
    gone = bool(recorded) and all(a in input_hashes and input_hashes[a] is None for a in recorded)
    if stamp.get("output") != (output_hash if output_hash is not None else value_hash(value)):
        return SectionState(address, PINNED if pinned else ORPHANED if gone else EDITED, changed, reason)
    if gone:
        return SectionState(address, PINNED if pinned else ORPHANED, changed, reason)
    return SectionState(address, STALE if changed or reason else FRESH, changed, reason)


def orphan_message(state: SectionState) -> str:
    """What `build`, `status` and `check` say of a section whose inputs are all gone: no stage can derive
    it again (from nothing it would come out empty), so the user must say what becomes of it."""
    return (f"{state.address} was generated from inputs that are all gone ({', '.join(state.changed_inputs)}): "
            f"restore them (gitspec build brings back those a stage writes), remove the section or its document, "
            f"or keep it as it is with 'gitspec pin {state.address}'")


def conflict_message(state: SectionState) -> str:
    """What `build`, `status` and `check` say of a hand edit whose inputs changed since: build will not
    choose between the edit and the new inputs, so the user must; nor guess what a broken region held."""
    if state.state == BROKEN:
        return (f"{state.address}: its generated region cannot be read at {state.reason}, or write the section "
                f"anew with 'gitspec build --force {state.address}'")
    return (f"{state.address} was edited by hand and its inputs changed ({', '.join(state.changed_inputs)}): "
            f"keep the edit with 'gitspec pin {state.address}' or discard it with "
            f"'gitspec build --force {state.address}'")


def _stage_change(stamp: dict, version: str | None, options: dict | None) -> str:
    """What changed in the stage since the stamp was made ("": nothing it can tell)."""
    made_by = stamp.get("version")
    if version is not None and made_by is not None and str(made_by) != str(version):
        return f"stage version changed {made_by} → {version}"
    if options is not None and stamp.get("options") != (value_hash(options) if options else None):
        return "stage options changed"
    return ""
