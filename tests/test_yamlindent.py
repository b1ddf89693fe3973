"""Reading the indentation a YAML text is written with, as ruamel's YAML.indent takes it."""
from __future__ import annotations

import pytest

from gitspec.yamlindent import Indentation, indentation


@pytest.mark.parametrize("text, expected", [
    ("a:\n    b:\n        c: 1\n    d:\n        - x\n", Indentation(4, 6, 4)),
    ("a:\n    b: 1\n    d:\n      - x\n", Indentation(4, 4, 2)),
    ("a:\n   b: 1\nd:\n- x\n- y\n", Indentation(3, 2, 0)),
    ("a:\n  - k: 1\n    j: 2\n", Indentation(2, 4, 2)),
    ("a:\n    b: 1\n", Indentation(4, 6, 4)),  # no sequence: its dash where a mapping's key would be
    ("a: {b: {c: 1}}\nd: [x]\n", Indentation()),  # flow style says nothing
    ("a: 1\n", Indentation()),
    ("a:\n b: 1\n", Indentation()),  # a 1-space step ruamel cannot write: the splice shifts it
])
def test_indentation_is_what_most_block_collections_are_indented_by(text, expected):
    assert indentation(text) == expected


def test_an_anchored_collection_counts_and_an_alias_to_it_says_nothing():
    assert indentation("a: &x\n    b: 1\nc: *x\nd: &y\n  - 1\n") == Indentation(4, 6, 4)
