"""Asking the provider to fill a stage's drafts, one section per call.

The stages draft every section themselves and pass no schema; this module only makes the calls,
it never builds a draft or a prompt.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def fill(provider: Any, stage: str, section: str, draft: Any, prompt: str) -> Any:
    """The provider's value for one section of `stage`."""
    return provider.fill(stage=stage, section=section, draft=draft, prompt=prompt, schema=None)


def fill_sections(provider: Any, stage: str, sections: Iterable[str], drafts: Mapping[str, Any],
                  prompts: Mapping[str, str]) -> dict[str, Any]:
    """Each of `sections`, in that order (the order the provider is asked in), filled from its draft and prompt."""
    return {section: fill(provider, stage, section, drafts[section], prompts[section]) for section in sections}
