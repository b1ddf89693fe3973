"""`gitspec cache stats|gc`: what the store holds, and dropping what no stamp, and no render, uses any more."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.herepaths import here
from gitspec.opening import loaded_documents, open_workspace
from gitspec.printable import one_line
from gitspec.streams import messages, results


def run(action: str) -> int:
    from gitspec.store import LOCK_TIMEOUT, GenerationCache, ObjectStore, build_lock

    from gitspec.render.diagramcache import DiagramCache

    workspace, index = open_workspace()
    objects = ObjectStore(workspace.store)
    cache = GenerationCache(workspace.store, objects)
    if action == "stats":
        with _reading(workspace, ""):
            count, size = objects.stats()
            entries = len(cache.keys())
            diagrams, diagram_size = DiagramCache(workspace.store / "diagrams").stats()
        results().write(f"objects: {count} ({size:,} bytes)\ncache entries: {entries}\n"
                         f"diagram images: {diagrams} ({diagram_size:,} bytes)\n"
                         f"parse index: {len(index.entries)} files\n")
        return 0
    if not workspace.store.is_dir():
        messages().write("gitspec: removed 0 cache entries and 0 objects; kept 0\n")
        return 0
    if not _is_gitspec_store(workspace):  # before the lock, which would make it look like one
        raise GitspecError(f"{workspace.store.name} is not a store gitspec made (no CACHEDIR.TAG of gitspec's, "
                           "or a symlink among objects, cache, renders and diagrams): cache gc deletes nothing there; "
                           "if it is only gitspec's cache, delete it", exit_code=EXIT_USAGE)
    with build_lock(workspace.store, LOCK_TIMEOUT):  # a build or render writing now keeps its files
        return _collect(workspace, index, objects, cache)


def _is_gitspec_store(workspace) -> bool:
    """store.is_gitspec_store, its tag unreadable an error that says so: deleting the store, as for one
    that is not gitspec's, is no advice for a store another user restored."""
    import os

    from gitspec.store import is_gitspec_store

    try:
        return is_gitspec_store(workspace.store)
    except PermissionError as error:
        name = os.path.relpath(error.filename, workspace.root) if error.filename else workspace.store.name
        raise GitspecError(f"cannot read {here(name)}: {error.strerror or error}; cache gc deletes nothing from a "
                           f"store it cannot tell is gitspec's: make {here(workspace.store.name)} readable and "
                           "writable by this user", exit_code=EXIT_USAGE) from None


@contextmanager
def _reading(workspace, consequence: str) -> Iterator[None]:
    """A part of the store that cannot be read is exit 2 naming it: counting it as empty would misreport
    it, and gc would delete the objects its entries still use."""
    import os

    try:
        yield
    except OSError as error:
        name = os.path.relpath(error.filename, workspace.root) if error.filename else workspace.store.name
        raise GitspecError(f"cannot read {here(name)}: {error.strerror or error}{consequence}; make it readable, "
                           "or delete the store", exit_code=EXIT_USAGE) from None


def _collect(workspace, index, objects, cache) -> int:
    """Drop what no stamp refers to, and what an older gitspec left in `renders/`."""
    from gitspec.checker import check

    used = _used_keys(workspace, index, check(workspace, index).findings)
    with _reading(workspace, " (cache gc deletes nothing while it cannot read all of the store)"):
        entries, stored = cache.keys(), list(objects.paths())
    removed_entries = removed_objects = 0
    keep_objects, failed = set(), []
    for key, digest in entries.items():
        if key in used:
            keep_objects.add(digest)
        elif _remove(cache.folder / key[:2] / key[2:], failed):
            removed_entries += 1
    for path in stored:  # an object whose unused entry stayed goes all the same: that entry is only a miss
        if path.parent.name + path.name not in keep_objects and _remove(path, failed):
            removed_objects += 1
    old_renders = _drop_old_render_files(workspace.store / "renders", failed)
    unshown = _drop_unshown_diagrams(workspace, failed)
    messages().write(f"gitspec: removed {removed_entries} cache entries and {removed_objects} objects; "
                      f"kept {len(keep_objects)}\n")
    if unshown:
        messages().write(f"gitspec: removed {unshown} diagram image(s) no render shows from "
                          f"{workspace.store.name}/diagrams\n")
    if old_renders:
        messages().write(f"gitspec: removed {old_renders} old file(s) from {workspace.store.name}/renders\n")
    if failed:  # as `rm -r` does: all it can, then exit 2 naming what stayed
        path, error = failed[0]
        more = f" (and {len(failed) - 1} more file(s))" if len(failed) > 1 else ""
        raise GitspecError(f"cannot remove {here(path.relative_to(workspace.root).as_posix())}: "
                           f"{error.strerror or error}{more}; the rest was removed: make the store writable and run "
                           "'gitspec cache gc' again, or delete the store", exit_code=EXIT_USAGE)
    return 0


