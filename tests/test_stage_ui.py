"""The ui stage: screens and flows from journeys, three states for every screen, Mermaid per flow."""
from __future__ import annotations

from conftest import assert_stage_contract, example_values, run_stage, schema_errors
from gitspec.stage import PLACEHOLDER
from gitspec.stages import ui


def test_declares_and_returns_exactly_its_sections():
    stage = ui.STAGE
    assert (stage.name, stage.document, stage.kind, stage.title) == ("ui", "ui", "ui", "UI")
    assert_stage_contract(ui, run_stage(ui))


def test_every_screen_has_loading_empty_and_error_states():
    output = run_stage(ui)
    ids = [s["id"] for s in output["screens"]]
    assert len(ids) == len(set(ids))
    assert set(output["states"]) == set(ids)
    for states in output["states"].values():
        assert set(states) == {"loading", "empty", "error"} and all(v.strip() for v in states.values())
    # what an empty screen offers depends on the product: the template does not guess
    assert all(s["empty"].startswith(PLACEHOLDER) for s in output["states"].values())


def test_one_flow_per_journey_over_screens_that_exist():
    journeys = example_values()["product#journeys"]
    output = run_stage(ui)
    screens = {s["id"]: s for s in output["screens"]}
    assert [f["journey"] for f in output["flows"]] == [j["id"] for j in journeys]
    assert {s["journey"] for s in screens.values()} <= {j["id"] for j in journeys}
    for flow, journey in zip(output["flows"], journeys):
        assert flow["id"].startswith("FLOW-") and flow["name"] == journey["name"]
        assert set(flow["steps"]) <= set(screens)
        assert len(flow["steps"]) == len(journey["steps"])
        assert flow["mermaid"].startswith("flowchart LR\n")
        for step in flow["steps"]:
            assert f'{step.replace("-", "_")}["' in flow["mermaid"]
    assert len({s["route"] for s in screens.values()}) == len(screens)


def test_screen_names_are_short_clauses_of_the_steps():
    assert ui.screen_name("Open the dunning queue, sorted by amount at risk.") == "Open the dunning queue"
    assert ui.screen_name("Check the customer's payment history and the failure reason.") \
        == "Check the customer's payment history"
    assert ui.screen_name(f"{PLACEHOLDER} a step where the persona uses Invoices").startswith(PLACEHOLDER)


def test_steps_in_any_script_name_screens_with_ascii_routes():
    # Before, only a-z counted: "Größe öffnen" gave /gr-e-ffnen, Japanese and Arabic steps /screen, /screen-003.
    journeys = [{"id": "JOUR-001", "name": "J", "persona": "PERS-001",
                 "steps": ["Größe öffnen", "一覧を開き、請求書を選ぶ", "請求書を送る。確認する", "فتح القائمة، ثم الدفع",
                           "Open the invoice list, sorted by date."]}]
    screens, _ = ui.build_screens(journeys, [])
    assert [s["name"] for s in screens] == ["Größe öffnen", "一覧を開き", "請求書を送る", "فتح القائمة",
                                            "Open the invoice list"]
    assert [s["route"] for s in screens] == ["/grosse-offnen", "/yilanokaiki", "/qingqiushuosongru", "/fth-lqi-mh",
                                             "/open-the-invoice-list"]


def test_mermaid_labels_escape_quotes():
    screens = {"SCR-001": {"name": 'Say "hi"'}, "SCR-002": {"name": "Done"}}
    text = ui.mermaid(screens, ["SCR-001", "SCR-002"])
    assert 'SCR_001["Say #quot;hi#quot;"]' in text and "SCR_001 --> SCR_002" in text


def test_missing_or_empty_journeys_still_give_a_valid_document():
    for values in ({}, {"product#journeys": []}, {"product#journeys": [{"id": "JOUR-009", "name": "Lone",
                                                                       "persona": "PERS-001", "steps": []}]}):
        output = run_stage(ui, values)
        assert schema_errors("ui", output) == [], values
        assert set(output["states"]) == {s["id"] for s in output["screens"]}
