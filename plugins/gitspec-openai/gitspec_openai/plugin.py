"""The pluggy side of gitspec-openai: offers the `openai` provider factory.

Loaded on every gitspec start through the `gitspec` entry point, so it must
stay cheap: httpx is imported only when a provider is actually built.
"""
from __future__ import annotations

from typing import Callable

from gitspec import hookimpl

from gitspec_openai import from_options


@hookimpl
def gitspec_providers() -> dict[str, Callable]:
    return {"openai": from_options}
