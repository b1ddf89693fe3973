"""The launch stage: copy from product and brand, with the 280 and 60 character limits enforced."""
from __future__ import annotations

import pytest

from conftest import example_values, schema_errors
from gitspec.providers import TemplateProvider
from gitspec.stage import PLACEHOLDER, StageInput
from gitspec.stages import launch


def example_inputs() -> dict:
    example = example_values()
    return {a: example.get(a) for a in launch.STAGE.inputs}


def generate(values: dict | None = None, provider=None) -> dict:
    return launch.STAGE.generate(StageInput(values=example_inputs() if values is None else values,
                                            provider=provider or TemplateProvider()))


class TooLong:
    """A provider that ignores every instruction and answers 400 characters."""

    def __init__(self) -> None:
        self.prompts: list[str] = []

    def fill(self, *, stage, section, draft, prompt, schema=None):
        self.prompts.append(prompt)
        return "word " * 80


class LongOnce(TemplateProvider):
    """Answers 400 characters the first time it is asked for a limited field, then obeys."""

    calls: int = 0

    def fill(self, *, stage, section, draft, prompt, schema=None):
        if section == "productHuntTagline":
            self.calls += 1
            return "x" * 400 if self.calls == 1 else "Short and sweet"
        return draft


def test_declares_and_returns_exactly_its_sections():
    stage = launch.STAGE
    assert (stage.name, stage.document, stage.kind, stage.title) == ("launch", "launch", "launch", "Launch")
    assert set(generate()) == {o.section for o in stage.outputs}
    assert all(set(o.depends_on) <= set(stage.inputs) for o in stage.outputs)


def test_output_is_schema_valid_and_deterministic():
    output = generate()
    assert schema_errors("launch", output) == []
    assert generate() == output
    assert output["tweets"][0].startswith("Introducing Ledgerline: ")
    assert output["heroCopy"]["subhead"] == example_values()["brand#brandPromise"]


def test_any_input_may_be_missing():
    output = generate({})
    assert schema_errors("launch", output) == []
    assert output["tweets"][0].startswith(PLACEHOLDER)
    assert output["productHuntTagline"].startswith(PLACEHOLDER) and len(output["productHuntTagline"]) <= 60
    no_brand = {a: v for a, v in example_inputs().items() if not a.startswith("brand#")}
    assert schema_errors("launch", generate(no_brand)) == []


def test_long_drafts_are_shortened_at_a_word_boundary():
    words = "invoices subscriptions refunds dunning metrics " * 10
    values = {"product#name": "Ledgerline", "product#tagline": words, "brand#brandPromise": words}
    output = generate(values)
    assert schema_errors("launch", output) == []
    tagline = output["productHuntTagline"]
    assert len(tagline) <= launch.TAGLINE_LIMIT and tagline.endswith("…")
    assert words.startswith(tagline[:-1] + " ")
    assert all(len(t) <= launch.TWEET_LIMIT for t in [*output["tweets"], output["pinnedTweet"]])


def test_shorten():
    assert launch.shorten("short text", 60) == "short text"
    assert launch.shorten("alpha beta gamma", 12) == "alpha beta…"
    assert launch.shorten("x" * 100, 10) == "x" * 9 + "…"


def test_a_provider_that_stays_too_long_fails_after_one_retry():
    provider = TooLong()
    with pytest.raises(ValueError, match="launch#tweets.*400 characters.*limit of 280"):
        generate(provider=provider)
    assert len(provider.prompts) == 2
    assert "at most 280 characters" in provider.prompts[1] and "400" in provider.prompts[1]


def test_a_provider_that_obeys_on_retry_is_accepted():
    provider = LongOnce()
    output = generate(provider=provider)
    assert output["productHuntTagline"] == "Short and sweet"
    assert provider.calls == 2
