"""Asking the provider to fill a stage's drafts, one section per call.

The stages draft every section themselves and pass the section's schema, which the provider's
answer must match; this module only makes the calls, it never builds a draft or a prompt.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gitspec.sectionschema import section_schema


def fill(provider: Any, stage: str, section: str, draft: Any, prompt: str, schema: dict) -> Any:
    """The provider's value for one section of `stage`, valid against `schema` (see gitspec.sectionschema)."""
    return provider.fill(stage=stage, section=section, draft=draft, prompt=prompt, schema=schema)


def fill_section(provider: Any, stage: str, section: str, draft: Any, prompt: str) -> Any:
    """The provider's value for one section of a built-in `stage`, which writes the kind it is named after."""
    return fill(provider, stage, section, draft, prompt, section_schema(stage, section))


def fill_sections(provider: Any, stage: str, sections: Iterable[str], drafts: Mapping[str, Any],
                  prompts: Mapping[str, str]) -> dict[str, Any]:
    """Each of `sections` of a built-in `stage`, in that order (the order the provider is asked in), filled
    from its draft and prompt."""
    return {section: fill_section(provider, stage, section, drafts[section], prompts[section]) for section in sections}
