"""`gitspec init` and gitspec.yaml: idempotent set-up, config errors naming the key (exit 2)."""
from __future__ import annotations

import os
import unicodedata

import pytest

from conftest import git, make_repo, run_gitspec


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts}


def test_init_in_a_fresh_git_folder_then_check(tmp_path):
    ws = make_repo(tmp_path / "fresh", {}, commit=False)
    first = run_gitspec(ws, "init")
    assert first.code == 0, first
    assert (ws / "gitspec.yaml").is_file() and (ws / "specs").is_dir()
    assert ".gitspec/" in (ws / ".gitignore").read_text().splitlines()
    check = run_gitspec(ws, "check")
    assert check.code == 0 and "0 documents checked, no findings" in check.err


def test_init_explains_max_file_size_as_the_readme_does(tmp_path):
    # Before, init's comment said only "reported, not read"; a build also refuses to write a larger document.
    from conftest import REPO

    ws = make_repo(tmp_path / "fresh", {}, commit=False)
    assert run_gitspec(ws, "init").code == 0
    written = [line for line in (ws / "gitspec.yaml").read_text().splitlines() if line.startswith("max_file_size:")]
    documented = [line for line in (REPO / "README.md").read_text().splitlines() if line.startswith("max_file_size:")]
    assert written == documented == [
        "max_file_size: 1048576  # bytes; larger files are reported, not read, and never written by a build"]


def test_init_twice_changes_nothing(tmp_path):
    ws = make_repo(tmp_path / "fresh", {".gitignore": "node_modules"}, commit=False)
    run_gitspec(ws, "init")
    before = _snapshot(ws)
    again = run_gitspec(ws, "init")
    assert again.code == 0 and "already initialised" in again.err
    assert _snapshot(ws) == before
    assert (ws / ".gitignore").read_text() == "node_modules\n.gitspec/\n"


def test_init_keeps_an_existing_config(tmp_path):
    ws = make_repo(tmp_path / "fresh", {"gitspec.yaml": "specs: [docs]\n", ".gitignore": "/.gitspec\n"}, commit=False)
    result = run_gitspec(ws, "init")
    assert result.code == 0
    assert (ws / "gitspec.yaml").read_text() == "specs: [docs]\n"
    assert (ws / ".gitignore").read_text() == "/.gitspec\n"


@pytest.mark.parametrize("config, expected", [
    ("specs: [specs]\npage_sise: A4\n", "gitspec.yaml:2:1: error: unknown key 'page_sise' (did you mean 'page_size'?)"),
    ("specs: [specs]\npage_size: A5\n", "gitspec.yaml:2:12: error: key 'page_size': 'A5' is not one of ['A4', 'Letter']"),
    ("specs: specs\n", "gitspec.yaml:1:8: error: key 'specs': 'specs' is not of type 'array'"),
    ("specs: [specs]\nmax_file_size: big\n", "gitspec.yaml:2:16: error: key 'max_file_size': 'big' is not of type 'integer'"),
    ("specs: [../elsewhere]\n", "gitspec.yaml:1:8: error: key 'specs': '../elsewhere' must be a folder inside the workspace"),
    ("specs: [specs\n", "gitspec.yaml:2:1: error: YAML syntax error"),
    ("- specs\n", "gitspec.yaml:1:1: error: gitspec.yaml must be a mapping of keys"),
    ("specs: [specs]\nmermaid_timeout: .inf\n",
     "gitspec.yaml:2:18: error: key 'mermaid_timeout': inf is greater than the maximum of 600"),
    ("specs: [specs]\nmermaid_timeout: 10000000000\n",
     "gitspec.yaml:2:18: error: key 'mermaid_timeout': 10000000000 is greater than the maximum of 600"),
    ("specs: [specs]\nmermaid_timeout: .nan\n", "gitspec.yaml:2:18: error: key 'mermaid_timeout': .nan is not a number"),
    ("specs: [specs]\nmermaid_server: mermaid.ink\n",
     "gitspec.yaml:2:17: error: key 'mermaid_server': 'mermaid.ink' must be an http:// or https:// URL"),
    ("specs: [specs]\nmermaid_server: ftp://x\n",
     "gitspec.yaml:2:17: error: key 'mermaid_server': 'ftp://x' must be an http:// or https:// URL"),
    ("specs: [specs]\noutput: .git/html\n",
     "gitspec.yaml:2:9: error: key 'output': '.git/html' is inside .git or .gitspec, which belong to git and gitspec"),
    ("specs: [specs]\noutput: ./.gitspec\n", "gitspec.yaml:2:9: error: key 'output': './.gitspec' is inside .git"),
    ("specs: [specs]\ncode_folder: .git/hooks\n", "gitspec.yaml:2:14: error: key 'code_folder': '.git/hooks' is inside"),
    ("specs: [specs]\noutput: specs/published\n", "gitspec.yaml:2:9: error: key 'output': 'specs/published' is "
     "inside the spec folder 'specs', whose documents gitspec would no longer read; choose a folder apart from"),
    ("specs: [specs]\noutput: ./specs/\n", "gitspec.yaml:2:9: error: key 'output': './specs/' is the spec folder"),
    ("specs: [specs, docs/specs]\noutput: docs\n", "gitspec.yaml:2:9: error: key 'output': 'docs' holds the spec "
     "folder 'docs/specs', where renders would mix with its documents"),
    ("specs: [specs]\nlanguage: Japanese\n", "gitspec.yaml:2:11: error: key 'language': 'Japanese' is not a BCP 47 "
     "language tag such as en, ja, pt-BR or zh-Hant"),
    ("specs: [specs]\nlanguage: pt_BR\n", "gitspec.yaml:2:11: error: key 'language': 'pt_BR' is not a BCP 47 "
     "language tag such as en, ja, pt-BR or zh-Hant ('pt-BR': tags join their parts with '-')"),
    ("specs: [specs]\nlanguage: ''\n", "gitspec.yaml:2:11: error: key 'language': '' is not a BCP 47 language tag"),
    ("specs: [specs]\nlanguage: 12\n", "gitspec.yaml:2:11: error: key 'language': 12 is not of type 'string'"),
    ("specs: [specs/.keep]\n", "gitspec.yaml:1:9: error: spec folder 'specs/.keep' is a file, not a folder (key 'specs')"),
    ("# where the documents are\nspecs:\n  - specs\n  - specs/.keep\n",
     "gitspec.yaml:4:5: error: spec folder 'specs/.keep' is a file, not a folder (key 'specs')"),
])
def test_config_errors_name_the_key_and_exit_2(repo, config, expected):
    result = run_gitspec(repo({}, config=config), "check")
    assert result.code == 2, result
    assert result.err.startswith(expected), result
    assert len(result.err.splitlines()) == 1 and "Traceback" not in result.err


