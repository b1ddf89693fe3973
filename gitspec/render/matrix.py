"""The traceability matrix page: requirement → tasks → evidence → verdict.

Pure: built from the documents and the verdicts the caller computed
(gitspec.verdicts); it never reads git or files.
"""
from __future__ import annotations

from typing import Any

from gitspec.findings import count_of
from gitspec.render.anchors import FRAME_IDS, key_anchor, unique
from gitspec.render.model import BAD, INFO, OK, WARN, Badge, Inline, Label, Link, Paragraph, Section, Table, Text, labels
from gitspec.render.valueblocks import joined, listed

MATRIX_ID = "traceability"
MATRIX_TITLE = Label("Traceability matrix")
MATRIX_KINDS = ("requirements", "tasks", "evidence")  # the documents it is built from
VERDICT_TONES = {"verified": OK, "failing": BAD, "stale": WARN, "missing": INFO}


def verdict_badge(verdict: Any) -> Badge:
    return Badge(verdict.state, VERDICT_TONES.get(verdict.state, INFO))


def matrix_rows(documents: list, verdicts: dict[tuple[str, str], Any]) -> tuple[tuple, ...]:
    """What the matrix shows, as plain values: (document id, requirement, title, task ids, evidence
    ids, verdict or None) per requirement, its verdict that of its own document's item (`verdicts`
    by document id and requirement id: an id two documents define is two rows, each judged and
    linked on its own). Empty when the workspace has no requirements.
    Cheap next to the page itself, so it also serves as the matrix page's key."""
    tasks: dict[str, list[str]] = {}
    for doc in documents:
        if doc.kind == "tasks":
            for task in identified_items(doc):
                for req in _ids(task.get("requirements")):
                    tasks.setdefault(req, []).append(task["id"])
    evidence: dict[str, list[str]] = {}
    for doc in documents:
        if doc.kind == "evidence":
            linked = set(_ids(doc.sections.get("requirements")))
            for case in listed(doc.sections.get("cases")):
                if isinstance(case, dict):
                    linked.update(_ids(case.get("requirements")))
            for req in sorted(linked):
                evidence.setdefault(req, []).append(doc.id)
    return tuple((doc.id, req, str(item.get("title", "")), tuple(tasks.get(req, ())), tuple(evidence.get(req, ())),
                  verdicts.get((doc.id, req)))
                 for doc in documents if doc.kind == "requirements" for item in identified_items(doc)
                 for req in (item["id"],))


def matrix_sections(rows: tuple[tuple, ...], targets: dict[str, str]) -> tuple[Section, ...]:
    """The matrix page's one section, from `matrix_rows`."""
    table_rows = []
    counts: dict[str, int] = {}
    taken = {*FRAME_IDS, "matrix"}  # the page's other anchors: the frame's and the section's
    anchors = tuple(unique(key_anchor(row[1]), taken) for row in rows)  # `traceability.html#REQ-001` is its row
    for doc_id, req, title, tasks, evidence, verdict in rows:
        state = verdict.state if verdict is not None else "missing"
        counts[state] = counts.get(state, 0) + 1
        table_rows.append((
            (Link(req, f"doc:{doc_id}#{req}"),),
            (Text(title),),
            _links(tasks, targets),
            _links(evidence, targets),
            (verdict_badge(verdict) if verdict is not None else Badge("missing", INFO),),
            (Text(Label(verdict.reason if verdict is not None else "no evidence")),),
        ))
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
    table = Table(labels("Requirement", "Title", "Tasks", "Evidence", "Verdict", "Why"), tuple(table_rows),
                  row_anchors=anchors)
    section = Section("matrix", Label("Requirement → tasks → evidence → verdict"), "matrix",
                      (Paragraph((Text(Label(f"{count_of(len(table_rows), 'requirement')}: {summary}.")),)), table))
    return (section,)


def identified_items(doc) -> list[dict]:
    """The document's `items` that have an id. A value of the wrong type (which the check
    reports) counts as absent, as gitspec.verdicts reads evidence: it never stops a render."""
    return [i for i in listed(doc.sections.get("items")) if isinstance(i, dict) and isinstance(i.get("id"), str)]


def _ids(value: Any) -> list[str]:
    """The ids a reference field lists."""
    return [v for v in listed(value) if isinstance(v, str)]


def _link(ident: str, targets: dict[str, str]) -> Inline:
    return Link(ident, targets[ident]) if ident in targets else Text(ident)


def _links(idents, targets: dict[str, str]) -> tuple[Inline, ...]:
    return joined(_link(ident, targets) for ident in idents) or (Text("—"),)
