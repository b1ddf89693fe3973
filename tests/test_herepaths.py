"""Messages name workspace files from the current folder, as git and ruff do: from a subfolder of the
workspace, and from the top of a repository whose workspace is a subfolder of it."""
from __future__ import annotations

from conftest import CONFIG, make_repo, run_gitspec, write_files

DIRECTIVE = "Build a billing dashboard"


def test_messages_name_files_from_a_subfolder_of_the_workspace(tmp_path):
    root = make_repo(tmp_path / "ws", {}, commit=False)
    assert run_gitspec(root, "init").code == 0
    assert run_gitspec(root, "new", "product", DIRECTIVE).code == 0
    assert run_gitspec(root, "build", "--no-render").code == 0
    specs = root / "specs"

    wrote = run_gitspec(specs, "new", "prd", "notes")
    assert wrote.code == 0 and wrote.err == "gitspec: wrote notes.md\n", wrote

    product = specs / "product.yaml"
    product.write_text(product.read_text().replace("kind: product\n", "kind: product\npinned: nope\n", 1))
    pin = run_gitspec(specs, "pin", "product#name")  # a GitspecError with a path and a line
    assert pin.code == 1 and pin.err.startswith("product.yaml:2:9: error: cannot pin product#name: "), pin
    elsewhere = run_gitspec(root / "generated", "pin", "product#name")
    assert elsewhere.err.startswith("../specs/product.yaml:2:9: error: "), elsewhere
    assert run_gitspec(root, "pin", "product#name").err.startswith("specs/product.yaml:2:9: error: ")


def test_render_names_files_from_the_top_of_a_repository_whose_workspace_is_a_subfolder(tmp_path):
    config = CONFIG.replace("formats: []", "formats: [html, docx]")
    top = make_repo(tmp_path / "monorepo", {"docs/gitspec.yaml": config, "docs/specs/.keep": ""})
    assert run_gitspec(top / "docs", "new", "prd", "alpha").code == 0
    write_files(top, {"docs/build/docx/alpha.docx": "the user's own notes"})
    kept = run_gitspec(top, "render", "docs/specs/alpha.md")
    assert kept.code == 0, kept
    assert kept.err.startswith("warning: kept docs/build/docx/alpha.docx, which gitspec did not write; move it away "
                               "to render alpha\ngitspec: rendered "), kept
    assert (top / "docs/build/docx/alpha.docx").read_text() == "the user's own notes"

    write_files(top, {"docs/gitspec.yaml": config + "colour: blue\n"})
    bad = run_gitspec(top, "check", "docs/specs/alpha.md")
    assert bad.code == 2 and bad.err.startswith("docs/gitspec.yaml:8:1: error: unknown key 'colour'"), bad
    events = run_gitspec(top / "docs" / "specs", "build", "--json")  # JSON keeps the workspace's paths
    assert events.code == 2 and '"file": "gitspec.yaml", "line": 8' in events.out, events
