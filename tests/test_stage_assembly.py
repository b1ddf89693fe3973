"""The assembly stage: a pure index of the spec set, and the assembly kind it writes."""
from __future__ import annotations

from conftest import assert_stage_contract, example_values, run_gitspec, run_stage, schema_errors
from gitspec.builtin.kinds import SHIPPED_KINDS
from gitspec.providers import TemplateProvider
from gitspec.stage import PLACEHOLDER
from gitspec.stages import assembly


def test_declares_and_returns_exactly_its_sections():
    stage = assembly.STAGE
    assert (stage.name, stage.document, stage.kind, stage.title) == ("assembly", "assembly", "assembly", "Spec set")
    assert "assembly" in SHIPPED_KINDS
    assert_stage_contract(assembly, run_stage(assembly))


def test_summary_counts_the_parts_of_the_example():
    values = example_values()
    summary = run_stage(assembly)["summary"]
    assert summary["name"] == values["product#name"] and summary["tagline"] == values["product#tagline"]
    assert summary["counts"] == {
        "featuresInV1": len(values["evolution#v1"]["features"]["new"]),
        "entities": len(values["architecture#dataModel"]["entities"]),
        "endpoints": len(values["architecture#apiContract"]["endpoints"]),
        "screens": len(values["ui#screens"]),
        "stubFiles": len(values["code#files"]),
    }
    assert f"{len(values['ui#screens'])} screens" in summary["overview"]


def test_documents_index_the_sections_read():
    documents = run_stage(assembly)["documents"]
    assert [d["id"] for d in documents] == ["product", "brand", "design", "architecture", "ui", "launch",
                                            "evolution", "code"]
    assert {d["id"]: d["sections"] for d in documents}["architecture"] == ["dataModel", "apiContract"]
    assert all(d["kind"] == d["id"] for d in documents)


def test_missing_inputs_are_left_out_not_guessed():
    output = run_stage(assembly, {"ui#screens": [{"id": "SCR-001", "name": "Home", "purpose": "p"}]})
    assert schema_errors("assembly", output) == []
    assert output["summary"]["counts"] == {"screens": 1}
    assert output["summary"]["name"].startswith(PLACEHOLDER)
    assert output["documents"] == [{"id": "ui", "kind": "ui", "sections": ["screens"]}]
    assert schema_errors("assembly", run_stage(assembly, {})) == []


def test_a_provider_may_rewrite_the_overview_but_not_the_facts():
    class Rewriter(TemplateProvider):
        def fill(self, *, stage, section, draft, prompt, schema=None):
            return {**draft, "overview": "Rewritten.", "counts": {"screens": 999}, "name": "Other"}

    summary = run_stage(assembly, provider=Rewriter())["summary"]
    assert summary["overview"] == "Rewritten."
    assert summary["name"] == "Ledgerline" and summary["counts"]["screens"] != 999


def test_the_skeleton_checks_clean(repo):
    ws = repo({})
    assert run_gitspec(ws, "new", "assembly", "spec-set", "--title", 'Set "v2": yes').code == 0
    result = run_gitspec(ws, "check")
    assert result.code == 0, result
