"""A Markdown document's front matter holds header keys and the sections its kind puts there, its `##` headings
the other sections: never the other way."""
from __future__ import annotations

import json

import pytest

from conftest import run_gitspec
from gitspec.documents import parse_document
from gitspec.frontmatter import Placement

SECTIONS = {"problem": "Problem", "goals": "Goals", "non-goals": "Non-goals", "users": "Users",
            "requirements": "Requirements", "success-metrics": "Success metrics", "risks": "Risks",
            "open-questions": "Open questions"}


def prd(front: str = "", body: str = "") -> str:
    """A valid PRD, with `front` added to its front matter and `body` after its sections."""
    sections = "".join(f"## {heading}\n\nWritten by hand.\n\n" for heading in SECTIONS.values())
    return f"---\nkind: prd\nid: p\ntitle: P\n{front}---\n\n# P\n\n{sections}{body}"


def test_sections_written_as_front_matter_keys_are_missing_sections(repo) -> None:
    # Before, a PRD with no `##` heading passed check when its front matter had a key per section: the
    # page had no sections, and `requirements: REQ-999 must hold` was never looked up.
    front = "".join(f"{name}: {'REQ-999 must hold' if name == 'requirements' else 'Text.'}\n" for name in SECTIONS)
    root = repo({"specs/p.md": f"---\nkind: prd\nid: p\ntitle: P\n{front}---\n\n# P\n"})
    check = run_gitspec(root, "check")
    assert check.code == 1, check
    for line, (name, heading) in enumerate(SECTIONS.items(), start=5):
        assert f"specs/p.md:2:1: error: p: missing required section '{name}' [schema]\n" in check.out, check
        assert (f"specs/p.md:{line}:1: error: p: '{name}' in the front matter is a section, not a header key: "
                f"write it as a '## {heading}' heading with its text under it [schema]\n") in check.out, check
    assert "REQ-999" not in check.out and check.out.count("\n") == 2 * len(SECTIONS), check


@pytest.mark.parametrize("key, text", [("status", "approved"), ("owners", "- Ana"), ("approvals", "none"),
                                       ("pinned", "- problem"), ("generated", "{}"), ("kind", "prd"),
                                       ("product", "p")])
def test_a_heading_named_as_a_header_key_is_no_section(repo, key, text) -> None:
    # Before, `## Status` with the text `approved` stood in for the front matter's `status:` and passed
    # check (and `## Owners`, `## Pinned` ... were checked as those header keys).
    text = prd(body=f"## {key.capitalize()}\n\n{text}\n")
    line = text.splitlines().index(f"## {key.capitalize()}") + 1
    root = repo({"specs/p.md": text})
    check = run_gitspec(root, "check")
    what = "a header key" if key != "product" else "a key of the front matter in this kind"
    assert check.code == 1 and check.out == (
        f"specs/p.md:{line}:1: error: p: '## {key.capitalize()}' cannot be a section: '{key}' is {what}; write it "
        f"in the front matter ({key}: …) [schema]\n"), check


def test_the_same_header_key_in_both_places_is_one_error_at_the_heading(repo) -> None:
    text = prd("status: draft\n", "## Status\n\ndraft\n")
    root = repo({"specs/p.md": text})
    check = run_gitspec(root, "check")
    assert check.code == 1 and check.out == (
        f"specs/p.md:{text.splitlines().index('## Status') + 1}:1: error: p: '## Status' cannot be a section: 'status' is a header key; write it in the "
        "front matter (status: …) [schema]\n"), check


