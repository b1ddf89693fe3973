"""Rendering the workspace a build or `gitspec render` has open: facts → tree → renderers → files."""
from __future__ import annotations

from typing import Any, Callable

from gitspec.render.packageassets import PACKAGE_ASSETS
from gitspec.render.run import RenderReport


def render_workspace(context: Any, chosen: list[Any], pages: list[str] | None = None,
                     emit: Callable[[dict], None] | None = None, live: bool = False) -> RenderReport:
    """`context` is a gitspec.buildsession.BuildContext; `chosen` the renderers `check_formats` gave;
    `pages` are document ids (None: all); `live`: a watch is rendering."""
    from gitspec.render.facts import gather
    from gitspec.render.resources import RenderAssets
    from gitspec.render.run import render_site
    from gitspec.render.shown import located
    from gitspec.render.sitemodel import build_site

    workspace = context.workspace
    facts = gather(context)
    site = build_site(context.documents, facts)
    if pages:
        pages = [page_id(context, site, given) for given in pages]
    config = workspace.config
    assets = RenderAssets(workspace.root, PACKAGE_ASSETS, workspace.store / "diagrams",
                          config.mermaid_server or None, config.mermaid_timeout, workspace.root / config.output, live)
    if pages:  # the matrix too, when it changed: it must not say "verified" of a page that now says "stale"
        from gitspec.render.matrix import MATRIX_ID

        pages += [MATRIX_ID] if site.page(MATRIX_ID) is not None else []
    report = render_site(site, chosen, workspace.root, config.output, workspace.store, assets,
                         set(pages) if pages else None, emit)
    if not pages:  # as a deleted document's page goes only when every page is rendered
        from gitspec.render.droppedformats import remove_dropped

        remove_dropped(workspace.root, workspace.store, config.output, list(config.formats), [r.name for r in chosen], report,
                       lambda name: _volatile(context, name))
    rendered = (name.split(":", 1)[1] for name in report.rendered)  # "html:prd"
    report.warnings.extend(located(assets.warnings, assets.subjects, site, rendered))
    report.warnings.extend(left_out(context))
    report.warnings.extend(facts.notes)
    report.dirty = facts.dirty if facts.in_git and not facts.history_lost else None  # (lost: always "changed")
    report.documents_changed = bool(facts.changed)
    return report


def _volatile(context: Any, name: str) -> tuple[str, ...]:
    """The files the installed renderer of format `name` names volatile (none when not installed)."""
    from gitspec.render.formats import installed_renderers

    return tuple(getattr(installed_renderers(context.manager).get(name), "volatile", ()))


def page_id(context: Any, site: Any, given: str) -> str:
    """The id of the document `given` on the command line names: by its id, or by the path of its file
    (what a shell completes); anything else is a usage error, with the id it may have meant."""
    import os
    from pathlib import Path

    from gitspec.errors import EXIT_USAGE, GitspecError
    from gitspec.unicodenames import on_disk, stored
    from gitspec.workspace import DOCUMENT_SUFFIXES

    if site.page(given) is not None:
        return given
    root = context.workspace.root
    absolute = Path(os.path.abspath(given))
    absolute = on_disk(absolute) or absolute  # `données` typed composed is the folder macOS wrote decomposed
    path = Path(os.path.realpath(absolute.parent)) / absolute.name  # a symlinked document is where its link is
    by_path = {document.path: document.id for document in context.documents.values()}
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else None
    if rel is None and ("/" in given or os.sep in given or given.endswith(DOCUMENT_SUFFIXES)):
        from gitspec.workspace import outside

        raise outside(given, root)  # as check says it: no id has a '/', and no file there is the workspace's
    if rel in by_path:
        return by_path[rel]
    if stored(root, given) in by_path:  # a path from the workspace's top, typed in one of its folders
        return by_path[stored(root, given)]
    found = context.unreadable.get(given) or next(  # a file that could not be read, which may be it
        (problem for problem in context.unreadable.values() if problem.path == rel), None)
    from gitspec.printable import file_name

    if found:
        hint = f" ({file_name(found.path)} could not be read, line {found.line}: {found.message})"
    else:
        from gitspec.suggestions import closest

        as_path = rel is not None and ("/" in given or given.endswith(DOCUMENT_SUFFIXES))
        names = sorted(by_path) if as_path else [page.id for page in site.pages]
        wrong = rel if as_path else given
        near = next((name for name in names if name.lower() == wrong.lower()), None) or closest(wrong, names)
        if near and as_path:  # as the user would type it, from where they are
            near = os.path.relpath(root / near)
        hint = f" (did you mean '{near}'?)" if near else ""
        if as_path:
            raise GitspecError(f"no document file '{file_name(given)}'{hint}", exit_code=EXIT_USAGE)
    raise GitspecError(f"no document with id '{file_name(given)}'{hint}", exit_code=EXIT_USAGE)


def left_out(context: Any) -> list[str]:
    """One warning per document file the render leaves out (it cannot be read, or its id is taken), with
    the error that says why (gitspec.unreadable.reasons), so that its missing pages are explained."""
    from gitspec.printable import file_name
    from gitspec.unreadable import unreadable_files

    left = unreadable_files(context.checked.findings, context.index.content()[0],
                            lambda: {document.path for document in context.documents.values()})
    return [f"{file_name(path)} left out of the render: line {finding.line}: {finding.message}"
            for path, finding in left.items()]


def check_formats(context: Any, formats: list[str] | None = None) -> list[Any]:
    """Before anything runs or is written: every format asked for is installed. `formats` are those
    of `--format` (None: the config's, an unknown one reported at its line in gitspec.yaml).
    Returns their renderers, in that order, for `render_workspace`: asking the plugins once."""
    from gitspec.errors import EXIT_USAGE, GitspecError
    from gitspec.render.formats import installed_renderers, renderers, unknown_format

    offered = installed_renderers(context.manager)
    if formats is not None:
        unknown = [name for name in formats if name not in offered]
        if unknown:
            raise GitspecError(f"argument --format: {unknown_format(unknown[0], offered)}", exit_code=EXIT_USAGE)
    else:
        from gitspec.configinstalled import refuse_uninstalled_formats

        refuse_uninstalled_formats(context.workspace, offered)
    return renderers(offered, list(formats if formats is not None else context.workspace.config.formats))
