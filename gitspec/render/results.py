"""What one renderer gives in a render: the files of each page that needs rendering, then of the site,
each with the key its manifest entry is recorded under, and checked (gitspec.render.sharedfiles).

Asks the renderer and reads the format's folder; never writes it (gitspec.render.run does).
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from gitspec.render.fallbacks import joined_mark, outdated, page_mark
from gitspec.render.model import Site
from gitspec.render.sharedfiles import SharedFiles
from gitspec.render.sitemodel import record_key

SITE = "\0site"  # manifest key of the files that span pages


@dataclass(frozen=True)
class Result:
    name: str  # a page's id, or SITE
    files: dict[str, bytes]
    key: str  # what the manifest entry records, to tell whether it needs rendering again
    mark: str | None  # the entry's fallback mark (gitspec.render.fallbacks)
    label: str  # what a warning calls it


def results(site: Site, renderer: Any, out: Any, manifest: dict, assets: Any, pages: set[str] | None, report: Any,
            emit: Callable[[dict], None] | None) -> Iterator[Result]:
    """The results of `renderer` for the pages of `site` (those of `pages`, None: all) whose manifest entry
    is not fresh, then for the site when its entry is not: one at a time, as it renders them. Reads only
    `manifest` as it was, so that every result can be had, and checked, before any of them is written."""
    nav = record_key(renderer.name, renderer.version, site.title, site.page_size, site.language,
                     [(p.id, p.kind, p.title) for p in site.pages])
    # What a page may show of the others: their titles and kinds (True), only links to them (False), or
    # nothing (None: a page shows itself alone, as a document's PDF does). Links need no more than the
    # page's key: it holds every id and section its values name and their targets (sitemodel._named),
    # and a target is only ever a page's, so a document added or removed changes the key of just the
    # pages that name it.
    shown = getattr(renderer, "page_navigation", True)
    page_nav = nav if shown else record_key(renderer.name, renderer.version, site.title, site.page_size,
                                            site.language)
    keys = {p.id: record_key(page_nav, p.key) for p in site.pages if pages is None or p.id in pages}
    stale = [p for p in site.pages if p.id in keys and not fresh(manifest.get(p.id), keys[p.id], out, assets)]
    report.reused += len(keys) - len(stale)
    start = time.perf_counter()
    missing = {page.id for page in stale}
    shared = SharedFiles(renderer, out.folder, manifest, set(keys) - missing, SITE)
    marks = {name: entry.get("fallback") for name, entry in manifest.items() if isinstance(entry, dict)}
    given: dict[str, bytes] = {}  # every file the pages give, to tell whether the site's files are as it left them
    for n, (page, files) in enumerate(_page_results(renderer, site, stale, assets)):
        if page.id not in missing:  # a plugin's is refused naming it (pluginrenderer): this is gitspec's own bug
            raise RuntimeError(f"renderer '{renderer.name}' pages_files gave files for {page.id!r}, which it "
                               "was not asked for or gave before")
        missing.discard(page.id)
        end = time.perf_counter()
        report.spans.append((f"render {renderer.name} {page.id}", start, end))
        if emit:
            emit({"event": "status", "stage": f"render:{renderer.name}", "message": page.id,
                  "progress": int(100 * (n + 1) / len(stale))})
        shared.check(page.id, files)
        marks[page.id] = page_mark(page, assets)
        _collect_refusals(renderer, page.id, report)
        given.update(files)
        yield Result(page.id, files, keys[page.id], marks[page.id], page.id)
        start = time.perf_counter()
    if missing:  # left unlisted in the manifest, so the next render asks for them again
        left = [page.id for page in stale if page.id in missing]
        report.warnings.append(f"renderer '{renderer.name}' gave no files for {', '.join(left)}: "
                               f"not rendered (its pages_files left {'it' if len(left) == 1 else 'them'} out)")
    rendered = {name for name in manifest if name != SITE} | {page.id for page in stale if page.id not in missing}
    shown_site = _with_pages_rendered(site, rendered)
    site_key = record_key(nav, site.commit, site.dirty, [(p.id, p.key, p.status, p.badges) for p in shown_site.pages])
    entry = manifest.get(SITE)
    if not fresh(entry, site_key, out, assets) or _rewritten(entry, given, out):
        files = _timed(report, f"render {renderer.name} site", renderer.site_files, shown_site, assets)
        shared.check(SITE, files)
        _collect_refusals(renderer, "the combined book", report)
        yield Result(SITE, files, site_key, joined_mark(marks.get(p.id) for p in site.pages),
                     "the files that span documents")


def fresh(entry: dict | None, key: str, out: Any, assets: Any) -> bool:
    """Whether an entry's files are as its render left them. A watch's render (`assets.live`) knows a
    volatile file by its size alone, as the watch rewrites it in place; any other render writes it again
    when it moved (a watch's token left in live.js), as it does any file edited by hand."""
    if not entry or entry.get("key") != key or outdated(entry, assets):
        return False
    live = getattr(assets, "live", False)
    for rel, known in entry["files"].items():
        try:
            st = os.stat(out.folder / rel)
        except OSError:
            return False
        if [st.st_size, st.st_mtime_ns] == known:  # a hand edit moves the mtime
            continue
        if not (live and rel in out.volatile and st.st_size == (known[0] if isinstance(known, list) else known)):
            return False
    return True


def _rewritten(entry: dict | None, given: dict[str, bytes], out: Any) -> bool:
    """Whether a page's file about to be written is one of the site's files (`entry`'s) with other bytes:
    once written, the site's files are no longer as their render left them."""
    for rel in set(given) & set(entry["files"] if entry else ()):
        try:
            if (out.folder / rel).read_bytes() != given[rel]:
                return True
        except OSError:
            return True
    return False


def _with_pages_rendered(site: Site, rendered: set[str]) -> Site:
    """`site` with only the pages this format has rendered, for the files that span pages (the index,
    the search index, the book): a render of some documents leaves a new one out of them until it is
    rendered, rather than link a page that does not exist."""
    pages = tuple(page for page in site.pages if page.id in rendered)
    return site if len(pages) == len(site.pages) else replace(site, pages=pages)


def _page_results(renderer: Any, site: Site, stale: list, assets: Any):
    """(page, files) for each stale page: in one batch when the renderer takes batches."""
    batch = getattr(renderer, "pages_files", None)
    if batch is not None and len(stale) > 1:
        yield from batch(site, stale, assets)
        return
    for page in stale:
        yield page, renderer.page_files(site, page, assets)


def _collect_refusals(renderer: Any, where: str, report: Any) -> None:
    refused = getattr(renderer, "refused", None)
    if refused:
        report.warnings.extend(f"refused to fetch {url} while rendering {where}" for url in refused)
        refused.clear()


def _timed(report: Any, name: str, function, *args):
    start = time.perf_counter()
    try:
        return function(*args)
    finally:
        report.spans.append((name, start, time.perf_counter()))
