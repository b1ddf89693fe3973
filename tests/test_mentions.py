"""The requirement ids a PRD's `## Requirements` section mentions: those its page shows (gitspec/mentions.py)."""
from __future__ import annotations

import pytest

from conftest import run_gitspec
from gitspec.mentions import requirement_mentions

SHOWN = {
    "plain": ("- REQ-001: list invoices.", [("REQ-001", 0, 3)]),
    "in italics": ("- _REQ-404_: does not exist.", [("REQ-404", 0, 4)]),
    "in bold": ("- __REQ-405__: does not exist.", [("REQ-405", 0, 5)]),
    "starred": ("- *REQ-406*: does not exist.", [("REQ-406", 0, 4)]),
    "a link's text": ("See [REQ-002](https://x.example/REQ-779).", [("REQ-002", 0, 6)]),
    "a code span": ("Like `REQ-003`.", [("REQ-003", 0, 7)]),
    "underscores escaped": ("Shown \\_REQ-004\\_ as written.", [("REQ-004", 0, 9)]),
    "raw HTML, shown as text": ("<b>REQ-005</b>", [("REQ-005", 0, 4)]),
    "a code block": ("```\nREQ-008\n```", [("REQ-008", 1, 1)]),
    "a table": ("| a | b |\n|---|---|\n| x | REQ-009 |", [("REQ-009", 2, 7)]),
    "the second line of a paragraph": ("First line,\nthen REQ-010.", [("REQ-010", 1, 6)]),
}
HIDDEN = {
    "a link's address": "Tracked in [the Jira epic](https://jira.example.com/browse/REQ-777).",
    "a picture's file": "![flow](img/REQ-125.png)",
    "a link definition": "See [the ticket][t].\n\n[t]: https://jira.example.com/browse/REQ-129",
    "a comment": "<!-- REQ-778 was dropped in review -->",
    "a comment in a line": "Kept. <!-- REQ-778 was dropped -->",
    "an address shown as a link": "<https://jira.example.com/browse/REQ-900> and https://jira.example.com/REQ-901",
    "part of a word": "XREQ-1 and REQ-2X",
}


@pytest.mark.parametrize("text, found", SHOWN.values(), ids=SHOWN.keys())
def test_an_id_the_page_shows_is_a_mention_where_it_is_written(text, found) -> None:
    assert requirement_mentions(text) == found


@pytest.mark.parametrize("text, found", SHOWN.values(), ids=SHOWN.keys())
def test_text_with_nothing_that_hides_is_read_as_markdown_it_reads_it(text, found) -> None:
    """Text with no escape, entity, HTML, link or address is read without parsing it: as the parse reads it."""
    from gitspec.mentions import _parsed

    assert _parsed(text, text.split("\n")) == found


@pytest.mark.parametrize("text", HIDDEN.values(), ids=HIDDEN.keys())
def test_an_id_the_page_does_not_show_is_no_mention(text) -> None:
    assert requirement_mentions(text) == []


def test_a_prds_emphasised_mentions_are_checked_and_its_addresses_and_comments_are_not(repo) -> None:
    """Found by a hunt: `_REQ-404_` and `__REQ-405__` (shown in italics and bold) were never looked up,
    while an id in a link's URL or in a hidden comment was an "unknown requirement" error."""
    sections = "".join(f"## {name}\n\nWritten.\n\n" for name in ("Problem", "Goals", "Non-goals", "Users"))
    requirements = ("## Requirements\n\n- REQ-001: list a customer's invoices.\n- _REQ-404_: in italics.\n"
                    "- __REQ-405__: in bold.\n- Tracked in [the Jira epic](https://jira.example.com/browse/REQ-777).\n"
                    "- ![flow](img/REQ-125.png)\n<!-- REQ-778 was dropped in review -->\n\n"
                    "[ref]: https://jira.example.com/browse/REQ-129\n\n")
    rest = "".join(f"## {name}\n\nWritten.\n\n" for name in ("Success metrics", "Risks", "Open questions"))
    prd = f"---\nkind: prd\nid: checkout\ntitle: Checkout\n---\n\n# Checkout\n\n{sections}{requirements}{rest}"
    reqs = ("kind: requirements\nid: reqs\ntitle: Reqs\nitems:\n  - id: REQ-001\n    title: One\n"
            "    statement: The system shall one.\n    acceptance: [a]\n    priority: must\n")
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 200)).save(picture, "PNG")
    root = repo({"specs/checkout.md": prd, "specs/reqs.yaml": reqs, "specs/img/REQ-125.png": picture.getvalue()})
    line = prd.split("\n").index("- _REQ-404_: in italics.") + 1
    check = run_gitspec(root, "check")
    assert check.code == 1 and check.out == (
        f"specs/checkout.md:{line}:4: error: unknown requirement 'REQ-404' (did you mean 'REQ-001'?) "
        "[unknown-reference]\n"
        f"specs/checkout.md:{line + 1}:5: error: unknown requirement 'REQ-405' (did you mean 'REQ-001'?) "
        "[unknown-reference]\n"), check
