"""gitspec-openai: a gitspec provider for OpenAI-compatible chat-completions APIs.

`from_options` turns `plugins.openai` from gitspec.yaml into a provider; it
reads the environment but never touches the network. The API key is read at
the first request: a build the cache serves whole needs none (a CI job without secrets).
"""
from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any

from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.printable import shown

if TYPE_CHECKING:
    from gitspec_openai.provider import OpenAICompatibleProvider

__version__ = "0.1.0"

# Ollama's OpenAI-compatible endpoint: the zero-configuration local choice.
DEFAULT_BASE_URL = "http://127.0.0.1:11434/v1"
DEFAULT_API_KEY_ENV = "OPENAI_API_KEY"
MAX_TIMEOUT = 86400
OPTIONS = ("base_url", "model", "api_key_env", "timeout", "max_attempts", "schema_retries")


def from_options(options: dict[str, Any] | None) -> OpenAICompatibleProvider:
    """Build the provider from `plugins.openai` options, falling back to the environment."""
    # Imported here so that loading the plugin at start-up does not import httpx.
    from gitspec_openai.provider import OpenAICompatibleProvider

    options = dict(options or {})
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise _config_error(f"unknown option {unknown[0]!r}; expected one of: {', '.join(OPTIONS)}")
    model = options.get("model") or os.environ.get("GITSPEC_OPENAI_MODEL")
    if not model:
        raise _config_error("no model configured: set plugins.openai.model in gitspec.yaml "
                            "or the GITSPEC_OPENAI_MODEL environment variable")
    return OpenAICompatibleProvider(
        base_url=_base_url(options),
        model=str(model),
        api_key=lambda: _api_key(options),
        api_key_env=str(options.get("api_key_env") or DEFAULT_API_KEY_ENV),
        timeout=_number(options, "timeout", 30.0, float, minimum=0),
        max_attempts=_number(options, "max_attempts", 4, int),
        schema_retries=_number(options, "schema_retries", 2, int, minimum=0),
    )


def _base_url(options: dict[str, Any]) -> str:
    """The server's URL, checked now: a mistake in it is configuration, not a failure of the server."""
    from urllib.parse import urlsplit

    where = "base_url" if options.get("base_url") else "environment variable GITSPEC_OPENAI_BASE_URL"
    base_url = str(options.get("base_url") or os.environ.get("GITSPEC_OPENAI_BASE_URL") or DEFAULT_BASE_URL)
    parts = urlsplit(base_url)
    try:
        port = parts.port
    except ValueError:  # not a number, or past 65535
        port = 0
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problem = f"must be an http:// or https:// URL, such as {DEFAULT_BASE_URL}"
    elif port == 0:
        problem = "has a port that is not a number from 1 to 65535"
    else:
        return base_url
    raise _config_error(f"{where} {problem}, got {shown(base_url)}")


def _api_key(options: dict[str, Any]) -> str | None:
    env_name = options.get("api_key_env")
    if env_name is None:
        # Local servers such as Ollama need no key, so a missing default is fine.
        key = os.environ.get(DEFAULT_API_KEY_ENV) or None
        return _sendable(key, DEFAULT_API_KEY_ENV) if key else None
    key = os.environ.get(str(env_name))
    if not key:
        # Naming a variable explicitly and leaving it empty is almost always a mistake.
        raise _config_error(f"environment variable {env_name} (plugins.openai.api_key_env) is not set")
    return _sendable(key, str(env_name))


def _sendable(key: str, env_name: str) -> str:
    """The key, if an HTTP header can carry it as it is. The error names the variable, never the key:
    httpx's own would quote the whole header, and the key with it."""
    if key != key.strip(" "):  # a header value cannot end in one, and one at the start would be sent
        end = "start" if key.startswith(" ") else "end"
        raise _config_error(f"environment variable {env_name} holds a space at its {end}, which an API key "
                            "cannot hold: copied with it from a .env file?")
    for place, char in enumerate(key, 1):
        if ord(char) < 0x20 or ord(char) == 0x7F:
            what, hint = "a control character", "a line ending copied with it?"
        elif ord(char) > 0x7F:  # httpx sends header values as ASCII
            what, hint = "a non-ASCII character", "a typographic quote or an accent pasted with it?"
        else:
            continue
        raise _config_error(f"environment variable {env_name} holds {what} (U+{ord(char):04X}, character {place} "
                            f"of {len(key)}), which an API key cannot hold: {hint}")
    return key


def _number(options: dict[str, Any], key: str, default: float, kind: type, minimum: float = 1) -> Any:
    """Read a numeric option; `timeout` may be fractional, counts must be whole."""
    value = options.get(key, default)
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if kind is int and not isinstance(number, int):
        number = None
    if isinstance(number, float) and not math.isfinite(number):  # YAML's .inf and .nan
        number = None
    if number is None or number < minimum or number <= 0 and kind is float:
        wanted = "a positive number" if kind is float else f"a whole number of at least {minimum}"
        raise _config_error(f"{key} must be {wanted}, got {shown(value)}")
    if kind is float and number > MAX_TIMEOUT:  # the socket's clock cannot count much further
        raise _config_error(f"{key} must be at most {MAX_TIMEOUT} seconds (a day)")
    return kind(number)


def _config_error(message: str) -> GitspecError:
    return GitspecError(f"plugins.openai: {message}", exit_code=EXIT_USAGE)
