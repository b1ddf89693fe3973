"""Rendering a site with each requested renderer, re-rendering only what changed.

The render cache is a manifest per format in `.gitspec/renders/`: the output folder it
describes and, for each page, the key it was rendered from and the files it wrote (each by
size and mtime). A page whose key and files are unchanged is skipped. Only files the manifest lists are ever
removed, and a file it does not list is never replaced while it holds anything else, unless it bears the
mark of gitspec's renderers (see ownmarks): so a cold cache, with no manifest for the folder, takes over
only the files gitspec wrote.
Nothing is written outside the workspace.
"""
from __future__ import annotations

import json
import os
import stat
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from gitspec.atomic import write_atomic
from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.render.diagramuse import joined_diagrams, note_diagrams
from gitspec.render.fallbacks import joined_mark, outdated, page_mark
from gitspec.render.manifest import FOLDER, JOURNAL, SITE, journalled, listed, load_manifest
from gitspec.render.model import Site
from gitspec.render.ownmarks import written_by_gitspec
from gitspec.render.sharedfiles import SharedFiles
from gitspec.render.sitemodel import record_key



@dataclass
class RenderReport:
    rendered: list[str] = field(default_factory=list)  # "format:page" re-rendered
    reused: int = 0
    written: list[str] = field(default_factory=list)  # output paths, relative to the workspace
    removed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # formats no longer asked for whose files were removed
    warnings: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # output paths, relative to the workspace, holding the user's files
    spans: list[tuple[str, float, float]] = field(default_factory=list)  # (name, start, end) for --trace
    dirty: bool | None = None  # the work tree's "uncommitted changes" as shown (None: outside git)
    documents_changed: bool = False  # whether a document's own changes say so, whatever else changes


@dataclass
class _Output:
    """One format's folder, and which files in it gitspec knows it wrote."""
    root: Path  # the workspace
    folder: Path
    owned: set[str]  # files the manifest lists (none: no manifest for this folder, a cold cache)
    volatile: frozenset[str] = frozenset()  # files a watch rewrites in place: known by size alone in its renders
    journal: Path | None = None  # where a new file is noted before it is written (None: a cold cache)

    def note(self, rel: str) -> None:
        """Note a file about to be written that the manifest does not list yet: if the render is
        killed before the manifest is saved, the next one still knows the file is gitspec's."""
        if self.journal is not None and rel not in self.owned:
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)  # never into a link's target
            with os.fdopen(os.open(self.journal, flags, 0o666), "a", encoding="utf-8") as journal:
                journal.write(rel + "\n")

    def takes(self, rel: str, target: Path) -> bool:
        """Whether gitspec may replace the file at `rel`: one the manifest lists, or one bearing the mark
        of gitspec's renderers (a render of some pages, or none, may have saved the manifest)."""
        return (rel in self.owned and not _special(target)) or written_by_gitspec(target, rel)

    @cached_property
    def _resolved(self) -> Path:
        return self.folder.resolve()

    def inside(self, rel: str) -> Path:
        """A renderer's relative path, refused if it would leave the format's folder."""
        try:
            target = (self.folder / rel).resolve()
        except (OSError, RuntimeError) as error:  # a symlink loop: RuntimeError before Python 3.13
            raise unwritable("write", self.folder / rel, self.root, error) from None
        if not target.is_relative_to(self._resolved):
            if ".." in PurePosixPath(rel).parts or PurePosixPath(rel).is_absolute():
                raise GitspecError(f"renderer wrote outside its folder: {rel}", exit_code=EXIT_USAGE)
            raise GitspecError(f"cannot write {told_path(self.folder / rel, self.root)}: a symlink leads it outside "
                               f"{told_path(self.folder, self.root)}, to {target}", exit_code=EXIT_USAGE)
        return self.folder / rel


def render_site(site: Site, chosen: list[Any], root: Path, output: str, store: Path, assets: Any,
                pages: set[str] | None = None, emit: Callable[[dict], None] | None = None) -> RenderReport:
    """Render `site` with each renderer into `root/output/<format>/`; `pages` limits which pages."""
    report = RenderReport()
    folders = [root / output / renderer.name for renderer in chosen]
    for folder in folders:  # before anything is written
        _refuse_outside(folder, root)
    for renderer, folder in zip(chosen, folders):
        _render_format(site, renderer, root, folder, store, assets, pages, report, emit)
    return report