@pytest.mark.parametrize("server, shown", [
    ("http://bot:s3cret@127.0.0.1:8701", "'http://…@127.0.0.1:8701' must not hold a user name or password"),
    ("https://bot@mermaid.example", "'https://…@mermaid.example' must not hold a user name or password"),
    ("bot:s3cret@mermaid.example", "'…@mermaid.example' must be an http:// or https:// URL"),
])
def test_a_mermaid_server_with_a_password_is_refused_without_printing_it(repo, server, shown):
    """Before, it passed the check, could never be reached (urllib took `bot:s3cret@127.0.0.1` for the
    host) and every render's warnings printed the password."""
    root = repo({}, config=f"specs: [specs]\nmermaid_server: '{server}'\n")
    for command in ("check", "render"):
        result = run_gitspec(root, command)
        assert result.code == 2 and result.err.startswith(f"gitspec.yaml:2:17: error: key 'mermaid_server': {shown}"), result
        assert "s3cret" not in result.err + result.out and len(result.err.splitlines()) == 1, result


@pytest.mark.parametrize("config", ["specs: [.]\noutput: build\n", "specs: [specs]\noutput: .\n",
                                    "specs: [specs]\noutput: specs-site\n", "language: zh-Hant-TW\n",
                                    "language: sr-Latn-RS\n", "language: es-419\n", "language: de-CH-1996\n"])
def test_an_output_folder_apart_from_the_spec_folders_or_the_workspace_itself_is_fine(repo, config):
    assert run_gitspec(repo({}, config=config), "check").code == 0


def test_exclude_globs(repo):
    ws = repo({"specs/drafts/half.yaml": "kind: nonsense\n", "specs/ok.yaml": "kind: requirements\n"},
              config="specs: [specs]\nexclude: ['specs/drafts/*', 'specs/ok.yaml']\n")
    result = run_gitspec(ws, "check")
    assert result.code == 0 and "0 documents checked" in result.err


def test_exclude_globs_match_paths_inside_the_spec_folder_and_names(repo):
    # Before, only workspace-relative globs matched: `README.md` and `notes/*` excluded nothing.
    ws = repo({"specs/README.md": "# About these specs\n", "specs/notes/idea.md": "# scratch\n",
               "specs/old/README.md": "# Old\n"},
              config="specs: [specs]\nexclude: ['README.md', 'notes/*']\n")
    result = run_gitspec(ws, "check")
    assert result.code == 0 and "0 documents checked" in result.err, result


