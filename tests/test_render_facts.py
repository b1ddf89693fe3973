"""What a render gathers from git (gitspec.render.facts), as the rendered pages show it."""
from __future__ import annotations

import pytest
from conftest import CONFIG, git, install_plugin, run_gitspec

HTML_ONLY = CONFIG.replace("formats: []", "formats: [html]")
SECTIONS = ("Problem", "Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks", "Open questions")
PRD = "---\nkind: prd\nid: checkout\ntitle: Checkout\n---\n\n# Checkout\n" + "".join(
    f"\n## {name}\n\n{name} as written.\n" for name in SECTIONS)


def test_a_document_moved_but_not_yet_committed_keeps_its_sections_last_changes(repo):
    """Before, a staged `git mv` (or a plain move) of a document, its text unchanged, dropped every
    section's "Last change" and badged every section "uncommitted" until the move was committed."""
    root = repo({"specs/checkout.md": PRD}, HTML_ONLY)
    head = git(root, "rev-parse", "--short=7", "HEAD").strip()
    (root / "specs/sub").mkdir()
    for move in (lambda: git(root, "mv", "specs/checkout.md", "specs/pay.md"),  # staged
                 lambda: (root / "specs/pay.md").rename(root / "specs/sub/pay.md")):  # in the work tree only
        move()
        for _ in range(2):  # the second from the facts remembered for HEAD
            rendered = run_gitspec(root, "render")
            assert rendered.code == 0, rendered
            page = (root / "build/html/checkout.html").read_text()
            assert page.count(f"Last change: commit <code>{head}") == len(SECTIONS), page
            assert "<bdi>uncommitted</bdi>" not in page
            assert "uncommitted changes" in (root / "build/html/index.html").read_text()  # the move itself
    (root / "specs/sub/pay.md").write_text(PRD.replace("Goals as written.", "Goals rewritten."))
    assert run_gitspec(root, "render").code == 0
    page = (root / "build/html/checkout.html").read_text()
    assert page.count(f"Last change: commit <code>{head}") == len(SECTIONS) - 1
    assert page.count("<bdi>uncommitted</bdi>") == 2  # the page's badge and the Goals section's


# A writer who moves the draft away, or saves it again, while a render runs: after the check has read
# it, before the render gathers the headings (a plugin's workspace check runs in between).
WRITER = """
import os
from gitspec import hookimpl

@hookimpl
def gitspec_check_workspace(workspace, config):
    if not os.path.exists("specs/checkout.md"):  # moved already (a watch's next render)
        return []
    if os.environ["WRITER"] == "moves":
        os.makedirs("drafts", exist_ok=True)
        os.replace("specs/checkout.md", "drafts/checkout.md")
    else:
        with open("specs/checkout.md", encoding="utf-8") as handle:
            text = handle.read()
        with open("specs/checkout.md", "w", encoding="utf-8") as handle:
            handle.write(text.replace("## Goals", "## GOALS").replace("as written", "rewritten"))
    return []
"""


@pytest.mark.parametrize("read", [True, False])
@pytest.mark.parametrize("writer", ["moves", "rewrites"])
def test_a_markdown_document_moved_or_saved_during_a_render_is_rendered_as_checked(repo, tmp_path, writer, read):
    """Before, the render read a Markdown document again for its headings: one moved away meanwhile
    was an internal error (exit 3), and one saved again gave a page whose headings came from the new
    text and its sections from the old. As a YAML document, it is rendered as the check read it,
    whether the check `read` it this time or trusted the file it had read before."""
    import os

    root = repo({}, HTML_ONLY)
    draft = PRD.replace("Goals as written.", "Goals as written.  \nOn a line of its own.")  # a hard break
    (root / "specs/checkout.md").write_text(draft)  # not committed, as a draft is
    if not read:
        os.utime(root / "specs/checkout.md", (1e9, 1e9))  # long unchanged: the check trusts it, unread
        assert run_gitspec(root, "render").code == 0
        (root / "specs/other.md").write_text(PRD.replace("checkout", "other"))  # a change: the plugin runs
    env = {**install_plugin(tmp_path / "plugin", "writer", {"writer.py": WRITER}), "WRITER": writer}
    rendered = run_gitspec(root, "render", env=env)
    assert rendered.code == 0, rendered
    page = (root / "build/html/checkout.html").read_text()
    assert "Goals as written." in page and "rewritten" not in page, page
    assert ">Goals</" in page and "GOALS" not in page, page
