"""Judging and planning a build: each generated section's state from its stamp and its inputs, and
what a build would do with it (generate, keep, a conflict, skip). Pure over the documents read;
`status` plans only, `build` (gitspec.builder) plans and then runs.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from gitspec.addresses import parse_address, resolve_pointer_value
from gitspec.errors import GitspecError
from gitspec.hashing import value_hash
from gitspec.herepaths import here
from gitspec.opening import LoadedDocument
from gitspec.pipeline import Pipeline, section_of
from gitspec.stage import Stage
from gitspec.stamps import (
    BROKEN, EDITED, FRESH, MISSING, ORPHANED, PINNED, STALE, UNREADABLE, SectionState, section_state,
)
from gitspec.unreadable import Unreadable

GENERATE, KEEP, CONFLICT, SKIP = "generate", "keep", "conflict", "skip"
_UNKNOWN = object()  # not judged yet


@dataclass
class Planned:
    stage: Stage
    section: str
    state: SectionState
    action: str
    reason: str = ""  # why a stage that is skipped cannot run

    @property
    def address(self) -> str:
        return f"{self.stage.document}#{self.section}"


class Planner:
    """The sections of a pipeline over some documents, judged and planned."""

    def __init__(self, documents: dict[str, LoadedDocument], pipeline: Pipeline, options: Callable[[Stage], dict],
                 unreadable: dict[str, Unreadable] | None = None) -> None:
        self.documents = documents
        self.pipeline = pipeline
        self.options = options
        self.unreadable = unreadable or {}  # by the id a document that could not be read may have
        self._hashes: dict[str, str | None] = {}  # by input address; cleared whenever a document changes

    def value(self, address: str) -> Any:
        parsed = parse_address(address)
        document = self.documents.get(parsed.doc) if parsed else None
        if document is None or parsed.section not in document.sections:
            return None
        return resolve_pointer_value(document.sections[parsed.section], parsed.pointer)

    def input_hash(self, address: str) -> str | None:
        if address not in self._hashes:
            self._hashes[address] = self._input_hash(address)
        return self._hashes[address]

    def _input_hash(self, address: str) -> str | None:
        try:
            section = section_of(address)
        except GitspecError:
            return None
        doc_id, _, name = section.partition("#")
        document = self.documents.get(doc_id)
        if document is None or not document.has_section(name):
            return None
        if len(section) == len(address):  # a whole section: its hash was recorded when it was parsed
            return document.section_hash(name)
        return value_hash(self.value(address))

    def has_inputs(self, stage: Stage, changing: set[str] = frozenset()) -> bool:
        """Whether any input from outside the stage exists (or will, in a dry run)."""
        known = self._known(stage)
        if known is not _UNKNOWN and (known is not None or not changing):
            return known is not None
        own = {f"{stage.document}#{o.section}" for o in stage.outputs}
        return any(self.input_hash(a) is not None or section_of(a) in changing
                   for a in stage.inputs if section_of(a) not in own)

    def input_warnings(self, stage: Stage, ran: bool) -> list[str]:
        """A warning for each input of the stage that names a section its document lacks and no stage
        writes (a misspelt section, say); for a stage that did not run, one naming them all. A document
        that does not exist yet is no mistake: the stage waits for it."""
        unknown = []
        for address in stage.inputs:
            section = section_of(address)
            doc_id, _, name = section.partition("#")
            document = self.documents.get(doc_id)
            if document is not None and not document.has_section(name) and section not in self.pipeline.producer:
                unknown.append(f"{address}: {here(document.path)} has no section '{name}'")
        if unknown and not ran:
            return [f"stage '{stage.name}' did not run: none of its inputs exists ({'; '.join(unknown)})"]
        return [f"stage '{stage.name}' reads an input that does not exist ({why})" for why in unknown]

    def plan(self, stage: Stage, force: set[str], changing: set[str] = frozenset()) -> list[Planned]:
        known = self._known(stage)
        states = known if known is not _UNKNOWN and known is not None else self.judge(stage)
        planned = []
        for output, state in zip(stage.outputs, states):
            upstream_changes = bool(changing) and any(section_of(a) in changing for a in output.depends_on)
            planned.append(Planned(stage, output.section, state,
                                   _action(state, state.address in force, upstream_changes)))
        return _follow_own_outputs(stage, planned)

    def plan_all(self) -> list[Planned]:
        """Every output of every stage that has something to derive from, in pipeline order (no force),
        and of a stage that has nothing, the sections it made that are orphaned or pinned (as check finds
        them);
        a stage that reads or writes a document that could not be read is skipped, its outputs unjudged."""
        planned = []
        for level in self.pipeline.order:
            for stage in level:
                reason = self.unreadable_reason(stage)
                if reason:
                    planned += [Planned(stage, o.section, SectionState(f"{stage.document}#{o.section}", UNREADABLE),
                                        SKIP, reason) for o in stage.outputs]
                elif self.has_inputs(stage):
                    planned += self.plan(stage, set())
                elif stage.document in self.documents:
                    planned += [p for p in self.plan(stage, set()) if p.state.state in (ORPHANED, PINNED)]
        return planned

    def unreadable_reason(self, stage: Stage) -> str:
        """Why the stage must not run: its document, or a document it reads, could not be read ("": none)."""
        cause = self.unreadable_cause(stage)
        return f"{cause[0]} cannot be read: {cause[1]}" if cause else ""

    def unreadable_cause(self, stage: Stage) -> tuple[str, Unreadable] | None:
        """Which of the stage's documents could not be read ("its input source#text"), and the file's error."""
        if not self.unreadable:
            return None
        if stage.document in self.unreadable:
            return f"its document {stage.document}", self.unreadable[stage.document]
        for address in stage.inputs:
            doc_id = section_of(address).partition("#")[0]
            if doc_id in self.unreadable:
                return f"its input {address}", self.unreadable[doc_id]
        return None

    def judge(self, stage: Stage) -> tuple[SectionState, ...]:
        """Each output section's state, from its stamp and its inputs' current hashes."""
        document = self.documents.get(stage.document)
        header = document.header if document else {}
        stamps = header.get("generated") if isinstance(header.get("generated"), dict) else {}
        pinned = header.get("pinned") if isinstance(header.get("pinned"), list) else []
        options = self.options(stage)
        states = []
        for output in stage.outputs:
            present = document is not None and document.has_section(output.section)
            if present and output.section in document.broken:  # what it held, and whether by hand, is unknown
                states.append(SectionState(f"{stage.document}#{output.section}", BROKEN,
                                           reason=document.broken[output.section]))
                continue
            states.append(section_state(f"{stage.document}#{output.section}", None, present,
                                        stamps.get(output.section), output.section in pinned,
                                        {a: self.input_hash(a) for a in output.depends_on},
                                        document.section_hash(output.section) if present else None,
                                        stage.version, options))
        return tuple(states)

    def judge_all(self) -> dict[str, tuple[SectionState, ...] | None]:
        """Every stage's judged sections, by stage name (None: the stage has nothing to derive from yet)."""
        return {name: self.judge(stage) if self.has_inputs(stage) else None
                for name, stage in self.pipeline.stages.items()}

    def _known(self, stage: Stage) -> Any:
        """The stage's judged sections as cached for exactly these documents and this pipeline, or _UNKNOWN.

        Writing any document drops the cache (see gitspec.opening.Documents).
        """
        judged = getattr(self.documents, "judged", None)
        if judged is None or judged.pipeline is not self.pipeline:
            return _UNKNOWN
        return judged.stages.get(stage.name, _UNKNOWN)


