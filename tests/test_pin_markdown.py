"""`gitspec pin` on a generated region of a Markdown document, as a user meets it.

A test plugin's `digest` stage writes two regions of specs/journal.md from facts#text:
facts#text --digest--> journal#summary, journal#headline
"""
from __future__ import annotations

import os

import pytest

from conftest import JOURNAL_SCHEMA, install_plugin, run_gitspec

PLUGIN = '''
from pathlib import Path
from gitspec import hookimpl
from gitspec.kinds import Kind
from gitspec.stage import Output, Stage

def digest(inp):
    facts = inp.get("facts#text", "")
    return {"summary": "The facts say **" + facts + "**.\\n", "headline": "Facts: " + facts}

@hookimpl
def gitspec_kinds():
    return [Kind("journal", Path(__file__).with_name("journal.schema.json"))]

@hookimpl
def gitspec_stages():
    return [Stage("digest", "1", "journal", "journal", "Journal", ("facts#text",),
                  (Output("summary", ("facts#text",)), Output("headline", ("facts#text",))), digest)]
'''


# Rendering has its own tests; these are about generated regions only.
CONFIG = "specs: [specs]\nformats: []\n"
JOURNAL = "---\nkind: journal\nid: journal\n---\n# Journal\n\n## Notes\nWritten by hand.\n"


def facts(text: str) -> str:
    return f"kind: journal\nid: facts\ntitle: Facts\ntext: {text}\n"


@pytest.fixture
def ws(repo, tmp_path):
    """A built workspace whose journal.md holds two generated regions, and the plugin's environment."""
    env = install_plugin(tmp_path / "mdplugin", "mdpin", {"mdpin.py": PLUGIN,
                                                       "journal.schema.json": JOURNAL_SCHEMA})
    root = repo({"specs/facts.yaml": facts("calm"), "specs/journal.md": JOURNAL}, config=CONFIG)
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0, built
    return root, env, root / "specs" / "journal.md"


def _edit(path, old: str, new: str) -> None:
    text = path.read_bytes().decode()
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode())


def _changed_lines(before: bytes, after: bytes) -> list[tuple[bytes, bytes]]:
    old, new = before.split(b"\n"), after.split(b"\n")
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new) if a != b]


def test_pin_keeps_a_hand_edit_through_later_builds_until_forced(ws):
    root, env, journal = ws
    _edit(journal, "**calm**", "**calm, mostly**")
    assert "journal#summary: hand-edited" in run_gitspec(root, "status", env=env).out
    before = journal.read_bytes()

    pinned = run_gitspec(root, "pin", "journal#summary", env=env)
    assert pinned.code == 0, pinned
    assert pinned.err == "gitspec: journal#summary pinned\n"
    (old, new), = _changed_lines(before, journal.read_bytes())  # one line: the summary's marker
    assert old.startswith(b"<!-- gitspec:generated {") and b'"pinned"' not in old
    assert new == old.replace(b',"provider"', b',"pinned":true,"provider"', 1)
    assert "journal#summary: pinned" in run_gitspec(root, "status", "--all", env=env).out
    assert run_gitspec(root, "check", env=env).out == ""  # a pinned edit is not reported while inputs hold

    (root / "specs" / "facts.yaml").write_text(facts("stormy"))
    build = run_gitspec(root, "build", env=env)
    assert build.code == 0, build
    text = journal.read_text()
    assert "**calm, mostly**" in text and "Facts: stormy" in text  # the edit kept, its sibling regenerated
    assert "regenerated journal#headline" in build.out and "regenerated journal#summary" not in build.out
    assert "warning: journal#summary is pinned, but its inputs changed: facts#text" in build.err
    check = run_gitspec(root, "check", env=env)
    assert "journal#summary is pinned, but its inputs changed: facts#text" in check.out

    forced = run_gitspec(root, "build", "--force", "journal#summary", env=env)
    assert forced.code == 0, forced
    text = journal.read_text()
    assert "**stormy**" in text and "calm, mostly" not in text and '"pinned"' not in text
    assert run_gitspec(root, "status", env=env).out == ""
    assert run_gitspec(root, "check", env=env).code == 0


def test_unpinned_hand_edit_with_changed_inputs_is_a_conflict(ws):
    root, env, journal = ws
    _edit(journal, "**calm**", "**calm, mostly**")
    (root / "specs" / "facts.yaml").write_text(facts("stormy"))
    before = journal.read_bytes()
    conflict = run_gitspec(root, "build", env=env)
    assert conflict.code == 1 and "conflict: journal#summary was edited by hand" in conflict.err
    assert journal.read_bytes() == before
    assert run_gitspec(root, "pin", "journal#summary", env=env).code == 0
    assert run_gitspec(root, "build", env=env).code == 0
    assert "**calm, mostly**" in journal.read_text() and "Facts: stormy" in journal.read_text()


