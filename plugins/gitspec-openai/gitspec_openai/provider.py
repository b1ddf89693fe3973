"""The OpenAI-compatible provider: one section per `fill`, over POST {base_url}/chat/completions.

Retries transient HTTP failures with backoff and bad answers with feedback; what
it cannot recover from leaves as one `GitspecError` line, never a traceback.
"""
from __future__ import annotations

import email.utils
import random
import time
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

import httpx

from gitspec.errors import EXIT_FINDINGS, GitspecError
from gitspec.providers import Usage

from gitspec_openai.answers import InvalidAnswer, build_messages, feedback_messages, read_answer, schema_for_draft

# A server asking us to wait longer than this is as good as down; waiting
# would only make a build look hung.
RETRY_AFTER_CAP = 60.0
BACKOFF_CAP = 30.0


class _Transient(Exception):
    """A failure worth trying again: timeouts, refused connections, 429, 5xx."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class _Fatal(Exception):
    """A failure that repeating the same request will not fix."""


class OpenAICompatibleProvider:
    """Fills sections through any server speaking the OpenAI chat-completions protocol."""

    name = "openai"

    def __init__(self, base_url: str, model: str, api_key: str | Callable[[], str | None] | None = None,
                 timeout: float = 30.0, max_attempts: int = 4, schema_retries: int = 2,
                 backoff_base: float = 0.5, sleep: Callable[[float], Any] = time.sleep,
                 api_key_env: str = "OPENAI_API_KEY") -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.schema_retries = max(0, schema_retries)
        self.backoff_base = backoff_base
        self.sleep = sleep
        self.usage = Usage()
        self._api_key = api_key  # or how to read it, when a request first needs it
        self.api_key_env = api_key_env  # named when the server refuses the key, never the key itself
        # Independent stages run concurrently and share one provider.

    def __repr__(self) -> str:
        # Never show the key.
        return f"OpenAICompatibleProvider(base_url={self.base_url!r}, model={self.model!r})"

    def fill(self, *, stage: str, section: str, draft: Any, prompt: str, schema: dict | None = None) -> Any:
        """Return a value for `section`, valid against `schema` (or of the draft's type)."""
        messages = build_messages(stage=stage, section=section, draft=draft, prompt=prompt, schema=schema)
        wanted = schema if schema is not None else schema_for_draft(draft)
        rounds = self.schema_retries + 1
        last: InvalidAnswer | None = None
        try:
            with httpx.Client(timeout=self.timeout, headers=self._headers()) as client:
                for _ in range(rounds):
                    content = self._complete(client, messages)
                    try:
                        return read_answer(content, wanted)
                    except InvalidAnswer as problem:
                        last = problem
                        messages = messages + feedback_messages(content, problem)
        except (_Fatal, _Transient) as failure:
            raise self._error(stage, section, str(failure)) from None
        raise self._error(stage, section, f"no valid answer after {rounds} tries: {last}")

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        key = self._api_key  # read once: another stage's thread may replace the reader with the key meanwhile
        if callable(key):  # two threads reading it at once read the same
            key = self._api_key = key()
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def _complete(self, client: httpx.Client, messages: list[dict[str, str]]) -> str | None:
        """One chat completion, retrying transient failures with exponential backoff."""
        for attempt in range(self.max_attempts):
            try:
                return self._post(client, messages)
            except _Transient as failure:
                if attempt + 1 == self.max_attempts:
                    raise _Transient(f"{failure} (gave up after {self.max_attempts} attempts)") from None
                self.sleep(self._delay(attempt, failure.retry_after))
        raise AssertionError("unreachable: max_attempts is at least 1")

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, RETRY_AFTER_CAP)
        # Full jitter: clients that failed together do not retry together.
        return random.uniform(0, min(BACKOFF_CAP, self.backoff_base * 2 ** attempt))

    def _post(self, client: httpx.Client, messages: list[dict[str, str]]) -> str | None:
        body = {"model": self.model, "messages": messages,
                "response_format": {"type": "json_object"}, "temperature": 0}
        deadline = time.monotonic() + self.timeout
        try:
            with client.stream("POST", f"{self.base_url}/chat/completions", json=body) as response:
                # httpx's timeout bounds each wait, not the whole: an answer trickling in never timed out
                response.stream = _Deadline(response.stream, deadline, response.request)
                response.read()
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise _Fatal(f"bad base_url: {exc}") from None  # retrying cannot fix the configuration
        except httpx.TimeoutException:
            raise _Transient(f"timed out after {self.timeout:g}s") from None
        except httpx.LocalProtocolError:
            # Its text quotes the offending header, which may be the Authorization one: never shown.
            raise _Fatal("the request could not be sent: httpx found it not valid HTTP") from None
        except httpx.TransportError as exc:
            raise _Transient(f"connection failed: {exc or type(exc).__name__}") from None
        if response.status_code == 429 or response.status_code >= 500:
            raise _Transient(_describe(response), parse_retry_after(response.headers.get("Retry-After")))
        if response.status_code == 401:
            check = (f"check the API key in {self.api_key_env}" if self._api_key else
                     f"no API key was sent: set {self.api_key_env}, or name your variable in plugins.openai.api_key_env")
            raise _Fatal(f"{_describe(response)} ({check})")
        if not response.is_success:
            raise _Fatal(_describe(response))
        return self._read_completion(response)

    def _read_completion(self, response: httpx.Response) -> str | None:
        try:
            completion = response.json()
            content = completion["choices"][0]["message"]["content"]
        except (ValueError, LookupError, TypeError):
            raise _Fatal(f"HTTP {response.status_code} but the body is not a chat completion: "
                         f"{_clip(response.text)}") from None
        usage = completion.get("usage") or {}
        self.usage.record(_tokens(usage, "prompt_tokens"), _tokens(usage, "completion_tokens"))
        return content if isinstance(content, str) else None

    def _error(self, stage: str, section: str, reason: str) -> GitspecError:
        message = f"stage {stage!r}, section {section!r}: openai provider at {self.base_url}: {reason}"
        return GitspecError(" ".join(message.split()), exit_code=EXIT_FINDINGS)


class _Deadline(httpx.SyncByteStream):
    """A response body read only until `deadline` (time.monotonic()): past it, a read timeout."""

    def __init__(self, stream: httpx.SyncByteStream, deadline: float, request: httpx.Request) -> None:
        self._stream, self._deadline, self._request = stream, deadline, request

    def __iter__(self) -> Iterator[bytes]:
        self._check()  # the headers alone may have taken it all
        for chunk in self._stream:
            yield chunk
            self._check()

    def _check(self) -> None:
        if time.monotonic() > self._deadline:
            raise httpx.ReadTimeout("no complete answer in time", request=self._request)

    def close(self) -> None:
        self._stream.close()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _describe(response: httpx.Response) -> str:
    """`HTTP 400: <the server's own words>`, taken from an OpenAI-style error body if any."""
    try:
        error = response.json().get("error")
        detail = error.get("message") if isinstance(error, dict) else error
    except (ValueError, AttributeError):
        detail = None
    detail = detail if isinstance(detail, str) and detail else response.text or response.reason_phrase
    return f"HTTP {response.status_code}: {_clip(detail)}"


def _tokens(usage: Any, key: str) -> int:
    value = usage.get(key) if isinstance(usage, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
