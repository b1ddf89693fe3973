"""Atomic writes: the old file or the new one, never half; never over an edit made meanwhile."""
from __future__ import annotations

from gitspec.atomic import create_new, write_atomic


def test_a_write_that_finds_the_file_changed_at_the_last_moment_leaves_it_alone(tmp_path):
    target = tmp_path / "design.yaml"
    target.write_text("theirs\n")

    def edited_meanwhile() -> bool:  # as a user saving while the new text was being written
        target.write_text("theirs, edited\n")
        return False

    assert write_atomic(target, b"ours\n", still=edited_meanwhile) is False
    assert target.read_text() == "theirs, edited\n" and [p.name for p in tmp_path.iterdir()] == ["design.yaml"]
    assert write_atomic(target, b"ours\n", still=lambda: True) is True and target.read_text() == "ours\n"


def test_a_new_file_never_replaces_one_made_meanwhile(tmp_path):
    target = tmp_path / "specs" / "brand.yaml"
    assert create_new(target, b"ours\n") and target.read_text() == "ours\n"
    assert not create_new(target, b"again\n") and target.read_text() == "ours\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["brand.yaml"]


def test_a_name_near_the_longest_a_file_system_takes_is_written(tmp_path):
    # Before, the temp file `.<name>.<12 hex>.tmp` was 18 bytes longer than the name: a legal name of
    # 243 bytes failed with "File name too long".
    target = tmp_path / ("a" * 250 + ".md")
    assert create_new(target, b"new\n") and target.read_text() == "new\n"
    assert write_atomic(target, b"again\n") and target.read_text() == "again\n"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
