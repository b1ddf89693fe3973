"""The store in `.gitspec/` as a clone may bring it: gitspec reads and writes only inside the workspace."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CONFIG, git, requirement, requirements_doc, run_gitspec

HTML = CONFIG.replace("formats: []", "formats: [html]")
DOC = {"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))}


def _tree(folder) -> dict:
    return {path: path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


FOLDERS = ["renders", "objects", "cache", "logs", "diagrams", "objects/ab", "cache/cd"]
FILES = ["index", "plan", "headfacts", "history", "plugins", "build.lock", "listed-formats", "CACHEDIR.TAG",
         "renders/html.json", "renders/html.pending"]


@pytest.mark.parametrize("name", FOLDERS + FILES)
def test_a_symlink_inside_the_store_is_refused_and_nothing_is_written_where_it_leads(repo, tmp_path, name):
    """Before, `.gitspec/renders -> /elsewhere` made a render replace /elsewhere/html.json with its manifest,
    and `objects/ab -> /elsewhere` made a build write its blobs there."""
    ws = repo(DOC, config=HTML)
    assert run_gitspec(ws, "render").code == 0  # the store, as gitspec makes it
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for file in ("html.json", "html.pending", "index", "precious.txt"):
        (elsewhere / file).write_text('{"my": "precious settings"}\n')
    link = ws / ".gitspec" / name
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_dir():
        shutil.rmtree(link)
    link.unlink(missing_ok=True)
    target = elsewhere if name in FOLDERS else elsewhere / Path(name).name
    link.symlink_to(target)
    before = _tree(elsewhere)
    (ws / "specs" / "reqs.yaml").write_text(requirements_doc("reqs", requirement("REQ-002")))
    refused = (f".gitspec/{name} is a symlink to {target}; remove it (gitspec follows no link inside its store)\n")
    for command in (["check"], ["build"], ["render"], ["cache", "gc"], ["cache", "stats"]):
        result = run_gitspec(ws, *command)
        assert result.code == 2 and result.out == "" and result.err == f"gitspec: error: {refused}", (command, result)
    assert run_gitspec(ws / "specs", "check").err == f"gitspec: error: ../{refused}"  # named from where it runs
    assert _tree(elsewhere) == before


def test_a_clone_bringing_a_symlinked_renders_folder_writes_nothing_outside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "html.json").write_text('{"my": "precious settings"}\n')
    up = tmp_path / "up"
    up.mkdir()
    git(up, "init", "-q", "-b", "main")
    (up / "gitspec.yaml").write_text(HTML)
    (up / "specs").mkdir()
    (up / "specs" / "reqs.yaml").write_text(DOC["specs/reqs.yaml"])
    (up / ".gitspec").mkdir()
    (up / ".gitspec" / "renders").symlink_to(outside)
    git(up, "add", "-A")
    git(up, "add", "-f", ".gitspec/renders")
    git(up, "commit", "-q", "-m", "spec")
    git(tmp_path, "clone", "-q", "up", "clone")
    result = run_gitspec(tmp_path / "clone", "render")
    assert result.code == 2 and result.err == (
        f"gitspec: error: .gitspec/renders is a symlink to {outside}; remove it (gitspec follows no link inside "
        "its store)\n"), result
    assert (outside / "html.json").read_text() == '{"my": "precious settings"}\n'
    assert sorted(p.name for p in outside.iterdir()) == ["html.json"]


def test_an_object_or_cache_entry_that_is_a_symlink_is_damaged_and_its_target_untouched(tmp_path):
    """Deeper than the store's folders, a file is opened without following a link: a link there is a
    damaged entry, removed (never its target), and replaced by the next write."""
    import hashlib

    from gitspec.store import GenerationCache, ObjectStore

    data = b"generated\n"
    digest, key = hashlib.sha256(data).hexdigest(), "cd" * 32
    outside = tmp_path / "outside.txt"
    outside.write_bytes(digest.encode())
    store = tmp_path / ".gitspec"
    objects = ObjectStore(store)
    cache = GenerationCache(store, objects)
    for path in (objects.folder / digest[:2] / digest[2:], cache.folder / key[:2] / key[2:]):
        path.parent.mkdir(parents=True)
        path.symlink_to(outside)
    assert cache.get(key) is None and objects.get(digest) is None
    assert not (cache.folder / key[:2] / key[2:]).is_symlink()
    assert not (objects.folder / digest[:2] / digest[2:]).is_symlink()
    (objects.folder / digest[:2] / digest[2:]).symlink_to(outside)
    cache.put(key, data)
    assert cache.get(key) == data and outside.read_bytes() == digest.encode()


@pytest.mark.parametrize("kind", ["a file", "a symlink leading nowhere"])
def test_a_store_that_is_no_folder_is_named_so(repo, kind):
    """Before: "cannot write /…/.gitspec/build.lock: File exists", the path absolute."""
    ws = repo(DOC)
    store = ws / ".gitspec"
    if kind == "a file":
        store.write_text("oops\n")
    else:
        store.symlink_to("nowhere")
    check = run_gitspec(ws / "specs", "check")
    assert check.code == 0 and check.err == ("gitspec: note: cannot write ../.gitspec/index: ../.gitspec is not a "
                                             "folder; nothing is cached, so the next run reads every file again\n"
                                             "gitspec: 1 document checked, no findings\n"), check
    for command in (["build"], ["render", "--format", "html"]):
        result = run_gitspec(ws, *command)
        assert result.code == 2 and result.err == (
            "gitspec: error: cannot write .gitspec/build.lock: .gitspec is not a folder (gitspec keeps its cache "
            "in a folder there: remove it)\n"), (command, result)
    assert store.is_symlink() or store.read_text() == "oops\n"


def test_a_read_only_checkout_without_a_store_is_told_the_store_cannot_be_made(repo, read_only):
    # Before: "cannot write .gitspec/build.lock: ... (gitspec keeps its cache in this folder: make it
    # writable, or delete it)", of a folder that was not there: the workspace folder is what cannot be written.
    ws = repo({**DOC, "gitspec.yaml": HTML})
    told = ("gitspec: error: cannot create .gitspec: Read-only file system (gitspec keeps its cache there: make the "
            "workspace folder writable; check, status and build --dry-run run without it)\n")
    for args in (["render"], ["build", "--no-render"], ["build"]):
        refused = run_gitspec(ws, *args, prefix=read_only)
        assert refused.code == 2 and refused.err == told, (args, refused)
    assert not (ws / ".gitspec").exists()
