"""Each requirement's verdict from its evidence: verified, failing, stale or missing.

Pure: git is reached only through the two callables the caller passes in
(`is_ancestor`, `requirement_changed_since`), so this never opens a repository.

A requirement is verified when its newest evidence passed, was taken on a
commit that is an ancestor of HEAD, and the requirement's text has not changed
since. Newest evidence that failed or errored makes it failing; newest evidence
that only skipped it leaves it missing (nothing shows it works), as does
evidence naming its commit by anything but a full commit id; passing evidence on
a foreign commit, or older than the requirement's text, is stale (and so is
evidence on a commit a shallow clone or damaged history cannot place, with a reason saying why). Evidence
whose `startedAt` cannot be read cannot be ordered: a requirement it concerns is stale,
never verified by an older record.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gitspec.commitfields import FULL_COMMIT_ID

VERIFIED, FAILING, STALE, MISSING = "verified", "failing", "stale", "missing"
STATES = (VERIFIED, FAILING, STALE, MISSING)

# RFC 3339's date-time, which the evidence schema's `startedAt` names; fromisoformat then turns
# down the dates no calendar has (February 30)
_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})")


@dataclass(frozen=True)
class Verdict:
    requirement: str
    state: str  # one of STATES
    evidence_id: str | None  # the newest evidence for the requirement, None if there is none
    reason: str  # one human sentence saying why


@dataclass(frozen=True)
class Outcome:
    """What one evidence record says about one requirement."""

    verdict: str  # "passed", "failed", "error" or "skipped"
    cases: tuple[str, ...] = ()  # the test cases behind a failed, errored or skipped verdict


def decide_verdicts(requirements: Iterable[str], evidence: Iterable[Mapping[str, Any]],
                    is_ancestor: Callable[[str], bool | str],
                    requirement_changed_since: Callable[[str, str], bool], no_head: str = "") -> dict[str, Verdict]:
    """The verdict of every requirement in `requirements`, in that order.

    `evidence` holds evidence records as the evidence schema describes them
    (dicts); records naming requirements not listed are ignored here. `is_ancestor` answers why
    when it cannot tell ("the clone is shallow"). `no_head` says why there is no HEAD to compare with
    ("the repository has no commits yet"), "" when there is one.
    """
    concerning: dict[str, list[Mapping[str, Any]]] = {}  # each requirement's records, found in one pass
    for record in evidence:
        for requirement in _requirements_of(record):
            concerning.setdefault(requirement, []).append(record)
    ancestry: dict[str, bool | str] = {}

    def ancestor(commit: str) -> bool | str:
        if commit not in ancestry:
            ancestry[commit] = is_ancestor(commit) if commit else False
        return ancestry[commit]

    return {req: decide_verdict(req, concerning.get(req, ()), ancestor, requirement_changed_since, no_head)
            for req in requirements}


def decide_verdict(requirement: str, evidence: Iterable[Mapping[str, Any]],
                   is_ancestor: Callable[[str], bool | str],
                   requirement_changed_since: Callable[[str, str], bool], no_head: str = "") -> Verdict:
    """One requirement's verdict from the evidence records (any of them may concern it)."""
    dated = [(started_at(record), record) for record in evidence if requirement in _requirements_of(record)]
    undated = next((record for moment, record in dated if moment is None), None)
    if undated is not None:
        ev_id = str(undated.get("id", "?"))
        return Verdict(requirement, STALE, ev_id, f"cannot tell which evidence is newest: evidence {ev_id} has no "
                                                  "readable startedAt (a date-time such as 2026-01-15T09:30:00Z)")
    if not dated:
        return Verdict(requirement, MISSING, None, "no evidence")
    # the newest record (ties: the greater id)
    newest = max(dated, key=lambda entry: (entry[0], str(entry[1].get("id", ""))))[1]
    ev_id = str(newest.get("id", "?"))
    outcome = outcome_for(newest, requirement)
    if outcome.verdict != "passed":
        state = MISSING if outcome.verdict == "skipped" else FAILING
        return Verdict(requirement, state, ev_id, _not_passed(ev_id, newest, outcome))
    commit = newest.get("commit")
    commit = commit if isinstance(commit, str) else ""
    if commit and not FULL_COMMIT_ID.fullmatch(commit):  # as the evidence schema requires
        # a name such as HEAD or a branch moves with every commit: it would verify forever
        return Verdict(requirement, MISSING, ev_id, f"evidence {ev_id} names commit '{commit}', not a commit id")
    where = f"on {commit[:7]}" if commit else "on an unknown commit"
    if no_head:
        return Verdict(requirement, STALE, ev_id, f"evidence {ev_id} was taken {where}, and {no_head}")
    behind = is_ancestor(commit)
    if isinstance(behind, str):  # why it cannot be told
        return Verdict(requirement, STALE, ev_id, f"cannot tell whether evidence {ev_id} was taken on an ancestor "
                                                  f"of HEAD ({commit[:7]}): {behind}")
    if not behind:
        return Verdict(requirement, STALE, ev_id, f"evidence {ev_id} was taken {where}, "
                                                  "which is not an ancestor of HEAD")
    if requirement_changed_since(requirement, commit):
        return Verdict(requirement, STALE, ev_id, f"{requirement} changed since {ev_id} was taken")
    return Verdict(requirement, VERIFIED, ev_id, f"evidence {ev_id} passed on {commit[:7]}")