def test_front_matter_keys_are_the_header_and_those_the_schema_marks() -> None:
    schema = {"properties": {"kind": {}, "summary": {"description": "## Summary: what happened."},
                             "mood": {"description": "How it went.", "x-front-matter": True},
                             "next-steps": {"description": "What comes next."}}}
    placement = Placement.of(schema)
    assert placement.sections == {"summary", "next-steps"} and "mood" in placement.front_matter
    text = "---\nkind: journal\nid: j\nsummary: S\nother: o\n---\n\n# J\n\n## Next steps\n\nN\n\n## Mood\n\nM\n"
    document = parse_document("specs/j.md", text.encode())
    assert placement.instance(document) == {"kind": "journal", "id": "j", "other": "o", "title": "J",
                                            "next-steps": "N"}
    assert [(f.line, f.message) for f in placement.misplaced(document)] == [
        (4, "j: 'summary' in the front matter is a section, not a header key: write it as a '## Summary' heading "
            "with its text under it"),
        (14, "j: '## Mood' cannot be a section: 'mood' is a key of the front matter in this kind; write it in the "
             "front matter (mood: …)")]


def test_a_yaml_document_is_as_it_was(repo) -> None:
    text = "kind: prd\nid: p\ntitle: P\nproduct: p\n" + "".join(f"{name}: Text.\n" for name in SECTIONS)
    root = repo({"specs/p.yaml": text.replace("product: p\n", "")})
    check = run_gitspec(root, "check")
    assert check.code == 0, check


def test_a_missing_or_mistyped_key_is_named_for_where_it_belongs(repo) -> None:
    # Before, a Markdown document without `id` was "missing required section 'id'", and a front-matter
    # `problme:` was asked "did you mean 'problem'?", a section, which the front matter cannot hold.
    text = prd("problme: x\nprodcut: x\n").replace("id: p\n", "").replace("## Goals", "## Goasl")
    root = repo({"specs/p.md": text})
    check = run_gitspec(root, "check")
    goasl = text.splitlines().index("## Goasl") + 1
    assert check.code == 1 and check.out == (
        "specs/p.md:2:1: error: missing required key 'id' [schema]\n"
        "specs/p.md:2:1: error: missing required section 'goals' [schema]\n"
        "specs/p.md:4:1: error: unknown key 'problme' [schema]\n"
        "specs/p.md:5:1: error: unknown key 'prodcut' (did you mean 'product'?) [schema]\n"
        f"specs/p.md:{goasl}:1: error: unknown section 'goasl' (did you mean 'goals'?) [schema]\n"), check


def test_a_key_whose_type_allows_no_text_is_the_front_matters(repo) -> None:
    """Found by a review: a workspace kind's `mood: {type: integer}`, or a requirements document written as
    Markdown with its `items:` list, passed before, then was told to become a `##` section, whose text an
    integer or a list can never be."""
    schema = {"type": "object", "required": ["kind", "id", "mood", "summary"],
              "properties": {"kind": {"const": "journal"}, "id": {"type": "string"}, "title": {"type": "string"},
                             "mood": {"type": "integer"}, "tags": {"type": ["array", "null"]},
                             "summary": {"type": "string"}}}
    placement = Placement.of(schema)
    assert {"mood", "tags"} <= placement.front_matter and placement.sections == {"summary"}
    root = repo({"schemas/journal.schema.json": json.dumps(schema),
                 "specs/j.md": "---\nkind: journal\nid: j\ntitle: J\nmood: 4\ntags: [calm]\n---\n\n# J\n\n"
                               "## Summary\n\nA calm day.\n"})
    check = run_gitspec(root, "check")
    assert check.code == 0, check


def test_a_section_also_written_as_a_front_matter_key_is_one_error(repo) -> None:
    """Found by a review: `problem:` in the front matter beside a `## Problem` heading gave two errors, one of
    them saying to write the '## Problem' heading that is there."""
    root = repo({"specs/p.md": prd("problem: Also here.\n")})
    check = run_gitspec(root, "check")
    errors = [line for line in check.out.splitlines() if ": error: " in line]
    assert check.code == 1 and len(errors) == 1 and "[duplicate-section]" in errors[0], check


MD_REQS = ("---\nkind: requirements\nid: reqs\ntitle: Reqs\nitems:\n  - id: REQ-001\n    title: One\n"
           "    statement: The system shall one.\n    acceptance: [a]\n    priority: must\n---\n\n# Reqs\n")