def _remove(path, failed: list) -> bool:
    """Delete a file of the store: whether it was there and is gone. One that cannot be (a read-only or
    immutable folder) is added to `failed`, with why, and gc goes on."""
    try:
        path.unlink()
    except FileNotFoundError:  # removed meanwhile
        return False
    except OSError as error:
        failed.append((path, error))
        return False
    return True


def _used_keys(workspace, index, findings) -> set[str]:
    """The cache keys the documents' stamps name. A document file that could not be read (a save
    half-way through an edit, an id another file has) names its keys in its text all the same:
    every SHA-256 in hex there is kept, so that once the file is fixed its generations are still cached."""
    from gitspec.findings import ERROR

    used = set()
    documents = loaded_documents(index)
    for document in documents.values():
        stamps = document.header.get("generated")
        for stamp in (stamps.values() if isinstance(stamps, dict) else ()):
            if isinstance(stamp, dict) and isinstance(stamp.get("cache"), str):
                used.add(stamp["cache"])
    errors = {}
    for finding in findings:
        if finding.severity == ERROR:
            errors.setdefault(finding.path, finding)
    read = {document.path for document in documents.values()}
    for rel in index.content()[0]:
        if rel in read:
            continue
        try:
            used |= _hex_digests(workspace.root / rel)
        except OSError as error:
            raise GitspecError(f"cannot read it ({error.strerror or error}), and cache gc keeps what every "
                               "document's stamps name: make it readable, or move it away", path=rel) from None
        if rel in errors:
            messages().write(f"gitspec: note: {here(rel)} line {errors[rel].line}: {one_line(errors[rel].message)}; "
                             "kept every cache entry its text names\n")
    return used


def _hex_digests(path) -> set[str]:
    """Every SHA-256 in hex in the file, read a MiB at a time: it may be far over max_file_size."""
    import re

    hex_run = re.compile(rb"[0-9a-f]{64,}")  # a digest is a run of exactly 64; no lookaround: 2x faster
    not_hex = bytes(sorted(set(range(256)) - set(b"0123456789abcdef")))
    found, carried = set(), b""
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            text = carried + chunk
            if len(text.translate(None, not_hex)) >= 64:  # 10x faster than the regex over binary data
                # A digest cut at the end of the text is seen whole in the next one; a longer run of hex
                # cut there may be taken for a digest, which only keeps an entry gc could have dropped
                found.update(run.decode("ascii") for run in hex_run.findall(text) if len(run) == 64)
            carried = text[-64:]
    return found


def _drop_unshown_diagrams(workspace, failed: list) -> int:
    """Delete the stored diagram images no render manifest lists (gitspec.render.diagramuse): those of
    diagrams edited or deleted since. Nothing when a manifest an older gitspec wrote cannot tell."""
    from gitspec.render.diagramcache import DiagramCache
    from gitspec.render.diagramuse import shown_keys

    with _reading(workspace, " (cache gc deletes nothing while it cannot read all of the store)"):
        shown = shown_keys(workspace.store / "renders")
        stored = DiagramCache(workspace.store / "diagrams").files()
    if shown is None:
        return 0
    removed = 0
    for key, paths in stored.items():
        if key not in shown:
            removed += sum([_remove(path, failed) for path in paths]) > 0
    return removed


def _drop_old_render_files(folder, failed: list) -> int:
    """`renders/` holds one `<format>.json` manifest per renderer, and beside it the `<format>.pending`
    journal of a render killed before it saved the manifest: the files it names are gitspec's, and
    without it the next render would keep them as the user's. Anything else there is an older
    gitspec's cache (pages.pickle) or a temporary file a killed run left."""
    from gitspec.render.manifest import JOURNAL

    if not folder.is_dir():
        return 0
    old = [path for path in folder.iterdir() if path.is_file() and path.suffix not in (".json", JOURNAL)]
    return sum(_remove(path, failed) for path in old)
