"""The provider against a real HTTP server on 127.0.0.1: answers, feedback, retries, usage, auth."""
from __future__ import annotations

import json
import socket
import time

import pytest
from fake_openai import Reply, completion

from gitspec.errors import GitspecError
from gitspec_openai import from_options, provider as provider_module
from gitspec_openai.provider import RETRY_AFTER_CAP, OpenAICompatibleProvider, parse_retry_after

FEATURES = {
    "type": "array",
    "items": {"type": "object", "required": ["id", "title"],
              "properties": {"id": {"type": "string"}, "title": {"type": "string"}}},
}
DRAFT = [{"id": "F-1", "title": "[needs input: feature title]"}]
GOOD = [{"id": "F-1", "title": "Invoice history"}]


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def make(server, sleeps):
    def build(**options) -> OpenAICompatibleProvider:
        options = {"base_url": server.base_url, "model": "test-model", "sleep": sleeps.append, **options}
        return OpenAICompatibleProvider(**options)
    return build


def fill(provider, schema=FEATURES, draft=DRAFT):
    return provider.fill(stage="product", section="features", draft=draft,
                         prompt="Name the features.", schema=schema)


def test_good_answer_first_time(server, make, sleeps):
    server.reply(completion(GOOD))
    assert fill(make()) == GOOD
    [request] = server.requests
    assert request["path"] == "/v1/chat/completions"
    body = request["json"]
    assert body["model"] == "test-model"
    assert body["response_format"] == {"type": "json_object"} and body["temperature"] == 0
    system, user = body["messages"]
    assert system["role"] == "system" and "gitspec" in system["content"] and '{"value"' in system["content"]
    assert user["role"] == "user"
    for expected in ("Stage: product", "Section: features", "Name the features.",
                     json.dumps(DRAFT), json.dumps(FEATURES)):
        assert expected in user["content"]
    assert sleeps == []


def test_bad_json_is_sent_back_with_the_parse_error(server, make, sleeps):
    server.reply(completion(content="Sure! Here are the features: F-1"), completion(GOOD))
    assert fill(make()) == GOOD
    retry = server.requests[1]["json"]["messages"]
    assert retry[-2] == {"role": "assistant", "content": "Sure! Here are the features: F-1"}
    assert retry[-1]["role"] == "user"
    assert "not valid JSON: Expecting value: line 1 column 1" in retry[-1]["content"]
    assert sleeps == []  # a bad answer is not a transient failure: no backoff


def test_schema_invalid_answer_is_sent_back_with_the_validation_errors(server, make):
    server.reply(completion([{"id": "F-1", "title": 7}]), completion(GOOD))
    assert fill(make()) == GOOD
    feedback = server.requests[1]["json"]["messages"][-1]["content"]
    assert 'at /0/title: 7 is not of type "string"' in feedback


def test_markdown_fenced_json_is_accepted(server, make):
    server.reply(completion(content='```json\n{"value": %s}\n```' % json.dumps(GOOD)))
    assert fill(make()) == GOOD


def test_without_a_schema_the_answer_keeps_the_drafts_type(server, make):
    server.reply(completion("a string, not a list"), completion(["one", "two"]))
    assert fill(make(), schema=None, draft=["one"]) == ["one", "two"]
    assert 'is not of type "array"' in server.requests[1]["json"]["messages"][-1]["content"]


def test_answers_that_stay_invalid_end_in_one_line_error(server, make):
    server.reply(*[completion({"wrong": "shape"})] * 3)
    with pytest.raises(GitspecError) as raised:
        fill(make(schema_retries=2))
    assert len(server.requests) == 3
    assert raised.value.exit_code == 1
    message = str(raised.value)
    assert "\n" not in message
    assert "no valid answer after 3 tries" in message and 'is not of type "array"' in message


def test_429_honours_retry_after(server, make, sleeps):
    server.reply(Reply(429, {"error": {"message": "slow down"}}, {"Retry-After": "2"}), completion(GOOD))
    assert fill(make()) == GOOD
    assert sleeps == [2.0]
    assert len(server.requests) == 2