MD_TASKS = ("---\nkind: tasks\nid: tasks\ntitle: Tasks\nitems:\n  - id: TASK-001\n    title: A\n"
            "    requirements: [REQ-002, REQ-404]\n    dependsOn: [TASK-001, TASK-999]\n    status: todo\n"
            "    priority: p1\n    ownerRole: backend\n---\n\n# Tasks\n")


def test_front_matter_keys_but_the_headers_are_sections_as_in_yaml() -> None:
    """The document model, not each reader: a key of the front matter that is no header key is a section,
    as a YAML document's top-level key is, held where the file holds it."""
    document = parse_document("specs/reqs.md", (MD_REQS + "\n## Notes\n\nN\n").encode())
    assert list(document.sections) == ["items", "notes"] and set(document.header) == {"kind", "id", "title"}
    assert document.in_front_matter("items") and not document.in_front_matter("notes")
    assert document.markdown_texts() == {"notes": "N"}
    assert document.locate(("items", 0, "id")) == (6, 9)


def test_a_markdown_documents_front_matter_items_are_defined_and_checked_as_in_yaml(repo) -> None:
    """Found by a hunt: `items` in a Markdown requirements or tasks document's front matter passed check,
    but its ids were never defined (REQ-001 was "unknown" to another file) and its references and
    dependsOn cycle never checked, nor its ids' duplicates."""
    more = ("kind: requirements\nid: more\ntitle: More\nitems:\n  - id: REQ-002\n    title: Two\n"
            "    statement: The system shall two.\n    acceptance: [a]\n    priority: must\n")
    tasks2 = ("kind: tasks\nid: tasks2\ntitle: Tasks 2\nitems:\n  - id: TASK-002\n    title: B\n"
              "    requirements: [REQ-001]\n    status: todo\n    priority: p1\n    ownerRole: backend\n")
    root = repo({"specs/reqs.md": MD_REQS, "specs/more.yaml": more, "specs/tasks.md": MD_TASKS,
                 "specs/tasks2.yaml": tasks2})
    check = run_gitspec(root, "check")
    assert check.code == 1 and check.out == (
        "specs/tasks.md:8:29: error: unknown requirement 'REQ-404' (did you mean 'REQ-002'?) [unknown-reference]\n"
        "specs/tasks.md:9:17: error: dependsOn cycle: TASK-001 → TASK-001 [cycle]\n"
        "specs/tasks.md:9:27: error: unknown task 'TASK-999' (did you mean 'TASK-002'?) [unknown-reference]\n"), check
    (root / "specs/more.yaml").write_text(more.replace("REQ-002", "REQ-001"))
    check = run_gitspec(root, "check")
    assert ("specs/more.yaml:5:9: error: duplicate id 'REQ-001' (also defined at specs/reqs.md:6) [duplicate-id]\n"
            in check.out), check


def test_new_numbers_past_the_ids_a_markdown_front_matter_defines(repo) -> None:
    # Before, `new requirements` started again at REQ-001, which reqs.md defines: a duplicate.
    root = repo({"specs/reqs.md": MD_REQS.replace("REQ-001", "REQ-007")})
    new = run_gitspec(root, "new", "requirements", "more")
    assert new.code == 0, new
    assert "  - id: REQ-008\n" in (root / "specs" / "more.yaml").read_text()
    new = run_gitspec(root, "new", "tasks", "work")
    assert new.code == 0 and "requirements: [REQ-007]" in (root / "specs" / "work.yaml").read_text(), new
    assert run_gitspec(root, "check").code == 0


def test_markdown_evidence_requirements_and_a_yaml_prds_product_are_looked_up(repo) -> None:
    """The same readers, the other way round: a Markdown evidence record's `requirements` (in its front
    matter) and a YAML PRD's `product` (a top-level key) were never looked up."""
    evidence = ("---\nkind: evidence\nid: ev-1\ntitle: Run\nrequirements: [REQ-404]\nsource: run\n"
                "verdict: passed\n---\n\n# Run\n")
    yaml_prd = "kind: prd\nid: p\ntitle: P\nproduct: nosuch\n" + "".join(f"{name}: Text.\n" for name in SECTIONS)
    root = repo({"specs/ev-1.md": evidence, "specs/p.yaml": yaml_prd})
    check = run_gitspec(root, "check")
    assert "specs/ev-1.md:5:16: error: unknown requirement 'REQ-404' [unknown-reference]\n" in check.out, check
    assert "specs/p.yaml:4:10: error: unknown document 'nosuch' [unknown-reference]\n" in check.out, check


