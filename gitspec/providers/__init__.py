"""Providers: what stages use to write prose. `template` is built in, deterministic and offline."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Usage:
    """Token usage a provider reports (zero for the template provider)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


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
