"""The plugin manager: hookspecs, built-in plugins, then installed ones.

Built, not imported: nothing here runs at import time, so start-up stays fast.
"""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from gitspec.cachefile import read_cache, write_cache
from gitspec.installed import distributions_key, environment

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


ENTRY_POINTS = b"GSEP1"  # tag of `.gitspec/plugins`: the installed plugins' entry points
_MANAGERS: dict[tuple, object] = {}  # a check and a render in one run share a manager


def get_plugin_manager(store: Path | None = None):
    """Built-in plugins, then installed ones. With `store`, the installed plugins' entry
    points are remembered in `store/plugins` while nothing on sys.path changes: scanning
    every distribution's metadata costs more than the rest of a small run. A later call
    in the same process gets the same manager while nothing that decides its plugins changed."""
    key = (environment(), distributions_key())
    memo = (store, key, bool(os.environ.get("GITSPEC_TRACE_HOOKS")))
    if memo not in _MANAGERS:
        _MANAGERS[memo] = _build(store, key)
    return _MANAGERS[memo]


def _build(store: Path | None, key: tuple):
    import pluggy

    from gitspec import hookspecs

    manager = pluggy.PluginManager("gitspec")
    manager.add_hookspecs(hookspecs)
    for name, module in BUILTIN_PLUGINS.items():
        manager.register(importlib.import_module(module), name=name)
    cache = store / "plugins" if store is not None else None
    saved = read_cache(cache, ENTRY_POINTS) if cache is not None else None
    if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == key:
        for name, value in saved[1]:
            if manager.get_plugin(name) is None and not manager.is_blocked(name):
                manager.register(_load(value), name=name)
    else:
        manager.load_setuptools_entrypoints("gitspec")
        if cache is not None:
            write_cache(cache, ENTRY_POINTS, (key, _entry_points(manager)))
    if os.environ.get("GITSPEC_TRACE_HOOKS"):
        _trace(manager)
    return manager


def _entry_points(manager) -> tuple[tuple[str, str], ...]:
    """(name, "module:attribute") of each plugin loaded from an entry point, in load order."""
    found = []
    for plugin, dist in manager.list_plugin_distinfo():
        name = manager.get_name(plugin)
        value = next((ep.value for ep in dist.entry_points if ep.group == "gitspec" and ep.name == name), None)
        if value is not None:
            found.append((name, value))
    return tuple(found)


def _load(value: str):
    """What an entry point value ("module" or "module:attribute.path") names, as importlib.metadata loads it."""
    module, _, attribute = value.partition(":")
    target = importlib.import_module(module.strip())
    for part in filter(None, attribute.split("[")[0].strip().split(".")):
        target = getattr(target, part)
    return target


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
