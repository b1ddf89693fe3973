"""Markdown documents' structure: `##` sections and generated regions, read as CommonMark reads them."""
from __future__ import annotations

import html

import pytest

from conftest import run_gitspec

PRD_SECTIONS = ("Problem", "Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks",
                "Open questions")
STAMP = '{"stage":"digest"}'
EXAMPLE = f"<!-- gitspec:generated {STAMP} -->\nGenerated text\n<!-- gitspec:end -->"


def prd(non_goals: str) -> str:
    """A valid PRD whose Non-goals section holds `non_goals`."""
    body = "".join(f"## {name}\n\n{non_goals if name == 'Non-goals' else 'Written by hand.'}\n\n"
                   for name in PRD_SECTIONS)
    return f"---\nkind: prd\nid: notes\ntitle: Notes\nstatus: draft\n---\n\n# Notes\n\n{body}"


def parsed(non_goals: str):
    from gitspec.documents import parse_document

    return parse_document("specs/notes.md", prd(non_goals).encode())


@pytest.mark.parametrize("shown", [
    f"```markdown\n{EXAMPLE}\n```",
    f"~~~~\n{EXAMPLE}\n~~~~",
    f"````\n```\n{EXAMPLE}\n```\n````",  # a shorter fence inside a longer one does not close it
    f"<!-- how gitspec marks generated text:\n{EXAMPLE}",  # a longer comment, closed by the end marker's -->
])
def test_a_marker_shown_in_a_code_block_or_a_comment_is_text_not_a_region(shown: str) -> None:
    # Before, the example was taken as the section's region: check reported schema errors on its
    # stamp and a hand edit, and the renderer dropped the marker lines from the code block.
    document = parsed(f"How gitspec marks generated text:\n\n{shown}")
    assert "generated" not in document.header
    assert document.sections["non-goals"] == f"How gitspec marks generated text:\n\n{shown}"


def test_a_real_region_is_found_after_an_example_of_one() -> None:
    document = parsed(f"```\n{EXAMPLE.replace('digest', 'example')}\n```\n\n"
                      f"<!-- gitspec:generated {STAMP} -->\nThe real text.\n<!-- gitspec:end -->")
    assert document.header["generated"] == {"non-goals": {"stage": "digest"}}
    assert document.sections["non-goals"].endswith("```\n\nThe real text.")  # the example is a hand edit


def test_a_fenced_example_of_a_region_is_checked_clean_and_rendered_verbatim(repo) -> None:
    root = repo({"specs/notes.md": prd(f"How gitspec marks generated text:\n\n```markdown\n{EXAMPLE}\n```")})
    check = run_gitspec(root, "check")
    assert check.code == 0 and "error" not in check.out and "hand" not in check.out, check
    rendered = run_gitspec(root, "render", "--format", "html")
    assert rendered.code == 0, rendered
    page = (root / "build" / "html" / "notes.html").read_text()
    assert f'<code class="language-markdown">{html.escape(EXAMPLE)}</code>' in page
