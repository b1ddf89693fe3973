"""Gathering what the render tree is built from: stamp states, git history, evidence verdicts, headings,
the digests of pictures.

The I/O edge of rendering: it reads git and Markdown files so that
`sitemodel.build_site` can stay pure. Without git, every git fact is empty.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gitspec.render.matrix import identified_items
from gitspec.render.model import Change
from gitspec.render.sitemodel import Facts

_HARD_BREAK = re.compile(r"\S {2,}\r?\n[ \t]*\S")  # two spaces ending a line of text before another line


def gather(context: Any) -> Facts:
    """`context` is a gitspec.buildsession.BuildContext (documents checked, pipeline planned)."""
    from gitspec.headfacts import open_remembered

    workspace, documents = context.workspace, context.documents
    history = open_remembered(workspace.root, workspace.store)
    try:
        git = _git_facts(workspace, documents, history)
    except _unreadable_repository() as error:  # every git fact in one place, as a damaged repository may fail any
        git = _without_history(documents, history, error)
    titles, images, written = _markdown_facts(workspace, documents, context.index.texts)
    return Facts(states=_states(context), markdown_titles=titles, images=images, written=written,
                 page_size=workspace.config.page_size, language=workspace.config.language,
                 schemas=_schemas(context), **git)


def _git_facts(workspace: Any, documents: Mapping, history: Any) -> dict[str, Any]:
    """The Facts fields that come from git (all empty outside git)."""
    changes: dict[str, dict] = {}
    uncommitted: dict[str, set[str]] = {}
    versions: dict[str, Change | None] = {}
    changed: set[str] = set()
    if history is not None and history.head:
        for doc in documents.values():
            versions[doc.path] = history.file_change(doc.path)
            # A document moved since HEAD (staged or not) is compared with HEAD's file where it was: its
            # sections keep their last changes (the index still says there are uncommitted changes: the move).
            at_head = doc.path if versions[doc.path] is not None else history.uncommitted_rename(doc.path) or doc.path
            changes[doc.path] = history.section_changes(at_head)
            committed = history.committed_hashes(at_head)
            uncommitted[doc.path] = {name for name in doc.sections
                                     if committed.get(name) != doc.section_hash(name)}
            if uncommitted[doc.path] or versions[doc.path] is None or _file_differs(history, doc):
                changed.add(doc.path)
    verdicts = _verdicts(documents, history)
    dirty = False
    if history is not None:
        # A changed or new document settles it without asking git for the whole tree's status.
        dirty = bool(changed) or history.dirty(_own_folders(workspace))
        history.save()
    return dict(changes=changes, uncommitted=uncommitted, versions=versions, changed=changed, verdicts=verdicts,
                commit=history.head if history is not None else "", dirty=dirty,
                notes=list(history.notes) if history is not None else [], in_git=history is not None)


def _unreadable_repository() -> tuple[type[Exception], ...]:
    """What libgit2 raises on a repository it cannot read: a missing or damaged tree or commit, a corrupt
    pack; and what gitblobs raises on a damaged loose tree of HEAD's, which libgit2 is not asked for. Called
    only once something was raised, so that a render answered from cache never imports pygit2."""
    import pygit2

    from gitspec.gitblobs import UnreadableObject

    return pygit2.GitError, OSError, UnreadableObject


def _without_history(documents: Mapping, history: Any, error: Exception) -> dict[str, Any]:
    """The git facts of a repository whose objects cannot be read: HEAD's commit, if known, counted as
    changed since (nothing can be compared with it), no last changes, and no evidence verified."""
    from gitspec.gitblobs import UnreadableObject

    reason = error.args[0] if error.args else error  # a NotFoundError, being a KeyError, would show quotes
    if isinstance(error, UnreadableObject):
        reason = f"{'missing' if error.missing else 'damaged'} git object {error.oid}"
    note = (f"git history left out: the repository cannot be read ({reason}); "
            "'git fsck' tells what is damaged")
    return dict(changes={}, uncommitted={}, versions={}, changed=set(),
                verdicts=_verdicts(documents, None, "the git history cannot be read"),
                commit=history.head, dirty=True, notes=[*history.notes, note], in_git=True,
                history_lost=True)


def _schemas(context: Any) -> dict[str, dict]:
    """The schema of each kind the documents have (which keys are field names, which are data)."""
    from gitspec.schemas import read_schema

    kinds = context.engine().kinds
    return {kind: read_schema(kinds[kind].schema)
            for kind in sorted({doc.kind for doc in context.documents.values()}) if kind in kinds}


def _file_differs(history: Any, doc: Any) -> bool:
    """Whether a document none of whose sections changed still differs from HEAD's file (its header,
    a removed section, a comment). The file's hash, known from the parse index, clears an unchanged
    file without asking git; git confirms a difference, as only it applies line-ending filters."""
    sha = getattr(doc, "sha", "")
    if sha and sha == history.committed_digest(doc.path):
        return False
    return history.file_differs(doc.path)


def tree_dirty(workspace: Any) -> bool | None:
    """Whether git sees changes in the work tree but for gitspec's own folders (None: outside git),
    as the site's "uncommitted changes" says when no document itself has changed."""
    from gitspec.headfacts import open_remembered

    history = open_remembered(workspace.root, workspace.store)
    return None if history is None else history.dirty(_own_folders(workspace))


