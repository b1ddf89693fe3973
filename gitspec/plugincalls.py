"""Calling plugins one at a time, so that what a hook returns is known to be that plugin's.

pluggy gathers every implementation's result into one list and cannot say whose each is
(pytest-dev/pluggy#235), yet gitspec's errors must name the plugin at fault. Never loads plugins.
"""
from __future__ import annotations

import sys
from typing import Any


def call_each(manager: Any, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """(plugin name, result) of each implementation of `hook`, in the order pluggy calls them
    (the plugin registered last first), results of None left out."""
    impls = getattr(manager.hook, hook).get_hookimpls()[::-1]
    traced = getattr(manager, "traced", False)
    if traced:  # as datasette's tracer does
        names = ", ".join(impl.plugin_name for impl in impls)
        sys.stderr.write(f"gitspec hook: {hook}({', '.join(kwargs)}) -> [{names}]\n")
    results = []
    for impl in impls:
        result = impl.function(*[kwargs[name] for name in impl.argnames])
        if result is not None:
            results.append((impl.plugin_name, result))
    if traced:
        sys.stderr.write(f"gitspec hook: {hook} returned {len(results)!r:.80}\n")
    return results


def label(manager: Any, name: str) -> str:
    """How an error names the plugin `name`: `plugin gitspec-foo (entry point foo)`."""
    return manager.label(name) if hasattr(manager, "label") else f"plugin {name}"