def test_an_approval_of_a_markdown_document_covers_its_front_matter_sections(repo) -> None:
    """An approved Markdown requirements document whose items change is no longer approved."""
    from gitspec.approvals import content_hash

    approved = content_hash(parse_document("specs/reqs.md", MD_REQS.encode()).sections)
    text = MD_REQS.replace("title: Reqs\n", "title: Reqs\nstatus: approved\napprovals:\n"
                                            f"  - {{by: Dana, date: '2026-11-23', hash: {approved}}}\n")
    root = repo({"specs/reqs.md": text})
    assert run_gitspec(root, "check").code == 0
    (root / "specs/reqs.md").write_text(text.replace("The system shall one.", "The system shall two."))
    check = run_gitspec(root, "check")
    assert check.code == 1 and "[stale-approval]" in check.out, check


COUNTER = '''
from pathlib import Path
from gitspec import hookimpl
from gitspec.kinds import Kind
from gitspec.stage import Output, Stage

def count(inp):
    items = inp.get("reqs#items")
    return {"count": len(items), "ids": [item["id"] for item in items]}

@hookimpl
def gitspec_kinds():
    return [Kind("digest", Path(__file__).with_name("digest.schema.json"), suffix=".md")]

@hookimpl
def gitspec_stages():
    return [Stage("req-count", "1", "digest", "digest", "Digest", ("reqs#items",),
                  (Output("count", ("reqs#items",)), Output("ids", ("reqs#items",))), count)]
'''
DIGEST_SCHEMA = json.dumps({
    "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://gitspec.dev/schemas/digest.schema.json",
    "type": "object", "$ref": "common.schema.json#/$defs/header",
    "properties": {"count": {"type": "integer"}, "ids": {"type": "array"}, "notes": {"type": "string"}}})


def test_build_and_pin_write_a_section_where_the_markdown_front_matter_holds_it(repo, tmp_path) -> None:
    """A stage's output that a Markdown document holds in its front matter is written there, its stamp
    in the front matter's `generated`, as in YAML (before, build refused a number for a Markdown document
    and would have added a `## Count` heading); `pin` lists it in the front matter's `pinned`."""
    from conftest import install_plugin, requirement, requirements_doc

    env = install_plugin(tmp_path / "counter", "counter", {"counter.py": COUNTER, "digest.schema.json": DIGEST_SCHEMA})
    digest = ("---\nkind: digest\nid: digest\ntitle: Digest\ncount: 0  # how many there are\nids: []\n---\n\n"
              "# Digest\n\n## Notes\n\nWritten by hand.\n")
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001") + requirement("REQ-002")),
                 "specs/digest.md": digest})
    built = run_gitspec(root, "build", "--force", "digest#count", "--force", "digest#ids", env=env)
    assert built.code == 0, built
    text = (root / "specs" / "digest.md").read_text()
    assert "count: 2  # how many there are\nids:\n  - REQ-001\n  - REQ-002\n---\n\n# Digest\n\n## Notes\n\n" \
           "Written by hand.\n" in text and text.startswith("---\nkind: digest\nid: digest\ntitle: Digest\n"
                                                             "generated:\n  count:\n    stage: req-count\n"), text
    assert "##" not in text.replace("## Notes", "") and "gitspec:generated" not in text, text
    status = run_gitspec(root, "status", "--all", env=env)
    assert status.out == "digest#count: fresh\ndigest#ids: fresh\n", status
    assert run_gitspec(root, "check", env=env).code == 0
    again = run_gitspec(root, "build", "--no-render", env=env)
    assert again.code == 0 and (root / "specs" / "digest.md").read_text() == text, again

    (root / "specs" / "digest.md").write_text(text.replace("count: 2 ", "count: 5 "))
    check = run_gitspec(root, "check", env=env)
    assert "digest#count was edited by hand" in check.out, check
    pin = run_gitspec(root, "pin", "digest#count", env=env)
    assert pin.code == 0, pin
    pinned = (root / "specs" / "digest.md").read_text()
    assert "pinned:\n  - count\ncount: 5  # how many there are\n" in pinned, pinned
    check = run_gitspec(root, "check", env=env)
    assert check.code == 0 and check.out == "", check
    unpin = run_gitspec(root, "pin", "--unpin", "digest#count", env=env)
    assert unpin.code == 0 and (root / "specs" / "digest.md").read_text() == text.replace("count: 2 ", "count: 5 ")


