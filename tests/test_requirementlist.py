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
