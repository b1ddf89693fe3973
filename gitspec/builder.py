"""Running the pipeline: judge every generated section from its stamp, regenerate what is stale.

A hand-edited section is never overwritten: a stage that would have to is
skipped with a conflict and its document is left byte for byte as it was.
Generation goes through the content-addressed cache, so unchanged inputs
never reach a provider; every write is atomic.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from gitspec.addresses import parse_address, resolve_pointer_value
from gitspec.errors import EXIT_FINDINGS, GitspecError
from gitspec.hashing import canonical_json, value_hash
from gitspec.opening import LoadedDocument
from gitspec.pipeline import Pipeline, section_of
from gitspec.stage import Stage, StageInput
from gitspec.stamps import (EDITED, FRESH, MISSING, PINNED, STALE, UNREADABLE, SectionState, make_stamp,
                            section_state)
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


@dataclass
class Span:
    stage: str
    start: float
    end: float
    cache_hit: bool
    key: str
    tokens: int = 0


@dataclass
class BuildReport:
    generated: list[str] = field(default_factory=list)
    documents_written: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    would_change: list[str] = field(default_factory=list)
    provider_calls: int = 0
    cache_hits: int = 0
    spans: list[Span] = field(default_factory=list)


class Builder:
    def __init__(self, documents: dict[str, LoadedDocument], pipeline: Pipeline, provider: Any, cache: Any,
                 options: Callable[[Stage], dict], writer: Callable[[Stage, LoadedDocument | None, dict, dict,
                                                                     tuple], LoadedDocument],
                 emit: Callable[[dict], None] = lambda event: None,
                 unreadable: dict[str, Unreadable] | None = None,
                 before_generating: Callable[[], None] = lambda: None,
                 suffix: Callable[[str], str] = lambda kind: ".yaml") -> None:
        """`before_generating` is called once, before the first stage generates: what must hold
        before anything is written (e.g. every output kind's schema loads) raises there.
        `suffix(kind)` is the suffix of a document of that kind a stage creates."""
        self.documents = documents
        self.before_generating = before_generating
        self.suffix = suffix
        self.unreadable = unreadable or {}  # by the id a document that could not be read may have
        self.pipeline = pipeline
        self.provider = provider
        self.cache = cache
        self.options = options
        self.writer = writer
        self.emit = emit
        self._hashes: dict[str, str | None] = {}  # by input address; cleared whenever a document changes

    # --- judging -----------------------------------------------------------

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
                unknown.append(f"{address}: {document.path} has no section '{name}'")
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
        """Every output of every stage that has something to derive from, in pipeline order (no force);
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

    # --- running -----------------------------------------------------------

    def run(self, force: set[str], only: set[str] | None, targets: set[str] | None, dry_run: bool,
            jobs: int) -> BuildReport:
        report = BuildReport()
        force = {self._written("--force", address) for address in force}
        wanted = self._wanted(only, targets)
        blocked: set[str] = set()
        changing: set[str] = set()
        generating = False
        total = max(1, len(wanted))
        done = 0
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for level in self.pipeline.order:
                work = []
                for stage in level:
                    if stage.name not in wanted:
                        continue
                    upstream = sorted(self.pipeline.upstream[stage.name] & blocked)
                    reason = (f"upstream stage '{upstream[0]}' was not built" if upstream
                              else self.unreadable_reason(stage))
                    if reason:  # never generated from what could not be read: it would come out empty
                        blocked.add(stage.name)
                        report.skipped.append(f"{stage.name}: skipped, {reason}")
                        done += 1
                        self.emit({"event": "error", "stage": stage.name, "progress": _pct(done, total),
                                   "message": f"skipped, {reason}"})
                        continue
                    ran = self.has_inputs(stage, changing)
                    report.warnings += self.input_warnings(stage, ran)
                    if not ran:
                        done += 1  # nothing to derive from yet (e.g. no product directive): done with it
                        continue
                    planned = self.plan(stage, force, changing if dry_run else frozenset())
                    self._note(planned, report, _pct(done, total))
                    if any(p.action == CONFLICT for p in planned):
                        blocked.add(stage.name)
                        done += 1
                        continue
                    regenerate = [p for p in planned if p.action == GENERATE]
                    if not regenerate:
                        done += 1
                        self.emit({"event": "status", "stage": stage.name, "progress": _pct(done, total),
                                   "message": "up to date"})
                        continue
                    if dry_run:
                        report.would_change += [p.address for p in regenerate]
                        changing.update(p.address for p in regenerate)
                        continue
                    if not generating:
                        self.before_generating()
                        generating = True
                    self.emit({"event": "status", "stage": stage.name, "progress": _pct(done, total),
                               "message": "generating " + ", ".join(p.section for p in regenerate)})
                    work.append((stage, regenerate, pool.submit(self._generate, stage, regenerate)))
                for stage, regenerate, future in work:
                    outputs, span = future.result()
                    undeclared = sorted(set(outputs) - {o.section for o in stage.outputs})
                    if undeclared:
                        report.warnings.append(f"stage '{stage.name}' returned sections it does not declare, "
                                               f"not written: {', '.join(undeclared)}")
                    report.spans.append(span)
                    report.cache_hits += span.cache_hit
                    report.provider_calls += 0 if span.cache_hit else 1
                    self._write(stage, regenerate, outputs, span, force, report)
                    done += 1
                    for item in regenerate:
                        self.emit({"event": "partial", "stage": stage.name, "address": item.address,
                                   "progress": _pct(done, total), "cached": span.cache_hit})
        return report

    def _wanted(self, only: set[str] | None, targets: set[str] | None) -> set[str]:
        names = set(self.pipeline.stages)
        if only:
            unknown = only - names
            if unknown:
                raise GitspecError(f"argument --only: unknown stage {sorted(unknown)[0]!r} "
                                   f"(stages: {', '.join(sorted(names))})")
            names = set(only)
        if targets:
            producers = set()
            for target in targets:
                producers.add(self.pipeline.producer[self._written("ADDRESS", target)].name)
            names &= self.pipeline.with_upstream(producers)
        return names

    def _written(self, argument: str, address: str) -> str:
        """The section `address` names, if a stage writes it; else a usage error naming the `argument`."""
        import difflib

        try:
            section = section_of(address)
        except GitspecError as exc:
            raise GitspecError(f"argument {argument}: {exc.message}") from None
        if section not in self.pipeline.producer:
            close = difflib.get_close_matches(section, list(self.pipeline.producer), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise GitspecError(f"argument {argument}: no stage writes {address}{hint}")
        return section

    def _note(self, planned: list[Planned], report: BuildReport, progress: int) -> None:
        for item in planned:
            inputs = ", ".join(item.state.changed_inputs)
            also = f" ({item.state.reason})" if item.state.reason else ""
            if item.action == CONFLICT:
                message = (f"{item.address} was edited by hand and its inputs changed ({inputs}): keep the edit "
                           f"with 'gitspec pin {item.address}' or discard it with "
                           f"'gitspec build --force {item.address}'")
                report.conflicts.append(message)
                self.emit({"event": "error", "stage": item.stage.name, "progress": progress,
                           "address": item.address, "message": message})
            elif item.state.state == PINNED and item.state.changed_inputs:
                report.warnings.append(f"{item.address} is pinned, but its inputs changed: {inputs}{also}")
            elif item.state.state == PINNED and item.state.reason:
                report.warnings.append(f"{item.address} is pinned, but {item.state.reason}")
            elif item.state.state == EDITED and item.action == KEEP:
                report.warnings.append(f"{item.address} is {item.state.state}: kept{also}")
            # UNSTAMPED sections were written by hand where a stage could write: they are the
            # user's own source, kept silently (`gitspec build --force ADDRESS` generates them).

    def _generate(self, stage: Stage, regenerate: list[Planned]) -> tuple[dict[str, Any], Span]:
        started = time.perf_counter()
        renewing = {p.address for p in regenerate}
        inputs = {a: (None if section_of(a) in renewing else self.value(a)) for a in stage.inputs}
        options = self.options(stage)
        key = hashlib.sha256(canonical_json([stage.name, stage.version, self.provider.name, self.provider.model,
                                             stage.prompt_version, options, inputs])).hexdigest()
        cached = self.cache.get(key)
        outputs = json.loads(cached) if cached is not None else None
        hit = isinstance(outputs, dict) and all(o.section in outputs for o in stage.outputs)
        tokens_before = _tokens(self.provider)
        if not hit:
            from gitspec.providers import stage_meter

            with stage_meter() as meter:
                outputs = stage.generate(StageInput(inputs, self.provider, options))
            missing = [o.section for o in stage.outputs if o.section not in (outputs or {})]
            if missing:
                raise GitspecError(f"stage '{stage.name}' returned no {', '.join(missing)}", exit_code=EXIT_FINDINGS)
            # Stored in the stage's own key order, and written as read back: a build served from
            # the cache then writes the very bytes a fresh one does (no YAML anchors for values the
            # stage shared, no keys sorted by the store).
            stored = json.dumps(outputs, ensure_ascii=False, separators=(",", ":")).encode()
            self.cache.put(key, stored)
            outputs = json.loads(stored)
        # A provider that records its calls (Usage.record) is metered per stage; for one that
        # only bumps its totals, the change in them is the best we know.
        tokens = meter.tokens if not hit and meter.calls else _tokens(self.provider) - tokens_before
        span = Span(stage.name, started, time.perf_counter(), hit, key, tokens)
        return outputs, span

    def _write(self, stage: Stage, regenerate: list[Planned], outputs: dict[str, Any], span: Span,
               force: set[str], report: BuildReport) -> None:
        document = self.documents.get(stage.document)
        new_sections = {p.section: outputs[p.section] for p in regenerate}
        if (document.path if document is not None else self.suffix(stage.kind)).endswith(".md"):
            from gitspec.markdown import region_text

            # stamped as it will read back
            new_sections = {k: region_text(v) if isinstance(v, str) else v for k, v in new_sections.items()}
        merged = {**(document.sections if document else {}), **new_sections}
        view = LoadedDocument(stage.document, stage.kind, document.path if document else "",
                              document.header if document else {}, merged, document.sha if document else "")
        self.documents[stage.document] = view
        self._hashes.clear()
        stamps = {}
        for output in stage.outputs:
            if output.section in new_sections:
                hashes = {a: self.input_hash(a) for a in output.depends_on}
                stamps[output.section] = make_stamp(stage.name, stage.version, self.provider.name,
                                                    self.provider.model, {a: h for a, h in hashes.items() if h},
                                                    new_sections[output.section], span.key, span.tokens,
                                                    self.options(stage))
        unpinned = tuple(p.section for p in regenerate if p.address in force)
        written = self.writer(stage, document, new_sections, stamps, unpinned)
        self.documents[stage.document] = written
        self._hashes.clear()
        report.generated += [p.address for p in regenerate]
        report.documents_written.append(written.path)


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
    if state.state == EDITED and state.changed_inputs:
        return CONFLICT
    if state.state == FRESH and upstream_changes:
        return GENERATE
    return KEEP


def _pct(done: int, total: int) -> int:
    return min(100, int(100 * done / total))


def _tokens(provider: Any) -> int:
    usage = getattr(provider, "usage", None)
    return (usage.prompt_tokens + usage.completion_tokens) if usage is not None else 0
