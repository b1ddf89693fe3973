"""Built-in plugin: from stamps alone, report stale and hand-edited generated sections, and
`pinned` lists that name a section twice or not at all.

No stage runs: each stamp records its inputs' hashes, its stage's options' hash
and its output's hash, which are compared with the workspace and gitspec.yaml as
they are now. A stage's version needs the stage loaded: `status` and `build` judge it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from gitspec.addresses import parse_address, resolve_pointer_value
from gitspec.findings import WARNING, Finding, error
from gitspec.hashing import value_hash
from gitspec.hookspecs import hookimpl
from gitspec.stamps import EDITED, ORPHANED, PINNED, STALE, conflict_message, orphan_message, section_state

if TYPE_CHECKING:  # not needed to register the plugin, which every render does
    from gitspec.config import Config
    from gitspec.documents import Document
    from gitspec.symbols import SymbolTable


@hookimpl
def gitspec_check_document(document: Document) -> list[Finding]:
    """A warning at each entry of `pinned` that repeats an earlier one (`pin --unpin` removes them all) or
    names no section of the document (a misspelt id pins nothing). A Markdown region pinned in its own
    stamp is added to the list once, after the front matter's entries: it is never reported."""
    from gitspec.printable import shown

    listed = document.header.get("pinned")
    findings = []
    for at, name in enumerate(listed if isinstance(listed, list) else ()):
        if name in listed[:at]:
            why, rule = f"lists {shown(name)} twice", "pinned-duplicate"
        elif isinstance(name, str) and name not in document.sections:
            why, rule = f"lists {shown(name)}, which is no section of {document.id}", "pinned-unknown"
        else:
            continue
        line, col = document.locate(("pinned", at))
        findings.append(Finding(document.path, line, col, WARNING, f"'pinned' {why}", rule))
    return findings


@hookimpl
def gitspec_check_workspace(workspace: SymbolTable, config: Config) -> list[Finding]:
    findings = []
    for doc_id, info in workspace.documents.items():
        loaded = workspace.document(doc_id)
        if loaded is None:
            continue
        header, sections = loaded
        stamps = header.get("generated")
        if not isinstance(stamps, dict):
            continue
        pinned = header.get("pinned") if isinstance(header.get("pinned"), list) else []
        for section, stamp in stamps.items():
            if not isinstance(stamp, dict) or section not in sections:
                continue
            inputs = stamp.get("inputs") if isinstance(stamp.get("inputs"), dict) else {}
            if any(_unreadable(workspace, address) for address in inputs):
                continue  # not judged, as build does not judge it: that document's own error says why
            stage = stamp.get("stage")
            options = config.options_of(stage) if isinstance(stage, str) else None
            state = section_state(f"{doc_id}#{section}", sections[section], True, stamp, section in pinned,
                                  {address: _hash(workspace, address) for address in inputs}, options=options)
            finding = _finding(info.path, info.line(section), state)
            if finding:
                findings.append(finding)
    return findings


def _unreadable(table: SymbolTable, address: str) -> bool:
    parsed = parse_address(address)
    return parsed is not None and parsed.doc not in table.documents and parsed.doc in table.unreadable


def _hash(table: SymbolTable, address: str) -> str | None:
    parsed = parse_address(address)
    sections = table.values(parsed.doc) if parsed else None
    if not sections or parsed.section not in sections:
        return None
    return value_hash(resolve_pointer_value(sections[parsed.section], parsed.pointer))


def _finding(path: str, line: int, state) -> Finding | None:
    inputs = ", ".join(state.changed_inputs)
    reason = f"; {state.reason}" if state.reason else ""  # the stage's options, as build and status judge them
    if state.state == STALE:
        changed = f"{inputs} changed{reason}" if inputs else state.reason
        return error(path, line, 1, f"{state.address} is stale: {changed} since it was generated "
                                 "(run gitspec build)", "stale")
    if state.state == ORPHANED:  # build cannot derive it again: unlike "stale", build reports it too
        # judged from its stamp alone: a stage that now reads other inputs (a new version) would derive it
        return error(path, line, 1, f"{orphan_message(state)}; or, if its stage now reads other inputs, "
                                    "run gitspec build", "orphaned")
    if state.state == EDITED and state.changed_inputs:  # build stops on it, status calls it a conflict
        return error(path, line, 1, conflict_message(state), "conflict")
    if state.state == EDITED:
        return Finding(path, line, 1, WARNING, f"{state.address} was edited by hand since it was generated{reason} "
                                            "(gitspec pin to keep it)", "hand-edited")
    if state.state == PINNED and state.changed_inputs:  # in the words build warns with
        also = f" ({state.reason})" if state.reason else ""
        return Finding(path, line, 1, WARNING, f"{state.address} is pinned, but its inputs changed: {inputs}{also}",
                       "pinned-stale")
    if state.state == PINNED and state.reason:
        return Finding(path, line, 1, WARNING, f"{state.address} is pinned, but {state.reason}", "pinned-stale")
    return None
