"""Which stream each kind of line goes to: results on stdout, every other word on stderr, in every command."""
from __future__ import annotations

import re

from conftest import CONFIG, make_repo, run_gitspec

# What stdout may hold: a command's results (findings, status's list, what a build regenerated, sizes).
RESULT = re.compile(r"(\S+:\d+:\d+: (error|warning|info): .*|[\w-]+#\w+: \w+.*|regenerated [\w-]+#\w+|"
                    r"(objects|cache entries|diagram images|parse index): .*)")
# What stderr may hold: `gitspec:` lines (what was done, summaries, notes), warnings, what a build skipped
# or stopped on, and the errors of a build or render, which are not what it was asked for.
MESSAGE = re.compile(r"((gitspec|warning|skipped|conflict): .*|\S+:\d+:\d+: error: .*)")


def said(result, results: bool) -> tuple[list[str], list[str]]:
    """The lines of stdout and stderr, each checked to be of the kind its stream takes."""
    out, err = result.out.splitlines(), result.err.splitlines()
    assert all(RESULT.fullmatch(line) for line in out), result
    assert all(MESSAGE.fullmatch(line) for line in err), result
    assert bool(out) == results, result
    return out, err


def edit(path, key: str, value: str) -> None:
    """Set the top-level `key` of a YAML document, as a user's edit does."""
    path.write_text(re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", path.read_text(), count=1))


def test_every_command_prints_results_on_stdout_and_messages_on_stderr(tmp_path):
    """Before, init, new, pin and cache gc wrote their `gitspec:` lines to stdout, render its warnings, and
    build its warnings and errors, while check, status and build wrote theirs to stderr."""
    root = make_repo(tmp_path / "ws", {}, commit=False)
    _, err = said(run_gitspec(root, "init"), results=False)
    assert err[0] == "gitspec: wrote gitspec.yaml"
    (root / "gitspec.yaml").write_text(CONFIG.replace("formats: []", "formats: [html]"))
    _, err = said(run_gitspec(root, "init"), results=False)
    assert err == ["gitspec: already initialised"]
    _, err = said(run_gitspec(root, "new", "product", "Build a billing dashboard"), results=False)
    assert err[0].startswith("gitspec: wrote specs/product.yaml")
    _, err = said(run_gitspec(root, "new", "prd", "notes"), results=False)
    assert err == ["gitspec: wrote specs/notes.md"]
    notes = root / "specs" / "notes.md"
    notes.write_text(notes.read_text().replace("## Goals\n", "## Goals\n\n![flow](nope.png)\n", 1))

    out, err = said(run_gitspec(root, "status"), results=True)
    assert "product#name: missing" in out and err[-1].startswith("gitspec: ")
    out, err = said(run_gitspec(root, "check"), results=True)
    assert [line for line in out if "nope.png" in line] == [line for line in out if "[bad-image]" in line] != []
    assert err[-1].startswith("gitspec: 2 documents checked: ")

    _, err = said(run_gitspec(root, "render"), results=False)
    assert "warning: image specs/nope.png not shown: no such file (in notes)" in err
    assert any(line.startswith("gitspec: rendered ") for line in err) and any("[bad-image]" in l for l in err)
    out, err = said(run_gitspec(root, "build"), results=True)
    assert "regenerated product#features" in out and all(line.startswith("regenerated ") for line in out)
    assert any(line.endswith("[bad-image]") for line in err) and any(line.startswith("gitspec: rendered ") for line in err)
    assert err[-1].startswith("gitspec: ") and "sections regenerated" in err[-1]
    edit(root / "specs" / "brand.yaml", "brandPromise", "Bills that add up.")
    out, err = said(run_gitspec(root, "build"), results=True)
    assert "regenerated launch#heroCopy" in out and "warning: brand#brandPromise is hand-edited: kept" in err
    edit(root / "specs" / "product.yaml", "tagline", "Bills, clearly.")
    stopped = run_gitspec(root, "build")
    _, err = said(stopped, results=False)
    assert stopped.code == 1 and "skipped: design: skipped, upstream stage 'brand' was not built" in err
    assert any(line.startswith("conflict: brand#brandPromise was edited by hand") for line in err)

    out, err = said(run_gitspec(root, "check", "--placeholders"), results=True)
    assert all(": info: " in line for line in out) and err[-1].startswith("gitspec: ")
    _, err = said(run_gitspec(root, "pin", "brand#brandPromise"), results=False)
    assert err == ["gitspec: brand#brandPromise pinned"]
    out, err = said(run_gitspec(root, "cache", "stats"), results=True)
    assert out[0].startswith("objects: ") and err == []
    _, err = said(run_gitspec(root, "cache", "gc"), results=False)
    assert err[0].startswith("gitspec: removed ")