def _refuse_outside(folder: Path, root: Path) -> None:
    """gitspec.yaml's `output` is a path inside the workspace, but a symlink on the way may lead elsewhere."""
    try:
        resolved = folder.resolve()
        inside = resolved.is_relative_to(root.resolve())
    except (OSError, RuntimeError) as error:  # a symlink loop: RuntimeError before Python 3.13
        raise unwritable("write", folder, root, error) from None
    if not inside:
        raise GitspecError(f"the output folder {told_path(folder, root)} leads outside the workspace, to {resolved} "
                           "(a symlink); gitspec writes only inside the workspace", exit_code=EXIT_USAGE)
    from gitspec.workspace import in_git_folder

    base = root.resolve()
    store = Path(os.path.realpath(root / ".gitspec"))
    if in_git_folder(resolved, base) or resolved.is_relative_to(store):  # as gitspec.yaml's names are refused
        raise GitspecError(f"the output folder {told_path(folder, root)} leads into "
                           f"{'git' if in_git_folder(resolved, base) else 'gitspec'}'s own folder, to "
                           f"{resolved.relative_to(base).as_posix()} (a symlink); choose another folder",
                           exit_code=EXIT_USAGE)


def _render_format(site, renderer, root, folder, store, assets, pages, report, emit) -> None:
    manifest_path = store / "renders" / f"{renderer.name}.json"
    manifest, as_read = load_manifest(manifest_path)
    described = folder.relative_to(root).as_posix()
    warm = manifest.get(FOLDER) == described
    if not warm:  # none, or one for another folder (whose files are left as they are)
        manifest = {FOLDER: described}
    journal = manifest_path.with_suffix(JOURNAL)  # files a render killed before saving had begun to write
    owned = listed(manifest) | journalled(journal) if warm else set()
    out = _Output(root, folder, owned, frozenset(getattr(renderer, "volatile", ())), journal if warm else None)
    completed = False
    try:
        _render_pages(site, renderer, out, manifest, assets, pages, report, emit)
        completed = True
    finally:  # after a failure too, so that what was written stays listed; a cold cache stays cold
        data = json.dumps(manifest, sort_keys=True, indent=1).encode()
        if (completed or warm) and data != as_read:  # a render that changed nothing writes nothing
            _save(manifest_path, data, root)
        if completed or warm:
            journal.unlink(missing_ok=True)


def _render_pages(site, renderer, out, manifest, assets, pages, report, emit) -> None:
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
    stale = [p for p in site.pages if p.id in keys and not _fresh(manifest.get(p.id), keys[p.id], out, assets)]
    report.reused += len(keys) - len(stale)
    start = time.perf_counter()
    missing = {page.id for page in stale}
    shared = SharedFiles(renderer, out.folder, manifest, set(keys) - missing, SITE)
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
        _write(files, keys[page.id], out, manifest, page.id, page.id, report)
        _mark(manifest[page.id], page_mark(page, assets))
        note_diagrams(manifest[page.id], [page], assets)
        report.rendered.append(f"{renderer.name}:{page.id}")
        _collect_refusals(renderer, page.id, report)
        start = time.perf_counter()
    if missing:  # left unlisted in the manifest, so the next render asks for them again
        left = [page.id for page in stale if page.id in missing]
        report.warnings.append(f"renderer '{renderer.name}' gave no files for {', '.join(left)}: "
                               f"not rendered (its pages_files left {'it' if len(left) == 1 else 'them'} out)")
    shown = _with_pages_rendered(site, manifest)
    site_key = record_key(nav, site.commit, site.dirty, [(p.id, p.key, p.status, p.badges) for p in shown.pages])
    if not _fresh(manifest.get(SITE), site_key, out, assets):
        files = _timed(report, f"render {renderer.name} site", renderer.site_files, shown, assets)
        shared.check(SITE, files)
        _write(files, site_key, out, manifest, SITE, "the files that span documents", report)
        _mark(manifest[SITE], joined_mark(manifest.get(p.id, {}).get("fallback") for p in site.pages))
        joined_diagrams(manifest[SITE], [manifest.get(p.id, {}) for p in shown.pages])
        report.rendered.append(f"{renderer.name}:site")
        _collect_refusals(renderer, "the combined book", report)
    if pages is None:
        kept = {SITE, FOLDER, *(p.id for p in site.pages)}  # a set: site.page(k) per entry was quadratic
        for gone in [k for k in manifest if k not in kept]:
            _remove(_unshared(manifest[gone]["files"], manifest, gone), out, report)
            del manifest[gone]


def _with_pages_rendered(site: Site, manifest: dict) -> Site:
    """`site` with only the pages this format has rendered, for the files that span pages (the index,
    the search index, the book): a render of some documents leaves a new one out of them until it is
    rendered, rather than link a page that does not exist."""
    from dataclasses import replace

    rendered = tuple(page for page in site.pages if page.id in manifest)
    return site if len(rendered) == len(site.pages) else replace(site, pages=rendered)


def _page_results(renderer: Any, site: Site, stale: list, assets: Any):
    """(page, files) for each stale page: in one batch when the renderer takes batches."""
    batch = getattr(renderer, "pages_files", None)
    if batch is not None and len(stale) > 1:
        yield from batch(site, stale, assets)
        return
    for page in stale:
        yield page, renderer.page_files(site, page, assets)