def test_exclude_globs_match_a_name_stored_decomposed(repo):
    # Before, `café.md` typed composed (NFC) did not match the decomposed (NFD) name macOS writes.
    stored = unicodedata.normalize("NFD", "specs/café/café.md")
    ws = repo({stored: "# notes\n", unicodedata.normalize("NFD", "specs/notes/ö.md"): "# notes\n"},
              config="specs: [specs]\nexclude: ['café.md', 'notes/ö.md']\n")
    result = run_gitspec(ws, "check")
    assert result.code == 0 and "0 documents checked" in result.err, result


def test_output_inside_git_is_refused_before_rendering(repo):
    ws = repo({}, config="specs: [specs]\noutput: .git/html\nformats: [html]\n")
    result = run_gitspec(ws, "render")
    assert result.code == 2 and result.err.startswith("gitspec.yaml:2:9: error: key 'output'"), result
    assert not (ws / ".git" / "html").exists()


@pytest.mark.parametrize("before, after", [
    (b"# caf\xe9\nnode_modules/\n", b"# caf\xe9\nnode_modules/\n.gitspec/\n"),  # Latin-1
    ("# café\r\nnode_modules/".encode(), "# café\r\nnode_modules/\r\n.gitspec/\r\n".encode()),
    ("\ufeffnode_modules/\r\n".encode("utf-16-le"), "\ufeffnode_modules/\r\n.gitspec/\r\n".encode("utf-16-le")),
    ("\ufeffnode_modules/\n".encode("utf-16-be"), "\ufeffnode_modules/\n.gitspec/\n".encode("utf-16-be")),
    (b"node_modules/\r", b"node_modules/\r\n.gitspec/\n"),  # git ends no line at a CR alone: ours ends at LF
])
def test_init_adds_to_a_gitignore_in_its_own_encoding(tmp_path, before, after):
    ws = make_repo(tmp_path / "fresh", {".gitignore": before}, commit=False)
    first = run_gitspec(ws, "init")
    assert first.code == 0 and "added .gitspec/ to .gitignore" in first.err, first
    assert (ws / ".gitignore").read_bytes() == after
    again = run_gitspec(ws, "init")
    assert again.code == 0 and "already initialised" in again.err, again
    assert (ws / ".gitignore").read_bytes() == after


def test_init_warns_that_git_does_not_read_a_utf16_gitignore(tmp_path):
    ws = make_repo(tmp_path / "fresh", {".gitignore": "\ufeffnode_modules/\n".encode("utf-16-le")}, commit=False)
    result = run_gitspec(ws, "init")
    assert result.err.startswith("gitspec: warning: .gitignore is UTF-16, which git does not read; save it as UTF-8\n"
                                 "gitspec: wrote gitspec.yaml\n"), result


@pytest.mark.parametrize("gitignore, message", [
    ("node_modules/\n".encode("utf-16-le"), ".gitignore is neither UTF-8, Latin-1 nor UTF-16 with a byte-order mark"),
    (None, ".gitignore is a folder, not a file"),
])
def test_init_refuses_a_gitignore_it_cannot_add_to(tmp_path, gitignore, message):
    ws = make_repo(tmp_path / "fresh", {} if gitignore is None else {".gitignore": gitignore}, commit=False)
    if gitignore is None:
        (ws / ".gitignore").mkdir()
    result = run_gitspec(ws, "init")
    assert result.code == 2 and result.err.startswith(f"gitspec: error: {message}"), result
    assert len(result.err.splitlines()) == 1
    if gitignore is not None:
        assert (ws / ".gitignore").read_bytes() == gitignore


@pytest.mark.parametrize("inner", ["specs", "specs/deeper"])
def test_init_inside_a_workspace_makes_no_nested_one(repo, inner):
    ws = repo({f"{inner}/.keep": ""})
    before = _snapshot(ws)
    result = run_gitspec(ws / inner, "init")
    where = "../.." if "/" in inner else ".."
    assert result.code == 2, result
    assert result.err == (f"gitspec: error: this folder is already inside the workspace at {where} "
                          f"({where}/gitspec.yaml); gitspec commands work here as they are, nothing to initialise\n")
    assert _snapshot(ws) == before
    assert run_gitspec(ws, "check").code == 0


def test_init_in_a_read_only_checkout(tmp_path, read_only):
    done = make_repo(tmp_path / "done", {}, commit=False)
    assert run_gitspec(done, "init").code == 0
    again = run_gitspec(done, "init", prefix=read_only)
    assert again.code == 0 and again.err == "gitspec: already initialised\n", again
    fresh = make_repo(tmp_path / "fresh", {}, commit=False)
    result = run_gitspec(fresh, "init", prefix=read_only)
    assert result.code == 2 and result.err == "gitspec: error: cannot write gitspec.yaml: Read-only file system\n"


