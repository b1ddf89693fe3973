"""Approvals as a user writes and checks them: stale and missing approvals, and the content hash
computed by hand as docs/formats.md says."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import yaml
from conftest import CONFIG, requirement, requirements_doc, run_gitspec

DOCS = Path(__file__).parent.parent / "docs" / "formats.md"


def approved(doc: str, approval: str | None) -> str:
    """A requirements document marked approved, with `approval` (a flow mapping) as its only approval."""
    header = "status: approved\n" + (f"approvals:\n  - {approval}\n" if approval else "")
    return doc.replace("title: Requirements\n", "title: Requirements\n" + header)


def test_an_approved_document_whose_approval_is_stale_is_an_error(repo):
    stale = '{by: Alice, hash: "' + "0" * 64 + '", date: "2026-01-10"}'
    ws = repo({"specs/reqs.yaml": approved(requirements_doc("reqs", requirement("REQ-001")), stale)})
    result = run_gitspec(ws, "check")
    assert result.code == 1, result
    [line] = result.out.splitlines()
    assert line.startswith("specs/reqs.yaml:6:23: error: approval stale: the content changed since Alice approved "
                           "it on 2026-01-10;"), line
    assert line.endswith("[stale-approval]"), line


def test_an_approved_document_with_no_approval_is_a_warning(repo):
    ws = repo({"specs/reqs.yaml": approved(requirements_doc("reqs", requirement("REQ-001")), None)})
    result = run_gitspec(ws, "check")
    assert result.code == 0, result
    [line] = result.out.splitlines()
    assert line.startswith("specs/reqs.yaml:4:9: warning: status is approved but no approval is recorded"), line
    assert line.endswith("[missing-approval]"), line


def test_an_old_approval_of_a_draft_is_not_checked(repo):
    stale = '{by: Alice, hash: "' + "0" * 64 + '", date: "2026-01-10"}'
    doc = approved(requirements_doc("reqs", requirement("REQ-001")), stale).replace("approved", "review")
    result = run_gitspec(repo({"specs/reqs.yaml": doc}), "check")
    assert result.code == 0 and result.out == "", result


def _example(heading: str) -> str:
    """The code block under `heading` in the docs' "Minimal documents"."""
    text = DOCS.read_text()
    start = text.index(heading)
    return re.search(r"```\w+\n(.*?)```", text[start:], re.S).group(1)


def _docs_hash(sections: dict) -> str:
    """The content hash exactly as docs/formats.md, Approvals, says to compute it."""
    canonical = json.dumps(sections, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _markdown_sections(text: str) -> dict[str, str]:
    """Each `##` section's text, as the docs describe it (the example has no code blocks or markers)."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.split("---\n", 2)[2].split("\n"):
        if line.startswith("## "):
            current = re.sub(r"[^a-z0-9]+", "-", line[3:].lower()).strip("-")
            sections[current] = []
        elif current is not None:
            sections[current].append(line.rstrip(" \t"))
    return {name: "\n".join(lines).strip("\n") for name, lines in sections.items()}


def test_an_approval_written_by_hand_as_the_docs_say_is_not_stale(repo):
    reqs = _example("A requirements document")
    prd = _example("A PRD (")
    header = ("kind", "id", "title", "status", "owners", "approvals", "generated", "pinned")
    reqs_hash = _docs_hash({k: v for k, v in yaml.safe_load(reqs).items() if k not in header})
    prd_hash = _docs_hash(_markdown_sections(prd))
    approval = '\napprovals:\n  - {by: Dana Ortiz <dana@example.com>, date: "2026-11-23", hash: %s}\n'
    files = {"specs/billing-requirements.yaml": reqs.replace("status: draft", "status: approved" + approval % reqs_hash),
             "specs/checkout.md": prd.replace("title: Checkout\n", "title: Checkout\nstatus: approved"
                                              + approval % prd_hash)}
    ws = repo(files, CONFIG.replace("formats: []", "formats: [html]"))
    result = run_gitspec(ws, "check")
    assert result.code == 0 and result.out == "", result
    assert run_gitspec(ws, "render").code == 0
    index = (ws / "build" / "html" / "index.html").read_text()
    assert index.count("approved by Dana Ortiz") == 2 and "approval stale" not in index

    # any change to a section's content turns it stale; a change to the header does not
    edited = files["specs/checkout.md"].replace("Halve checkout", "Cut checkout")
    (ws / "specs" / "checkout.md").write_text(edited.replace("title: Checkout", "title: Checkout v2"))
    result = run_gitspec(ws, "check")
    assert result.code == 1 and "specs/checkout.md:" in result.out and "[stale-approval]" in result.out, result
    (ws / "specs" / "checkout.md").write_text(files["specs/checkout.md"].replace("Dana Ortiz", "Dana O."))
    assert run_gitspec(ws, "check").code == 0
