"""Every kind of bad input gets one clear line naming file and line, exit 1, no traceback, nothing written."""
from __future__ import annotations

import pytest

from conftest import git, requirement, requirements_doc, run_gitspec, write_files

GOOD = requirements_doc("reqs", requirement("REQ-001"))
TWEET = ("Launching today: the billing dashboard finance teams asked for. " * 5).strip()

CASES = {
    "yaml-syntax": ({"specs/a.yaml": "kind: requirements\nid: a\ntitle: [unclosed\n"},
                    "specs/a.yaml:4:1: error: YAML syntax error"),
    "wrong-type": ({"specs/a.yaml": requirements_doc("a", requirement("REQ-001")).replace(
                        "title: Title of REQ-001", "title: 2024")},
                   "specs/a.yaml:6:12: error: a#items/0/title: 2024 is not of type 'string' (YAML read it as a number"),
    "duplicate-key": ({"specs/a.yaml": "kind: requirements\nid: a\nid: b\n"},
                      "specs/a.yaml:3:1: error: duplicate key 'id' (first at line 2) [duplicate-key]"),
    "same-key-to-yaml": ({"specs/a.yaml": GOOD.replace("priority: must", "priority: must\n    rationale:\n"
                                                       "      null: first\n      ~: second")},
                         "specs/a.yaml:13:7: error: duplicate key '~' (the same key as 'null' to YAML readers, first "
                         "at line 12; quote both to keep them apart) [duplicate-key]"),
    "merge-key": ({"specs/a.yaml": GOOD.replace("priority: must", "priority: must\n    rationale: &r {a: 1}\n"
                                                "  - <<: *r\n    id: REQ-002")},
                  "specs/a.yaml:12:5: error: merge keys ('<<') are not supported: write the keys out (or quote '<<' "
                  "for a key of that name) [yaml-merge-key]"),
    "duplicate-id-across-files": ({"specs/a.yaml": requirements_doc("a", requirement("REQ-001")),
                                   "specs/b.yaml": requirements_doc("b", requirement("REQ-001"))},
                                  "specs/b.yaml:5:9: error: duplicate id 'REQ-001' (also defined at specs/a.yaml:5)"),
    "alias-bomb": ({"specs/a.yaml": "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
                        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))},
                   "specs/a.yaml:5:29: error: YAML aliases expand to 1,234,567,909 nodes from 29 (limit 100,000 extra, passed "
                   "at this alias): refusing an alias bomb [yaml-alias]"),
    "binary": ({"specs/a.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
               "specs/a.yaml:1:1: error: binary file, not a YAML or Markdown document [binary-file]"),
    "empty": ({"specs/a.yaml": ""}, "specs/a.yaml:1:1: error: empty file [empty-file]"),
    "only-comments": ({"specs/a.yaml": "# nothing yet\n"},
                      "specs/a.yaml:1:1: error: document is empty (only comments or blank lines) [empty-file]"),
    "too-large": ({"specs/a.yaml": "kind: requirements\n" + "# padding\n" * 200},
                  "specs/a.yaml:1:1: error: file is 2,019 bytes, over the 1,000-byte limit"),
    "unknown-kind": ({"specs/a.yaml": "kind: wishlist\nid: a\ntitle: A\n"},
                     "specs/a.yaml:1:7: error: unknown kind 'wishlist' (known kinds: "),
    "missing-kind": ({"specs/a.yaml": "id: a\ntitle: A\n"}, "specs/a.yaml:1:1: error: missing 'kind'"),
    "markdown-without-front-matter": ({"specs/notes.md": "# Notes\n\nJust notes.\n"},
                                      "specs/notes.md:1:1: error: Markdown document has no YAML front matter"),
    "invalid-utf8": ({"specs/a.yaml": b"kind: requirements\nid: a\ntitle: caf\xe9\n"},
                     "specs/a.yaml:3:11: error: invalid UTF-8 (byte 0xe9) [invalid-utf8]"),
    "list-document": ({"specs/a.yaml": "- kind: requirements\n- id: a\n"},
                      "specs/a.yaml:1:1: error: document must be a mapping of keys to values, not a list"),
    "scalar-document": ({"specs/a.yaml": "just a sentence\n"},
                        "specs/a.yaml:1:1: error: document must be a mapping of keys to values, not a single value"),
    "yes-no": ({"specs/a.yaml": GOOD.replace("priority: must", "priority: must\n    tags: [no]")},
               "specs/a.yaml:11:12: error: unquoted 'no' means different things to different YAML readers; quote it"),
    "sexagesimal": ({"specs/a.yaml": GOOD.replace("priority: must", "priority: must\n    rationale: 12:30")},
                    "specs/a.yaml:11:16: error: unquoted '12:30' means different things"),
    "yaml-1.2-octal": ({"specs/a.yaml": GOOD.replace("priority: must", "priority: must\n    rationale: 0o17")},
                       "specs/a.yaml:11:16: error: unquoted '0o17' means different things"),
    "float-for-text": ({"specs/a.yaml": GOOD.replace("title: Title of REQ-001", "title: 1.10")},
                       "specs/a.yaml:6:12: error: reqs#items/0/title: 1.1 is not of type 'string' (YAML read it as a number"),
    "too-long": ({"specs/a.yaml": f"kind: launch\nid: la\ntitle: Launch\ntweets:\n  - '{TWEET}'\n"},
                 "specs/a.yaml:5:5: error: la#tweets/0: 'Launching today: the billing dashboard finance teams asked "
                 f"f…' is too long (at most 280 characters; it has {len(TWEET)}) [schema]"),
    "boolean-for-text": ({"specs/a.yaml": GOOD.replace("title: Title of REQ-001", "title: true")},
                         "specs/a.yaml:6:12: error: reqs#items/0/title: true is not of type 'string' (YAML read it "
                         "as a boolean: quote it to keep it as text) [schema]"),
    "null-for-text": ({"specs/a.yaml": GOOD.replace("title: Title of REQ-001", "title: null")},
                      "specs/a.yaml:6:12: error: reqs#items/0/title: null is not of type 'string' (YAML read it as "
                      "no value: write the text, in quotes if it is null or ~) [schema]"),
    "comment-for-text": ({"specs/a.yaml": GOOD.replace("title: Title of REQ-001", "title: #1 priority for finance")},
                         "specs/a.yaml:6:12: error: reqs#items/0/title: null is not of type 'string' (YAML read it "
                         "as no value: '#' after a space begins a comment; quote the text) [schema]"),
    "infinity-for-text": ({"specs/a.yaml": GOOD.replace("title: Title of REQ-001", "title: -.inf")},
                          "specs/a.yaml:6:12: error: reqs#items/0/title: -.inf is not of type 'string' (YAML read "
                          "it as a number"),
    "custom-tag": ({"specs/a.yaml": GOOD.replace("title: Requirements", "title: !!python/object:os.system x")},
                   "specs/a.yaml:3:8: error: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed"),
    "tagged-value-yaml-1.2-refuses": ({"specs/a.yaml": GOOD.replace("priority: must", "priority: !!bool yes")},
                                      "specs/a.yaml:10:15: error: !!bool 'yes' is not valid YAML 1.2, where a !!bool "
                                      "is true or false: fix the value or drop the tag [yaml-tag]"),
    "yes-no-key": ({"specs/a.yaml": GOOD.replace("priority: must", "priority: must\n    no: x")},
                   "specs/a.yaml:11:5: error: unquoted 'no' means different things to different YAML readers; "
                   "quote it [ambiguous-scalar]"),
    "tagged-key": ({"specs/a.yaml": GOOD.replace("priority: must", "priority: must\n    !custom ci-name: x")},
                   "specs/a.yaml:11:5: error: YAML tag '!custom' is not allowed [yaml-tag]"),
    "two-documents": ({"specs/a.yaml": GOOD + "---\nkind: tasks\n"},
                      "error: YAML syntax error: more than one YAML document in the file"),
    "control-character": ({"specs/a.yaml": GOOD.replace("title: Title of REQ-001", 'title: "Title \x01"')},
                          'specs/a.yaml:6:19: error: YAML cannot hold the character U+0001: remove it, or write it '
                          'as "\\u0001" inside double quotes [yaml-syntax]'),
    "control-character-in-front-matter": (
        {"specs/p.md": "---\nkind: prd\nid: p\ntitle: P \x7f\n---\n\n## Problem\n\nText.\n"},
        "specs/p.md:4:10: error: YAML cannot hold the character U+007F"),
    "unknown-key": ({"specs/a.yaml": GOOD.replace("priority: must", "priorty: must")},
                    "error: reqs#items/0: unknown key 'priorty' (did you mean 'priority'?) [schema]"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gets_one_clear_line(repo, name):
    files, expected = CASES[name]
    config = "specs: [specs]\nmax_file_size: 1000\n" if name == "too-large" else "specs: [specs]\n"
    ws = repo(files, config=config)
    before = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file() and ".git" not in p.parts}
    result = run_gitspec(ws, "check")
    assert result.code == 1, result
    assert expected in result.out, result
    assert "Traceback" not in result.out + result.err
    assert all(line.count(": error: ") == 1 for line in result.out.splitlines())
    after = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file() and ".git" not in p.parts
             and ".gitspec" not in p.parts}
    assert after == before  # nothing written outside the cache