def test_a_clone_of_a_fresh_workspace_has_no_spec_folder_and_works(tmp_path):
    # Before, git kept no empty specs/, so in a clone check and new said "spec folder 'specs' does not
    # exist" (exit 2) and init said "already initialised" without making it.
    origin = make_repo(tmp_path / "origin", {}, commit=False)
    assert run_gitspec(origin, "init").code == 0
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "gitspec init")
    git(tmp_path, "clone", "-q", "origin", "clone")
    clone = tmp_path / "clone"
    assert not (clone / "specs").exists()
    for command in (("check",), ("status",), ("build", "--no-render"), ("render", "--format", "html")):
        result = run_gitspec(clone, *command)
        assert result.code == 0, (command, result)
    note = "gitspec: note: spec folder 'specs' does not exist yet, so no document is read there"
    checked = run_gitspec(clone, "check").err
    assert "0 documents checked, no findings" in checked and note in checked  # (a misspelt folder is told too)
    new = run_gitspec(clone, "new", "prd", "First doc")
    assert new.code == 0 and new.err == "gitspec: wrote specs/first-doc.md\n", new
    again = run_gitspec(clone, "check")
    assert again.code == 0 and note not in again.err


def test_init_makes_the_configured_spec_folders_that_are_missing(tmp_path):
    ws = make_repo(tmp_path / "clone", {"gitspec.yaml": "specs: [specs, docs/more]\n", ".gitignore": ".gitspec/\n"},
                   commit=False)
    result = run_gitspec(ws, "init")
    assert result.code == 0 and result.err == "gitspec: made specs/\ngitspec: made docs/more/\n", result
    assert (ws / "specs").is_dir() and (ws / "docs" / "more").is_dir()
    assert run_gitspec(ws, "init").err == "gitspec: already initialised\n"


@pytest.mark.parametrize("config", [None, "specs: [docs/specs]\n"])
def test_init_refuses_a_file_where_the_spec_folder_goes_and_writes_nothing(tmp_path, config):
    # Before, init wrote gitspec.yaml, then failed "cannot write specs/: File exists"; run again, it
    # added .gitspec/ to .gitignore and exited 0 with the workspace broken.
    name = "specs" if config is None else "docs"
    ws = make_repo(tmp_path / "fresh", {name: "notes\n", **({"gitspec.yaml": config} if config else {})},
                   commit=False)
    before = _snapshot(ws)
    for _ in range(2):
        result = run_gitspec(ws, "init")
        assert result.code == 2, result
        assert result.err == (f"gitspec: error: {name} is a file, not a folder, where the spec folder "
                              f"{'specs' if config is None else 'docs/specs'}/ goes; move it away, "
                              "then run 'gitspec init' again\n"), result
        assert _snapshot(ws) == before


@pytest.mark.parametrize("make, problem", [
    (lambda path: path.mkdir(), "a folder, not a file"),
    (lambda path: path.symlink_to("missing.yaml"), "a symlink to missing.yaml, which does not exist"),
    (lambda path: os.mkfifo(path), "not a regular file"),
], ids=["folder", "dangling-symlink", "fifo"])
def test_init_refuses_a_config_that_is_no_file(tmp_path, make, problem):
    # Before, init exited 0 ("added .gitspec/ to .gitignore", or "already initialised") while every other
    # command said "no gitspec.yaml ... run 'gitspec init' first".
    ws = make_repo(tmp_path / "fresh", {}, commit=False)
    make(ws / "gitspec.yaml")
    result = run_gitspec(ws, "init")
    assert result.code == 2, result
    assert result.err == f"gitspec: error: gitspec.yaml is {problem}; remove it, then run 'gitspec init' again\n"
    assert not (ws / ".gitignore").exists() and not (ws / "specs").exists()


@pytest.mark.parametrize("inner", [".git", ".git/hooks", "bare.git", "bare.git/refs"])
def test_init_in_a_git_folder_is_refused(tmp_path, inner):
    # Before, init in repo/.git made a workspace there, in git's own folder (exit 0).
    ws = make_repo(tmp_path / "repo", {}, commit=False)
    git(ws, "init", "-q", "--bare", "bare.git")
    before = sorted(p for p in (ws / inner).rglob("*"))
    result = run_gitspec(ws / inner, "init")
    assert result.code == 2, result
    assert result.err == ("gitspec: error: this folder is git's own (a repository's .git folder, or inside one); "
                          "run 'gitspec init' in the repository's working tree\n")
    assert sorted(p for p in (ws / inner).rglob("*")) == before
