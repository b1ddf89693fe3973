"""bench/build.py --quick runs the shipped and a small synthetic pipeline and prints its table."""
from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_build_benchmark_quick_prints_its_table():
    result = subprocess.run([sys.executable, REPO / "bench" / "build.py", "--quick"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    noop = [line for line in lines if "gitspec build (no-op)" in line]
    assert [line.split()[0] for line in noop] == ["shipped", "10x5"], result.stdout
    assert "specs unchanged (bytes, mtimes): yes" in noop[0], result.stdout
    assert any(line.startswith("10x5") and "gitspec status (no-op)" in line for line in lines), result.stdout
    assert "10 sections regenerated, 10 output files" in result.stdout, result.stdout
    edit = [line for line in lines if line.startswith("hue ") and " regenerated: " in line]
    assert edit and "no complete event" not in edit[0], result.stdout