def _follow_own_outputs(stage: Stage, planned: list[Planned]) -> list[Planned]:
    """A section drawn from another of the stage's own outputs that is being regenerated follows it in
    the same run (`generate` gets None for the renewed one and uses its new value): regenerated if
    fresh, a conflict if edited by hand, a warning if pinned. Judged before the stage runs, its inputs
    have not changed yet, so it would otherwise be left stale for the next build to find."""
    renewing = {p.address for p in planned if p.action == GENERATE}
    planned = list(planned)
    grew = True
    while grew:  # again until nothing more follows: dataModel -> apiContract -> openapi
        grew = False
        for i, (output, item) in enumerate(zip(stage.outputs, planned)):
            own = [a for a in output.depends_on if a in renewing and a not in item.state.changed_inputs]
            if not own or item.action == GENERATE or item.state.state not in (FRESH, EDITED, PINNED):
                continue  # UNSTAMPED is the user's own source: kept, as always
            if item.state.state == FRESH:
                planned[i] = Planned(stage, item.section, item.state, GENERATE)
                renewing.add(item.address)
            else:
                state = replace(item.state, changed_inputs=tuple(sorted({*item.state.changed_inputs, *own})))
                planned[i] = Planned(stage, item.section, state, _action(state, False, False))
            grew = True
    return planned


def _action(state: SectionState, forced: bool, upstream_changes: bool) -> str:
    if forced or state.state in (MISSING, STALE):
        return GENERATE
    if state.state == BROKEN or (state.state == EDITED and state.changed_inputs):
        return CONFLICT
    if state.state in (FRESH, ORPHANED) and upstream_changes:  # (a dry run: its inputs are being made again)
        return GENERATE
    return KEEP
