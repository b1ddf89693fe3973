"""The fast YAML reader: a plain scalar that YAML 1.1 and YAML 1.2 readers read differently is reported."""
from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gitspec.yamlread import YamlProblem, read_yaml

# gitspec reads dates as text on purpose (YAML 1.1 readers make dates of them), so they are not reported.
_TIMESTAMP = next(pattern for first in "0123456789" for tag, pattern in yaml.resolver.Resolver
                  .yaml_implicit_resolvers.get(first, []) if tag.endswith(":timestamp"))
# A leading zero is reported even where both readers happen to agree (07): YAML 1.1 reads it as octal.
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")
# Booleans in the YAML 1.1 specification that PyYAML, which this test asks, reads as text.
_SPEC_BOOLEANS = {"y", "Y", "n", "N"}
NUMBERLIKE = st.text(alphabet="0123456789_.:+-eEoxb", min_size=1, max_size=7)
WORDS = ["y", "N", "yes", "No", "on", "OFF", "true", "null", "~", "=", ".inf", "-.inf", ".nan"]


def _yaml_1_1(text: str):
    try:
        value = yaml.load(f"v: {text}\n", Loader=yaml.CSafeLoader)["v"]
    except (yaml.YAMLError, ValueError):  # ValueError: PyYAML resolves `0b_` as an int it cannot build
        return "refused"
    return type(value), value


@settings(max_examples=3000, deadline=None)
@given(st.one_of(NUMBERLIKE, st.sampled_from(WORDS)))
def test_a_plain_scalar_is_reported_exactly_when_yaml_1_1_reads_it_otherwise(text):
    try:
        tree = read_yaml(f"v: {text}\n")
    except Exception:  # not a plain scalar at all (`-`, `:`): a syntax error, reported as one
        return
    if _TIMESTAMP.match(text):
        return
    value = tree.value["v"]
    differs = _yaml_1_1(text) != (type(value), value) and value == value  # (nan is nan in both)
    if tree.ambiguous and not differs:
        assert _LEADING_ZERO.fullmatch(text) or text in _SPEC_BOOLEANS, text
    else:
        assert bool(tree.ambiguous) == differs, (text, _yaml_1_1(text), value)


@pytest.mark.parametrize("text", ["0o17", "0b101", "-0x1F", "0x1_F", "1_000", "1_000.5", "-.5", "=", "12:30"])
def test_forms_yaml_1_1_reads_otherwise_are_reported(text):
    assert [problem.rule for problem in read_yaml(f"v: {text}\n").ambiguous] == ["ambiguous-scalar"]


@pytest.mark.parametrize("text", ["0x1F", "15", "-15", "1.5", "1.5e+3", ".5", "0", "0:30", "v1.0", "2024-01-01"])
def test_forms_both_read_alike_are_not_reported(text):
    assert read_yaml(f"v: {text}\n").ambiguous == []


KEYS = ["null", "~", "Null", "NULL", "''", "true", "True", "false", "1", "0x1", "0o1", "1.0", "1e0", "0", "'1'",
        ".inf", ".Inf", ".nan", ".NaN", "yes", "a"]


@pytest.mark.parametrize("first", KEYS)
@pytest.mark.parametrize("second", KEYS)
def test_keys_are_duplicates_exactly_when_ruamel_refuses_them(first, second):
    """Before, `null:` and `~:` (or `1:` and `0x1:`) passed check as two keys, and pin then refused the file."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import DuplicateKeyError

    from gitspec.yamlread import YamlProblem

    text = f"{first}: a\n{second}: b\n"
    try:
        YAML(typ="rt").load(text)
        ruamel_refuses = False
    except DuplicateKeyError:
        ruamel_refuses = True
    try:
        read_yaml(text)
        refused = False
    except YamlProblem as problem:
        assert (problem.rule, problem.line, problem.col) == ("duplicate-key", 2, 1)
        refused = True
    # gitspec's keys are text, so '1' and 1 are one key to it too
    assert refused == (ruamel_refuses or first.strip("'") == second.strip("'")), text


def test_a_quoted_merge_key_is_a_key_of_that_name():
    """Only a plain `<<` is a merge key to YAML 1.1 readers and ruamel; a plain one is refused."""
    from gitspec.yamlread import YamlProblem

    assert read_yaml("a:\n  '<<': 1\n").value == {"a": {"<<": 1}}
    with pytest.raises(YamlProblem) as problem:
        read_yaml("a: &x {p: 1}\nb:\n  <<: *x\n  q: 2\n")
    assert (problem.value.rule, problem.value.line, problem.value.col) == ("yaml-merge-key", 3, 3)


ALIASED = """\
a: &list [x, {k: v}]
b: [1, *list]
c:
  d: *list
  e: {f: *list}