EVIDENCE_MD = ("---\nkind: evidence\nid: ev-1\ntitle: Ev 1\nrequirements: []\nstartedAt: \"2026-01-01T00:00:00Z\"\n"
               "previous: null\n---\n\n# Ev 1\n\n## Source\n\nrun\n\n## Command\n\npytest\n\n## Verdict\n\npassed\n\n"
               "## Commit\n\n0123456789012345678901234567890123456789\n")


def test_a_key_no_heading_can_hold_is_the_front_matters_and_one_that_may_be_null_may_be_either() -> None:
    """A heading's id is lower-case (`## Started at` is `started-at`), and a `##` section's value is text:
    `startedAt` can only be written in the front matter, and `previous`, null in a chain's first record,
    in the front matter, or as a heading's text when it names a record."""
    from gitspec.schemas import load_builtin_schema

    placement = Placement.of(load_builtin_schema("evidence"))
    assert {"startedAt", "stdoutHash", "previousHash", "requirements", "exitCode"} <= placement.front_matter
    assert placement.either == {"previous"} and {"source", "verdict", "command", "commit"} <= placement.sections


def test_a_markdown_evidence_record_can_be_written_and_a_camel_case_heading_is_told_where_it_goes(repo) -> None:
    """Found by a hunt: check told a Markdown evidence record to write `startedAt` as '## Startedat', which
    then was "unknown section 'startedat' (did you mean 'startedAt'?)", and `previous: null` as '## Previous',
    whose text can never be null: no evidence record could be written in Markdown."""
    root = repo({"specs/ev-1.md": EVIDENCE_MD})
    check = run_gitspec(root, "check")
    assert check.code == 0 and check.out == "", check
    text = EVIDENCE_MD.replace('startedAt: "2026-01-01T00:00:00Z"\n', "") + "\n## Started at\n\n2026-01-01T00:00:00Z\n"
    (root / "specs/ev-1.md").write_text(text)
    check = run_gitspec(root, "check")
    assert check.code == 1 and check.out == (
        "specs/ev-1.md:2:1: error: ev-1: missing required key 'startedAt' [schema]\n"
        f"specs/ev-1.md:{text.splitlines().index('## Started at') + 1}:1: error: ev-1: unknown section 'started-at' "
        "(did you mean 'startedAt'? no heading can hold it: write it in the front matter, startedAt: …) [schema]\n"), check
    second = EVIDENCE_MD.replace("id: ev-1\ntitle: Ev 1", "id: ev-2\ntitle: Ev 2").replace("previous: null\n", "")
    (root / "specs/ev-2.md").write_text(second + "\n## Previous\n\nev-404\n")
    (root / "specs/ev-1.md").write_text(EVIDENCE_MD)
    check = run_gitspec(root, "check")
    line = (second + "\n## Previous").count("\n") + 1
    assert check.code == 1 and check.out == (
        f"specs/ev-2.md:{line}:1: error: unknown document 'ev-404' (did you mean 'ev-2'?) [unknown-reference]\n"), check
    (root / "specs/ev-2.md").write_text(second + "\n## Previous\n\nev-1\n")
    assert run_gitspec(root, "check").code == 0
