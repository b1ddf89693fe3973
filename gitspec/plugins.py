"""The plugin manager: hookspecs, built-in plugins, then installed ones.

Built, not imported: nothing here runs at import time, so start-up stays fast.
"""
from __future__ import annotations

import importlib
import os
import sys

# Built-in plugins, by entry-point name; pyproject.toml lists the same names in
# the `gitspec` entry-point group, so they load exactly as third-party ones do.
BUILTIN_PLUGINS = {
    "builtin-kinds": "gitspec.builtin.kinds",
    "builtin-symbols": "gitspec.builtin.symbols",
    "builtin-references": "gitspec.builtin.references",
    "builtin-structure": "gitspec.builtin.structure",
    "builtin-stamps": "gitspec.builtin.stamps",
    "builtin-stages": "gitspec.builtin.stages",
    "builtin-renderers": "gitspec.builtin.renderers",
}


def get_plugin_manager():
    import pluggy

    from gitspec import hookspecs

    manager = pluggy.PluginManager("gitspec")
    manager.add_hookspecs(hookspecs)
    for name, module in BUILTIN_PLUGINS.items():
        manager.register(importlib.import_module(module), name=name)
    manager.load_setuptools_entrypoints("gitspec")
    if os.environ.get("GITSPEC_TRACE_HOOKS"):
        _trace(manager)
    return manager


def _trace(manager) -> None:
    """Print each hook call and its result on stderr, as datasette's tracer does."""

    def before(hook_name, hook_impls, kwargs):
        names = ", ".join(impl.plugin_name for impl in hook_impls)
        sys.stderr.write(f"gitspec hook: {hook_name}({', '.join(kwargs)}) -> [{names}]\n")

    def after(outcome, hook_name, hook_impls, kwargs):
        result = outcome.get_result() if outcome.exception is None else outcome.exception
        count = len(result) if isinstance(result, list) else result
        sys.stderr.write(f"gitspec hook: {hook_name} returned {count!r:.80}\n")

    manager.add_hookcall_monitoring(before, after)
