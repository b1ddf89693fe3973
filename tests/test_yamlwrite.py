"""Rewriting YAML documents (pure text in, text out): what the user wrote around a rewritten value stays."""
from __future__ import annotations

from gitspec.yamlread import read_yaml
from gitspec.yamlwrite import set_pinned, update_document

DOC = """kind: notes
id: derived
title: Derived
generated:
  shout:
    stage: upper
    output: old
pinned:
  - shout  # until launch
# after the pinned list
shout:
  headline: x  # on the headline
  # before sub
  sub: old
  gone: z  # about gone
# above length
length: 5  # eol of length
# above last
last:
  - a
  - b
# end of file
"""


def test_comments_in_and_around_replaced_values_are_all_kept():
    written = update_document(DOC, {}, {"shout": {"headline": "X", "sub": "why"}, "length": [1], "last": ["c"]},
                              {"shout": {"stage": "upper", "output": "new"}}, unpinned=("shout",))
    assert "\npinned:" not in written and "output: new" in written
    assert written.count("# after the pinned list") == 1
    for comment in ("# until launch", "# after the pinned list",
                    "  headline: X  # on the headline\n  # before sub\n  sub: why\n",
                    "# about gone", "# above length\nlength:", "# eol of length", "# above last\nlast:\n  - c\n"):
        assert comment in written, comment
    assert written.endswith("# end of file\n")


def test_unpinning_keeps_the_comment_after_the_pinned_list():
    written = set_pinned(DOC, "shout", False)
    assert "\npinned:" not in written and "# until launch\n# after the pinned list\nshout:" in written
    assert written.count("# after the pinned list") == 1


def test_pinning_rewrites_only_the_lines_of_the_pinned_list():
    doc = ("kind: notes\nid: d\ntitle: D\ngenerated:\n  a: {stage: s}\nnotes: |\n  # in the text\n\n"
           "# about a\na: [x,  'y', ~]  # spaced\n")
    pinned = set_pinned(doc, "a", True)
    assert pinned == doc.replace("notes: |", "pinned:\n  - a\nnotes: |")
    assert set_pinned(pinned, "a", False) == doc
    last = doc + "pinned: [b]  # for now\n"
    assert set_pinned(last, "a", True) == doc + "pinned: [b, a] # for now\n"  # a flow list stays one
    assert set_pinned(doc + "pinned: []  # none yet\n", "a", True) == doc + "pinned: [a] # none yet\n"
    block = doc + "pinned:\n  - b  # first\n# below\n"
    assert set_pinned(block, "a", True) == doc + "pinned:\n  - b  # first\n  - a\n# below\n"


def test_a_rewrite_keeps_the_lines_of_every_stamp_and_key_whose_value_stays():
    doc = ("kind: notes\nid: d\ntitle: D\ngenerated:\n  a: {stage: s,  output: x}  # reviewed\n"
           "  b:\n    stage: s\n    output: old\n# about a\na: {on: 'y',  n: ~}\nb:\n  kept: [1,  2]\n"
           "  changed: Old\n  also: ~\n")
    sections = {"a": {"on": "y", "n": None}, "b": {"kept": [1, 2], "changed": "New", "also": None}}
    expected = doc.replace("output: old", "output: new").replace("changed: Old", "changed: New")
    assert update_document(doc, {}, sections, {"b": {"stage": "s", "output": "new"}}) == expected
    crlf = doc.replace("\n", "\r\n")
    assert update_document(crlf, {}, sections, {"b": {"stage": "s", "output": "new"}}) == \
        expected.replace("\n", "\r\n")
    added = update_document(crlf, {}, {"c": "added"}, {"c": {"stage": "s"}})  # a new stamp: ruamel moves a comment
    assert added.endswith("\r\na: {on: 'y',  n: ~}\r\nb:\r\n" + crlf.split("\r\nb:\r\n")[1] + "c: added\r\n")
    assert added.count("# about a") == 1 and "\n" not in added.replace("\r\n", "")


def test_an_anchor_an_alias_refers_to_stays_on_an_unchanged_value_of_a_regenerated_section():
    doc = "kind: notes\nid: d\ntitle: D\napi:\n  info:\n    version: &ver 1.0.0\n    title: X\nmine:   *ver\n"
    written = update_document(doc, {}, {"api": {"info": {"version": "1.0.0", "title": "Y"}}}, {"api": {"stage": "s"}})
    assert written == doc.replace("title: D\n", "title: D\ngenerated:\n  api:\n    stage: s\n").replace(
        "title: X", 'title: "Y"')


def test_a_flow_style_generated_header_is_written_in_block_style_all_through():
    old = ("kind: notes\nid: n\ntitle: N\ngenerated: {a: {stage: s, inputs: {x#y: h}}, b: {stage: s}}  # stamps\n"
           "a: one\nb: two\n")
    written = update_document(old, {}, {"b": "three"}, {"b": {"stage": "t"}})
    assert written == ("kind: notes\nid: n\ntitle: N\n# stamps\ngenerated:\n  a:\n    stage: s\n    inputs:\n"
                       "      x#y: h\n  b:\n    stage: t\na: one\nb: three\n")


def test_characters_gitspecs_reader_refuses_raw_are_written_escaped_in_double_quotes():
    # Before, U+2028 was written raw (in a plain, quoted or block scalar) and gitspec's own re-read of the
    # rewrite refused it: an internal error, exit 3.
    values = {"lsep": "Billing\u2028dashboard", "psep": "a\u2029b", "nel": "a\x85b", "nul": "a\x00b",
              "bell": "one\ntwo\x07\n", "cr": "a\rb", "bom": "a\ufeffb", "nested": {"k\u2028": ["x\u2028y"]}}
    old = "kind: notes\nid: n\ntitle: N\n# kept\nlsep: old\nother: 1  # kept too\n"
    for written in (update_document(None, {"kind": "notes", "id": "n", "title": "N"}, values, {}),
                    update_document(old, {}, values, {})):
        assert read_yaml(written).value | values == read_yaml(written).value
        assert 'lsep: "Billing\\u2028dashboard"\n' in written and 'psep: "a\\u2029b"\n' in written
        assert 'nel: "a\\x85b"\n' in written and 'bell: "one\\ntwo\\a\\n"\n' in written
    assert written.startswith("kind: notes\nid: n\ntitle: N\n# kept\n") and "other: 1  # kept too\n" in written


def test_a_block_or_quoted_value_rewritten_with_a_character_to_escape_is_written_escaped():
    """ruamel keeps an old value's style for the new one: a `|` block (how gitspec writes text of several
    lines) or a '…' value then took U+2028 or a control character raw, and the rewrite's check failed (exit 3)."""
    old = ("kind: notes\nid: n\ntitle: N\nblock: |\n  Line one\n  Line two\nfolded: >\n  One\n  two\n"
           "single: 'quoted'\n")
    for new in ("Line\u2028one\n", "a\x85b", "one\ntwo\x07\n", "a\x7fb", "a\rb"):
        values = {"block": new, "folded": new, "single": new}
        written = update_document(old, {}, values, {})
        assert read_yaml(written).value | values == read_yaml(written).value, (new, written)
