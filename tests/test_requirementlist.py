"""A plain list of requirements as `new requirements --from` reads it: markers off, comments and blanks skipped."""
from __future__ import annotations

import pytest

from gitspec.requirementlist import Sentence, listed_sentences


@pytest.mark.parametrize("line, sentence", [
    ("- Users export CSV.", "Users export CSV."),
    ("  * Indented star.", "Indented star."),
    ("+ Plus.", "Plus."),
    ("12. Numbered.", "Numbered."),
    ("3) Parenthesised.", "Parenthesised."),
    ("- [ ] A task box.", "A task box."),
    ("[x] A ticked box.", "A ticked box."),
    ("3.5 percent of requests may fail.", "3.5 percent of requests may fail."),  # not markers: no space after
    ("-5 degrees is the lowest.", "-5 degrees is the lowest."),
    ("Spaced\tout   words ", "Spaced out words"),
])
def test_a_list_marker_is_taken_off_and_nothing_else(line, sentence):
    assert listed_sentences(line + "\n") == [Sentence(sentence, 1)]


def test_blank_lines_comments_and_bare_markers_list_nothing_and_lines_keep_their_numbers():
    text = "# heading\n\n   \n- \n1.\n[ ]\nFirst.\r\n  # indented comment\nSecond."
    assert listed_sentences(text) == [Sentence("First.", 7), Sentence("Second.", 9)]


def test_a_line_ends_only_at_a_newline_or_a_carriage_return():
    # Before, str.splitlines() also ended a line at U+2028, U+0085 and a form feed: one listed sentence
    # became two requirements, each with its own id, and the lines after it were numbered wrong.
    text = ("- The system shall list invoices\u2028newest first.\n- Exports run nightly\x85and are kept 30 days.\r\n"
            "- Page one\x0cpage two of one requirement.\r- Last\u2029one.\x0b\x1c\n")
    assert listed_sentences(text) == [
        Sentence("The system shall list invoices newest first.", 1),
        Sentence("Exports run nightly and are kept 30 days.", 2),
        Sentence("Page one page two of one requirement.", 3), Sentence("Last one.", 4)]


def test_a_line_indented_under_a_list_item_goes_on_that_item():
    """Found by a hunt: a list wrapped at 72 columns made two requirements of one, the second a fragment
    ("when an invoice is 7 days overdue.") with an id, a TODO acceptance and a `must` priority of its own."""
    text = ("- The system shall send a payment reminder to the billing contact\n"
            "  when an invoice is 7 days overdue.\n"
            "- The system shall offer each invoice\n\tas a PDF,\n    on request.\n"
            "1. Numbered,\n   and wrapped.\n"
            "  - A nested item.\n"
            "Not a list item.\n  An indented line under a plain one is a sentence of its own.\n"
            "- An item ends\n\n  at a blank line.\n")
    assert listed_sentences(text) == [
        Sentence("The system shall send a payment reminder to the billing contact when an invoice is 7 days overdue.",
                 1),
        Sentence("The system shall offer each invoice as a PDF, on request.", 3),
        Sentence("Numbered, and wrapped.", 6),
        Sentence("A nested item.", 8),
        Sentence("Not a list item.", 9),
        Sentence("An indented line under a plain one is a sentence of its own.", 10),
        Sentence("An item ends", 11),
        Sentence("at a blank line.", 13),
    ]


def test_only_line_breaks_end_a_line():
    # Before, str.splitlines also ended one at U+2028, U+0085 and a form feed, halving a requirement.
    assert listed_sentences("- Pay\u2028in full\x85and\x0con time.\n") == [Sentence("Pay in full and on time.", 1)]
