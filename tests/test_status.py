"""`gitspec status`: what it tells on stderr, whatever the format of its list on stdout."""
from __future__ import annotations

import pytest
from conftest import product_workspace, run_gitspec


@pytest.mark.parametrize("built", [False, True])
def test_the_summary_goes_to_stderr_as_json_as_in_text(tmp_path, built):
    # Before, `status --format json` wrote no summary at all (README: it goes to stderr in both formats).
    root = product_workspace(tmp_path / "ws", build=built)
    text = run_gitspec(root, "status")
    as_json = run_gitspec(root, "status", "--format", "json")
    assert as_json.code == text.code == (0 if built else 1), (text, as_json)
    assert as_json.err == text.err == ("gitspec: 57 fresh\n" if built else "gitspec: 11 missing\n"), (text, as_json)
    assert len(as_json.json()) == (0 if built else 11) and text.out.count("\n") == len(as_json.json())
