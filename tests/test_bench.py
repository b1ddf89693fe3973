"""The benchmark scripts run and measure what they say: a corpus that checks clean."""
from __future__ import annotations

import subprocess
import sys

from conftest import REPO, run_gitspec

BENCH = REPO / "bench"


def test_corpus_is_a_clean_git_workspace(tmp_path):
    out = tmp_path / "corpus"
    subprocess.run([sys.executable, BENCH / "corpus.py", out, "--requirements", "60"], check=True,
                   capture_output=True)
    assert (out / ".git").is_dir()
    texts = [p.read_text() for p in (out / "specs").rglob("*.yaml")]
    assert sum(t.count("  - id: REQ-") for t in texts) == 120
    assert sum(t.count("    parent: REQ-") for t in texts) == 60
    result = run_gitspec(out, "check")
    assert result.code == 0, result
    assert "document" in result.err and "no findings" in result.err


def test_check_benchmark_prints_its_table():
    result = subprocess.run([sys.executable, BENCH / "check.py", "--sizes", "40"], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "gitspec check (no-op)" in result.stdout and "no-op/python" in result.stdout
    assert "example  gitspec check (cold)" in result.stdout
