"""`gitspec build` through the openai provider plugin, against a loopback chat-completions server.

The server answers every request with the draft gitspec sent in its prompt, so the
shipped pipeline's output stays schema-valid; no test reaches any other network.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
import yaml

from conftest import GIT_ENV, GITSPEC, REPO, make_repo, run_gitspec, write_files

PLUGIN = REPO / "plugins" / "gitspec-openai"
sys.path.append(str(PLUGIN / "tests"))  # after ours: its conftest must not shadow tests/conftest.py

from fake_openai import FakeServer, Reply, completion  # the plugin's own loopback server

PROMPT_TOKENS, COMPLETION_TOKENS = 7, 3
DIRECTIVE = "Build a Stripe-level billing dashboard"


class EchoServer(FakeServer):
    """Answers each request with `{"value": <the draft in its prompt>}` and a fixed token usage; a section
    in `answers` with that content instead, every time."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, str] = {}

    def next_reply(self, request: dict) -> Reply:
        self.requests.append(request)  # list.append is atomic; the server handles requests in threads
        prompt = request["json"]["messages"][1]["content"]  # the first question, not the feedback on an answer
        section = prompt.split("Section: ", 1)[1].split("\n", 1)[0]
        if section in self.answers:
            return completion(content=self.answers[section])
        draft = prompt.split("Draft value (JSON):\n", 1)[1].split("\n", 1)[0]
        return completion(json.loads(draft), prompt_tokens=PROMPT_TOKENS, completion_tokens=COMPLETION_TOKENS)


def stage_of(request: dict) -> str:
    prompt = request["json"]["messages"][-1]["content"]
    return prompt.split("Stage: ", 1)[1].split("\n", 1)[0]


@pytest.fixture
def server():
    with EchoServer() as running:
        yield running


@pytest.fixture
def openai_env(tmp_path):
    """`gitspec_openai` importable from this checkout and announced by a real entry point, as an install would."""
    folder = tmp_path / "openai-entry-point"
    write_files(folder, {
        "gitspec_openai-0.1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: gitspec-openai\nVersion: 0.1.0\n",
        "gitspec_openai-0.1.0.dist-info/entry_points.txt": "[gitspec]\nopenai = gitspec_openai.plugin\n",
    })
    return {"PYTHONPATH": f"{folder}:{PLUGIN}", "OPENAI_API_KEY": "", "GITSPEC_OPENAI_MODEL": "",
            "GITSPEC_OPENAI_BASE_URL": ""}


def _workspace(root, server, options: str = ""):
    """A new workspace whose product document asks for everything; `options` are more `plugins.openai` lines."""
    make_repo(root, {}, commit=False)
    assert run_gitspec(root, "init").code == 0
    # before the provider is named: every command refuses one that is not installed, and the plugin is
    # installed only for the commands given openai_env
    assert run_gitspec(root, "new", "product", DIRECTIVE).code == 0
    config = root / "gitspec.yaml"
    text = re.sub(r"^formats:.*\n", "", config.read_text(), flags=re.MULTILINE)  # rendering has its own tests
    config.write_text(text + f"formats: []\nprovider: openai\nplugins:\n  openai:\n"
                             f"    base_url: {server.base_url}\n    model: test-model\n{options}")
    return root


def _stamps(root) -> dict[str, dict]:
    stamps = {}
    for path in sorted((root / "specs").glob("*.yaml")):
        document = yaml.safe_load(path.read_text())
        for section, stamp in (document.get("generated") or {}).items():
            stamps[f"{document['id']}#{section}"] = stamp
    return stamps


@pytest.mark.parametrize("jobs", ["1", "4"])
def test_build_through_the_openai_provider_records_usage_and_rebuilds_from_the_cache(tmp_path, server, openai_env,
                                                                                     jobs):
    root = _workspace(tmp_path / "fresh", server)
    first = run_gitspec(root, "build", "--json", "--jobs", jobs, env=openai_env)
    assert first.code == 0, first
    complete = json.loads(first.out.splitlines()[-1])
    assert complete["event"] == "complete" and complete["conflicts"] == []
    assert {a.split("#")[0] for a in complete["generated"]} >= {"product", "brand", "design", "launch"}
    calls = len(server.requests)
    assert calls > 0 and complete["provider_calls"] > 0
    assert {r["path"] for r in server.requests} == {"/v1/chat/completions"}
    assert {r["json"]["model"] for r in server.requests} == {"test-model"}
    assert complete["tokens"] == calls * (PROMPT_TOKENS + COMPLETION_TOKENS)

    stamps = _stamps(root)
    assert set(complete["generated"]) <= set(stamps)
    assert {s["provider"] for s in stamps.values()} == {"openai"}
    assert {s["model"] for s in stamps.values()} == {"test-model"}
    per_stage = {}
    for request in server.requests:
        per_stage[stage_of(request)] = per_stage.get(stage_of(request), 0) + PROMPT_TOKENS + COMPLETION_TOKENS
    for address, stamp in stamps.items():  # each stamp holds the usage of its own stage's calls
        assert stamp.get("tokens", 0) == per_stage.get(stamp["stage"], 0), address
    assert run_gitspec(root, "check", env=openai_env).code == 0

    second = run_gitspec(root, "build", "--json", env=openai_env)
    assert second.code == 0, second
    again = json.loads(second.out.splitlines()[-1])
    assert again["generated"] == [] and again["provider_calls"] == 0 and again["tokens"] == 0
    assert len(server.requests) == calls  # not one request more
    assert _stamps(root) == stamps


