"""Merge conflict markers as git writes them, seven characters long or as long as .gitattributes says."""
from __future__ import annotations

from gitspec.conflicts import Conflict, find_conflicts, one_side

LONG = "# Title\n\n<<<<<<<<<< HEAD\nOurs\n=======\nA heading of ours\n==========\nTheirs\n>>>>>>>>>> other\n"


def test_markers_of_conflict_marker_size_10_are_a_conflict():
    # `*.md conflict-marker-size=10`: before, only markers of exactly seven characters were seen
    assert find_conflicts(LONG, markdown=True) == [Conflict(3, 7, 9, 10)]


def test_a_shorter_marker_inside_a_longer_conflict_is_its_text():
    assert one_side(LONG, find_conflicts(LONG, True), ours=True).split("\n")[3:6] == [
        "Ours", "=======", "A heading of ours"]
    assert one_side(LONG, find_conflicts(LONG, True), ours=False).split("\n")[7] == "Theirs"


def test_a_setext_underline_alone_is_not_a_conflict():
    assert find_conflicts("Title\n==========\n\nText\n>>>>>>>>>> not an end\n", markdown=True) == []


def test_the_markers_of_a_conflict_are_as_long_as_its_first():
    text = "<<<<<<<<<< HEAD\nOurs\n=======\nTheirs\n>>>>>>> other\n"
    assert find_conflicts(text) == [Conflict(1, None, None, 10)]  # never closed: the markers are not its own
    diff3 = "<<<<<<<<<< HEAD\nOurs\n|||||||||| base\nBase\n==========\nTheirs\n>>>>>>>>>> other\n"
    assert one_side(diff3, find_conflicts(diff3), ours=True).split("\n")[:6] == ["", "Ours", "", "", "", ""]


def test_long_markers_in_a_fenced_code_block_are_text():
    text = "```text\n<<<<<<<<<< HEAD\n==========\n>>>>>>>>>> other\n```\n"
    assert find_conflicts(text, markdown=True) == []


def test_the_longer_markers_git_nests_in_a_recursive_merges_base_are_text():
    # Found by a review: git's criss-cross merge in diff3 style writes the base's own conflict with markers
    # two characters longer; each was taken for a new conflict, the outer one "never closed", and one_side
    # then blanked the rest of the file (`c: 2` below) on both sides.
    text = ("a: 1\n<<<<<<< HEAD\nb: ours\n||||||| merged common ancestors\n<<<<<<<<< Temporary merge branch 1\n"
            "b: one\n=========\nb: two\n>>>>>>>>> Temporary merge branch 2\n=======\nb: theirs\n>>>>>>> other\nc: 2\n")
    assert find_conflicts(text) == [Conflict(2, 10, 12, 7)]
    assert one_side(text, find_conflicts(text), ours=False).split("\n")[10:13] == ["b: theirs", "", "c: 2"]
