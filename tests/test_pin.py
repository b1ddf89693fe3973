"""`gitspec pin` on YAML documents, as a user meets it, with the test pipeline of tests/test_build.py:

source#text --upper--> derived#shout, derived#length
"""
from __future__ import annotations

import pytest

from conftest import run_gitspec

SOURCE = "kind: notes\nid: source\ntitle: Source\ntext: hello\n"


@pytest.fixture
def ws(repo, stage_plugin):
    """A built workspace whose derived.yaml holds the stamped sections shout and length."""
    root = repo({"specs/source.yaml": SOURCE}, config="specs: [specs]\nformats: []\n")
    assert run_gitspec(root, "build", env=stage_plugin).code == 0
    return root, stage_plugin, root / "specs" / "derived.yaml"


def _put_pinned(path, pinned: str) -> int:
    """`pinned` written just above the shout section; the line it is on."""
    text = path.read_text()
    path.write_text(text.replace("\nshout:", f"\n{pinned}\nshout:", 1))
    return path.read_text().splitlines().index(pinned.splitlines()[0]) + 1


@pytest.mark.parametrize("verb", [("pin",), ("pin", "--unpin")])
def test_pin_refuses_a_pinned_that_is_not_a_list_naming_its_line_and_leaves_the_file(ws, verb):
    root, env, derived = ws
    line = _put_pinned(derived, "pinned: length")  # one section, written without the list around it
    before = derived.read_bytes()
    result = run_gitspec(root, *verb, "derived#shout", env=env)
    assert (result.code, result.out) == (1, ""), result
    assert result.err == (f"specs/derived.yaml:{line}:9: error: cannot {verb[-1].lstrip('-')} derived#shout: "
                          "'pinned' must be a list of section ids, as [shout], not 'length'; correct it first\n")
    assert derived.read_bytes() == before
