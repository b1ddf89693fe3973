"""`gitspec cache stats|gc` and the store under them, as a user meets them, with the test pipeline of
test_build: source#text --upper--> derived#shout, derived#length --echo--> echoed#echo ; source#text --sleepy--> slow#value
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CONFIG, run_gitspec, without_read_all

SOURCE = "kind: notes\nid: source\ntitle: Source\ntext: hello\n"


@pytest.fixture
def ws(repo, stage_plugin, tmp_path):
    calls = tmp_path / "calls.log"
    config = (f"specs: [specs]\nformats: []\nplugins:\n  upper: {{calls: {calls}}}\n  echo: {{calls: {calls}}}\n"
              f"  sleepy: {{calls: {calls}}}\n")
    root = repo({"specs/source.yaml": SOURCE}, config=config)
    return root, stage_plugin, calls


def _calls(log) -> list[str]:
    return log.read_text().split() if log.exists() else []


def test_damaged_cache_entries_are_discarded_and_regenerated(ws):
    root, env, calls = ws
    assert run_gitspec(root, "build", env=env).code == 0
    derived = (root / "specs" / "derived.yaml").read_text()
    for path in (root / ".gitspec" / "cache").glob("??/*"):
        path.write_bytes(b"\xff")
    stats = run_gitspec(root, "cache", "stats", env=env)
    assert stats.code == 0 and "cache entries: 0\n" in stats.out, stats
    (root / "specs" / "derived.yaml").unlink()
    build = run_gitspec(root, "build", env=env)
    assert build.code == 0 and "internal error" not in build.err, build
    assert _calls(calls).count("upper") == 2  # generated again, not read from the damaged entry
    assert (root / "specs" / "derived.yaml").read_text() == derived
    assert "cache entries: 1\n" in run_gitspec(root, "cache", "stats", env=env).out  # upper's, stored anew
    for path in (root / ".gitspec" / "cache").glob("??/*"):
        path.write_bytes(b"\xff")
    gc = run_gitspec(root, "cache", "gc", env=env)
    assert gc.code == 0 and "removed 0 cache entries" in gc.err, gc


def test_gc_passes_over_a_folder_it_finds_among_the_objects(ws):
    root, env, calls = ws
    assert run_gitspec(root, "build", env=env).code == 0
    stray = root / ".gitspec" / "objects" / "zz" / "leftover"
    stray.mkdir(parents=True)
    gc = run_gitspec(root, "cache", "gc", env=env)
    assert gc.code == 0 and "removed 0 cache entries and 0 objects; kept 3" in gc.err, gc
    assert stray.is_dir()
    stats = run_gitspec(root, "cache", "stats", env=env)
    assert stats.code == 0 and "objects: 3 " in stats.out, stats


def test_gc_keeps_the_journal_of_a_killed_render_so_the_next_render_still_owns_its_files(repo):
    root = repo({}, CONFIG.replace("formats: []", "formats: [html]"))
    assert run_gitspec(root, "new", "prd", "notes").code == 0
    assert run_gitspec(root, "render").code == 0  # warm: the manifest lists its files
    assert run_gitspec(root, "new", "prd", "extra").code == 0
    # as a render killed while writing extra.html leaves things: the file noted in the journal, no manifest entry
    (root / ".gitspec" / "renders" / "html.pending").write_text("extra.html\n")
    (root / "build" / "html" / "extra.html").write_text("<p>half a page")
    gc = run_gitspec(root, "cache", "gc")
    assert gc.code == 0 and "old file" not in gc.err, gc
    render = run_gitspec(root, "render")
    assert render.code == 0 and "kept" not in render.err, render
    assert "<p>half a page" not in (root / "build" / "html" / "extra.html").read_text()
    assert not list((root / ".gitspec" / "renders").glob("*.pending"))


def built_twice(root: Path, env: dict) -> tuple[Path, str]:
    """Build, change the source and build again, leaving the first build's three cache entries
    unused; the derived document and its text."""
    assert run_gitspec(root, "build", env=env).code == 0
    (root / "specs" / "source.yaml").write_text(SOURCE.replace("hello", "second"))
    assert run_gitspec(root, "build", env=env).code == 0
    derived = root / "specs" / "derived.yaml"
    return derived, derived.read_text()


def test_gc_keeps_what_a_document_it_cannot_read_names(ws):
    root, env, calls = ws
    derived, good = built_twice(root, env)
    derived.write_text(good + "  oops: [\n")  # saved half-way through an edit
    gc = run_gitspec(root, "cache", "gc", env=env)
    assert gc.code == 0 and "removed 3 cache entries" in gc.err, gc
    assert gc.err.startswith("gitspec: note: specs/derived.yaml line "), gc
    assert "kept every cache entry its text names\ngitspec: removed" in gc.err, gc
    derived.write_text(good)
    (root / "specs" / "derived.yaml").unlink()
    assert run_gitspec(root, "build", env=env).code == 0
    assert _calls(calls).count("upper") == 2  # its generation came back from the cache, no third call
    assert (root / "specs" / "derived.yaml").read_text() == good


@pytest.mark.skipif(not shutil.which("prlimit"), reason="needs prlimit to cap gitspec's memory")
def test_gc_reads_a_document_far_over_max_file_size_a_piece_at_a_time(ws):
    # Before, gc read such a file whole: one bigger than the memory it may use stopped it (exit 3).
    root, env, calls = ws
    derived, good = built_twice(root, env)
    key = re.search(r"cache: ([0-9a-f]{64})\n", good)
    assert key and good.count(key[1]) == 2, good  # shout's and length's stamps share the generation
    cut = key.start(1) + 32  # the key, named once, cut in two by the first MiB's end
    derived.write_text("#" * ((1 << 20) - cut - 1) + "\n" + good[:key.end()])
    with open(derived, "r+b") as file:
        file.truncate(640 << 20)  # sparse: no disk used
    gc = run_gitspec(root, "cache", "gc", env=env, prefix=("prlimit", f"--as={512 << 20}"))
    assert gc.code == 0 and "removed 3 cache entries" in gc.err, gc
    assert gc.err.startswith("gitspec: note: specs/derived.yaml line 1: file is 671,088,640 bytes"), gc
    derived.unlink()
    assert run_gitspec(root, "build", env=env).code == 0
    assert _calls(calls).count("upper") == 2  # its generation came back from the cache, no third call
    assert derived.read_text() == good


@pytest.mark.parametrize("layout", ["no tag", "objects linked"])
def test_gc_deletes_nothing_from_a_store_gitspec_did_not_make(ws, tmp_path, layout):
    root, env, _ = ws
    assert run_gitspec(root, "build", env=env).code == 0  # the store, as gitspec makes it
    theirs = tmp_path / "theirs"
    (theirs / "ab").mkdir(parents=True)
    (theirs / "ab" / "cdef").write_text("not gitspec's\n")
    if layout == "no tag":
        (root / ".gitspec" / "CACHEDIR.TAG").unlink()
        shutil.copytree(theirs, root / ".gitspec" / "objects", dirs_exist_ok=True)
        kept = root / ".gitspec" / "objects" / "ab" / "cdef"
    else:
        shutil.rmtree(root / ".gitspec" / "objects", ignore_errors=True)
        (root / ".gitspec" / "objects").symlink_to(theirs)
        kept = theirs / "ab" / "cdef"
    result = run_gitspec(root, "cache", "gc", env=env)
    assert result.code == 2 and result.err == (
        "gitspec: error: .gitspec is not a store gitspec made (no CACHEDIR.TAG of gitspec's, or a symlink among "
        "objects, cache, renders and diagrams): cache gc deletes nothing there; if it is only gitspec's cache, "
        "delete it\n"
        if layout == "no tag" else  # refused as every command refuses a symlink in the store
        f"gitspec: error: .gitspec/objects is a symlink to {theirs}; remove it (gitspec follows no link inside "
        "its store)\n"), result
    assert kept.read_text() == "not gitspec's\n"


def _objects(stats: str) -> tuple[int, int]:
    """The count and size `cache stats` gives for the objects."""
    count, size = re.search(r"^objects: (\d+) \(([\d,]+) bytes\)$", stats, re.M).groups()
    return int(count), int(size.replace(",", ""))


def test_stats_counts_a_symlink_among_the_objects_as_the_link_and_gc_removes_only_the_link(ws, tmp_path):
    # Before, stats followed the link: a link to a 1 GiB file made the store look 1 GiB bigger.
    root, env, _ = ws
    assert run_gitspec(root, "build", env=env).code == 0
    count, size = _objects(run_gitspec(root, "cache", "stats", env=env).out)
    big = tmp_path / "big"
    with open(big, "wb") as file:
        file.truncate(1 << 30)  # sparse: no disk used
    shard = root / ".gitspec" / "objects" / "ff"
    shard.mkdir(exist_ok=True)
    (shard / ("f" * 62)).symlink_to(big)
    (shard / ("e" * 62)).symlink_to(tmp_path)
    stats = run_gitspec(root, "cache", "stats", env=env)
    links = (shard / ("f" * 62)).lstat().st_size + (shard / ("e" * 62)).lstat().st_size
    assert stats.code == 0 and _objects(stats.out) == (count + 2, size + links), stats
    gc = run_gitspec(root, "cache", "gc", env=env)
    assert gc.code == 0 and "removed 0 cache entries and 2 objects; kept 3" in gc.err, gc
    assert not any(os.path.lexists(shard / name) for name in ("f" * 62, "e" * 62))
    assert big.stat().st_size == 1 << 30 and tmp_path.is_dir()  # what they led to is left alone
    assert _objects(run_gitspec(root, "cache", "stats", env=env).out) == (count, size)


def test_the_diagram_images_stats_counts_a_symlink_as_the_link(tmp_path):
    # Every command refuses a link among the diagrams (gitspec.workspace); the count must not follow one either.
    from gitspec.render.diagramcache import DiagramCache

    big = tmp_path / "big"
    with open(big, "wb") as file:
        file.truncate(1 << 30)
    (tmp_path / "diagrams").mkdir()
    link = tmp_path / "diagrams" / f"{'a' * 64}.svg"
    link.symlink_to(big)
    assert DiagramCache(tmp_path / "diagrams").stats() == (1, link.lstat().st_size)


def test_the_store_keeps_a_readme_it_did_not_write(tmp_path):
    from gitspec.store import ensure_store

    (tmp_path / "README").write_text("# Mine\n")
    ensure_store(tmp_path)
    assert (tmp_path / "README").read_text() == "# Mine\n" and (tmp_path / "CACHEDIR.TAG").is_file()


@pytest.mark.parametrize("unreadable", [".gitspec/cache", "an entry"])
def test_gc_deletes_nothing_while_it_cannot_read_the_cache(ws, unreadable):
    # Before, an unreadable .gitspec/cache looked empty: gc deleted every object its entries used (exit 0).
    root, env, calls = ws
    assert run_gitspec(root, "build", env=env).code == 0
    target = root / unreadable if unreadable != "an entry" else sorted((root / ".gitspec" / "cache").glob("??/*"))[0]
    objects = sorted(p.name for p in (root / ".gitspec" / "objects").glob("??/*"))
    target.chmod(0)
    try:
        stats = run_gitspec(root, "cache", "stats", env=env, prefix=without_read_all())
        gc = run_gitspec(root, "cache", "gc", env=env, prefix=without_read_all())
    finally:
        target.chmod(0o755)
    name = target.relative_to(root).as_posix()
    assert stats.code == 2 and stats.err == f"gitspec: error: cannot read {name}: Permission denied; make it " \
        "readable, or delete the store\n", stats
    assert gc.code == 2 and gc.err == f"gitspec: error: cannot read {name}: Permission denied (cache gc deletes " \
        "nothing while it cannot read all of the store); make it readable, or delete the store\n", gc
    assert sorted(p.name for p in (root / ".gitspec" / "objects").glob("??/*")) == objects
    assert "cache entries: 3\n" in run_gitspec(root, "cache", "stats", env=env).out


@pytest.mark.parametrize("damage", ["a file where objects/ goes", "a file where cache/ goes", "read-only objects/"])
def test_a_store_build_cannot_write_costs_only_the_cache(ws, damage):
    # Before, the NotADirectoryError or PermissionError of the store's put stopped the build (exit 3).
    root, env, calls = ws
    store = root / ".gitspec"
    assert run_gitspec(root, "check", env=env).code == 0  # makes the store
    folder = store / ("cache" if "cache" in damage else "objects")
    if damage.startswith("a file"):
        folder.write_text("")
    else:
        folder.mkdir(mode=0o555)
    build = run_gitspec(root, "build", env=env, prefix=without_read_all())
    assert build.code == 0 and (root / "specs" / "echoed.yaml").is_file(), build
    reason = "Not a directory" if damage.startswith("a file") else "Permission denied"
    assert build.err.count("note") == 1 and build.err.startswith(
        f"gitspec: note: cannot write {folder}: {reason}; generated sections are not cached, so the next build "
        "generates them again\n"), build
    folder.unlink() if folder.is_file() else folder.chmod(0o755)
    (root / "specs" / "derived.yaml").unlink()
    again = run_gitspec(root, "build", env=env)
    assert again.code == 0 and "note" not in again.err, again
    assert _calls(calls).count("upper") == 2  # the first build's output was not cached
    assert "cache entries: 1\n" in run_gitspec(root, "cache", "stats", env=env).out  # upper's, cached now


def test_gc_removes_what_it_can_and_names_what_it_cannot(ws):
    # Before, the PermissionError of the first entry it could not delete was an internal error (exit 3).
    root, env, _ = ws
    assert run_gitspec(root, "build", env=env).code == 0
    source = root / "specs" / "source.yaml"
    source.write_text(SOURCE.replace("hello", "hello again"))
    assert run_gitspec(root, "build", env=env).code == 0  # the first build's entries are unused now
    store = root / ".gitspec"
    old = sorted(path for path in (store / "cache").glob("??/*"))
    shards = sorted({path.parent for path in old})
    if subprocess.run(["chattr", "+i", *map(str, shards)], capture_output=True).returncode != 0:
        pytest.skip("needs chattr +i (root, on a file system that has it) to make a folder undeletable from")
    try:
        gc = run_gitspec(root, "cache", "gc", env=env)
    finally:
        subprocess.run(["chattr", "-i", *map(str, shards)], check=True)
    unremoved = set((store / "cache").glob("??/*"))  # the 3 entries in use, and the 3 unused it could not remove
    again = run_gitspec(root, "cache", "gc", env=env)
    assert again.code == 0 and again.err == "gitspec: removed 3 cache entries and 0 objects; kept 3\n", again
    first = min(unremoved - set((store / "cache").glob("??/*"))).relative_to(root).as_posix()
    assert gc.code == 2 and gc.out == "" and gc.err == (
        "gitspec: removed 0 cache entries and 3 objects; kept 3\n"
        f"gitspec: error: cannot remove {first}: Operation not permitted (and 2 more file(s)); the rest was "
        "removed: make the store writable and run 'gitspec cache gc' again, or delete the store\n"), gc


def diagram_page(edge: str) -> str:
    return ("---\nkind: prd\nid: flows\ntitle: Flows\n---\n\n# Flows\n\n## Problem\n\n"
            f"```mermaid\nflowchart LR\n  {edge}\n```\n" + "".join(
                f"\n## {name}\n\nNone.\n" for name in
                ("Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions")))


@pytest.fixture
def drawn_three_times(repo, tmp_path):
    """A page whose one diagram was edited twice, rendered to HTML and Word each time by a stand-in
    mmdc: the store holds three drawings of it. The workspace, its environment and the mmdc call log."""
    from test_mermaid import MODAL_MMDC, NO_MMDC, fake_mmdc

    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    fake_mmdc(bin_folder, MODAL_MMDC)
    (tmp_path / "mode").write_text("draw")
    env = {"PATH": f"{bin_folder}:{NO_MMDC['PATH']}", "MMDC_MODE": str(tmp_path / "mode")}
    root = repo({"specs/flows.md": diagram_page("A --> B")}, CONFIG.replace("formats: []", "formats: [html, docx]"))
    for edge in ("A --> B", "A --> C", "A --> D"):
        (root / "specs" / "flows.md").write_text(diagram_page(edge))
        assert run_gitspec(root, "render", env=env).code == 0
    return root, env, tmp_path / "mode.calls"


def test_gc_drops_the_diagram_images_no_render_shows(drawn_three_times):
    # Before, gc removed none of them ("removed 0 cache entries"), and stats did not count them.
    root, env, calls = drawn_three_times
    stats = run_gitspec(root, "cache", "stats", env=env)
    assert stats.code == 0 and "\ndiagram images: 3 (" in stats.out, stats
    gc = run_gitspec(root, "cache", "gc", env=env)
    assert gc.code == 0 and gc.err == (
        "gitspec: removed 0 cache entries and 0 objects; kept 0\n"
        "gitspec: removed 2 diagram image(s) no render shows from .gitspec/diagrams\n"), gc
    assert len(list((root / ".gitspec" / "diagrams").glob("*.svg"))) == 1
    assert "\ndiagram images: 1 (" in run_gitspec(root, "cache", "stats", env=env).out
    drawn = len(calls.read_text())
    (root / "build" / "html" / "flows.html").unlink()
    (root / "build" / "docx" / "flows.docx").unlink()
    assert run_gitspec(root, "render", env=env).code == 0
    assert len(calls.read_text()) == drawn  # the diagram shown came back from the store, not from mmdc


def test_gc_keeps_every_diagram_image_while_a_render_manifest_cannot_tell_which_it_shows(drawn_three_times):
    root, env, _ = drawn_three_times
    manifest = root / ".gitspec" / "renders" / "docx.json"
    manifest.write_text(re.sub(r'"diagrams": \[[^]]*\],\s*', "", manifest.read_text()))  # as an older gitspec wrote it
    gc = run_gitspec(root, "cache", "gc", env=env)
    assert gc.code == 0 and "diagram" not in gc.err, gc
    assert len(list((root / ".gitspec" / "diagrams").glob("*.svg"))) == 3


@pytest.mark.skipif(not shutil.which("setpriv") or os.geteuid() != 0, reason="needs root's setpriv to drop its read-all right")
def test_gc_in_a_store_whose_tag_it_cannot_read_says_so_and_deletes_nothing(ws):
    # Before: ".gitspec is not a store gitspec made ...; if it is only gitspec's cache, delete it", of gitspec's
    # own store that a cache step had restored as another user (its CACHEDIR.TAG root's, mode 0600).
    root, env, _ = ws
    assert run_gitspec(root, "build", env=env).code == 0
    before = sorted((root / ".gitspec").rglob("*"))
    (root / ".gitspec" / "CACHEDIR.TAG").chmod(0)
    try:
        result = run_gitspec(root, "cache", "gc", env=env, prefix=without_read_all())
    finally:
        (root / ".gitspec" / "CACHEDIR.TAG").chmod(0o644)
    assert result.code == 2 and result.err == (
        "gitspec: error: cannot read .gitspec/CACHEDIR.TAG: Permission denied; cache gc deletes nothing from a store "
        "it cannot tell is gitspec's: make .gitspec readable and writable by this user\n"), result
    assert sorted((root / ".gitspec").rglob("*")) == before
