"""Built-in plugin: workspace-wide checks of ids and references.

Duplicate ids, document ids the rendered output keeps for itself, references to
unknown ids or to the wrong kind of thing (a document of the wrong kind too),
addresses that do not resolve, pictures that cannot be shown, and cycles in
`parent`, `dependsOn` and evidence `previous` links.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from gitspec.addresses import parse_address, resolve_pointer
from gitspec.findings import Finding, bad_image, error, warning
from gitspec.hookspecs import hookimpl
from gitspec.printable import shown
from gitspec.suggestions import Suggestions

if TYPE_CHECKING:  # not needed to register the plugin, which every render does
    from gitspec.symbols import Reference, SymbolTable
    from gitspec.unreadable import Unreadable

ACYCLIC_RELATIONS = ("parent", "dependsOn", "previous")
# relation -> the kind of document a reference to a document by that relation must name
DOCUMENT_KINDS = {"previous": "evidence", "product": "product"}
# A document's page is named after its id, so these would take the place of the site's own pages
RESERVED_IDS = {"index": "the site's index page (index.html)",
                "traceability": "the traceability matrix page (traceability.html)",
                "book": "the combined book (book.pdf, book.docx)"}


@hookimpl
def gitspec_check_workspace(workspace: SymbolTable) -> list[Finding]:
    findings = _duplicates(workspace) + _reserved(workspace)
    suggestions = Suggestions(workspace.definitions)
    unchecked: dict[tuple[str, Unreadable], list[Reference]] = {}  # (file, unreadable file) -> its references
    for ref in workspace.references:
        if ref.namespaces == ("picture",):
            problem = workspace.picture_problem(ref.target)
            if problem:
                findings.append(bad_image(ref.path, ref.line, ref.col, ref.target, problem))
            continue
        if ref.namespaces == ("address",):
            problem = _address_problem(workspace, ref)
        else:
            problem = _id_problem(workspace, ref, suggestions)
        if problem:
            blocked = _may_be_in_unreadable(workspace, ref)
            if blocked is not None:
                unchecked.setdefault((ref.path, blocked), []).append(ref)
                continue
            findings.append(error(ref.path, ref.line, ref.col, problem, "unknown-reference"))
    findings += [_unchecked(refs, blocked) for (_, blocked), refs in unchecked.items()]
    for relation in ACYCLIC_RELATIONS:
        findings += _cycles(workspace, relation)
    return findings


def _duplicates(table: SymbolTable) -> list[Finding]:
    """An id defined twice, reported at each newer definition: one that HEAD's version of its file does
    not have, beside one that it has (a change adds a copy of an id). Where git cannot tell (outside git,
    both committed, both new), at every definition: `check PATH` then reports it in any file it is in."""
    findings = []
    for ident, definitions in table.definitions.items():
        if len(definitions) < 2:
            continue
        ordered = sorted(definitions, key=lambda d: (d.path, d.line, d.col))
        blamed, cited = ordered, ordered
        at_head = [table.at_head(d) for d in ordered]
        if None not in at_head and any(at_head) and not all(at_head):
            blamed = [d for d, held in zip(ordered, at_head, strict=True) if not held]
            cited = [d for d, held in zip(ordered, at_head, strict=True) if held]
        for definition in blamed:
            other = next((d for d in cited if d != definition), cited[0])
            findings.append(error(definition.path, definition.line, definition.col,
                                  f"duplicate id {shown(ident)} (also defined at {other.path}:{other.line})",
                                  "duplicate-id"))
    return findings


def _reserved(table: SymbolTable) -> list[Finding]:
    return [error(d.path, d.line, d.col, f"document id {shown(ident)} is kept for {RESERVED_IDS[ident]}; choose another",
                  "reserved-id")
            for ident in RESERVED_IDS.keys() & table.definitions.keys()
            for d in table.definitions[ident] if d.namespace == "document"]


def _id_problem(table: SymbolTable, ref: Reference, suggestions: Suggestions) -> str | None:
    wanted = " or ".join(ref.namespaces)
    definitions = table.definitions.get(ref.target)
    if not definitions:
        close = suggestions.guess(ref.target, ref.namespaces)
        hint = f" (did you mean {shown(close)}?)" if close else ""
        return f"unknown {wanted} {shown(ref.target)}{hint}"
    if not any(d.namespace in ref.namespaces for d in definitions):
        return f"{shown(ref.target)} is a {definitions[0].namespace}, not a {wanted}"
    kind = DOCUMENT_KINDS.get(ref.relation) if ref.namespaces == ("document",) else None
    info = table.documents.get(ref.target)
    if kind and info is not None and info.kind != kind:
        return f"{shown(ref.target)} is {_a(info.kind)} document, not {_a(kind)} document"
    return None


def _may_be_in_unreadable(table: SymbolTable, ref: Reference) -> Unreadable | None:
    """The file that could not be read which may define the document or item a reference names and
    nothing else defines, else None (as `new` counts such an id used: gitspec.unreadable)."""
    if ref.namespaces == ("address",):
        address = parse_address(ref.target)
        if address is None or address.doc in table.documents:
            return None
        return table.unreadable.get(address.doc)
    if table.definitions.get(ref.target):
        return None
    return table.unreadable_items.get(ref.target) or table.unreadable.get(ref.target)


def _unchecked(refs: list[Reference], blocked: Unreadable) -> Finding:
    """One warning per file, at its first reference to what a file that could not be read may define,
    naming that file and why: not an "unknown" error at each, which would name the wrong file."""
    first = min(refs, key=lambda ref: (ref.line, ref.col))
    names = [shown(name) for name in dict.fromkeys(ref.target for ref in sorted(refs, key=lambda r: (r.line, r.col)))]
    if len(names) > 3:
        names = [*names[:3], f"{len(names) - 3} more"]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    them = "it" if len(names) == 1 else "them"
    return warning(first.path, first.line, first.col,
                   f"{listed} cannot be looked up: {blocked.path}, which may define {them}, cannot be read "
                   f"(line {blocked.line}: {blocked.message})", "unreadable-reference")


def _a(word: str) -> str:
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def _address_problem(table: SymbolTable, ref: Reference) -> str | None:
    address = parse_address(ref.target)
    if address is None:
        return f"{shown(ref.target)} is not an address (DOC-ID#SECTION[/pointer])"
    info = table.documents.get(address.doc)
    if info is None:
        return f"address {shown(ref.target)}: no document with id {shown(address.doc)}"
    if address.section not in info.sections:
        import difflib

        close = difflib.get_close_matches(address.section, info.sections, n=1)
        hint = f" (did you mean {shown(close[0])}?)" if close else ""
        return f"address {shown(ref.target)}: document {shown(address.doc)} has no section {shown(address.section)}{hint}"
    if address.pointer:
        values = table.values(address.doc) or {}
        if not resolve_pointer(values.get(address.section), address.pointer):
            return f"address {shown(ref.target)}: nothing at {shown('/' + '/'.join(address.pointer))} in that section"
    return None


def _cycles(table: SymbolTable, relation: str) -> list[Finding]:
    """Each cycle once in each file it passes through (see `_cycle_findings`)."""
    edges: dict[str, list[Reference]] = {}
    for ref in table.references:
        if ref.relation == relation and ref.target in table.definitions:
            edges.setdefault(ref.source, []).append(ref)
    findings: list[Finding] = []
    seen_cycles: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in sorted(edges):
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        state[start] = 1
        while stack:
            node, next_edge = stack[-1]
            outgoing = edges.get(node, [])
            if next_edge == len(outgoing):
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            stack[-1] = (node, next_edge + 1)
            target = outgoing[next_edge].target
            if state.get(target) == 1:
                cycle = path[path.index(target):]
                key = _rotate(cycle)
                if key not in seen_cycles:
                    seen_cycles.add(key)
                    findings += _cycle_findings(edges, key, relation)
            elif not state.get(target):
                state[target] = 1
                stack.append((target, 0))
                path.append(target)
    return findings


def _rotate(cycle: list[str]) -> tuple[str, ...]:
    smallest = cycle.index(min(cycle))
    return tuple(cycle[smallest:] + cycle[:smallest])


def _cycle_findings(edges: dict[str, list[Reference]], cycle: tuple[str, ...], relation: str) -> list[Finding]:
    """The cycle at the link that closes it back to its smallest id, and in each other file it passes
    through at its first link there: `check PATH` on a file whose edit closed it reports it there too."""
    links = [next(ref for ref in edges[source] if ref.target == target)
             for source, target in zip(cycle, (*cycle[1:], cycle[0]))]
    names = " → ".join((*cycle, cycle[0]))
    at: dict[str, Reference] = {links[-1].path: links[-1]}
    for link in links:
        at.setdefault(link.path, link)
    return [error(link.path, link.line, link.col, f"{relation} cycle: {names}", "cycle") for link in at.values()]

