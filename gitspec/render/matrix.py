"""The traceability matrix page: requirement → tasks → evidence → verdict.

Pure: built from the documents and the verdicts the caller computed
(gitspec.verdicts); it never reads git or files.
"""
from __future__ import annotations

from typing import Any

from gitspec.render.model import BAD, INFO, OK, WARN, Badge, Inline, Link, Paragraph, Section, Table, Text
from gitspec.render.valueblocks import joined

MATRIX_ID = "traceability"
MATRIX_TITLE = "Traceability matrix"
TRACED = ("requirements", "tasks", "evidence")  # the kinds the matrix is built from
VERDICT_TONES = {"verified": OK, "failing": BAD, "stale": WARN, "missing": INFO}


def verdict_badge(verdict: Any) -> Badge:
    return Badge(verdict.state, VERDICT_TONES.get(verdict.state, INFO))


def has_requirements(documents: list) -> bool:
    """Whether there is a matrix to show."""
    return any(doc.kind == "requirements" and _items(doc) for doc in documents)


def matrix_sections(documents: list, verdicts: dict[str, Any], targets: dict[str, str]) -> tuple[Section, ...]:
    """The matrix page's one section (the workspace has requirements: see has_requirements)."""
    requirements = [(item, doc) for doc in documents if doc.kind == "requirements"
                    for item in _items(doc)]
    tasks: dict[str, list[str]] = {}
    for doc in documents:
        if doc.kind == "tasks":
            for task in _items(doc):
                for req in task.get("requirements") or ():
                    tasks.setdefault(str(req), []).append(str(task["id"]))
    evidence: dict[str, list[str]] = {}
    for doc in documents:
        if doc.kind == "evidence":
            linked = set(map(str, doc.sections.get("requirements") or ()))
            for case in doc.sections.get("cases") or ():
                if isinstance(case, dict):
                    linked.update(map(str, case.get("requirements") or ()))
            for req in sorted(linked):
                evidence.setdefault(req, []).append(doc.id)
    rows = []
    counts: dict[str, int] = {}
    for item, _ in requirements:
        req = str(item["id"])
        verdict = verdicts.get(req)
        state = verdict.state if verdict is not None else "missing"
        counts[state] = counts.get(state, 0) + 1
        rows.append((
            (_link(req, targets),),
            (Text(str(item.get("title", ""))),),
            _links(tasks.get(req, ()), targets),
            _links(evidence.get(req, ()), targets),
            (verdict_badge(verdict) if verdict is not None else Badge("missing", INFO),),
            (Text(verdict.reason if verdict is not None else "no evidence"),),
        ))
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
    table = Table(("Requirement", "Title", "Tasks", "Evidence", "Verdict", "Why"), tuple(rows))
    section = Section("matrix", "Requirement → tasks → evidence → verdict", "matrix",
                      (Paragraph((Text(f"{len(rows)} requirements: {summary}."),)), table))
    return (section,)


def _items(doc) -> list[dict]:
    return [i for i in doc.sections.get("items") or () if isinstance(i, dict) and "id" in i]


def _link(ident: str, targets: dict[str, str]) -> Inline:
    return Link(ident, targets[ident]) if ident in targets else Text(ident)


def _links(idents, targets: dict[str, str]) -> tuple[Inline, ...]:
    return joined(_link(ident, targets) for ident in idents) or (Text("—"),)
