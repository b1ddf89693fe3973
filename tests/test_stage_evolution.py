"""The evolution stage: MoSCoW decides the version, RICE the order within it."""
from __future__ import annotations

from conftest import assert_stage_contract, example_values, run_stage, schema_errors
from gitspec.stage import PLACEHOLDER
from gitspec.stages import evolution


def generate(features) -> dict:
    return run_stage(evolution, {"product#features": features})


def feature(n: int, priority: str, rice: dict | None = None) -> dict:
    item = {"id": f"FEAT-{n:03d}", "name": f"Feature {n}", "description": "d", "priority": priority}
    if rice:
        item["rice"] = rice
    return item


def test_declares_and_returns_exactly_its_sections():
    stage = evolution.STAGE
    assert (stage.name, stage.document, stage.kind, stage.title) == ("evolution",) * 3 + ("Evolution",)
    assert_stage_contract(evolution, generate(example_values()["product#features"]))


def test_must_lands_in_v1_should_in_v2_could_in_v3_and_wont_nowhere():
    output = generate([feature(1, "could"), feature(2, "must"), feature(3, "wont"), feature(4, "should")])
    assert output["v1"]["features"]["new"] == ["FEAT-002"]
    assert output["v2"]["features"]["new"] == ["FEAT-004"]
    assert output["v3"]["features"]["new"] == ["FEAT-001"]
    scheduled = [e["feature"] for e in output["featureProgression"]]
    assert "FEAT-003" not in scheduled and sorted(scheduled) == ["FEAT-001", "FEAT-002", "FEAT-004"]


def test_rice_orders_features_within_a_version():
    low = {"reach": 10, "impact": 1, "confidence": 0.5, "effort": 2}     # 2.5
    high = {"reach": 100, "impact": 2, "confidence": 0.8, "effort": 4}   # 40
    output = generate([feature(1, "must", low), feature(2, "must"), feature(3, "must", high)])
    assert output["v1"]["features"]["new"] == ["FEAT-003", "FEAT-001", "FEAT-002"]
    assert evolution.rice_score(feature(4, "must", {**high, "effort": 0})) is None


def test_the_example_schedule_matches_the_example_evolution():
    values = example_values()
    output = generate(values["product#features"])
    for version in ("v1", "v2"):
        assert set(output[version]["features"]["new"]) == set(values[f"evolution#{version}"]["features"]["new"])


def test_plans_and_dates_are_placeholders_and_empty_input_is_valid():
    output = generate([feature(1, "must")])
    assert output["v1"]["targetDate"].startswith(PLACEHOLDER)
    assert output["v1"]["theme"].startswith(PLACEHOLDER)
    assert output["featureProgression"][0]["v2"].startswith(PLACEHOLDER)
    for features in (None, [], "nonsense"):
        assert schema_errors("evolution", generate(features)) == []
