"""`plugins.openai` options and the environment become a provider; the hook offers the factory."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pluggy
import pytest

from gitspec import hookspecs
from gitspec.errors import GitspecError
from gitspec_openai import DEFAULT_BASE_URL, from_options
from gitspec_openai import plugin as openai_plugin


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("GITSPEC_OPENAI_BASE_URL", "GITSPEC_OPENAI_MODEL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_point_at_local_ollama():
    provider = from_options({"model": "llama3.1"})
    assert (provider.name, provider.model, provider.base_url) == ("openai", "llama3.1", DEFAULT_BASE_URL.rstrip("/"))
    assert provider.timeout == 30.0 and provider.usage.calls == 0


def test_environment_fills_what_options_leave_out(monkeypatch):
    monkeypatch.setenv("GITSPEC_OPENAI_BASE_URL", "http://127.0.0.1:8080/v1/")
    monkeypatch.setenv("GITSPEC_OPENAI_MODEL", "qwen2.5")
    provider = from_options({})
    assert (provider.base_url, provider.model) == ("http://127.0.0.1:8080/v1", "qwen2.5")
    assert from_options({"model": "explicit"}).model == "explicit"


def test_timeout_and_retry_counts_are_read():
    provider = from_options({"model": "m", "timeout": 2.5, "max_attempts": 2, "schema_retries": 0})
    assert (provider.timeout, provider.max_attempts, provider.schema_retries) == (2.5, 2, 0)


@pytest.mark.parametrize("options, words", [
    ({}, "no model configured"),
    ({"model": "m", "timeout": "fast"}, "timeout must be a positive number"),
    ({"model": "m", "timeout": 0}, "timeout must be a positive number"),
    ({"model": "m", "timeout": float("inf")}, "timeout must be a positive number, got .inf"),
    ({"model": "m", "timeout": float("nan")}, "timeout must be a positive number, got .nan"),
    ({"model": "m", "timeout": 10 ** 400}, "timeout must be at most 86400 seconds (a day)"),
    ({"model": "m", "timeout": 1e12}, "timeout must be at most 86400 seconds (a day)"),
    ({"model": "m", "max_attempts": 0}, "max_attempts must be a whole number of at least 1"),
    ({"model": "m", "schema_retries": 1.5}, "schema_retries must be a whole number"),
    ({"model": "m", "base_ur": "http://x"}, "unknown option 'base_ur'"),
    ({"model": "m", "base_url": "127.0.0.1:11434/v1"},
     "base_url must be an http:// or https:// URL, such as http://127.0.0.1:11434/v1, got '127.0.0.1:11434/v1'"),
    ({"model": "m", "base_url": "localhost:11434/v1"}, "base_url must be an http:// or https:// URL"),
    ({"model": "m", "base_url": "http:///v1"}, "base_url must be an http:// or https:// URL"),
    ({"model": "m", "base_url": "http://127.0.0.1:99999/v1"},
     "base_url has a port that is not a number from 1 to 65535, got 'http://127.0.0.1:99999/v1'"),
    ({"model": "m", "base_url": "http://127.0.0.1:port/v1"}, "base_url has a port that is not a number"),
])
def test_configuration_mistakes_are_usage_errors(options, words):
    with pytest.raises(GitspecError) as raised:
        from_options(options)
    assert raised.value.exit_code == 2
    assert str(raised.value).startswith("plugins.openai: ") and words in str(raised.value)


@pytest.mark.parametrize("variable, options", [("OPENAI_API_KEY", {}), ("MY_LLM_KEY", {"api_key_env": "MY_LLM_KEY"})])
def test_a_key_holding_a_control_character_is_a_usage_error_that_never_shows_it(monkeypatch, server, variable,
                                                                                 options):
    monkeypatch.setenv(variable, "sk-SECRET123\r")
    provider = from_options({"base_url": server.base_url, "model": "m", **options})
    with pytest.raises(GitspecError) as raised:
        provider.fill(stage="product", section="name", draft="Billing", prompt="Name it.")
    assert raised.value.exit_code == 2 and "SECRET" not in str(raised.value) and server.requests == []
    assert f"environment variable {variable} holds a control character (U+000D" in str(raised.value)


@pytest.mark.parametrize("key, words", [("sk-SECRET’", "a non-ASCII character (U+2019, character 10 of 10)"),
                                        ("sk-SECRÉT", "a non-ASCII character (U+00C9, character 8 of 9)"),
                                        ("sk-SECRET ", "a space at its end"),  # httpx refused it, unnamed
                                        (" sk-SECRET", "a space at its start")])  # sent, then a 401
def test_a_key_a_header_cannot_carry_as_it_is_is_a_usage_error_that_never_shows_it(monkeypatch, server, key, words):
    monkeypatch.setenv("MY_LLM_KEY", key)
    provider = from_options({"base_url": server.base_url, "model": "m", "api_key_env": "MY_LLM_KEY"})
    with pytest.raises(GitspecError) as raised:
        provider.fill(stage="product", section="name", draft="Billing", prompt="Name it.")
    assert raised.value.exit_code == 2 and "SECR" not in str(raised.value) and server.requests == []
    assert f"environment variable MY_LLM_KEY holds {words}" in str(raised.value)


def test_a_base_url_from_the_environment_is_checked_too(monkeypatch):
    monkeypatch.setenv("GITSPEC_OPENAI_BASE_URL", "127.0.0.1:8080/v1")
    with pytest.raises(GitspecError) as raised:
        from_options({"model": "m"})
    assert raised.value.exit_code == 2
    assert "environment variable GITSPEC_OPENAI_BASE_URL must be an http:// or https:// URL" in str(raised.value)


def test_an_unset_api_key_env_is_a_usage_error_at_the_first_request_not_before(server):
    # Before, from_options raised it: a build the cache served whole (no request) needed the key too.
    provider = from_options({"base_url": server.base_url, "model": "m", "api_key_env": "UNSET_KEY_FOR_GITSPEC_TEST"})
    with pytest.raises(GitspecError) as raised:
        provider.fill(stage="product", section="name", draft="Billing", prompt="Name it.")
    assert raised.value.exit_code == 2 and server.requests == []
    assert str(raised.value) == ("plugins.openai: environment variable UNSET_KEY_FOR_GITSPEC_TEST "
                                 "(plugins.openai.api_key_env) is not set")


def test_hook_offers_the_openai_factory():
    manager = pluggy.PluginManager("gitspec")
    manager.add_hookspecs(hookspecs)
    manager.register(openai_plugin, name="openai")
    assert manager.hook.gitspec_providers() == [{"openai": from_options}]


def test_loading_the_plugin_does_not_import_httpx():
    # The plugin loads on every gitspec start; httpx should wait for a real build.
    code = "import sys, gitspec_openai.plugin; print('httpx' in sys.modules)"
    plugin_root = Path(openai_plugin.__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=plugin_root)
    assert result.stdout.strip() == "False", result.stderr