def _own_folders(workspace: Any) -> tuple[str, ...]:
    """What gitspec writes itself (the rendered output and the store): not a change to the spec."""
    folders = []
    for folder in (workspace.root / workspace.config.output, workspace.store):
        try:
            folders.append(folder.resolve().relative_to(workspace.root.resolve()).as_posix().rstrip("/") + "/")
        except ValueError:  # outside the workspace
            continue
    return tuple(folders)


def _states(context: Any) -> dict[str, Any]:
    from gitspec.planning import Planner

    planner = Planner(context.documents, context.pipeline, context.options)
    return {planned.address: planned.state for planned in planner.plan_all()}


def _verdicts(documents: Mapping, history: Any, unread: str = "") -> dict[tuple[str, str], Any]:
    """Each requirement's verdict by (document id, requirement id): an id two documents define (which
    the check reports) is judged in each against that document's own item. Outside git, before the
    first commit, or when `unread` says why the history cannot be read, no evidence can be verified (stale)."""
    from gitspec.verdicts import decide_verdicts

    evidence = [dict(doc.sections, id=doc.id) for doc in documents.values() if doc.kind == "evidence"]
    verdicts: dict[tuple[str, str], Any] = {}
    for doc in documents.values():
        current = _CurrentItems({item["id"]: (doc.path, item) for item in identified_items(doc)}) \
            if doc.kind == "requirements" else {}
        if not current:
            continue
        if history is None or not history.head:
            without = unread or ("the workspace is outside git" if history is None
                                 else "the repository has no commits yet")
            judged = decide_verdicts(list(current), evidence, lambda commit: False, lambda req, commit: True, without)
        else:
            from gitspec.requirementhistory import changed_since_checker

            judged = decide_verdicts(list(current), evidence, history.is_ancestor,
                                     changed_since_checker(history, current))
        verdicts.update(((doc.id, req), verdict) for req, verdict in judged.items())
    return verdicts


class _CurrentItems(Mapping):
    """Requirement id -> (document path, hash of the item's text), hashing an item only when asked:
    only requirements that some evidence names are ever compared with history."""

    def __init__(self, items: dict[str, tuple[str, Any]]) -> None:
        self._items = items

    def __getitem__(self, req: str) -> tuple[str, str]:
        from gitspec.requirementhistory import text_hash

        path, item = self._items[req]
        return path, text_hash(item)

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


def _markdown_facts(workspace: Any, documents: dict, texts: dict[str, bytes]) -> tuple[dict[str, dict[str, str]], ...]:
    """Per Markdown document: its section headings, the digest of each workspace picture it shows,
    and the text as written of each section that ends a line with a hard break (two spaces); all
    from the text the check parsed (`texts`: what it read this run), so that they match its sections."""
    from gitspec.markdown import section_titles, split_markdown
    from gitspec.render.localimages import file_digest, image_path, image_sources

    titles, images, written = {}, {}, {}
    for doc in documents.values():
        if doc.path.endswith(".md"):
            text = _checked_text(workspace.root, doc, texts)
            if text is None:  # changed or gone since the check: its sections are all that is left to render
                titles[doc.path] = {}
                sources = [src for body in doc.sections.values() if isinstance(body, str)
                           for src in image_sources(body)]
            else:
                titles[doc.path] = section_titles(text)
                if _HARD_BREAK.search(text):
                    sections = split_markdown(text, as_written=True).sections
                    written[doc.path] = {name: body for name, body in sections.items()
                                         if body != doc.sections.get(name)}
                sources = image_sources(text)
            paths = {path for src in sources if (path := image_path(doc.path, src))}
            if paths:
                images[doc.path] = {path: file_digest(workspace.root, path) for path in sorted(paths)}
    return titles, images, written


def _checked_text(root: Any, doc: Any, texts: dict[str, bytes]) -> str | None:
    """`doc`'s text as the check parsed it: the bytes it read this run, else the file as it is now,
    which an unchanged file the check did not read holds still; None when the file has changed or
    gone since (moved, deleted or saved during the render: a watch renders again)."""
    import hashlib

    sha = getattr(doc, "sha", "")  # of the bytes parsed
    data = texts.get(doc.path)
    if data is None or sha and hashlib.sha256(data).hexdigest() != sha:
        try:
            data = (root / doc.path).read_bytes()
        except OSError:
            return None
        if sha and hashlib.sha256(data).hexdigest() != sha:
            return None
    # A BOM is no part of the text (as the document's own reading has it): before the
    # front matter's '---' it would make the text no Markdown document. Lines end as a text file's read.
    return data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
