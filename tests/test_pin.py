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


def test_unpin_removes_a_section_listed_twice_and_check_names_the_second_entry(ws):
    # Before, unpin said "unpinned" but removed one entry: the section stayed pinned, and check said nothing.
    root, env, derived = ws
    line = _put_pinned(derived, "pinned: [shout, length, shout]")
    check = run_gitspec(root, "check", env=env)
    assert check.code == 0, check
    assert check.out == f"specs/derived.yaml:{line}:25: warning: 'pinned' lists 'shout' twice [pinned-duplicate]\n"
    derived.write_text(derived.read_text().replace("shout: HELLO", "shout: MINE"))

    unpinned = run_gitspec(root, "pin", "--unpin", "derived#shout", env=env)
    assert (unpinned.code, unpinned.err) == (0, "gitspec: derived#shout unpinned\n"), unpinned
    assert "\npinned: [length]\nshout: MINE\n" in derived.read_text()
    status = run_gitspec(root, "status", env=env)
    assert "derived#shout: hand-edited\n" in status.out, status


def test_pin_and_unpin_keep_a_flow_pinned_list_and_its_comment_as_build_does(ws):
    # Before, both rewrote `pinned: [length]  # why` as a block list, the comment moved onto the `pinned:` line.
    root, env, derived = ws
    _put_pinned(derived, "pinned: [length]  # the length is mine\n# checked by hand")
    derived.write_text(derived.read_text().replace("shout: HELLO", "shout: MINE").replace("length: 5", "length: 9"))
    before = derived.read_text()

    assert run_gitspec(root, "pin", "derived#shout", env=env).code == 0
    pinned = before.replace("pinned: [length]  # the length", "pinned: [length, shout] # the length")
    assert derived.read_text() == pinned
    assert run_gitspec(root, "pin", "--unpin", "derived#shout", env=env).code == 0
    assert derived.read_text() == before.replace("[length]  #", "[length]        #")  # the comment where it was
    assert run_gitspec(root, "pin", "--unpin", "derived#length", env=env).code == 0
    unpinned = derived.read_text()
    assert "pinned" not in unpinned and "\n# the length is mine\n# checked by hand\nshout: MINE\n" in unpinned


def test_check_names_an_entry_of_pinned_that_is_no_section(ws):
    root, env, derived = ws
    line = _put_pinned(derived, "pinned:\n  - length\n  - shuot  # misspelt")
    check = run_gitspec(root, "check", env=env)
    assert check.code == 0, check
    assert check.out == (f"specs/derived.yaml:{line + 2}:5: warning: 'pinned' lists 'shuot', which is no section "
                         "of derived [pinned-unknown]\n"), check


def test_check_warns_of_a_pinned_section_whose_stage_options_changed_as_build_does(ws):
    # Before, status and build said so, while check, which calls the same change stale in an unpinned
    # section, said nothing of the pinned one.
    root, env, derived = ws
    derived.write_text(derived.read_text().replace("shout: HELLO", "shout: MINE"))
    assert run_gitspec(root, "pin", "derived#shout", env=env).code == 0
    with open(root / "gitspec.yaml", "a") as config:
        config.write("plugins:\n  upper: {seconds: 0}\n")
    line = derived.read_text().splitlines().index("shout: MINE") + 1
    check = run_gitspec(root, "check", env=env)
    warned = "derived#shout is pinned, but stage options changed"
    assert f"specs/derived.yaml:{line}:1: warning: {warned} [pinned-stale]\n" in check.out, check
    assert "derived#length is stale: stage options changed" in check.out, check
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0 and f"warning: {warned}\n" in built.err, built


# Plain scalars that gitspec reads as YAML 1.2 does and ruamel's own loader reads otherwise (as a number, a
# date, a null), each as a value and as a key.
AS_WRITTEN = ["-0o17", "-0x1F", "-0b101", "2026-01-01T10:00:00.000000001+05:30", "2026-01-01   10:00:00",
              ".5e3", "+0x1F_", "1__0", "685.230_15e+03", "Null", "TRUE"]


def _mine() -> str:
    """A section of the user's holding every one of AS_WRITTEN, in a block and in a flow collection."""
    keys = "".join(f"    {text}: {text}\n" for text in AS_WRITTEN)
    return f"mine:\n  listed:\n{''.join(f'    - {text}' + chr(10) for text in AS_WRITTEN)}  keyed:\n{keys}" \
           f"  flow: [{', '.join(AS_WRITTEN[:3])}, {{{AS_WRITTEN[0]}: {AS_WRITTEN[5]}}}]\n"


def test_pin_and_build_keep_every_plain_scalar_of_a_section_they_do_not_write_byte_for_byte(ws):
    # Before, ruamel's reading of these came back written its own way: pin and build crashed on -0o17
    # ("internal error (YamlProblem: '0o-17' is not a valid int)", exit 3) and silently changed the others
    # (2026-01-01T10:00:00+05:30, ".5e3", 0x1F, null, true, `!!int '0o-17':` as a key).
    root, env, derived = ws
    derived.write_text(derived.read_text() + _mine())
    before = derived.read_text()
    checked = run_gitspec(root, "check", env=env)  # (-0x1F and others as values: ambiguous-scalar errors)
    assert checked.code == 1 and all(line.endswith("[ambiguous-scalar]") for line in checked.out.splitlines())

    pinned = run_gitspec(root, "pin", "derived#shout", env=env)
    assert (pinned.code, pinned.out) == (0, ""), pinned
    assert derived.read_text() == before.replace("\nshout:", "\npinned:\n  - shout\nshout:", 1)
    built = run_gitspec(root, "build", "--force", "derived#shout", env=env)
    assert (built.code, built.out) == (1, "regenerated derived#shout\n"), built
    assert checked.out in built.err, built
    assert derived.read_text() == before