def test_unpin_restores_the_file_and_the_conflict(ws):
    root, env, journal = ws
    _edit(journal, "**calm**", "**calm, mostly**")
    before = journal.read_bytes()
    assert run_gitspec(root, "pin", "journal#summary", env=env).code == 0
    assert run_gitspec(root, "pin", "journal#summary", env=env).code == 0  # twice: no change
    unpinned = run_gitspec(root, "pin", "--unpin", "journal#summary", env=env)
    assert unpinned.code == 0 and unpinned.err == "gitspec: journal#summary unpinned\n"
    assert journal.read_bytes() == before
    (root / "specs" / "facts.yaml").write_text(facts("stormy"))
    assert run_gitspec(root, "build", env=env).code == 1


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_unpin_drops_the_section_from_the_front_matter_pinned_list_as_build_force_does(ws, newline):
    # Before, --unpin refused a section listed under the front matter's `pinned` ("remove it there"),
    # while build --force removed it.
    root, env, journal = ws
    _edit(journal, "id: journal\n", "id: journal\npinned: [summary, headline]  # legal signed off\n")
    _edit(journal, "**calm**", "**calm, mostly**")
    assert run_gitspec(root, "pin", "journal#summary", env=env).code == 0  # in its stamp too
    journal.write_bytes(journal.read_bytes().replace(b"\n", newline.encode()))
    before = journal.read_bytes().decode()
    assert "journal#summary: pinned" in run_gitspec(root, "status", "--all", env=env).out

    unpinned = run_gitspec(root, "pin", "--unpin", "journal#summary", env=env)
    assert (unpinned.code, unpinned.err) == (0, "gitspec: journal#summary unpinned\n"), unpinned
    expected = before.replace("[summary, headline]  #", "[headline]           #").replace(',"pinned":true', "")
    assert journal.read_bytes().decode() == expected
    assert "journal#summary: hand-edited" in run_gitspec(root, "status", env=env).out
    assert run_gitspec(root, "pin", "--unpin", "journal#headline", env=env).code == 0
    assert journal.read_bytes().decode() == expected.replace(f"pinned: [headline]           # legal signed off"
                                                             f"{newline}", f"# legal signed off{newline}")


def test_pin_rewrites_atomically_and_keeps_crlf_line_endings(ws):
    root, env, journal = ws
    journal.write_bytes(journal.read_bytes().replace(b"\n", b"\r\n").replace(b"Facts: calm", b"Facts: calm!"))
    before, inode = journal.read_bytes(), journal.stat().st_ino
    assert run_gitspec(root, "pin", "journal#headline", env=env).code == 0
    after = journal.read_bytes()
    (old, new), = _changed_lines(before, after)
    assert old.endswith(b"-->\r") and new.endswith(b"-->\r") and b'"pinned":true' in new
    assert journal.stat().st_ino != inode  # a new file renamed into place, not rewritten in place
    assert not [name for name in os.listdir(journal.parent) if name.endswith(".tmp")]
    assert "journal#headline: pinned" in run_gitspec(root, "status", "--all", env=env).out


def test_pin_keeps_cr_line_endings(ws):
    # Before, pin on a file saved with CR alone (as old Macs did) found no region: "has no generated region".
    root, env, journal = ws
    journal.write_bytes(journal.read_bytes().replace(b"\n", b"\r").replace(b"Facts: calm", b"Facts: calm!"))
    before = journal.read_bytes()
    pinned = run_gitspec(root, "pin", "journal#headline", env=env)
    assert pinned.code == 0, pinned
    (old, new), = [(a, b) for a, b in zip(before.split(b"\r"), journal.read_bytes().split(b"\r")) if a != b]
    assert new == old.replace(b',"provider"', b',"pinned":true,"provider"', 1)
    assert b"\n" not in journal.read_bytes()
    assert "journal#headline: pinned" in run_gitspec(root, "status", "--all", env=env).out


@pytest.mark.parametrize("address, message", [
    ("journal#nope", "argument ADDRESS: no section journal#nope in the workspace"),
    ("nodoc#text", "argument ADDRESS: no section nodoc#text in the workspace"),
    ("not-an-address", "'not-an-address' is not an address"),
    ("journal#notes", "argument ADDRESS: journal#notes was not generated by gitspec build (no stamp)"),
    ("facts#text", "argument ADDRESS: facts#text was not generated by gitspec build (no stamp)"),
])
def test_pin_refuses_what_it_cannot_pin_in_one_line(ws, address, message):
    root, env, _ = ws
    before = {p.name: p.read_bytes() for p in (root / "specs").iterdir()}
    for args in (("pin", address), ("pin", "--unpin", address)):
        result = run_gitspec(root, *args, env=env)
        if args[1] == "--unpin" and address == "facts#text":
            assert result.code == 0, result  # unpinning a YAML section is allowed (it may be listed)
            continue
        assert result.code == 2, result
        assert result.out == "" and len(result.err.splitlines()) == 1 and message in result.err, result
    assert {p.name: p.read_bytes() for p in (root / "specs").iterdir()} == before


