"""The judgement of every generated section, kept in the parse index for the next run.

Judging reads every stage's inputs, so a no-op `status` or `build` would
spend most of its time re-deriving what the last run already knew. The
states are a pure function of the documents and the stage declarations, so
they are saved keyed by both: every file's path and content hash, and a
token of the declarations. Any other documents or declarations: judge again.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gitspec.index import ParseIndex
from gitspec.opening import Documents
from gitspec.pipeline import Pipeline
from gitspec.stage import Stage
from gitspec.stamps import SectionState

MEMO = "judgement"


@dataclass(frozen=True)
class Judgement:
    """Each stage's judged sections (None: nothing to derive from yet), for one pipeline object."""

    pipeline: Pipeline
    stages: dict[str, tuple[SectionState, ...] | None]


def attach(index: ParseIndex, documents: Documents, pipeline: Pipeline, token: str,
           options: Callable[[Stage], dict]) -> Judgement:
    """Give `documents` the judgement of `pipeline` over them: the saved one if it is theirs, else a new
    one, put in the index's memo for the caller to save (`index.unsaved` says so). `token` names the
    stage declarations and their `options`."""
    rels, shas = index.content()
    stages = _saved(index.memo.get(MEMO), token, rels, shas)
    if stages is None:
        from gitspec.planning import Planner

        stages = Planner(documents, pipeline, options).judge_all()
        index.memo[MEMO] = (token, rels, shas, {name: None if states is None else tuple(_plain(s) for s in states)
                                                for name, states in stages.items()})
        if index.unsaved is None:
            index.unsaved = index.scan_ns
    documents.judged = Judgement(pipeline, stages)
    return documents.judged


def _saved(saved: Any, token: str, rels: tuple, shas: tuple) -> dict[str, tuple[SectionState, ...] | None] | None:
    if not (isinstance(saved, tuple) and len(saved) == 4 and saved[0] == token and saved[1] == rels
            and saved[2] == shas):
        return None
    try:
        return {name: None if states is None else tuple(SectionState(*state) for state in states)
                for name, states in saved[3].items()}
    except (AttributeError, TypeError, ValueError):
        return None


def _plain(state: SectionState) -> tuple[Any, ...]:
    return state.address, state.state, tuple(state.changed_inputs), state.reason
