"""A Markdown document's front matter holds header keys, its `##` headings hold sections: never the other way."""
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
