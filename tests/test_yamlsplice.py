"""Splicing a rewrite into the user's YAML: the same data as the whole rewrite, the user's lines kept,
whatever indentation the user writes with."""
from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import git, run_gitspec
from gitspec.errors import GitspecError
from gitspec.hashing import value_hash
from gitspec.yamlread import read_yaml
from gitspec.yamlsplice import splice
from gitspec.yamlwrite import update_document

# (mapping, sequence, offset) as ruamel's YAML.indent takes them: 2, 3 and 4 spaces, sequences
# indented under their key or not
STYLES = [(2, 4, 2), (2, 2, 0), (3, 3, 1), (3, 5, 3), (4, 4, 2), (4, 6, 4), (4, 4, 0)]

_scalars = st.one_of(st.sampled_from(["x", "two words", "multi\nline\n", "é", ""]), st.integers(-5, 5),
                     st.booleans(), st.none())
_keys = st.sampled_from(["k1", "k2", "k3", "k4"])
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, min_size=1, max_size=3), st.dictionaries(_keys, inner, min_size=1, max_size=3)), max_leaves=8)
_sections = st.dictionaries(st.sampled_from(["s1", "s2", "s3", "s4"]), _values, min_size=1, max_size=4)


def _dump(data: dict, style: tuple[int, int, int], comments: bool) -> str:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    mapping, sequence, offset = style
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    # ruamel writes None as nothing at all, after which its reader drops the comment below (a bug of its own)
    yaml.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "~"))
    out = io.StringIO()
    yaml.dump(data, out)
    text = out.getvalue()
    if comments:  # a comment above each section and stamp, at its key's indentation
        text = re.sub(r"(?m)^( *)(s[0-9]):", r"\1# about \2\n\1\2:", text)
    return text


def _stamp(value) -> dict:
    return {"stage": "st", "version": "1", "output": value_hash(value)[:12], "inputs": {"a#b": "h"}}


def _section_lines(text: str, key: str) -> str:
    """The lines of top-level `key`, from its own line to the next top-level line."""
    lines = text.splitlines(keepends=True)
    start = next(at for at, line in enumerate(lines) if line.startswith(key + ":"))
    end = next((at for at in range(start + 1, len(lines)) if lines[at][:1] not in (" ", "\n", "#", "-")), len(lines))
    return "".join(lines[start:end])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sections=_sections, changed=_sections, style=st.sampled_from(STYLES), comments=st.booleans())
def test_a_rewrite_holds_what_the_whole_rewrite_does_and_keeps_the_untouched_lines(sections, changed, style,
                                                                                      comments):
    document = {"kind": "notes", "id": "n", "title": "N", "generated": {k: _stamp(v) for k, v in sections.items()},
                **sections}
    text = _dump(document, style, comments)
    changed = {k: v for k, v in changed.items() if k in sections}
    written = update_document(text, {}, changed, {k: _stamp(v) for k, v in changed.items()})
    expected = {**document, **changed, "generated": {**document["generated"], **{k: _stamp(v) for k, v in
                                                                                  changed.items()}}}
    assert value_hash(read_yaml(written).value) == value_hash(expected)
    for key in sections:
        if key not in changed or value_hash(changed[key]) == value_hash(sections[key]):
            assert _section_lines(text, key) in written, key


def test_changed_stamps_in_a_four_space_document_keep_its_indentation():
    old = ("kind: notes\nid: n\ntitle: N\ngenerated:\n    a:\n        stage: s\n        output: x\n"
           "    b:\n        stage: s\n        inputs:\n            a#b: h\n        output: y\n"
           "a: one\nb:\n    k: 1\n    j:\n        - 2\n")
    written = update_document(old, {}, {"b": {"k": 3, "j": [2]}},
                              {"b": {"stage": "s", "inputs": {"a#b": "i"}, "output": "z"}})
    assert written == old.replace("output: y", "output: z").replace("a#b: h", "a#b: i").replace("k: 1", "k: 3")


def test_a_document_end_marker_is_kept_when_the_last_key_changes():
    old = "---\nkind: notes\nid: n\ntitle: N\na: one  # mine\nb: two\n...\n"
    new = "---\nkind: notes\nid: n\ntitle: N\na: one  # mine\nb: three\n"
    assert splice(old, new, "a test", {"b"}) == old.replace("b: two", "b: three")