def started_at(record: Mapping[str, Any]) -> datetime | None:
    """When a record's evidence was taken; None when `startedAt` is missing or not an RFC 3339
    date-time with an offset (2026-01-15T09:30:00Z), as `gitspec check` then says."""
    return read_date_time(record.get("startedAt"))


def read_date_time(value: Any) -> datetime | None:
    """An RFC 3339 date-time with an offset as a datetime, None for anything else."""
    if isinstance(value, datetime):
        return value if value.tzinfo else None
    if not isinstance(value, str) or not _DATE_TIME.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(value[:-1] + "+00:00" if value[-1] in "Zz" else value)
    except ValueError:
        return None


def outcome_for(record: Mapping[str, Any], requirement: str) -> Outcome:
    """The record's verdict for one requirement: its cases mapped to it win over the record's own."""
    cases = [case for case in _list(record.get("cases"))
             if isinstance(case, Mapping) and requirement in _list(case.get("requirements"))]
    if not cases:
        verdict = record.get("verdict")
        return Outcome(verdict if verdict in ("passed", "failed", "error", "skipped") else "error")
    by_verdict: dict[str, list[str]] = {}
    for case in cases:
        verdict = case.get("verdict")
        verdict = verdict if verdict in ("passed", "failed", "error", "skipped") else "error"
        by_verdict.setdefault(verdict, []).append(str(case.get("name", "?")))
    for verdict in ("failed", "error"):
        if verdict in by_verdict:
            return Outcome(verdict, tuple(by_verdict[verdict]))
    if "passed" in by_verdict:
        return Outcome("passed")
    return Outcome("skipped", tuple(by_verdict["skipped"]))


def _not_passed(ev_id: str, record: Mapping[str, Any], outcome: Outcome) -> str:
    detail = ", ".join(outcome.cases)
    if not detail and outcome.verdict == "failed" and isinstance(record.get("exitCode"), int):
        detail = f"exit code {record['exitCode']}"
    word = {"failed": "failed", "error": "could not run", "skipped": "was skipped"}[outcome.verdict]
    return f"newest evidence {ev_id} {word}" + (f" ({detail})" if detail else "")


def _requirements_of(record: Mapping[str, Any]) -> set[str]:
    found = {req for req in _list(record.get("requirements")) if isinstance(req, str)}
    for case in _list(record.get("cases")):
        if isinstance(case, Mapping):
            found.update(req for req in _list(case.get("requirements")) if isinstance(req, str))
    return found


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