def test_an_example_marker_in_a_code_block_is_neither_read_nor_pinned(ws):
    # Before, status read the example's stamp (a conflict: "facts#text changed") and pin rewrote the
    # example in the user's code block, leaving the region's own marker unpinned.
    root, env, journal = ws
    example = '```\n<!-- gitspec:generated {"stage":"example"} -->\n<!-- gitspec:end -->\n```\n\n'
    _edit(journal, "## Summary\n\n", "## Summary\n\nA marker looks like this:\n\n" + example)
    status = run_gitspec(root, "status", env=env)
    assert "journal#summary: hand-edited\n" in status.out and "changed" not in status.out, status
    before = journal.read_bytes()
    assert run_gitspec(root, "pin", "journal#summary", env=env).code == 0
    (old, new), = _changed_lines(before, journal.read_bytes())
    assert b'"stage":"digest"' in old and new == old.replace(b',"provider"', b',"pinned":true,"provider"', 1)
    assert example.encode() in journal.read_bytes()
    assert "journal#summary: pinned" in run_gitspec(root, "status", "--all", env=env).out


def test_pin_refuses_a_front_matter_pinned_that_is_not_a_list_naming_its_line(ws):
    # Before, pin wrote `"pinned":true` into the region's stamp and said "pinned", but a front matter
    # whose `pinned` is not a list is not read for pins: the section stayed hand-edited.
    root, env, journal = ws
    _edit(journal, "id: journal\n", "id: journal\npinned: headline\n")
    _edit(journal, "**calm**", "**calm, mostly**")
    before = journal.read_bytes()
    result = run_gitspec(root, "pin", "journal#summary", env=env)
    assert (result.code, result.out) == (1, ""), result
    assert result.err == ("specs/journal.md:4:9: error: cannot pin journal#summary: 'pinned' must be a list of "
                          "section ids, as [summary], not 'headline'; correct it first\n"), result
    assert journal.read_bytes() == before


def test_check_names_a_front_matter_pin_listed_twice_or_naming_no_section(ws):
    root, env, journal = ws
    _edit(journal, "id: journal\n", "id: journal\npinned:\n  - headline\n  - headline\n  - sumary\n")
    assert run_gitspec(root, "pin", "journal#summary", env=env).code == 0  # in its stamp: never reported
    check = run_gitspec(root, "check", env=env)
    assert (check.code, check.out) == (0, "specs/journal.md:6:5: warning: 'pinned' lists 'headline' twice "
                                          "[pinned-duplicate]\nspecs/journal.md:7:5: warning: 'pinned' lists "
                                          "'sumary', which is no section of journal [pinned-unknown]\n"), check


@pytest.mark.parametrize("newline", ["\n", "\r"], ids=["lf", "cr"])
def test_build_force_drops_the_section_from_the_front_matter_pinned_list_as_in_yaml(ws, newline):
    # Before, the front matter kept `summary` under `pinned` after --force (a YAML document's list loses
    # it), so the next hand edit of the regenerated section was silently kept as pinned; in a file whose
    # lines end with a CR alone, until now.
    root, env, journal = ws
    _edit(journal, "id: journal\n", "id: journal\npinned: [summary, headline]  # legal signed off\n")
    _edit(journal, "**calm**", "**calm, mostly**")
    journal.write_bytes(journal.read_bytes().replace(b"\n", newline.encode()))
    assert "journal#summary: pinned" in run_gitspec(root, "status", "--all", env=env).out
    forced = run_gitspec(root, "build", "--force", "journal#summary", env=env)
    assert forced.code == 0 and "regenerated journal#summary" in forced.out and "warning" not in forced.err, forced
    text = journal.read_bytes().decode()
    front = "---\nkind: journal\nid: journal\npinned: [headline]           # legal signed off\n---\n# Journal\n"
    assert text.startswith(front.replace("\n", newline)), text  # as a YAML document's `pinned` keeps them
    assert "\n" not in text.replace(newline, "")
    assert "**calm**" in text
    _edit(journal, "**calm**", "**calm, mostly**")
    assert "journal#summary: hand-edited" in run_gitspec(root, "status", env=env).out


def test_build_force_drops_the_section_from_the_pinned_list_of_a_file_in_cr_line_endings(ws):
    # Before, a file saved with CRs alone (old Macs) kept `summary` under `pinned` after --force: the front
    # matter was looked for in LF lines, and the whole file was one.
    root, env, journal = ws
    _edit(journal, "id: journal\n", "id: journal\npinned:\n  - summary\n  - headline  # keep\n")
    _edit(journal, "**calm**", "**calm, mostly**")
    journal.write_bytes(journal.read_bytes().replace(b"\n", b"\r"))
    forced = run_gitspec(root, "build", "--force", "journal#summary", env=env)
    assert forced.code == 0 and "regenerated journal#summary" in forced.out, forced
    data = journal.read_bytes()
    assert data.startswith(b"---\rkind: journal\rid: journal\rpinned:\r  - headline  # keep\r---\r"), data
    assert b"\n" not in data