def test_what_cannot_be_spliced_exactly_is_the_whole_rewrite():
    old = "kind: notes\nid: n\ntitle: N\ngenerated: {a: {stage: s}, b: {stage: s}}\na: one\nb: two\n"
    new = "kind: notes\nid: n\ntitle: N\ngenerated: {a: {stage: t}, b: {stage: s}}\na: one\nb: two\n"
    assert splice(old, new, "a test", {"generated"}) == new


def test_a_rewrite_that_would_change_a_key_it_does_not_write_is_refused_naming_that_key():
    # Before, any key whose value the whole rewrite changed was taken from it: where ruamel read a value of
    # the user's otherwise than gitspec does (2026-01-01T10:00:00.000000001 as a date), it was silently lost.
    old = "kind: notes\nid: n\ntitle: N\nmine:\n  at: 2026-01-01T10:00:00.000000001\nb: two\n"
    new = old.replace(".000000001", "").replace("b: two", "b: three")
    assert splice(old, new, "a test", {"b", "mine"}) == new
    with pytest.raises(GitspecError) as refused:
        splice(old, new, "regenerating b", {"b"})
    assert (refused.value.line, refused.value.col, refused.value.exit_code) == (4, 1, 2)
    assert refused.value.message == ("regenerating b would also change 'mine', which it must leave as written; "
                                     "the file is left as it was (quoting the values in 'mine' may help)")
    with pytest.raises(GitspecError, match="would also change 'added'"):
        splice(old, old + "added: 1\n", "pinning b", {"pinned"})
    with pytest.raises(GitspecError, match="^pinning b would write YAML that gitspec cannot read back"):
        splice(old, old.replace("b: two", "b: !!int 0o-17"), "pinning b", {"b"})  # (as ruamel wrote -0o17)


def test_build_regenerates_sections_of_a_document_indented_by_four_spaces(example):
    from ruamel.yaml import YAML

    brand = example / "specs" / "brand.yaml"
    yaml = YAML()
    yaml.indent(mapping=4, sequence=6, offset=4)
    yaml.width = 4096
    data = yaml.load(brand.read_text())
    with brand.open("w") as handle:
        yaml.dump(data, handle)
    git(example, "commit", "-qam", "brand indented by 4")
    untouched = _section_lines(brand.read_text(), "archetype")
    _new_tagline(example)

    built = run_gitspec(example, "build", "--no-render")
    assert built.code == 0, built
    assert "regenerated brand#" in built.out, built
    assert run_gitspec(example, "status").code == 0
    assert "regenerated brand#archetype" not in built.out
    assert untouched in brand.read_text()


def test_build_writes_what_it_changes_in_a_four_space_document_at_four_spaces(example):
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=4, sequence=6, offset=4)
    yaml.width = 4096
    for path in (example / "specs").glob("*.yaml"):
        data = yaml.load(path.read_text())
        with path.open("w") as handle:
            yaml.dump(data, handle)
    git(example, "commit", "-qam", "specs indented by 4")
    _new_tagline(example)

    built = run_gitspec(example, "build", "--no-render")
    assert built.code == 0, built
    changed = git(example, "diff", "--name-only").split()
    assert {"specs/brand.yaml", "specs/launch.yaml", "specs/assembly.yaml"} <= set(changed)
    for name in changed:
        assert _steps((example / name).read_text()) == {(4,), (6, 4)}, name


def _steps(text: str) -> set[tuple[int, ...]]:
    """How far each block mapping nested under a key is indented from it, and each block sequence's
    items and dashes (the mapping and sequence steps of ruamel's YAML.indent)."""
    import yaml

    steps, nodes = set(), [yaml.compose(text)]
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.SequenceNode):
            nodes += node.value
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            continue
        for key, value in node.value:
            nodes.append(value)
            column = key.start_mark.column
            if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
                steps.add((value.value[0][0].start_mark.column - column,))
            elif isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
                first = value.value[0]
                item = first.value[0][0] if isinstance(first, yaml.MappingNode) and first.value else first
                steps.add((item.start_mark.column - column, value.start_mark.column - column))
    return steps


def _new_tagline(example) -> None:
    """Change the example product's tagline: brand, launch and assembly are regenerated from it."""
    product = example / "specs" / "product.yaml"
    text = product.read_text()
    tagline = next(line for line in text.splitlines() if line.startswith("tagline:"))
    product.write_text(text.replace(tagline, "tagline: Billing you can read at a glance"))
