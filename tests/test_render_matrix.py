"""The traceability matrix page (gitspec/render/matrix.py), as the rendered site shows it."""
from __future__ import annotations

from conftest import CONFIG, requirement, requirements_doc, run_gitspec


def test_the_matrix_summary_counts_one_requirement_in_the_singular(repo):
    """It said "1 requirements: 1 missing." over a one-row matrix."""
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))},
                CONFIG.replace("formats: []", "formats: [html]"))
    assert run_gitspec(root, "render").code == 0
    matrix = (root / "build" / "html" / "traceability.html").read_text(encoding="utf-8")
    assert "1 requirement: 1 missing." in matrix and "1 requirements" not in matrix

    (root / "specs/reqs.yaml").write_text(requirements_doc("reqs", requirement("REQ-001") + requirement("REQ-002")))
    assert run_gitspec(root, "render").code == 0
    assert "2 requirements: 2 missing." in (root / "build" / "html" / "traceability.html").read_text(encoding="utf-8")


def test_a_markdown_documents_front_matter_items_are_rows_of_the_matrix_and_a_section_of_its_page(repo):
    """Found by a hunt: the matrix left out the requirements and tasks a Markdown document holds in its
    front matter, and its page showed all its items as one raw "Items: [{id: REQ-001, …}]" fact."""
    reqs = ("---\nkind: requirements\nid: reqs\ntitle: Reqs\nitems:\n  - id: REQ-001\n    title: One\n"
            "    statement: The system shall one.\n    acceptance: [a]\n    priority: must\n---\n\n# Reqs\n")
    tasks = ("---\nkind: tasks\nid: tasks\ntitle: Tasks\nitems:\n  - id: TASK-001\n    title: A\n"
             "    requirements: [REQ-001]\n    status: todo\n    priority: p1\n    ownerRole: backend\n---\n\n# Tasks\n")
    root = repo({"specs/reqs.md": reqs, "specs/tasks.md": tasks}, CONFIG.replace("formats: []", "formats: [html]"))
    render = run_gitspec(root, "render")
    assert render.code == 0, render
    matrix = (root / "build" / "html" / "traceability.html").read_text(encoding="utf-8")
    assert "1 requirement: 1 missing." in matrix and 'href="reqs.html#REQ-001"' in matrix, matrix
    assert 'href="tasks.html#TASK-001"' in matrix, matrix
    page = (root / "build" / "html" / "reqs.html").read_text(encoding="utf-8")
    assert 'id="items"' in page and "The system shall one." in page and "{id:" not in page, page
