"""`gitspec status`: every generated section's state, from stamps alone (no stage runs)."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from gitspec.herepaths import from_here
from gitspec.opening import open_workspace
from gitspec.printable import one_line
from gitspec.stamps import BROKEN, FRESH, MISSING, ORPHANED, STALE, UNREADABLE, UNSTAMPED
from gitspec.streams import messages, results

if TYPE_CHECKING:
    from gitspec.planning import Planned, Planner
    from gitspec.unreadable import Unreadable

QUIET = (FRESH, UNSTAMPED)  # nothing to do: listed only with --all, as text and as JSON


def run(output_format: str = "text", show_all: bool = False) -> int:
    from gitspec.planning import CONFLICT, GENERATE, Planner
    from gitspec.buildsession import prepare

    workspace, index = open_workspace()
    context = prepare(workspace, index)
    planner = Planner(context.documents, context.pipeline, context.options, context.unreadable)
    planned = planner.plan_all()
    if any(p.action == GENERATE for p in planned):  # what build would refuse before writing, status refuses too
        _refuse_misfits(context)
    # in the order and words build gives them (a stage with no input judges its orphaned sections all the same)
    warnings = [reason for level in context.pipeline.order for stage in level
                for reason in planner.input_warnings(stage, planner.has_inputs(stage))]
    rows = [{"address": p.address, "stage": p.stage.name, "state": p.state.state,
             "changed_inputs": list(p.state.changed_inputs), "conflict": p.action == CONFLICT,
             **({"reason": p.reason or p.state.reason} if p.reason or p.state.reason else {})} for p in planned]
    listed = [row for row in rows if show_all or row["state"] not in QUIET or row["conflict"]]
    messages().writelines(f"warning: {one_line(reason)}\n" for reason in warnings)  # results: the list alone
    if output_format == "json":
        json.dump(listed, results(), indent=2)
        results().write("\n")
    else:
        for row in listed:
            if row["state"] != UNREADABLE:  # listed by file below
                gone = row["state"] == ORPHANED  # what to do about it: check says, as build does
                why = [f"{', '.join(row['changed_inputs'])} {'gone' if gone else 'changed'}"] \
                    if row["changed_inputs"] else []
                why += [row["reason"]] if "reason" in row else []  # the stage's version or options
                changed = f" ({'; '.join(why)})" if why else ""
                conflict = f" — conflict: {'mend' if row['state'] == BROKEN else 'pin'} or --force it" \
                    if row["conflict"] else _orphan_hint(row["changed_inputs"], planner) if gone else ""
                results().write(f"{row['address']}: {row['state']}{changed}{conflict}\n")
        results().writelines(_unreadable_lines(planner, planned, workspace.root))
    counts = {}  # the summary goes to stderr in both formats
    for row in rows:
        counted = "conflict" if row["conflict"] else row["state"]  # as its line says it: build stops on it
        counts[counted] = counts.get(counted, 0) + 1
    messages().write("gitspec: " + (", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
                                     or _nothing_judged(len(context.pipeline.stages))) + "\n")
    dirty = any(row["state"] in (STALE, MISSING, ORPHANED, UNREADABLE) or row["conflict"] for row in rows)
    return 1 if dirty else 0


def _refuse_misfits(context) -> None:
    from gitspec.docwriter import DocumentWriter
    from gitspec.misfits import refuse_misfits

    kinds = context.engine().kinds
    refuse_misfits(context.pipeline, context.documents, set(kinds), DocumentWriter(context.workspace, lambda: kinds).suffix)


def _orphan_hint(gone: list[str], planner: Planner) -> str:
    """What to do about a section whose inputs are all gone: build, if stages that can run write them again."""
    from gitspec.pipeline import section_of

    producers = [planner.pipeline.producer.get(section_of(address)) for address in gone]
    if all(stage is not None and planner.has_inputs(stage) for stage in producers):
        return " — gitspec build makes its inputs again"
    return " — restore its inputs, remove it, or pin it"


def _nothing_judged(stages: int) -> str:
    """The summary when no section was judged: there are no stages, or none has anything to derive from."""
    if not stages:
        return "no stages"
    return f"no generated sections: {'the stage has' if stages == 1 else f'none of the {stages} stages has'} " \
           "anything to derive from yet"


def _unreadable_lines(planner: Planner, planned: list[Planned], root: Path) -> list[str]:
    """Each file that could not be read, once (named from the current folder), with the sections left
    unjudged for it, a line a stage: `unreadable: specs/source.yaml line 5: ...` then
    `  derived#shout, derived#length (its input source#text)`."""
    by_file: dict[Unreadable, dict[tuple[str, str], list[str]]] = {}
    for p in planned:
        if p.state.state == UNREADABLE:
            which, unreadable = planner.unreadable_cause(p.stage)
            by_file.setdefault(unreadable, {}).setdefault((p.stage.name, which), []).append(p.address)
    lines = []
    for unreadable, stages in by_file.items():
        shown = replace(unreadable, path=from_here(root, unreadable.path))
        lines.append(f"unreadable: {one_line(str(shown))}\n")
        lines += [f"  {', '.join(addresses)} ({which})\n" for (_, which), addresses in stages.items()]
    return lines
