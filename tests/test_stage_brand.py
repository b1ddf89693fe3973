"""The built-in brand stage: a pure, deterministic template that validates and never invents facts."""
from __future__ import annotations

from typing import Any

from conftest import assert_stage_contract, run_stage, schema_errors, stage_inputs, strings_in
from gitspec.providers import TemplateProvider
from gitspec.stage import PLACEHOLDER
from gitspec.stages import brand
from gitspec.stages.brand import STAGE, brand_hue, generate


def test_declaration():
    assert (STAGE.name, STAGE.version, STAGE.document, STAGE.kind, STAGE.title) == (
        "brand", "1", "brand", "brand", "Brand")
    assert STAGE.generate is generate


def test_keeps_the_stage_contract():
    assert_stage_contract(brand, run_stage(brand))


def test_archetype_follows_the_category():
    assert run_stage(brand)["archetype"]["primary"] == "Sage"  # billing and revenue
    games = run_stage(brand, stage_inputs(brand, **{"product#category": "Party games",
                                                    "product#targetAudience": "Friends"}))
    assert games["archetype"]["primary"] == "Jester"


def test_short_keywords_match_whole_words_only():
    # "maintain" contains "ai" but is not about AI.
    output = run_stage(brand, stage_inputs(brand, **{"product#category": "Maintain things",
                                                     "product#targetAudience": None}))
    assert output["archetype"]["primary"] != "Magician"


def test_hue_is_a_stable_function_of_the_name():
    hue = run_stage(brand)["visualSignature"]["hue"]
    assert hue == brand_hue("Ledgerline") and 0 <= hue < 360
    assert brand_hue("Ledgerline") != brand_hue("Another product")
    assert "default" in run_stage(brand)["visualSignature"]["summary"]


def test_sparse_product_still_validates_and_marks_placeholders():
    values = {address: None for address in STAGE.inputs}
    values["product#name"] = "Quillpad"
    output = run_stage(brand, values)
    assert_stage_contract(brand, output, values)
    assert output["brandPromise"].startswith(PLACEHOLDER)
    assert output["emotionalSignature"]["summary"].startswith(PLACEHOLDER)
    assert "examples" not in output["verbalTone"]  # no features, so no example contexts


def test_nothing_set_at_all_still_validates():
    output = run_stage(brand, {})
    assert schema_errors("brand", output) == []


def test_the_promise_is_a_placeholder_not_an_invented_claim():
    output = run_stage(brand)
    assert output["brandPromise"].startswith(PLACEHOLDER)
    assert any(s.startswith(PLACEHOLDER) for s in strings_in(output["verbalTone"]))


class RecordingProvider(TemplateProvider):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[dict[str, Any]] = []

    def fill(self, *, stage, section, draft, prompt, schema=None):
        self.calls.append({"stage": stage, "section": section, "prompt": prompt})
        return draft


def test_every_section_goes_through_the_provider_with_only_its_inputs():
    provider = RecordingProvider()
    run_stage(brand, provider=provider)
    assert {c["section"] for c in provider.calls} == {o.section for o in STAGE.outputs}
    assert all(c["stage"] == "brand" for c in provider.calls)
    archetype_prompt = next(c["prompt"] for c in provider.calls if c["section"] == "archetype")
    assert "Ledgerline" not in archetype_prompt  # the name is not an input of the archetype
    assert "billing" in archetype_prompt


def test_provider_output_is_used():
    class Custom(TemplateProvider):
        def fill(self, *, stage, section, draft, prompt, schema=None):
            return "Every invoice explained." if section == "brandPromise" else draft

    output = run_stage(brand, provider=Custom())
    assert output["brandPromise"] == "Every invoice explained."
