"""Built-in plugin: checks inside one document that a schema cannot express.

Entity names used by an architecture's relationships, indexes and fields must
be entities of the same document; a ui must give every screen its states; an
`approved` document's newest approval must be of its content as it is now; a
Markdown link to an anchor of its own page must lead to one (gitspec.anchorlinks),
and a picture should say what it shows (its alt text); evidence must say when it
was taken as a date-time the verdicts can order.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gitspec.findings import Finding, error, warning
from gitspec.hookspecs import hookimpl
from gitspec.printable import shown

if TYPE_CHECKING:  # documents.py imports the YAML parser: not needed to register the plugin
    from gitspec.documents import Document


@hookimpl
def gitspec_check_document(document: Document) -> list[Finding]:
    findings = _approval(document)
    if document.kind == "architecture":
        findings += _entities(document)
    if document.kind == "ui":
        findings += _screen_states(document)
    if document.kind == "evidence":
        findings += _started_at(document)
    if document.format == "markdown":
        from gitspec.anchorlinks import anchor_findings

        findings += anchor_findings(document) + _pictures_without_alt(document)
    return findings


def _pictures_without_alt(document: Document) -> list[Finding]:
    """A warning at each picture shown with no alt text (`![](img/flow.png)`): the site marks it decorative
    (alt=""), so a screen reader skips it, and Word's and the PDF's text alternative is empty too."""
    texts = {name: text for name, text in document.sections.items() if isinstance(text, str) and "![" in text}
    if not texts:  # most documents show no picture: spare check the Markdown parser
        return []
    from gitspec.render.localimages import pictures_without_alt

    return [warning(document.path, document.text_line(name, offset), col,
                    f"picture {shown(src)} has no alt text, so a screen reader skips it: write what it shows "
                    "between its brackets (![what it shows](...))", "missing-alt")
            for name, text in texts.items() for src, offset, col in pictures_without_alt(text, document.path)]


def _approval(document: Document) -> list[Finding]:
    """What the render's approval badge says of an `approved` document, as a finding: a stale
    approval is an error, none at all a warning (the document claims a review nobody recorded)."""
    from gitspec.approvals import MISSING, STALE, approval_state, content_hash

    approval = approval_state(document.header, document.sections)  # NONE unless the document is `approved`
    # a merge conflict's markers are in the content: no hash of it is one to approve
    conflicted = any(note.rule == "merge-conflict" for note in document.notes)
    if approval.state == STALE:
        newest = len(document.header["approvals"]) - 1
        line, col = document.locate(("approvals", newest, "hash"))
        todo = "resolve the merge conflict, then review it and record a new approval" if conflicted else \
            f"review it and record a new approval (content hash now {content_hash(document.sections)})"
        return [error(document.path, line, col, f"approval stale: the content changed since {approval.by} "
                      f"approved it on {approval.date}; {todo}, or set status back to review", "stale-approval")]
    if approval.state == MISSING:
        line, col = document.locate(("status",))
        todo = "resolve the merge conflict, then add one to 'approvals'," if conflicted else \
            f"add one to 'approvals' (content hash {content_hash(document.sections)}; see docs/formats.md)"
        return [warning(document.path, line, col, f"status is approved but no approval is recorded; {todo} "
                        "or set status back to review", "missing-approval")]
    return []


def _started_at(document: Document) -> list[Finding]:
    """The schema's `"format": "date-time"` is only a note unless formats are asserted, which would
    also turn down the placeholders stages write for other kinds' dates: checked here, by the very
    reading the verdicts order evidence by."""
    from gitspec.verdicts import read_date_time

    value = document.sections.get("startedAt")
    if not isinstance(value, str) or read_date_time(value) is not None:
        return []  # missing or not text: the schema says so
    return [_at(document, ("startedAt",), f"{document.address(('startedAt',))}: {shown(value)} is not a date-time "
                "with an offset, such as 2026-01-15T09:30:00Z (a real date, seconds, and Z or +hh:mm)", "schema")]


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _entities(document: Document) -> list[Finding]:
    model = document.sections.get("dataModel")
    if not isinstance(model, dict):
        return []
    findings: list[Finding] = []
    names: dict[str, int] = {}
    for index, entity in enumerate(_list(model.get("entities"))):
        name = entity.get("name") if isinstance(entity, dict) else None
        if name in names:
            findings.append(_at(document, ("dataModel", "entities", index, "name"),
                                f"duplicate entity {shown(name)}", "duplicate-id"))
        names.setdefault(name, index)
    uses: list[tuple[tuple, Any]] = []
    for index, relation in enumerate(_list(model.get("relationships"))):
        for end in ("from", "to"):
            uses.append((("dataModel", "relationships", index, end), relation.get(end)))
    for index, entry in enumerate(_list(model.get("indexes"))):
        uses.append((("dataModel", "indexes", index, "entity"), entry.get("entity")))
    for index, entity in enumerate(_list(model.get("entities"))):
        for f_index, field in enumerate(_list(entity.get("fields"))):
            if isinstance(field, dict) and "references" in field:
                uses.append((("dataModel", "entities", index, "fields", f_index, "references"),
                             field["references"]))
    for path, name in uses:
        if isinstance(name, str) and name not in names:
            findings.append(_at(document, path, f"unknown entity {shown(name)} in {document.address(path)}",
                                "unknown-reference"))
    return findings


def _screen_states(document: Document) -> list[Finding]:
    states = document.sections.get("states")
    states = states if isinstance(states, dict) else {}
    findings = []
    for index, screen in enumerate(_list(document.sections.get("screens"))):
        screen_id = screen.get("id") if isinstance(screen, dict) else None
        if isinstance(screen_id, str) and screen_id not in states:
            findings.append(_at(document, ("screens", index, "id"),
                                f"screen {shown(screen_id)} has no loading, empty and error states in 'states'",
                                "missing-states"))
    for screen_id in states:
        if not any(isinstance(s, dict) and s.get("id") == screen_id for s in _list(document.sections.get("screens"))):
            line, col = document.locate_key(("states",), screen_id)
            findings.append(error(document.path, line, col, f"states given for unknown screen {shown(screen_id)}",
                                  "unknown-reference"))
    return findings


def _at(document: Document, path: tuple, message: str, rule: str) -> Finding:
    line, col = document.locate(path)
    return error(document.path, line, col, message, rule)