def test_a_key_holding_a_line_ending_is_a_configuration_error_that_never_shows_it(tmp_path, server, openai_env):
    root = _workspace(tmp_path / "ws", server, "    api_key_env: MY_LLM_KEY\n")
    result = run_gitspec(root, "build", "--json", env={**openai_env, "MY_LLM_KEY": "sk-SECRET123\r"})
    assert result.code == 2, result
    assert "SECRET" not in result.out + result.err
    assert "environment variable MY_LLM_KEY holds a control character (U+000D" in result.err
    assert len(result.err.splitlines()) == 1 and not (root / ".gitspec" / "logs").exists()
    assert server.requests == []  # nothing sent, nothing retried


def test_a_key_holding_a_non_ascii_character_is_a_configuration_error_without_a_crash_log(tmp_path, server,
                                                                                          openai_env):
    root = _workspace(tmp_path / "ws", server, "    api_key_env: MY_LLM_KEY\n")
    result = run_gitspec(root, "build", env={**openai_env, "MY_LLM_KEY": "sk-abc’"})
    assert result.code == 2, result
    assert result.err == ("gitspec: error: plugins.openai: environment variable MY_LLM_KEY holds a non-ASCII "
                          "character (U+2019, character 7 of 7), which an API key cannot hold: a typographic quote "
                          "or an accent pasted with it?\n")
    assert not (root / ".gitspec" / "logs").exists() and server.requests == []


@pytest.mark.parametrize("section, answer, error", [
    ("features", '{"value": ["Invoices", "Payments"]}', 'at /0: "Invoices" is not of type "object"'),
    ("name", '{"value": NaN}', "NaN is not a JSON number"),
    ("name", '{"value": "Billing Dashboard \\ud83d"}', "the reply holds a lone surrogate \\ud83d"),
    ("dataModel", '{"value": {"entities": "Invoice, Customer"}}',
     'at /entities: "Invoice, Customer" is not of type "array"'),
])
def test_an_invalid_answer_for_the_section_is_retried_then_stops_the_build_writing_nothing(
        tmp_path, server, openai_env, section, answer, error):
    root = _workspace(tmp_path / "ws", server)
    product = (root / "specs" / "product.yaml").read_bytes()
    server.answers[section] = answer
    result = run_gitspec(root, "build", env=openai_env)
    assert result.code == 1, result
    [line] = result.err.splitlines()
    assert f"section '{section}'" in line and "no valid answer after 3 tries" in line and error in line
    asked = [r for r in server.requests if f"Section: {section}\n" in r["json"]["messages"][1]["content"]]
    assert [len(r["json"]["messages"]) for r in asked] == [2, 4, 6]  # each retry shows the model what was wrong
    assert "JSON Schema for the value" in asked[0]["json"]["messages"][1]["content"]
    if section == "dataModel":  # the stages before it wrote theirs
        assert not (root / "specs" / "architecture.yaml").exists()
    else:
        assert (root / "specs" / "product.yaml").read_bytes() == product
    assert not (root / ".gitspec" / "logs").exists()


def test_a_tweet_the_schema_takes_but_x_counts_too_long_stops_the_build_with_one_line(tmp_path, server, openai_env):
    root = _workspace(tmp_path / "ws", server)
    server.answers["tweets"] = json.dumps({"value": "請求" * 100})  # 200 characters, which X counts as 400
    result = run_gitspec(root, "build", env=openai_env)
    assert result.code == 1, result
    assert result.err == ("gitspec: error: stage 'launch', section 'tweets': the openai provider returned 400 "
                          "characters, over the limit of 280, after a retry\n")
    assert not (root / "specs" / "launch.yaml").exists() and not (root / ".gitspec" / "logs").exists()