def test_retry_after_is_capped(server, make, sleeps):
    server.reply(Reply(429, {"error": "busy"}, {"Retry-After": "86400"}), completion(GOOD))
    assert fill(make()) == GOOD
    assert sleeps == [RETRY_AFTER_CAP]


def test_retry_after_as_an_http_date():
    from datetime import datetime, timezone

    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("Wed, 01 Jan 2025 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_500_then_success_backs_off_within_the_first_bound(server, make, sleeps):
    server.reply(Reply(500, "upstream exploded"), completion(GOOD))
    assert fill(make(backoff_base=0.5)) == GOOD
    [delay] = sleeps
    assert 0 <= delay <= 0.5


def test_timeout_then_success(server, make, sleeps):
    server.reply(Reply(delay=1.0, body=completion(GOOD).body), completion(GOOD))
    assert fill(make(timeout=0.2)) == GOOD
    assert len(server.requests) == 2 and len(sleeps) == 1


def test_timeout_bounds_the_whole_request_not_each_wait(server, make, sleeps):
    # Before, timeout was httpx's, per wait: an answer sent 16 bytes every 0.1 s (3 s in all)
    # never waited 0.5 s at once, so it took all its time and was used.
    slow = Reply(body=completion(GOOD).body, trickle=0.1)
    server.reply(slow, slow)
    started = time.monotonic()
    with pytest.raises(GitspecError) as raised:
        fill(make(timeout=0.5, max_attempts=2))
    assert time.monotonic() - started < 2.5 and len(server.requests) == 2 and len(sleeps) == 1
    assert raised.value.exit_code == 1
    assert str(raised.value).endswith("timed out after 0.5s (gave up after 2 attempts)")


def test_400_is_not_retried(server, make, sleeps):
    server.reply(Reply(400, {"error": {"message": "model 'nope' not found"}}), completion(GOOD))
    with pytest.raises(GitspecError) as raised:
        fill(make())
    assert len(server.requests) == 1 and sleeps == []
    assert raised.value.exit_code == 1
    assert str(raised.value) == (
        f"stage 'product', section 'features': openai provider at {server.base_url}: "
        "HTTP 400: model 'nope' not found")


def test_exhausted_retries_end_in_one_line_error(server, make, sleeps):
    server.reply(*[Reply(503, "<html>\n<body>Service\nUnavailable</body>\n</html>")] * 4)
    with pytest.raises(GitspecError) as raised:
        fill(make(max_attempts=4))
    assert len(server.requests) == 4 and len(sleeps) == 3
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("stage 'product', section 'features': ")
    assert server.base_url in message and "HTTP 503" in message and "gave up after 4 attempts" in message


def test_backoff_doubles_and_jitter_stays_within_bounds(server, make, sleeps, monkeypatch):
    server.reply(*[Reply(502, "bad gateway")] * 5)
    with pytest.raises(GitspecError):
        fill(make(max_attempts=5, backoff_base=0.5))
    assert len(sleeps) == 4
    for attempt, delay in enumerate(sleeps):
        assert 0 <= delay <= 0.5 * 2 ** attempt
    # At the top of each jitter range the delays show the doubling itself.
    monkeypatch.setattr(provider_module.random, "uniform", lambda low, high: high)
    server.reply(*[Reply(502, "bad gateway")] * 5)
    sleeps.clear()
    with pytest.raises(GitspecError):
        fill(make(max_attempts=5, backoff_base=0.5))
    assert sleeps == [0.5, 1.0, 2.0, 4.0]


def test_refused_connection_is_retried_then_reported(sleeps):
    with socket.socket() as probe:  # a loopback port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = OpenAICompatibleProvider(f"http://127.0.0.1:{port}/v1", "m", max_attempts=3, sleep=sleeps.append)
    with pytest.raises(GitspecError) as raised:
        fill(provider)
    assert len(sleeps) == 2
    assert "connection failed" in str(raised.value) and "\n" not in str(raised.value)


def test_base_url_without_a_scheme_fails_at_once(sleeps):
    provider = OpenAICompatibleProvider("127.0.0.1:11434/v1", "m", sleep=sleeps.append)
    with pytest.raises(GitspecError) as raised:
        fill(provider)
    assert sleeps == [] and "bad base_url" in str(raised.value)


def test_usage_sums_tokens_and_calls(server, make):
    server.reply(completion(content="oops", prompt_tokens=100, completion_tokens=3),
                 completion(GOOD, prompt_tokens=120, completion_tokens=40),
                 completion(GOOD, prompt_tokens=90, completion_tokens=30))
    provider = make()
    fill(provider)
    fill(provider)
    assert (provider.usage.calls, provider.usage.prompt_tokens, provider.usage.completion_tokens) == (3, 310, 73)


def test_authorization_header_comes_from_the_environment(server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-123")
    server.reply(completion(GOOD))
    fill(from_options({"base_url": server.base_url, "model": "m"}))
    assert server.requests[0]["headers"]["authorization"] == "Bearer sk-test-123"


def test_api_key_env_names_another_variable(server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")
    monkeypatch.setenv("MY_LLM_KEY", "sk-mine")
    server.reply(completion(GOOD))
    provider = from_options({"base_url": server.base_url, "model": "m", "api_key_env": "MY_LLM_KEY"})
    fill(provider)
    assert server.requests[0]["headers"]["authorization"] == "Bearer sk-mine"
    assert "sk-mine" not in repr(provider)


def test_no_key_sends_no_authorization(server, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    server.reply(completion(GOOD))
    fill(from_options({"base_url": server.base_url, "model": "m"}))
    assert "authorization" not in server.requests[0]["headers"]


def test_a_header_httpx_refuses_is_not_retried_and_never_shown(server, make, sleeps):
    # from_options refuses such a key; the provider itself must not echo httpx's text quoting the header.
    provider = make(api_key="sk-SECRET123\r")
    with pytest.raises(GitspecError) as raised:
        fill(provider)
    assert sleeps == [] and raised.value.exit_code == 1
    assert "SECRET" not in str(raised.value) and "not valid HTTP" in str(raised.value)
    assert server.requests == []


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(server, make, constant):
    schema = {"type": "object", "properties": {"reach": {"type": "number"}}}
    server.reply(completion(content='{"value": {"reach": %s}}' % constant), completion({"reach": 10}))
    assert fill(make(), schema=schema, draft={"reach": 1}) == {"reach": 10}
    assert f"{constant.lstrip('-')} is not a JSON number" in server.requests[1]["json"]["messages"][-1]["content"]


def test_a_lone_surrogate_is_an_invalid_answer_sent_back(server, make):
    server.reply(completion(content='{"value": [{"id": "F-1", "title": "Invoices \\ud83d"}]}'), completion(GOOD))
    assert fill(make()) == GOOD
    assert "lone surrogate \\ud83d" in server.requests[1]["json"]["messages"][-1]["content"]


def test_401_names_the_variable_holding_the_key(server, monkeypatch, sleeps):
    monkeypatch.setenv("MY_LLM_KEY", "sk-revoked")
    server.reply(Reply(401, {"error": {"message": "Incorrect API key provided"}}))
    provider = from_options({"base_url": server.base_url, "model": "m", "api_key_env": "MY_LLM_KEY"})
    with pytest.raises(GitspecError) as raised:
        fill(provider)
    assert raised.value.exit_code == 1 and len(server.requests) == 1
    assert str(raised.value).endswith("HTTP 401: Incorrect API key provided (check the API key in MY_LLM_KEY)")
    assert "sk-revoked" not in str(raised.value)


def test_401_without_a_key_says_which_variable_to_set(server, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    server.reply(Reply(401, {"error": {"message": "Missing bearer authentication"}}))
    with pytest.raises(GitspecError) as raised:
        fill(from_options({"base_url": server.base_url, "model": "m"}))
    assert str(raised.value).endswith("(no API key was sent: set OPENAI_API_KEY, or name your variable in "
                                      "plugins.openai.api_key_env)")
