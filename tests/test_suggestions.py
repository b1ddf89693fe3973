"""The "did you mean" guess for unknown ids: difflib's answer, each target weighed once, within a budget."""
from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from gitspec.suggestions import Suggestions, closest
from gitspec.symbols import Definition

IDS = st.text(alphabet="REQTASK-0123456789", max_size=9)


@given(IDS, st.lists(IDS, max_size=30))
def test_closest_is_difflibs_closest_match(word, candidates):
    expected = difflib.get_close_matches(word, candidates, n=1)
    assert closest(word, candidates) == (expected[0] if expected else None)


def test_closest_on_ids_left_dangling_by_a_renumbering():
    ids = [f"TASK-{i}" for i in range(1, 400)]
    for target in ("TASK-1301", "TASK-0007", "TASK-40", "task-12", "REQ-12"):
        expected = difflib.get_close_matches(target, ids, n=1)
        assert closest(target, ids) == (expected[0] if expected else None), target


def definitions(*symbols: tuple[str, str]) -> dict[str, list[Definition]]:
    table: dict[str, list[Definition]] = {}
    for ident, kind in symbols:
        table.setdefault(ident, []).append(Definition(ident, kind, "specs/x.yaml", 1, 1))
    return table


def test_a_guess_is_an_id_of_a_kind_wanted():
    guesses = Suggestions(definitions(("REQ-001", "requirement"), ("TASK-001", "task"), ("reqs", "document")))
    assert guesses.guess("REQ-01", ("requirement",)) == "REQ-001"
    assert guesses.guess("REQ-01", ("task",)) is None
    assert guesses.guess("TASK-01", ("task",)) == "TASK-001"
    assert guesses.guess("reqz", ("document",)) == "reqs"


def test_once_the_budget_is_spent_later_targets_get_no_guess_but_earlier_ones_keep_theirs():
    table = definitions(*((f"TASK-{i}", "task") for i in range(1, 11)), ("REQ-1", "requirement"))
    guesses = Suggestions(table, budget=25)
    assert guesses.guess("TASK-11", ("task",)) == "TASK-1"
    assert guesses.guess("TASK-12", ("task",)) == "TASK-2"
    assert guesses.guess("TASK-11", ("task",)) == "TASK-1"  # asked again: remembered, not weighed again
    assert guesses.guess("TASK-13", ("task",)) is None  # 10 more ids would go over the 25
    assert guesses.guess("REQ-2", ("requirement",)) == "REQ-1"  # 1 id still fits