def test_a_control_character_in_an_old_commit_does_not_stop_a_render(repo):
    ws = repo({"specs/a.yaml": GOOD.replace("title: Title of REQ-001", 'title: "Title \x01"')},
              config="specs: [specs]\nformats: [html]\n")
    write_files(ws, {"specs/a.yaml": GOOD})
    git(ws, "commit", "-qam", "fix the title")
    assert run_gitspec(ws, "check").code == 0
    result = run_gitspec(ws, "render")
    assert result.code == 0 and "Traceback" not in result.err, result
    assert "Title of REQ-001" in (ws / "build" / "html" / "reqs.html").read_text()


def test_dates_stay_text(repo):
    doc = GOOD.replace("priority: must", "priority: must\n    rationale: 2026-03-01")
    result = run_gitspec(repo({"specs/a.yaml": doc}), "check")
    assert result.code == 0, result


def test_huge_nesting_is_a_finding_not_a_crash(repo):
    deep = "kind: requirements\nid: a\ntitle: A\nitems: " + "[" * 5000 + "]" * 5000 + "\n"
    result = run_gitspec(repo({"specs/a.yaml": deep}), "check")
    assert result.code == 1, result
    assert "specs/a.yaml:" in result.out and "Traceback" not in result.err


def test_a_value_tagged_str_is_text_to_every_reader_and_not_reported(repo):
    doc = GOOD.replace("title: Title of REQ-001", "title: !!str no").replace("- It does REQ-001.", "- !!str 012")
    result = run_gitspec(repo({"specs/a.yaml": doc}), "check")
    assert result.code == 0 and result.out == "", result
