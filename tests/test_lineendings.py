"""A file's own line ending (gitspec.lineendings): pure text in, text out."""
from __future__ import annotations

import pytest

from gitspec.lineendings import LINE, newline_of


@pytest.mark.parametrize("text, newline", [
    (None, "\n"), ("", "\n"), ("one line", "\n"),
    ("a\nb\n", "\n"), ("a\r\nb\r\n", "\r\n"), ("a\rb\r", "\r"),  # a CR alone, as old Macs save
    ("a\rb\rc\n", "\r"), ("a\r\nb\nc\n", "\n"), ("a\r\nb\r\nc\r", "\r\n"),  # most lines' own
    ("a\nb\r\n", "\n"), ("a\r\nb\r", "\r\n"),  # a tie: LF, then CRLF
])
def test_newline_of_is_the_ending_most_lines_have(text, newline):
    assert newline_of(text) == newline


def test_a_cr_alone_ends_no_line_for_git():
    assert newline_of("a\rb\rc\r", lone_cr=False) == "\n"
    assert newline_of("a\r\nb\r\nc\r", lone_cr=False) == "\r\n"


def test_each_line_keeps_its_own_ending():
    assert LINE.findall("a\r\nb\rc\n\nd") == ["a\r\n", "b\r", "c\n", "\n", "d"]