def _fresh(entry: dict | None, key: str, out: _Output, assets: Any) -> bool:
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


def _mark(entry: dict, fallback: str | None) -> None:
    """Note in a manifest entry that its files show a diagram as source (see gitspec.render.fallbacks)."""
    if fallback:
        entry["fallback"] = fallback


def _write(files: dict[str, bytes], key: str, out: _Output, manifest: dict, name: str, label: str,
           report: RenderReport) -> None:
    """Write the files of `name` (a page, or SITE) and list them in `manifest`. A file there that gitspec
    did not write is kept, and the entry gets no key, so that the next render tries again."""
    previous = manifest.get(name, {}).get("files", {})
    entry = manifest[name] = {"key": "", "files": dict(previous)}  # until every file is written
    written, kept = {}, []
    for rel, data in sorted(files.items()):
        target = out.inside(rel)
        try:  # only a regular file is read: a named pipe there would hang the render, holding the lock
            unchanged = target.is_file() and target.read_bytes() == data
        except OSError:
            unchanged = False
        if not unchanged:
            if _holds_a_file(target) and not out.takes(rel, target):
                kept.append(rel)
                continue
            try:
                out.note(rel)
                write_atomic(target, data, durable=False)
            except OSError as error:
                raise unwritable("write", target, out.root, error) from None
            report.written.append(shown_path(target, out.root))
        written[rel] = entry["files"][rel] = _stat_key(target, out)
        out.owned.add(rel)
    _remove(_unshared([rel for rel in previous if rel not in files], manifest, name), out, report)
    manifest[name] = {"key": "" if kept else key, "files": written}
    report.kept.extend(shown_path(out.folder / rel, out.root) for rel in kept)
    report.warnings.extend(f"kept {told_path(out.folder / rel, out.root)}, which gitspec did not write; "
                           f"move it away to render {label}" for rel in kept)


def _stat_key(target: Path, out: _Output) -> list[int]:
    """What a manifest knows a written file by: its size and mtime (a hand edit of the same size
    moves the mtime; see _fresh for a file something else rewrites in place)."""
    try:
        st = os.stat(target)
    except OSError as error:
        raise unwritable("write", target, out.root, error) from None
    return [st.st_size, st.st_mtime_ns]


def _unshared(rels, manifest: dict, name: str) -> list[str]:
    """Those of `name`'s files that no other entry lists: pages share a diagram's image file."""
    if not rels:  # as for nearly every page: no need to gather every page's files
        return []
    others = {rel for other, entry in manifest.items() if other not in (name, FOLDER) for rel in entry["files"]}
    return [rel for rel in rels if rel not in others]


def _holds_a_file(target: Path) -> bool:
    """Whether something other than a folder (a file, a symlink) is at `target`: a folder is never
    the user's page, and writing there fails with a clear error."""
    try:
        return not stat.S_ISDIR(os.lstat(target).st_mode)
    except OSError:
        return False


def _special(target: Path) -> bool:
    """Whether a named pipe, socket or device is at `target`: never a file gitspec wrote, whatever the
    manifest says, so never replaced."""
    try:
        mode = os.lstat(target).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode)


def _remove(rels, out: _Output, report: RenderReport) -> None:
    for rel in rels:
        target = out.inside(rel)
        try:
            target.unlink()
        except (FileNotFoundError, NotADirectoryError):  # gone already, or its folder is
            continue
        except OSError as error:
            raise unwritable("remove", target, out.root, error) from None
        report.removed.append(shown_path(target, out.root))


def unwritable(verb: str, path: Path, root: Path, error: OSError | RuntimeError) -> GitspecError:
    """An OS error writing or removing `path`, as one line naming it and the reason."""
    reason = getattr(error, "strerror", None) or str(error)
    for parent in path.parents:  # the usual cause: a file where a folder must be
        if parent == root or not parent.is_relative_to(root):
            break
        if os.path.lexists(parent) and not parent.is_dir():
            reason = f"{told_path(parent, root)} is not a folder"
            break
    return GitspecError(f"cannot {verb} {told_path(path, root)}: {reason}", exit_code=EXIT_USAGE)


def shown_path(path: Path, root: Path) -> str:
    """`path` as the report's lists hold it: relative to the workspace when inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def told_path(path: Path, root: Path) -> str:
    """`path` as a message names it: from the current folder when inside the workspace."""
    from gitspec.herepaths import here

    return here(shown_path(path, root))


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


def _save(path: Path, data: bytes, root: Path) -> None:
    try:
        write_atomic(path, data, durable=False)
    except OSError as error:
        raise unwritable("write", path, root, error) from None
