"""The workspace as a render tree: documents, stamps, approvals, verdicts and git facts → `Site`.

A pure function of what the caller gathered (render/run.py reads files, git and
stamps); it never touches the disk, so every renderer sees the same tree.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Protocol

from gitspec.approvals import APPROVED, MISSING, STALE, approval_state
from gitspec.builtin.references import RESERVED_IDS
from gitspec.findings import count_of
from gitspec.render.anchors import FRAME_IDS
from gitspec.render.datakeys import DataKeys
from gitspec.render.matrix import (
    MATRIX_ID, MATRIX_KINDS, MATRIX_TITLE, identified_items, matrix_rows, matrix_sections, verdict_badge,
)
from gitspec.render.deferred import Deferred
from gitspec.render.model import (
    BAD, BEFORE_HISTORY, INFO, OK, WARN, Badge, Change, Fact, Label, Page, Section, Site,
)
from gitspec.render.pagefiles import file_stem
from gitspec.render.properties import latest_change
from gitspec.render.scalars import is_scalar, short_list
from gitspec.render.valueblocks import ValueBlocks, humanize, link_names
from gitspec.stamps import (
    BROKEN, EDITED, FRESH, MISSING as SECTION_MISSING, ORPHANED, PINNED, STALE as SECTION_STALE,
)

KIND_ORDER = ("product", "prd", "requirements", "tasks", "evidence", "brand", "design", "architecture", "ui",
              "launch", "evolution", "code", "assembly")


class SourceDocument(Protocol):
    """What the model needs of a document (gitspec.opening.LoadedDocument has it)."""

    id: str
    kind: str
    path: str
    header: dict[str, Any]
    sections: dict[str, Any]


@dataclass(frozen=True)
class Facts:
    """Everything besides the documents: stamp states by address, git facts, verdicts."""

    states: dict[str, Any]  # address -> gitspec.stamps.SectionState
    changes: dict[str, dict[str, Change]]  # document path -> section -> last change
    uncommitted: dict[str, set[str]]  # document path -> sections differing from HEAD
    verdicts: dict[tuple[str, str], Any]  # (document id, requirement id) -> gitspec.verdicts.Verdict
    markdown_titles: dict[str, dict[str, str]]  # Markdown document path -> section slug -> heading
    images: dict[str, dict[str, str]] = field(default_factory=dict)  # Markdown document path -> picture -> digest
    commit: str = ""
    dirty: bool = False
    page_size: str = "A4"
    language: str = "en"  # BCP 47
    # document path -> the last commit that changed it, its header included (None: not at HEAD;
    # model.BEFORE_HISTORY: older than the history at hand)
    versions: dict[str, Change | None] = field(default_factory=dict)
    # Markdown document path -> section -> its text as written, where that differs from the text as
    # hashed (which has no trailing spaces): two trailing spaces are a hard line break.
    written: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what git history could not tell, for the user
    in_git: bool = False  # the workspace is in a git repository, with commits or not
    history_lost: bool = False  # its repository could not be read: no history, and shown as changed
    # the documents (paths) whose file differs from HEAD's in any way: a section, the header, a comment
    changed: set[str] = field(default_factory=set)
    # kind -> its schema (JSON), which says which keys are field names and which are data (datakeys.py)
    schemas: dict[str, dict] = field(default_factory=dict)


MODEL_VERSION = "70"  # bump when the same inputs should now give a different tree


def build_site(documents: dict[str, SourceDocument], facts: Facts, title: str = "") -> Site:
    """The site. Each page carries the key of everything it is built from (the document,
    its stamps, git facts and verdicts, and the ids and sections its values name, with their
    targets); its sections are built only when a renderer reads them (model.Deferred)."""
    ordered = _own_files(sorted(documents.values(), key=lambda d: (_kind_rank(d.kind), d.id)))
    targets = {**link_targets(ordered), **section_targets(ordered, facts)}
    badges: dict[str, dict[str, tuple[Badge, ...]]] = {}  # document id -> requirement id -> its verdict
    for (doc_id, req), verdict in facts.verdicts.items():
        badges.setdefault(doc_id, {})[req] = (verdict_badge(verdict),)
    absent: dict[str, list[str]] = {}  # document id -> its generated sections that are not there
    for address, state in facts.states.items():
        doc_id, _, name = address.partition("#")
        if state.state == SECTION_MISSING and doc_id in documents and name not in documents[doc_id].sections:
            absent.setdefault(doc_id, []).append(name)
    # Not every id and section address: one added to a document would re-render every page.
    pages = [_page(doc, facts, targets, badges.get(doc.id, {}), record_key(MODEL_VERSION, _named(doc, facts, targets)),
                   tuple(absent.get(doc.id, ()))) for doc in ordered]
    rows = matrix_rows(ordered, facts.verdicts)
    if rows:
        linked = [targets.get(ident) for row in rows for ident in (*row[3], *row[4])]  # its tasks' and evidence's
        # its last change (its PDF's and Word file's author and dates): that of the documents it is built from
        change = latest_change(facts.versions.get(doc.path) for doc in ordered if doc.kind in MATRIX_KINDS)
        pages.append(Page(MATRIX_ID, "matrix", MATRIX_TITLE, "", "", (), Deferred(lambda: matrix_sections(rows, targets)),
                          key=record_key(MODEL_VERSION, MATRIX_ID, rows, linked, facts.commit, facts.dirty, change),
                          commit=facts.commit, dirty=facts.dirty, change=change))
    kinds = tuple(dict.fromkeys(page.kind for page in pages))
    return Site(title or _site_title(ordered), facts.commit, facts.dirty, facts.page_size, tuple(pages), kinds,
                facts.in_git, facts.language)


def _own_files(documents: list[SourceDocument]) -> list[SourceDocument]:
    """The documents that get pages: not one whose file names would be the site's own (a reserved
    id), nor one whose invalid id makes the same file names as an earlier one's. The check reports
    both ids; here the first keeps its page, whichever was rendered last."""
    taken = set(RESERVED_IDS)
    kept = []
    for doc in documents:
        stem = file_stem(doc.id)
        if stem not in taken:
            taken.add(stem)
            kept.append(doc)
    return kept


def _input_key(doc: SourceDocument, facts: Facts, links: str, absent: tuple[str, ...]) -> str:
    """Everything a document's page is built from, hashed without building it."""
    content = getattr(doc, "sha", "") or record_key(doc.header, doc.sections)
    states = sorted((a, s.state, s.changed_inputs) + ((s.reason,) if s.reason else ()) for name in doc.sections
                    if (s := facts.states.get(a := f"{doc.id}#{name}")) is not None)
    verdicts = ()
    if doc.kind == "requirements":
        ids = {item["id"] for item in identified_items(doc)}
        verdicts = sorted((r, facts.verdicts[doc.id, r].state) for r in ids if (doc.id, r) in facts.verdicts)
    return record_key(links, doc.id, doc.kind, doc.path, content, states, absent, verdicts,
                 facts.schemas.get(doc.kind), sorted(facts.changes.get(doc.path, {}).items()),
                 sorted(facts.uncommitted.get(doc.path, ())), facts.markdown_titles.get(doc.path),
                 sorted(facts.images.get(doc.path, {}).items()), sorted(facts.written.get(doc.path, {}).items()),
                 facts.versions.get(doc.path), doc.path in facts.changed)


