"""Providers: what stages use to write prose. `template` is built in, deterministic and offline."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

_LOCK = threading.Lock()
_METERS = threading.local()  # the meter of the stage generating on each thread


@dataclass
class Usage:
    """Token usage a provider reports (zero for the template provider).

    Providers call `record` once per call: it adds to these totals and to the
    meter of the stage generating on the calling thread, so stages generating
    at once (`build --jobs`) each get their own tokens in their stamps.
    """

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def record(self, prompt_tokens: int, completion_tokens: int) -> None:
        with _LOCK:
            self.calls += 1
            self.prompt_tokens += prompt_tokens
            self.completion_tokens += completion_tokens
        meter = getattr(_METERS, "current", None)
        if meter is not None:
            meter.tokens += prompt_tokens + completion_tokens
            meter.calls += 1


@dataclass
class Meter:
    calls: int = 0
    tokens: int = 0


@contextmanager
def stage_meter() -> Iterator[Meter]:
    """Count the tokens providers `record` on this thread while one stage generates."""
    meter, previous = Meter(), getattr(_METERS, "current", None)
    _METERS.current = meter
    try:
        yield meter
    finally:
        _METERS.current = previous


@dataclass
class TemplateProvider:
    """Returns the stage's deterministic draft unchanged: no inference, no network."""

    name: str = "template"
    model: str | None = None
    usage: Usage = field(default_factory=Usage)

    def fill(self, *, stage: str, section: str, draft: Any, prompt: str, schema: dict | None = None) -> Any:
        """Return a value for `section`. An LLM provider improves `draft` following `prompt`
        and returns JSON valid against `schema`; the template provider keeps the draft."""
        return draft
