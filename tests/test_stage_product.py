"""The product stage: a directive becomes a schema-valid product document, and feeds the next stages."""
from __future__ import annotations

import re
import unicodedata

import yaml

from conftest import assert_stage_contract, example_values, run_gitspec, run_stage, schema_errors
from gitspec.providers import TemplateProvider
from gitspec.stage import PLACEHOLDER
from gitspec.stages import evolution, launch, product, ui

DIRECTIVE = "Build a Stripe-level billing dashboard"


def generate(directive: str = DIRECTIVE, provider=None) -> dict:
    return run_stage(product, {"product#directive": directive}, provider)


def valid(output: dict, directive: str = DIRECTIVE) -> list[str]:
    return schema_errors("product", {"directive": directive, **output})


def test_declares_and_returns_exactly_its_sections():
    stage = product.STAGE
    assert (stage.name, stage.document, stage.kind, stage.title) == ("product", "product", "product", "Product")
    assert_stage_contract(product, generate(), {"product#directive": DIRECTIVE}, given={"directive": DIRECTIVE})


def test_output_is_schema_valid_for_many_directives():
    for directive in (DIRECTIVE, "Create a simple CRM for dentists that syncs calendars",
                      "Ship a Linear-like issue tracker", "make an app", "", "!!!"):
        assert valid(generate(directive), directive or "empty") == [], directive


def test_name_category_and_audience_come_from_the_directive():
    output = generate("Build a Stripe-level billing dashboard for SaaS finance teams.")
    assert output["name"] == "Billing Dashboard"
    assert output["category"] == "Billing and revenue operations"
    assert output["targetAudience"] == "SaaS finance teams"
    assert "billing dashboard" in output["tagline"]
    assert [c["name"] for c in output["competitivePosition"]["competitors"]][0] == "Stripe"


def test_letters_of_any_script_make_the_name():
    # Before, only A-Z counted as letters: "Bestellsystem F R B Ckereien".
    directive = "Build a Bestellsystem für Bäckereien in Zürich"
    output = generate(directive)
    assert output["name"] == "Bestellsystem Für Bäckereien"
    assert output["tagline"] == "A Bestellsystem für Bäckereien."
    assert generate(unicodedata.normalize("NFD", directive))["name"] == "Bestellsystem Für Bäckereien"
    assert generate("Build a हिन्दी café dashboard")["name"] == "हिन्दी Café Dashboard"
    assert generate("Build a Stripe-level billing dashboard")["name"] == "Billing Dashboard"
    assert valid(output, directive) == []


def test_ids_are_stable_and_deterministic():
    first, second = generate(), generate()
    assert first == second
    assert [f["id"] for f in first["features"]] == [f"FEAT-{n:03d}" for n in range(1, len(first["features"]) + 1)]
    assert [p["id"] for p in first["personas"]] == ["PERS-001", "PERS-002"]
    assert [j["id"] for j in first["journeys"]] == ["JOUR-001", "JOUR-002"]


def test_journeys_link_personas_and_features_that_exist():
    output = generate()
    personas = {p["id"] for p in output["personas"]}
    features = {f["id"] for f in output["features"]}
    for journey in output["journeys"]:
        assert journey["persona"] in personas
        assert journey["features"] and set(journey["features"]) <= features
    assert all(set(f["personas"]) <= personas for f in output["features"])


def test_what_needs_inference_is_a_marked_placeholder():
    output = generate()
    assert all(f["description"].startswith(PLACEHOLDER) for f in output["features"])
    assert all(m["target"].startswith(PLACEHOLDER) for m in output["successMetrics"])
    assert output["targetAudience"].startswith(PLACEHOLDER)  # the directive names no audience
    assert "rice" not in output["features"][0]  # no invented estimates
    unknown = generate("Build a thing")
    assert unknown["category"].startswith(PLACEHOLDER)
    assert all(f["name"].startswith(PLACEHOLDER) for f in unknown["features"])
    # a placeholder never sits inside another one
    assert not any(s.count(PLACEHOLDER) > 1 for s in re.findall(r'"[^"]*"', repr(unknown)))


def test_the_provider_fills_every_section_and_its_answer_is_used():
    class Recording(TemplateProvider):
        def fill(self, *, stage, section, draft, prompt, schema=None):
            self.usage.calls += 1
            assert stage == "product" and DIRECTIVE in prompt
            return "A better tagline." if section == "tagline" else draft

    provider = Recording()
    output = generate(provider=provider)
    assert output["tagline"] == "A better tagline."
    assert provider.usage.calls == len(product.SECTIONS)


def _downstream(values: dict) -> dict:
    out = {}
    for module in (ui, evolution, launch):
        out[module.STAGE.kind] = run_stage(module, {a: values.get(a) for a in module.STAGE.inputs})
    return out


def test_its_output_feeds_ui_evolution_and_launch():
    output = generate()
    values = {f"product#{section}": value for section, value in output.items()}
    values.update({a: v for a, v in example_values().items() if a.startswith("brand#")})
    for kind, sections in _downstream(values).items():
        assert schema_errors(kind, sections) == [], kind
    without_brand = _downstream({f"product#{s}": v for s, v in output.items()})
    assert schema_errors("launch", without_brand["launch"]) == []


def test_the_generated_set_checks_clean_in_a_workspace(repo):
    output = generate()
    values = {f"product#{section}": value for section, value in output.items()}
    files = {"specs/product.yaml": {"kind": "product", "id": "product", "title": "Product",
                                    "directive": DIRECTIVE, **output}}
    for kind, sections in _downstream(values).items():
        files[f"specs/{kind}.yaml"] = {"kind": kind, "id": kind, "title": kind.title(), **sections}
    ws = repo({path: yaml.safe_dump(doc, sort_keys=False, allow_unicode=True) for path, doc in files.items()})
    result = run_gitspec(ws, "check", "--format", "json")
    assert [f for f in result.json() if "placeholder" not in f["rule"]] == [], result