def record_key(*parts) -> str:
    """A cache key over frozen records and plain values: their repr is deterministic and complete."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def link_targets(documents: list[SourceDocument]) -> dict[str, str]:
    """Every document id and item id (an `id` in a section's list of items) → its `doc:` target."""
    targets: dict[str, str] = {}
    for doc in documents:
        targets.setdefault(doc.id, f"doc:{doc.id}")
        for value in doc.sections.values():
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        targets.setdefault(item["id"], f"doc:{doc.id}#{item['id']}")
    return targets


def section_targets(documents: list[SourceDocument], facts: Facts) -> dict[str, str]:
    """Every section address (`DOC#SECTION`, whose anchor on its page is its name) → its `doc:` target;
    that of a Markdown document's fact (see `_front_facts`) is its page, which shows it at the top."""
    return {f"{doc.id}#{name}": f"doc:{doc.id}" if name in front else f"doc:{doc.id}#{name}"
            for doc in documents for front in (_front_facts(doc, facts),) for name in doc.sections}


def _named(doc: SourceDocument, facts: Facts, targets: dict[str, str]) -> tuple[list[str], list[str]]:
    """The ids and section addresses the document's values link to (`REQ-9`, `p#goals/0` → `p#goals`),
    and their targets: what its page's links depend on. One it names that is not there is left
    out: the page's content, in its key, says what it names. Markdown text links by URL only."""
    names = sorted(name for name in _may_name(doc, facts) if name in targets)  # (None is not)
    return names, [targets[name] for name in names]


# A YAML document's path -> (its content's hash, what it may name): a daemon or a watch renders again
# and again, and mostly the same documents
_MAY_NAME: dict[str, tuple[str, frozenset]] = {}


def _may_name(doc: SourceDocument, facts: Facts) -> frozenset:
    """Every text the document's values could link by: each string whole, and what link_names finds."""
    sha = getattr(doc, "sha", "")
    cacheable = sha and doc.path not in facts.markdown_titles  # (a Markdown document's also hangs on facts)
    if cacheable and _MAY_NAME.get(doc.path, ("",))[0] == sha:
        return _MAY_NAME[doc.path][1]
    named: set[str | None] = set()
    pending: list[Any] = [value for name, value in doc.sections.items()
                          if _markdown_text(doc, facts, name, value) is None]
    while pending:  # not recursive: a YAML value may nest deeper than Python's stack
        value = pending.pop()
        if isinstance(value, str):
            named.add(value)  # whole, as a cell or a list shows it: all most strings need
            if "#" in value or "\n" in value or value.strip() != value:
                named |= link_names(value)
        elif isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif value is not None:
            named |= link_names(value)
    found = frozenset(named)
    if cacheable:
        _MAY_NAME[doc.path] = (sha, found)
    return found


def _markdown_text(doc: SourceDocument, facts: Facts, name: str, value: Any) -> str | None:
    """A Markdown document's section as written, or None when the section is YAML data (ValueBlocks shows
    it): in a YAML document, or in a Markdown document's front matter (a section with no heading)."""
    if name not in facts.markdown_titles.get(doc.path, ()):
        return None
    value = facts.written.get(doc.path, {}).get(name, value)
    return value if isinstance(value, str) else None


def _page(doc: SourceDocument, facts: Facts, targets: dict[str, str], badges: dict, links: str,
          absent: tuple[str, ...]) -> Page:
    """`absent`: the generated sections the document should have and has not (a stage would write them)."""
    uncommitted = facts.uncommitted.get(doc.path, set())
    marks = {name: _section_badges(facts.states.get(f"{doc.id}#{name}"))
             + ((Badge("uncommitted", INFO),) if name in uncommitted else ()) for name in doc.sections}
    header = doc.header
    title = str(header.get("title") or "")
    if doc.path in facts.markdown_titles:
        title = _as_read(title)
    if not title.strip():  # a blank title (check reports it) names nothing: a link or heading of it would be empty
        title = doc.id
    change = facts.versions.get(doc.path)
    told = change if change != BEFORE_HISTORY else None
    return Page(doc.id, doc.kind, title, doc.path, str(header.get("status", "")),
                _page_badges(header, doc.sections, marks, absent),
                Deferred(lambda: _sections(doc, facts, targets, badges, marks)),
                key=_input_key(doc, facts, links, absent),
                commit=told.commit if told else "", dirty=doc.path in facts.changed or change is None, change=told,
                before_history=change == BEFORE_HISTORY, owners=_owners(header),
                facts=_facts(doc.kind, _front_facts(doc, facts), targets, facts.schemas))


def _owners(header: dict) -> tuple[str, ...]:
    """The document's owners as written; a wrong type (which the check reports) reads as none."""
    owners = header.get("owners")
    return tuple(o for o in owners if isinstance(o, str) and o.strip()) if isinstance(owners, list) else ()


def _front_facts(doc: SourceDocument, facts: Facts) -> dict[str, Any]:
    """The sections of a Markdown document's front matter that its page shows as facts beside its id
    (a PRD's `product`): those one table cell shows whole, a value or a few ids. Another (a tasks
    document's `items`) is a section of the page, shown as in a YAML document."""
    titles = facts.markdown_titles.get(doc.path)
    if titles is None:
        return {}
    return {name: value for name, value in doc.sections.items()
            if name not in titles and (is_scalar(value) or short_list(value))}


def _facts(kind: str, front: dict[str, Any], targets: dict[str, str], schemas: dict[str, dict]) -> tuple[Fact, ...]:
    """The facts (see `_front_facts`), with their values as a table cell shows them: an id the schema
    declares a reference (the PRD's `product`) links to its document or item."""
    cells, keys = ValueBlocks(targets), DataKeys(schemas)
    return tuple(Fact(humanize(key), cells.cell(keys.marked(kind, key, value))) for key, value in front.items())


def _sections(doc: SourceDocument, facts: Facts, targets: dict[str, str], badges: dict,
              marks: dict[str, tuple[Badge, ...]]) -> list[Section]:
    return _anchored_sections(doc, facts, targets, badges, marks)[0]


def page_anchor_names(doc: SourceDocument, titles: dict[str, str]) -> set[str]:
    """Every anchor a Markdown document's page has (its sections', headings', notes' and items', and
    their aliases), which a same-page link may lead to: `check` asks, and the renderers make the same."""
    facts = Facts({}, {}, {}, {}, {doc.path: titles})
    return _anchored_sections(doc, facts, {}, {}, {name: () for name in doc.sections})[1]


def _anchored_sections(doc: SourceDocument, facts: Facts, targets: dict[str, str], badges: dict,
                       marks: dict[str, tuple[Badge, ...]]) -> tuple[list[Section], set[str]]:
    """The page's sections, and every anchor on the page."""
    blocks = ValueBlocks(targets, badges)
    keys = DataKeys(facts.schemas)
    titles = facts.markdown_titles.get(doc.path)
    changes = facts.changes.get(doc.path, {})
    uncommitted = facts.uncommitted.get(doc.path, set())
    sections = []
    headed = set()  # the sections GitHub shows as a heading over Markdown text
    blocks.anchors.update(FRAME_IDS)
    front = _front_facts(doc, facts)  # shown beside its id, not as sections
    shown = {name: value for name, value in doc.sections.items() if name not in front}
    anchors = [blocks.anchor(name) for name in shown]  # first: `DOC.html#SECTION` is the section's
    texts = {name: _markdown_text(doc, facts, name, value) for name, value in shown.items()}
    definitions = None
    if titles is not None:
        from gitspec.render.markdowndefs import DocumentDefinitions

        definitions = DocumentDefinitions({name: text for name, text in texts.items() if text is not None})
    for (name, value), anchor in zip(shown.items(), anchors, strict=True):
        data = keys.marked(doc.kind, name, value) if texts[name] is None else value  # free-form keys as written
        if titles is not None:
            from gitspec.render.markdowntree import markdown_blocks, page_anchors

            text = texts[name]
            content = (markdown_blocks(text, page_id=doc.id, taken=blocks.anchors, source=doc.path,
                                       images=facts.images.get(doc.path), definitions=definitions, section=name)
                       if text is not None else blocks.section(doc.kind, name, data))
            blocks.anchors.update(page_anchors(content))  # (in quotes too)
            title = _as_read(titles[name]) if name in titles else humanize(name)
            if text is not None and name in titles:
                headed.add(name)
        else:
            content, title = blocks.section(doc.kind, name, data), humanize(name)
        sections.append(Section(name, title, anchor, content, marks[name],
                                None if name in uncommitted else changes.get(name)))
    if not headed:
        return sections, blocks.anchors
    from gitspec.render.aliases import with_aliases
    from gitspec.render.markdowntree import page_anchors

    sections = with_aliases(sections, headed, frozenset(blocks.anchors))
    for section in sections:
        blocks.anchors.update(section.aliases)
        blocks.anchors.update(page_anchors(section.blocks))
    return sections, blocks.anchors


def _as_read(heading: str) -> str:
    """A Markdown heading as every format shows it: without its markup (code spans, emphasis, links)."""
    if not any(c in heading for c in "`*_~[]<>\\&!"):  # plain text: no need to parse it
        return heading
    from gitspec.render.markdowntree import heading_text

    return heading_text(heading)


def _section_badges(state: Any) -> tuple[Badge, ...]:
    if state is None:
        return ()
    if state.state == FRESH:
        return (Badge("generated", INFO),)
    if state.state == SECTION_STALE:
        if not state.changed_inputs:  # its stage changed, not its inputs
            return (Badge(f"stale: {state.reason}", WARN),)
        return (Badge(f"stale: {', '.join(state.changed_inputs)} changed", WARN),)
    if state.state == EDITED:
        if state.changed_inputs:  # `build` stops on it, as `status` says: "conflict: pin or --force it"
            return (Badge(f"conflict: hand-edited, {', '.join(state.changed_inputs)} changed", BAD),)
        return (Badge("hand-edited", WARN),)
    if state.state == PINNED:
        return (Badge("pinned", INFO),)
    if state.state == SECTION_MISSING:
        return (Badge("missing", BAD),)
    if state.state == ORPHANED:  # check fails it: no build can derive it again
        return (Badge(f"orphaned: {', '.join(state.changed_inputs)} gone", BAD),)
    if state.state == BROKEN:  # `build` stops on it, as `status` says: "conflict: mend or --force it"
        return (Badge("conflict: generated region cannot be read", BAD),)
    return ()


def _page_badges(header: dict, content: dict, marks: dict[str, tuple[Badge, ...]],
                 absent: tuple[str, ...] = ()) -> tuple[Badge, ...]:
    badges = []  # the status is Page.status, shown by renderers on its own
    approval = approval_state(header, content)
    if approval.state == APPROVED:
        badges.append(Badge(f"approved by {approval.by}" + (f" on {approval.date}" if approval.date else ""), OK))
    elif approval.state == STALE:
        badges.append(Badge("approval stale", BAD))
    elif approval.state == MISSING:
        badges.append(Badge("no approval recorded", WARN))
    labels = [b.label for section in marks.values() for b in section]
    stale = sum(label.startswith("stale") for label in labels)
    if stale:
        badges.append(Badge(f"{stale} stale", WARN))
    conflicts = sum(label.startswith("conflict") for label in labels)
    if conflicts:
        badges.append(Badge(count_of(conflicts, "conflict"), BAD))
    orphaned = sum(label.startswith("orphaned") for label in labels)
    if orphaned:
        badges.append(Badge(f"{orphaned} orphaned", BAD))
    for label, tone in (("hand-edited", WARN), ("pinned", INFO), ("missing", BAD), ("uncommitted", INFO)):
        if label in labels:
            badges.append(Badge(label, tone))
    if absent:
        badges.append(Badge(f"missing: {', '.join(humanize(name) for name in absent)}", BAD))
    if "generated" in labels:
        badges.append(Badge("generated", INFO))
    return tuple(badges)


def _kind_rank(kind: str) -> tuple[int, str]:
    return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), kind)


def _site_title(documents: list[SourceDocument]) -> str:
    product = next((d for d in documents if d.kind == "product"), None)
    if product is not None and isinstance(product.sections.get("name"), str):
        return f"{product.sections['name']} specification"
    return Label("Specification")