"""


@pytest.mark.parametrize("path, position", [
    (("a", 1, "k"), (1, 18)),  # the anchor's own path
    (("b", 1), (2, 8)), (("b", 1, 1, "k"), (2, 8)),
    (("c", "d", 0), (4, 6)), (("c", "e", "f", 1, "k"), (5, 10)),
])
def test_a_value_reached_through_an_alias_is_located_at_the_alias(path, position):
    assert read_yaml(ALIASED, line_offset=0).locate(path) == position
    assert read_yaml(ALIASED, line_offset=10).locate(path) == (position[0] + 10, position[1])
    if path[0] != "a" and path[-1] == "k":  # a key inside a value reached through an alias: the alias too
        assert read_yaml(ALIASED).locate_key(path[:-1], "k") == position


@pytest.mark.parametrize("text, position", [
    ("a:\n  title: #1 priority\n", (2, 10)),
    ("a:\r\n  hex:\t  #f4f7ff # blue\r\n", (2, 10)),
    ("a:\r  title: #1 priority\r", (2, 10)),  # old Mac line endings: before, an IndexError (exit 3)
    ("a:\n  - #c\n  - x\n", (2, 5)),
    ("a:\n  title:\n  # a comment on its own line\n", None),
    ("a:\n  title: ~ # none\n", None),
    ("a:\n  title: '' # empty\n", None),
    ("a:\n  title: '#1 priority'\n", None),
    ("x: &x\n  title: #1\na: *x\n", None),  # through an alias: the comment is on another path's line
])
def test_a_comment_written_in_place_of_a_value_is_found_at_its_hash(text, position):
    """Before, `title: #1 priority` was reported after the colon with a hint that did not mention comments."""
    key = 0 if "-" in text else "hex" if "hex" in text else "title"
    assert read_yaml(text).value_comment(("a", key)) == position
    if position:
        assert read_yaml(text, line_offset=3).value_comment(("a", key)) == (position[0] + 3, position[1])


@pytest.mark.parametrize("text", ["!!bool yes", "!!bool on", "!!bool 1", "!!null foo", "!!null 0", "!!int 1.5",
                                  "!!int 1_000", "!!int 0b101", "!!int +0x1F", "!!float 1_0", "!!float nan",
                                  "!!float 12:30", '!!bool "yes"'])
def test_a_tagged_value_its_tag_does_not_take_in_yaml_1_2_is_refused_at_its_position(text):
    with pytest.raises(YamlProblem) as refused:
        read_yaml(f"a: 1\nv: {text}\n")
    assert (refused.value.rule, refused.value.line, refused.value.col) == ("yaml-tag", 2, 4)


@pytest.mark.parametrize("text", ["!!bool true", "!!bool False", '!!bool "true"', "!!null null", "!!null ~", "!!null",
                                  "!!int 15", "!!int -15", "!!int 0x1F", "!!float 1", "!!float 1.5e+3", "!!float -.inf",
                                  "!!float .NaN"])
def test_a_tagged_value_yaml_1_2_takes_is_read_as_yaml_1_1_reads_it(text):
    value = read_yaml(f"v: {text}\n").value["v"]
    expected = yaml.load(f"v: {text}\n", Loader=yaml.CSafeLoader)["v"]
    assert (type(value), value) == (type(expected), expected) or value != value and expected != expected


@pytest.mark.parametrize("text", ["!!str no", "!!str y", "!!str 012", "!!str 0o17", "!!str =", "!!str 12:30",
                                  "!!str 1_000", "!!int 012", '!!int "012"', "!!int -012", "!!int 0", "!!int 0o17",
                                  "!!int 0x1F", "!!float 1e5", "!!float -.5", "!!float 1.5e3", "!!bool True",
                                  "&a !!str no", "! no", "&a no"])
def test_a_tagged_value_is_reported_exactly_when_yaml_1_1_reads_it_otherwise(text):
    tree = read_yaml(f"v: {text}\n")
    value = tree.value["v"]
    expected = yaml.load(f"v: {text}\n", Loader=yaml.CSafeLoader)["v"]
    assert [problem.rule for problem in tree.ambiguous] == (
        [] if (type(value), value) == (type(expected), expected) else ["ambiguous-scalar"])


@pytest.mark.parametrize("text", ["no", "On", "012", "1_000", "12:30", "=", "!!int 012"])
def test_a_key_yaml_1_1_reads_otherwise_is_reported_at_the_key(text):
    tree = read_yaml(f"env:\n  python: '3.12'\n  {text}: x\n")
    assert [(p.rule, p.line, p.col) for p in tree.ambiguous] == [("ambiguous-scalar", 3, 3)]
    assert list(tree.value["env"]) == ["python", text.removeprefix("!!int ")]


@pytest.mark.parametrize("text", ["!custom ci-name", "!!python/name:os.system x", "!!bool yes", "!!null foo"])
def test_a_key_with_a_tag_a_value_could_not_have_is_refused_at_the_key(text):
    with pytest.raises(YamlProblem) as refused:
        read_yaml(f"env:\n  python: '3.12'\n  {text}: x\n")
    assert (refused.value.rule, refused.value.line, refused.value.col) == ("yaml-tag", 3, 3)


@pytest.mark.parametrize("text", ["'no'", '"012"', "!!str no", "true", "15", "v1.0", "ci-name"])
def test_a_key_both_read_alike_is_not_reported(text):
    assert read_yaml(f"{{{text}: x}}\n").ambiguous == []
