"""Section hashes ignore formatting: key order, quoting, flow or block style, line endings."""
from __future__ import annotations

import random

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gitspec.documents import parse_document
from gitspec.hashing import normalise_text, value_hash
from gitspec.yamlread import read_yaml

# Control characters and Unicode line separators are YAML line breaks, not text.
text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=False, allow_infinity=False), text)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(text.filter(bool), inner, max_size=4)), max_leaves=20)


class _Dumper(yaml.SafeDumper):
    pass


def _dump(value, style: str | None, flow: bool, seed: int) -> str:
    """The same data written another way: shuffled keys, another quote style, flow or block."""
    rng = random.Random(seed)

    def shuffle(node):
        if isinstance(node, dict):
            items = list(node.items())
            rng.shuffle(items)
            return {k: shuffle(v) for k, v in items}
        if isinstance(node, list):
            return [shuffle(v) for v in node]
        return node

    dumper = type("D", (_Dumper,), {})
    if style:
        dumper.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style=style))
    return yaml.dump({"section": shuffle(value)}, Dumper=dumper, sort_keys=False, default_flow_style=flow,
                     allow_unicode=True, width=10**6)


@settings(max_examples=200, deadline=None)
@given(values, st.sampled_from([None, '"', "'"]), st.booleans(), st.integers(0, 1000))
def test_reformatting_never_changes_a_hash(value, style, flow, seed):
    plain, other = read_yaml(_dump(value, None, False, 0)), read_yaml(_dump(value, style, flow, seed))
    # PyYAML (YAML 1.1) leaves '08' or '1e3' unquoted; gitspec reports such plain
    # scalars rather than guess what they mean, which is what this test must allow.
    assume(not plain.ambiguous and not other.ambiguous)
    plain, other = plain.value["section"], other.value["section"]
    assert value_hash(plain) == value_hash(other) == value_hash(value)


@given(values, values)
def test_different_values_have_different_hashes(a, b):
    if a != b and not (isinstance(a, bool) or isinstance(b, bool)):
        assert value_hash(a) != value_hash(b) or repr(a) == repr(b) or str(a) == str(b)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="abc #-*`\n", max_size=15), max_size=6), st.sampled_from(["\n", "\r\n"]),
       st.sampled_from(["", " ", "\t  "]))
def test_markdown_sections_ignore_line_endings_and_trailing_space(lines, newline, trailing):
    body = "\n".join(line.replace("\n", " ").lstrip("#") for line in lines)
    plain = f"---\nkind: prd\nid: p\n---\n# T\n## Problem\n{body}\n"
    messy = plain.replace("\n", f"{trailing}\n").replace("\n", newline)
    a = parse_document("p.md", plain.encode()).section_hashes()
    b = parse_document("p.md", messy.encode()).section_hashes()
    assert a == b


def test_normalise_text():
    assert normalise_text("\n\nA  \r\nB\t\r\n\n") == "A\nB"


def test_yaml_and_flow_styles_hash_alike():
    block = parse_document("a.yaml", b"kind: x\nid: a\nitems:\n  - {b: 1, a: 'two'}\n")
    flow = parse_document("a.yaml", b'{id: a, kind: x, items: [{a: "two", b: 1}]}\n')
    assert block.section_hashes() == flow.section_hashes()


@pytest.mark.parametrize("text", ["0E0", "1e3", "-2E+5", "1.5e3", ".5e3"])
def test_exponents_yaml_1_1_reads_as_text_are_reported_unquoted(text):
    """PyYAML writes these strings unquoted (YAML 1.1 has no float without a dot or with an
    unsigned exponent), so reading them as numbers would change a value's hash."""
    tree = read_yaml(f"section: {text}\n")
    assert [problem.rule for problem in tree.ambiguous] == ["ambiguous-scalar"]
    assert tree.value["section"] == float(text)  # as YAML 1.2 reads it
    quoted = read_yaml(f"section: '{text}'\n")
    assert quoted.value["section"] == text and not quoted.ambiguous
    assert read_yaml("section: 1.5e+3\n").value["section"] == 1500.0
