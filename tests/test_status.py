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


def test_a_section_listed_as_a_conflict_is_counted_as_one(tmp_path):
    # Before: "brand#brandPromise: hand-edited (product#tagline changed) — conflict: pin or --force it",
    # counted as "1 hand-edited" in the summary.
    import re

    root = product_workspace(tmp_path / "ws")
    brand, product = root / "specs/brand.yaml", root / "specs/product.yaml"
    brand.write_text(re.sub(r"(?m)^brandPromise:.*$", "brandPromise: My own promise.", brand.read_text(), count=1))
    product.write_text(re.sub(r"(?m)^tagline:.*$", "tagline: A new tagline.", product.read_text(), count=1))
    status = run_gitspec(root, "status")
    assert status.code == 1 and "brand#brandPromise: hand-edited (product#tagline changed) — conflict: pin or " \
                                "--force it\n" in status.out, status
    assert status.out.count("— conflict:") == 1 and status.out.count(": hand-edited") == 2, status  # product#tagline
    assert status.err == "gitspec: 1 conflict, 49 fresh, 1 hand-edited, 6 stale\n", status
