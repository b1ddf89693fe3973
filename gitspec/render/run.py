"""Rendering a site with each requested renderer, re-rendering only what changed.

The render cache is a manifest per format in `.gitspec/renders/`: for each page,
the key it was rendered from and the files it wrote. A page whose key and files
are unchanged is skipped. Only files the manifest lists are ever removed.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from gitspec.atomic import write_atomic
from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.render.model import Site
from gitspec.render.sitemodel import record_key

SITE = "\0site"  # manifest key of the files that span pages


@dataclass
class RenderReport:
    rendered: list[str] = field(default_factory=list)  # "format:page" re-rendered
    reused: int = 0
    written: list[str] = field(default_factory=list)  # output paths, relative to the workspace
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    spans: list[tuple[str, float, float]] = field(default_factory=list)  # (name, start, end) for --trace


def renderers(manager: Any, wanted: list[str]) -> list[Any]:
    """The renderers for `wanted` formats, in that order; an unknown format is a usage error."""
    offered: dict[str, Any] = {}
    for plugin_renderers in manager.hook.gitspec_renderers():
        for renderer in plugin_renderers or ():
            if renderer.name in offered:
                raise GitspecError(f"two renderers for format '{renderer.name}'", exit_code=EXIT_USAGE)
            offered[renderer.name] = renderer
    unknown = [name for name in wanted if name not in offered]
    if unknown:
        raise GitspecError(f"unknown format '{unknown[0]}' (installed: {', '.join(sorted(offered))})",
                           exit_code=EXIT_USAGE)
    return [offered[name] for name in wanted]


def render_site(site: Site, chosen: list[Any], root: Path, output: str, store: Path, assets: Any,
                pages: set[str] | None = None, emit: Callable[[dict], None] | None = None) -> RenderReport:
    """Render `site` with each renderer into `root/output/<format>/`; `pages` limits which pages."""
    report = RenderReport()
    for renderer in chosen:
        _render_format(site, renderer, root, root / output / renderer.name, store, assets, pages, report, emit)
    return report


def _render_format(site, renderer, root, folder, store, assets, pages, report, emit) -> None:
    manifest_path = store / "renders" / f"{renderer.name}.json"
    manifest, as_read = _load(manifest_path)
    nav = record_key(renderer.name, renderer.version, site.title, site.page_size,
                     [(p.id, p.kind, p.title) for p in site.pages])
    # what a page may show of the others: their titles and kinds, or (built-in renderers) only their ids
    page_nav = nav if getattr(renderer, "page_navigation", True) else record_key(
        renderer.name, renderer.version, site.title, site.page_size, [p.id for p in site.pages])
    keys = {p.id: record_key(page_nav, p.key) for p in site.pages if pages is None or p.id in pages}
    stale = [p for p in site.pages if p.id in keys and not _fresh(manifest.get(p.id), keys[p.id], folder)]
    report.reused += len(keys) - len(stale)
    start = time.perf_counter()
    for n, (page, files) in enumerate(_page_results(renderer, site, stale, assets)):
        end = time.perf_counter()
        report.spans.append((f"render {renderer.name} {page.id}", start, end))
        if emit:
            emit({"event": "status", "stage": f"render:{renderer.name}", "message": page.id,
                  "progress": int(100 * (n + 1) / len(stale))})
        manifest[page.id] = _write(files, keys[page.id], folder, root, manifest.get(page.id), report)
        report.rendered.append(f"{renderer.name}:{page.id}")
        _collect_refusals(renderer, page.id, report)
        start = time.perf_counter()
    site_key = record_key(nav, site.commit, site.dirty, [(p.id, p.key, p.status, p.badges) for p in site.pages])
    if not _fresh(manifest.get(SITE), site_key, folder):
        files = _timed(report, f"render {renderer.name} site", renderer.site_files, site, assets)
        manifest[SITE] = _write(files, site_key, folder, root, manifest.get(SITE), report)
        report.rendered.append(f"{renderer.name}:site")
        _collect_refusals(renderer, "the combined book", report)
    if pages is None:
        for gone in [k for k in manifest if k != SITE and site.page(k) is None]:
            _remove(manifest.pop(gone), folder, root, report)
    data = json.dumps(manifest, sort_keys=True, indent=1).encode()
    if data != as_read:  # a render that changed nothing writes nothing
        write_atomic(manifest_path, data, durable=False)


def _page_results(renderer: Any, site: Site, stale: list, assets: Any):
    """(page, files) for each stale page: in one batch when the renderer takes batches."""
    batch = getattr(renderer, "pages_files", None)
    if batch is not None and len(stale) > 1:
        yield from batch(site, stale, assets)
        return
    for page in stale:
        yield page, renderer.page_files(site, page, assets)


def _fresh(entry: dict | None, key: str, folder: Path) -> bool:
    if not entry or entry.get("key") != key:
        return False
    for rel, size in entry["files"].items():
        try:
            if os.stat(folder / rel).st_size != size:
                return False
        except OSError:
            return False
    return True


def _write(files: dict[str, bytes], key: str, folder: Path, root: Path, previous: dict | None,
           report: RenderReport) -> dict:
    written = {}
    for rel, data in sorted(files.items()):
        target = _inside(folder, rel)
        try:
            unchanged = target.read_bytes() == data
        except OSError:
            unchanged = False
        if not unchanged:
            write_atomic(target, data, durable=False)
            report.written.append(str(target.relative_to(root)))
        written[rel] = len(data)
    for rel in (previous or {}).get("files", {}):
        if rel not in written:
            _remove({"files": {rel: 0}}, folder, root, report)
    return {"key": key, "files": written}


def _remove(entry: dict, folder: Path, root: Path, report: RenderReport) -> None:
    for rel in entry.get("files", {}):
        target = _inside(folder, rel)
        try:
            target.unlink()
            report.removed.append(str(target.relative_to(root)))
        except FileNotFoundError:
            pass


def _inside(folder: Path, rel: str) -> Path:
    """A renderer's relative path, refused if it would leave the format's folder."""
    target = (folder / rel).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise GitspecError(f"renderer wrote outside its folder: {rel}", exit_code=EXIT_USAGE)
    return folder / rel


def _collect_refusals(renderer: Any, where: str, report: RenderReport) -> None:
    refused = getattr(renderer, "refused", None)
    if refused:
        report.warnings.extend(f"refused to fetch {url} while rendering {where}" for url in refused)
        refused.clear()


def _timed(report: RenderReport, name: str, function, *args):
    start = time.perf_counter()
    try:
        return function(*args)
    finally:
        report.spans.append((name, start, time.perf_counter()))


def _load(path: Path) -> tuple[dict, bytes]:
    """The manifest, and the bytes it was read from (b"" when missing)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}, b""
    try:
        data = json.loads(raw)
    except ValueError:
        return {}, raw
    return (data, raw) if isinstance(data, dict) else ({}, raw)
