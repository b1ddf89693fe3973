"""The launch stage: copy from product and brand, with the 280 and 60 character limits enforced."""
from __future__ import annotations

import pytest

from conftest import assert_stage_contract, example_values, run_stage, schema_errors, stage_inputs
from gitspec.errors import GitspecError
from gitspec.providers import TemplateProvider
from gitspec.stage import PLACEHOLDER
from gitspec.stages import launch
from gitspec.stages.tweetlength import tweet_length


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
    assert_stage_contract(launch, run_stage(launch))


def test_example_copy_comes_from_product_and_brand():
    promise = "Month-end close in minutes, not days."  # a real promise, not a placeholder
    output = run_stage(launch, stage_inputs(launch, **{"brand#brandPromise": promise}))
    assert output["tweets"][0].startswith("Introducing Ledgerline: ")
    assert output["heroCopy"]["subhead"] == promise


def test_placeholder_promise_is_not_used_as_copy():
    output = run_stage(launch)
    assert example_values()["brand#brandPromise"].startswith(PLACEHOLDER)
    assert output["heroCopy"]["subhead"] != example_values()["brand#brandPromise"]


def test_any_input_may_be_missing():
    output = run_stage(launch, {})
    assert schema_errors("launch", output) == []
    assert output["tweets"][0].startswith(PLACEHOLDER)
    assert output["productHuntTagline"].startswith(PLACEHOLDER) and len(output["productHuntTagline"]) <= 60
    no_brand = {a: v for a, v in stage_inputs(launch).items() if not a.startswith("brand#")}
    assert schema_errors("launch", run_stage(launch, no_brand)) == []


def test_long_drafts_are_shortened_at_a_word_boundary():
    words = "invoices subscriptions refunds dunning metrics " * 10
    values = {"product#name": "Ledgerline", "product#tagline": words, "brand#brandPromise": words}
    output = run_stage(launch, values)
    assert schema_errors("launch", output) == []
    tagline = output["productHuntTagline"]
    assert len(tagline) <= launch.TAGLINE_LIMIT and tagline.endswith("…")
    assert words.startswith(tagline[:-1] + " ")
    assert all(len(t) <= launch.TWEET_LIMIT for t in [*output["tweets"], output["pinnedTweet"]])


def test_shorten():
    assert launch.shorten("short text", 60) == "short text"
    assert launch.shorten("alpha beta gamma", 12) == "alpha beta…"
    assert launch.shorten("x" * 100, 10) == "x" * 9 + "…"



# Each weight as twitter-text-parser 3.0.0 (a port of X's twitter-text, config v3) gives it.
@pytest.mark.parametrize("text, weight", [
    ("hello world", 11), ("請求書", 6), ("é", 1), ("e\u0301", 1), ("…", 2), ("a\u200db", 3), ("©", 2),
    ("1\ufe0f\u20e3", 2), ("🇩🇪", 2), ("👨\u200d👩\u200d👧", 2), ("🏻", 2), ("https://x.com/a.", 24),
    ("see https://example.com/" + "a" * 40 + ", ok", 31), ("example.com", 23),
    ("請求書を自動で作成し、顧客ごとに送信し、入金を確認します。" * 7, 406),
])
def test_tweet_length_weighs_as_x_does(text, weight):
    assert tweet_length(text) == weight


def test_a_tweet_in_japanese_keeps_within_xs_weighted_280():
    # Before, the limit counted characters: this tagline gave a tweet of 238 characters, which X counts as 450.
    tagline = "請求書を自動で作成し、顧客ごとに送信し、入金を確認します。" * 7
    output = run_stage(launch, {"product#name": "請求くん", "product#tagline": tagline, "brand#brandPromise": "速い。"})
    assert schema_errors("launch", output) == []
    for tweet in (output["tweets"][0], output["pinnedTweet"]):
        assert 260 < tweet_length(tweet) <= launch.TWEET_LIMIT, tweet
        assert tweet.endswith("し…"), tweet  # cut after a clause, the 、 left out


def test_shorten_never_cuts_inside_a_character_as_read():
    assert launch.shorten("e\u0301" * 100, 10) == "e\u0301" * 4 + "…"
    family = "👨\u200d👩\u200d👧"
    assert launch.shorten(family * 50, 11, tweet_length) == family * 4 + "…"
    assert launch.shorten("ab" + family * 3, 6, tweet_length) == "ab" + family + "…"
    words = "invoices subscriptions refunds " * 3
    assert launch.shorten(words, 280, tweet_length) == launch.shorten(words, 280) == words.strip()


def test_a_provider_that_stays_too_long_fails_after_one_retry():
    provider = TooLong()
    with pytest.raises(GitspecError, match="section 'tweets': the provider returned 400 characters, over the "
                                           "limit of 280") as raised:
        run_stage(launch, provider=provider)
    assert raised.value.exit_code == 1
    assert len(provider.prompts) == 2
    assert "at most 280 characters" in provider.prompts[1] and "400" in provider.prompts[1]


def test_a_provider_that_obeys_on_retry_is_accepted():
    provider = LongOnce()
    output = run_stage(launch, provider=provider)
    assert output["productHuntTagline"] == "Short and sweet"
    assert provider.calls == 2
