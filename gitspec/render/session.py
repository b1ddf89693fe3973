"""Rendering the workspace a build or `gitspec render` has open: facts → tree → renderers → files."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from gitspec.render.run import RenderReport

PACKAGE_ASSETS = Path(__file__).resolve().parent / "assets"


def render_workspace(context: Any, formats: list[str], pages: list[str] | None = None,
                     emit: Callable[[dict], None] | None = None) -> RenderReport:
    """`context` is a gitspec.buildsession.BuildContext; `pages` are document ids (None: all)."""
    from gitspec.render.facts import gather
    from gitspec.render.resources import RenderAssets
    from gitspec.render.run import render_site, renderers
    from gitspec.render.sitemodel import build_site

    workspace = context.workspace
    chosen = renderers(context.manager, formats)
    pages_file = workspace.store / "renders" / "pages.pickle"
    built = load_pages(pages_file)
    site = build_site(context.documents, gather(context), built=built)
    if {page.key for page in site.pages if page.source} != set(built):
        save_pages(pages_file, site)
    if pages:
        unknown = [p for p in pages if site.page(p) is None]
        if unknown:
            from gitspec.errors import EXIT_USAGE, GitspecError

            raise GitspecError(f"no document with id '{unknown[0]}'", exit_code=EXIT_USAGE)
    config = workspace.config
    assets = RenderAssets(workspace.root, PACKAGE_ASSETS, workspace.store / "diagrams",
                          config.mermaid_server or None, config.mermaid_timeout, workspace.root / config.output)
    report = render_site(site, chosen, workspace.root, config.output, workspace.store, assets,
                         set(pages) if pages else None, emit)
    report.warnings.extend(assets.warnings)
    return report


PAGES_FORMAT = b"gitspec-pages-1\n"


def load_pages(path: Path) -> dict:
    """Pages built by an earlier run, by key; anything unreadable counts as none (they are rebuilt)."""
    import pickle

    try:
        data = path.read_bytes()
        if data.startswith(PAGES_FORMAT):
            pages = pickle.loads(data[len(PAGES_FORMAT):])
            if isinstance(pages, dict):
                return pages
    except Exception:  # a damaged or foreign cache file: build the pages again
        pass
    return {}


def save_pages(path: Path, site) -> None:
    import pickle

    from gitspec.atomic import write_atomic

    pages = {page.key: page for page in site.pages if page.source}
    write_atomic(path, PAGES_FORMAT + pickle.dumps(pages, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
