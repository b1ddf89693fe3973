"""`gitspec check --placeholders`: the [placeholder] texts left to fill, as text or JSON."""
from __future__ import annotations

import os
import time

from conftest import run_gitspec

REQS = ("kind: requirements\nid: reqs\ntitle: Requirements\nitems:\n  - id: REQ-001\n    title: Pay\n"
        "    statement: \"[placeholder] what the system shall do\"\n    acceptance: [It pays.]\n    priority: must\n")


def test_placeholders_as_text_and_as_json(repo):
    ws = repo({"specs/reqs.yaml": REQS})
    text = run_gitspec(ws, "check", "--placeholders")
    assert text.code == 0 and text.err == "gitspec: 1 placeholder\n"
    assert text.out == "specs/reqs.yaml:4:1: info: reqs#items/0/statement: [placeholder] what the system shall do\n"
    listed = run_gitspec(ws, "check", "--placeholders", "--format", "json")
    assert listed.code == 0 and listed.json() == [
        {"path": "specs/reqs.yaml", "line": 4, "col": 1, "severity": "info", "address": "reqs#items/0/statement",
         "text": "[placeholder] what the system shall do"}], listed


def test_placeholders_with_no_cache_read_every_file_again(repo):
    ws = repo({"specs/reqs.yaml": REQS})
    os.utime(ws / "specs" / "reqs.yaml", (time.time() - 3600,) * 2)  # not racily clean: the index may trust it
    assert run_gitspec(ws, "check").code == 0
    index = ws / ".gitspec" / "index"
    before = index.stat().st_ino, index.stat().st_mtime_ns
    assert run_gitspec(ws, "check", "--placeholders").code == 0
    assert (index.stat().st_ino, index.stat().st_mtime_ns) == before  # nothing changed: the cache is used
    result = run_gitspec(ws, "check", "--placeholders", "--no-cache")
    assert result.code == 0 and "[placeholder] what the system shall do" in result.out
    assert (index.stat().st_ino, index.stat().st_mtime_ns) != before  # read again, and saved (as check --no-cache)


def test_a_long_placeholder_is_cut_after_a_whole_word_in_text(repo):
    long_text = ("[placeholder] the main entity of Billing Dashboard. Replace it with the entities that "
                 "FEAT-001, FEAT-002, FEAT-003, FEAT-004 need, with their relationships and indexes.")
    ws = repo({"specs/reqs.yaml": REQS.replace("[placeholder] what the system shall do", long_text)})
    text = run_gitspec(ws, "check", "--placeholders")
    assert text.out == ("specs/reqs.yaml:4:1: info: reqs#items/0/statement: [placeholder] the main entity of Billing "
                        "Dashboard. Replace it with the entities that FEAT-001, FEAT-002, FEAT-003, …\n"), text
    listed = run_gitspec(ws, "check", "--placeholders", "--format", "json")
    assert listed.json()[0]["text"] == long_text  # machines get it whole