@pytest.mark.parametrize("timeout", [".inf", ".nan"])
def test_a_timeout_that_is_no_number_of_seconds_is_a_configuration_error(tmp_path, server, openai_env, timeout):
    root = _workspace(tmp_path / "ws", server, f"    timeout: {timeout}\n")
    result = run_gitspec(root, "build", env=openai_env)
    assert result.code == 2, result
    assert result.err == f"gitspec: error: plugins.openai: timeout must be a positive number, got {timeout}\n"
    assert not (root / ".gitspec" / "logs").exists() and server.requests == []


@pytest.mark.parametrize("base_url, problem", [
    ("127.0.0.1:11434/v1", "must be an http:// or https:// URL, such as http://127.0.0.1:11434/v1"),
    ("http://127.0.0.1:99999/v1", "has a port that is not a number from 1 to 65535"),
])
def test_a_malformed_base_url_is_a_configuration_error_before_any_request(tmp_path, server, openai_env, base_url,
                                                                          problem):
    root = _workspace(tmp_path / "ws", server)
    config = root / "gitspec.yaml"
    config.write_text(config.read_text().replace(f"base_url: {server.base_url}", f"base_url: {base_url}"))
    result = run_gitspec(root, "build", env=openai_env)
    assert result.code == 2, result
    assert result.err == f"gitspec: error: plugins.openai: base_url {problem}, got '{base_url}'\n"
    assert (root / "specs" / "product.yaml").read_text().count("\n") < 10  # nothing generated


class StallingServer(FakeServer):
    """Answers every request with `reply`: slowly, or asking the client to come back later."""

    def __init__(self, reply: Reply) -> None:
        super().__init__()
        self.stalling = reply

    def next_reply(self, request: dict) -> Reply:
        self.requests.append(request)
        return self.stalling


@pytest.mark.parametrize("reply, jobs", [
    (Reply(body={"error": "slow"}, delay=5), "4"),  # a request in flight (the server answers after 5 s)
    (Reply(503, {"error": "busy"}, {"Retry-After": "20"}), "1"),  # a retry waiting its 20 s
])
def test_ctrl_c_during_a_provider_request_stops_the_build_at_once(tmp_path, openai_env, reply, jobs):
    # Before, the stage went on calling the provider for each of its sections left (and slept
    # through Retry-After): `gitspec: interrupted` came 20 to 60 seconds after Ctrl-C.
    with StallingServer(reply) as server:
        root = _workspace(tmp_path / "fresh", server)
        before = {p.name: p.read_bytes() for p in (root / "specs").iterdir()}
        proc = subprocess.Popen([GITSPEC, "build", "--no-render", "--jobs", jobs], cwd=root,
                                env={**os.environ, **GIT_ENV, **openai_env}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        stopped = time.monotonic()
        out, err = proc.communicate(timeout=60)
        took = time.monotonic() - stopped
        time.sleep(0.5)  # a request the build still made would arrive by now
        assert proc.returncode == 130 and err == "gitspec: interrupted\n", (out, err)
        assert took < 10, took  # (before: 20 s and more; loose, as the machine may be busy)
        assert len(server.requests) == 1
    assert {p.name: p.read_bytes() for p in (root / "specs").iterdir()} == before  # whole, and nothing beside


def test_a_build_the_cache_serves_whole_needs_no_api_key(tmp_path, server, openai_env):
    # Before, working out the cache key built the provider, which read the key: with api_key_env
    # unset, such a build (0 requests) stopped with exit 2 "environment variable ... is not set".
    root = _workspace(tmp_path / "fresh", server)
    config = root / "gitspec.yaml"
    config.write_text(config.read_text() + "    api_key_env: GITSPEC_TEST_KEY\n")
    product = root / "specs" / "product.yaml"
    first = product.read_text()
    with_key = {**openai_env, "GITSPEC_TEST_KEY": "sk-test"}
    assert run_gitspec(root, "build", env=with_key).code == 0
    product.write_text(product.read_text().replace(DIRECTIVE, DIRECTIVE + " for small shops"))
    assert run_gitspec(root, "build", env=with_key).code == 0
    product.write_text(product.read_text().replace(DIRECTIVE + " for small shops", DIRECTIVE))
    calls = len(server.requests)

    cached = run_gitspec(root, "build", "--json", env=openai_env)
    assert cached.code == 0, cached
    complete = json.loads(cached.out.splitlines()[-1])
    assert complete["generated"] and complete["provider_calls"] == 0 and len(server.requests) == calls

    product.write_text(first.replace(DIRECTIVE, "Build a calendar for dentists"))  # not in the cache
    needs_key = run_gitspec(root, "build", env=openai_env)
    assert needs_key.code == 2 and len(server.requests) == calls, needs_key
    assert needs_key.err.splitlines()[-1] == ("gitspec: error: plugins.openai: environment variable "
                                              "GITSPEC_TEST_KEY (plugins.openai.api_key_env) is not set")
