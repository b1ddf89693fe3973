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
