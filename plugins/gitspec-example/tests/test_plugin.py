"""The plugin as a user meets it: installed, then `gitspec new` and `gitspec check`."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

GITSPEC = shutil.which("gitspec", path=str(Path(sys.executable).parent)) or "gitspec"


def gitspec(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([GITSPEC, *args], cwd=cwd, capture_output=True, text=True)


def workspace(tmp_path: Path) -> Path:
    (tmp_path / "specs").mkdir()
    (tmp_path / "gitspec.yaml").write_text("specs: [specs]\n")
    return tmp_path


def test_new_risk_document_is_valid(tmp_path):
    ws = workspace(tmp_path)
    assert gitspec(ws, "new", "risk", "launch-risks").returncode == 0
    result = gitspec(ws, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_severe_risk_without_mitigation_is_reported(tmp_path):
    ws = workspace(tmp_path)
    (ws / "specs" / "risks.yaml").write_text(
        "kind: risk\nid: risks\ntitle: Risks\nrisks:\n"
        "  - id: RISK-001\n    title: Card network outage\n    likelihood: high\n    impact: high\n")
    result = gitspec(ws, "check", "--format", "json")
    assert result.returncode == 1
    [finding] = json.loads(result.stdout)
    assert finding["rule"] == "risk-mitigation"
    assert (finding["path"], finding["line"]) == ("specs/risks.yaml", 5)


def test_risk_requirements_must_resolve(tmp_path):
    ws = workspace(tmp_path)
    (ws / "specs" / "risks.yaml").write_text(
        "kind: risk\nid: risks\ntitle: Risks\nrisks:\n"
        "  - id: RISK-001\n    title: Slow exports\n    likelihood: low\n    impact: low\n"
        "    requirements: [REQ-404]\n")
    result = gitspec(ws, "check")
    assert result.returncode == 1
    assert "specs/risks.yaml:9:20: error: unknown requirement 'REQ-404' [unknown-reference]" in result.stdout


def test_risk_summary_stage_end_to_end(tmp_path):
    ws = workspace(tmp_path)
    assert gitspec(ws, "new", "risk", "risks").returncode == 0
    first = gitspec(ws, "build")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "regenerated risks#summary" in first.stdout
    text = (ws / "specs" / "risks.yaml").read_text()
    assert "summary:" in text and "total: 1" in text and "stage: risk-summary" in text
    path = ws / "specs" / "risks.yaml"
    path.write_text(text.replace("    impact: low\n", "    impact: low\n    mitigation: Watch it.\n", 1))
    status = gitspec(ws, "status")
    assert status.returncode == 1 and "risks#summary: stale (risks#risks changed)" in status.stdout
    second = gitspec(ws, "build")
    assert second.returncode == 0 and "regenerated risks#summary" in second.stdout
    assert "unmitigated: []" in path.read_text()
    assert gitspec(ws, "check").returncode == 0
