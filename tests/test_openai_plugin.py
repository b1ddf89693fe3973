"""The OpenAI-compatible provider plugin: its own tests (loopback HTTP only) pass, and gitspec finds it."""
from __future__ import annotations

import subprocess
import sys

from conftest import REPO

PLUGIN = REPO / "plugins" / "gitspec-openai"


def test_openai_plugin_own_tests_pass():
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(PLUGIN / "tests")],
                            capture_output=True, text=True, cwd=PLUGIN, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
