"""What a render gathers from git (gitspec.render.facts), as the rendered pages show it."""
from __future__ import annotations

from conftest import CONFIG, git, run_gitspec

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
