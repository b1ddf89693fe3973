"""Running the pipeline: regenerate what the plan (gitspec.planning) finds stale or missing.

A hand-edited section is never overwritten: a stage that would have to is
skipped with a conflict and its document is left byte for byte as it was.
Generation goes through the content-addressed cache, so unchanged inputs
never reach a provider; every write is atomic.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from gitspec.errors import EXIT_FINDINGS, GitspecError
from gitspec.hashing import canonical_json
from gitspec.opening import LoadedDocument
from gitspec.pipeline import Pipeline, section_of
from gitspec.planning import CONFLICT, GENERATE, KEEP, Planned, Planner
from gitspec.stage import Stage, StageInput
from gitspec.stamps import EDITED, PINNED, conflict_message, make_stamp
from gitspec.unreadable import Unreadable


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


class Builder(Planner):
    """A Planner that also runs the stages its plan regenerates, and writes their documents."""

    def __init__(self, documents: dict[str, LoadedDocument], pipeline: Pipeline, provider: Any, cache: Any,
                 options: Callable[[Stage], dict], writer: Callable[[Stage, LoadedDocument | None, dict, dict,
                                                                     tuple], LoadedDocument],
                 emit: Callable[[dict], None] = lambda event: None,
                 unreadable: dict[str, Unreadable] | None = None,
                 before_generating: Callable[[], None] = lambda: None,
                 suffix: Callable[[str], str] = lambda kind: ".yaml",
                 settle: Callable[[Stage, LoadedDocument | None, list[Planned]], list[str]] =
                 lambda stage, document, planned: [],
                 defined: Callable[[], Sequence[tuple[str, str]]] = lambda: (),
                 kinds: Callable[[], Collection[str]] | None = None) -> None:
        """`before_generating` is called once, before the first stage generates: what must hold
        before anything is written (e.g. every output kind's schema loads) raises there.
        `suffix(kind)` is the suffix of a document of that kind a stage creates.
        `settle(stage, document, planned)` is called (not in a dry run) for each stage that was built or
        found up to date, once its document is written: it brings what the stage keeps outside its
        document (the code stage's stub files) in line with the sections it kept, and returns warnings.
        `defined()` is each item id the workspace's documents define, with the path of the document
        (asked once, before the first stage generates). `kinds()` is the names of the kinds plugins and
        the workspace's schemas declare (None: not checked), asked before the first stage writes."""
        super().__init__(documents, pipeline, options, unreadable)
        self.kinds = kinds
        self.settle = settle
        self._defined = defined
        self._definitions: Sequence[tuple[str, str]] | None = None
        self.before_generating = before_generating
        self.suffix = suffix
        self.provider = provider
        self.cache = cache
        self.writer = writer
        self.emit = emit

    # --- running -----------------------------------------------------------

    def run(self, force: set[str], only: set[str] | None, targets: set[str] | None, dry_run: bool,
            jobs: int) -> BuildReport:
        report = BuildReport()
        force = {self._written("--force", address) for address in force}
        wanted = self._wanted(only, targets)
        self._refuse_forced_outside(force, wanted, only)
        blocked: set[str] = set()
        changing: set[str] = set()
        generating = False
        total = max(1, len(wanted))
        done = 0
        from gitspec.daemonpool import DaemonPool

        with DaemonPool(jobs) as pool:  # a stop does not wait for it, as a ThreadPoolExecutor would
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
                        report.warnings += [f"--force {address}: not regenerated, its stage '{stage.name}' has "
                                            "nothing to derive it from (none of its inputs exists)"
                                            for address in sorted(force) if self.pipeline.producer[address] is stage]
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
                        if not dry_run:
                            report.warnings += self.settle(stage, self.documents.get(stage.document), planned)
                        self.emit({"event": "status", "stage": stage.name, "progress": _pct(done, total),
                                   "message": "up to date"})
                        continue
                    if not (generating or report.would_change):  # before anything is written, or said to be
                        self._refuse_misfits()
                    if dry_run:
                        report.would_change += [p.address for p in regenerate]
                        changing.update(p.address for p in regenerate)
                        continue
                    if not generating:
                        self.before_generating()
                        self._definitions = self._defined()  # read here, not on the stages' threads
                        generating = True
                    self.emit({"event": "status", "stage": stage.name, "progress": _pct(done, total),
                               "message": "generating " + ", ".join(p.section for p in regenerate)})
                    work.append((stage, planned, regenerate, pool.submit(self._generate, stage, regenerate)))
                for stage, planned, regenerate, future in work:
                    outputs, span = future.result()
                    undeclared = sorted(set(outputs) - {o.section for o in stage.outputs})
                    if undeclared:
                        report.warnings.append(f"stage '{stage.name}' returned sections it does not declare, "
                                               f"not written: {', '.join(undeclared)}")
                    report.spans.append(span)
                    report.cache_hits += span.cache_hit
                    report.provider_calls += 0 if span.cache_hit else 1
                    self._write(stage, regenerate, outputs, span, force, report)
                    report.warnings += self.settle(stage, self.documents.get(stage.document), planned)
                    done += 1
                    for item in regenerate:
                        self.emit({"event": "partial", "stage": stage.name, "address": item.address,
                                   "progress": _pct(done, total), "cached": span.cache_hit})
        return report

    def _refuse_misfits(self) -> None:
        """Before any stage writes (one build may write several documents): see gitspec.misfits."""
        from gitspec.misfits import refuse_misfits

        refuse_misfits(self.pipeline, self.documents, set(self.kinds()) if self.kinds is not None else None,
                       self.suffix)

    def _wanted(self, only: set[str] | None, targets: set[str] | None) -> set[str]:
        names = set(self.pipeline.stages)
        if only:
            unknown = only - names
            if unknown:
                from gitspec.suggestions import did_you_mean

                wrong = sorted(unknown)[0]
                raise GitspecError(f"argument --only: unknown stage {wrong!r}{did_you_mean(wrong, sorted(names))} "
                                   f"(stages: {', '.join(sorted(names))})")
            names = set(only)
        if targets:
            producers = set()
            for target in targets:
                producers.add(self.pipeline.producer[self._written("ADDRESS", target)].name)
            names &= self.pipeline.with_upstream(producers)
        return names

    def _refuse_forced_outside(self, force: set[str], wanted: set[str], only: set[str] | None) -> None:
        """A forced section whose stage this build does not run is a usage error: silently kept, the
        edit the user asked to discard would still be there after a build that exits 0."""
        for address in sorted(force):
            stage = self.pipeline.producer[address].name
            if stage not in wanted:
                why = (f"--only leaves it out (add --only {stage})" if only and stage not in only
                       else "the ADDRESSes given do not need it (name it as an ADDRESS too)")
                raise GitspecError(f"argument --force: {address} is written by stage '{stage}', which this "
                                   f"build does not run: {why}")

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
                message = conflict_message(item.state)
                report.conflicts.append(message)
                self.emit({"event": "error", "stage": item.stage.name, "progress": progress,
                           "address": item.address, "message": message})
            elif item.state.state == PINNED and item.action == GENERATE:
                pass  # forced: regenerated and unpinned, so no pin is left to warn of
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
        taken = self._taken(stage)
        # the ids other documents hold change what the stage numbers: in the key, when there are any
        # (with none, the stage writes what it wrote before it was told of them: the same key serves)
        key = hashlib.sha256(canonical_json([stage.name, stage.version, self.provider.name, self.provider.model,
                                             stage.prompt_version, options, inputs,
                                             *([taken] if taken else [])])).hexdigest()
        cached = self.cache.get(key)
        outputs = json.loads(cached) if cached is not None else None
        hit = isinstance(outputs, dict) and all(o.section in outputs for o in stage.outputs)
        tokens_before = _tokens(self.provider)
        if not hit:
            from gitspec.providers import stage_meter

            with stage_meter() as meter:
                outputs = stage.generate(StageInput(inputs, self.provider, options, frozenset(taken)))
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

    def _taken(self, stage: Stage) -> list[str]:
        """The ids with the stage's prefixes that documents other than its own define, sorted."""
        if not stage.ids:
            return []
        own = self.documents.get(stage.document)
        prefixes = {f"{prefix}-" for prefix in stage.ids}
        return sorted({item_id for item_id, path in self._definitions or ()
                       if (own is None or path != own.path) and item_id[:item_id.find("-") + 1] in prefixes})

    def _write(self, stage: Stage, regenerate: list[Planned], outputs: dict[str, Any], span: Span,
               force: set[str], report: BuildReport) -> None:
        document = self.documents.get(stage.document)
        new_sections = {p.section: outputs[p.section] for p in regenerate}
        front = document.front if document is not None else ()
        if (document.path if document is not None else self.suffix(stage.kind)).endswith(".md"):
            from gitspec.markdownwrite import region_text
            from gitspec.plugincalls import described

            for name, value in new_sections.items():
                if name in front:  # a value of its front matter, written there as YAML
                    continue
                if not isinstance(value, str):
                    raise self.pipeline.blame(stage, f"returned {described(value)} for the section '{name}' of a "
                                                     "Markdown document, which holds only text")
                if "\0" in value:  # a file holding one is binary, to git and to gitspec
                    raise self.pipeline.blame(stage, f"returned text holding a NUL character (U+0000) for the "
                                                     f"section '{name}' of a Markdown document, which cannot hold it")
            # stamped as it will read back
            new_sections = {k: v if k in front else region_text(v) for k, v in new_sections.items()}
        merged = {**(document.sections if document else {}), **new_sections}
        view = LoadedDocument(stage.document, stage.kind, document.path if document else "",
                              document.header if document else {}, merged, document.sha if document else "")
        view.front = front
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


def _pct(done: int, total: int) -> int:
    return min(100, int(100 * done / total))


def _tokens(provider: Any) -> int:
    usage = getattr(provider, "usage", None)
    return (usage.prompt_tokens + usage.completion_tokens) if usage is not None else 0
