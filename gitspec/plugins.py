"""The plugin manager: hookspecs, built-in plugins, then installed ones.

Built, not imported: nothing here runs at import time, so start-up stays fast.
"""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import pluggy

from gitspec.cachefile import read_cache, write_cache
from gitspec.installed import ENTRY_POINTS, distributions_key, environment, module_files

# Built-in plugins, by entry-point name; pyproject.toml lists the same names in
# the `gitspec` entry-point group, so they load exactly as third-party ones do.
BUILTIN_PLUGINS = {
    "builtin-kinds": "gitspec.builtin.kinds",
    "builtin-symbols": "gitspec.builtin.symbols",
    "builtin-references": "gitspec.builtin.references",
    "builtin-structure": "gitspec.builtin.structure",
    "builtin-architecture": "gitspec.builtin.architecture",
    "builtin-stamps": "gitspec.builtin.stamps",
    "builtin-stages": "gitspec.builtin.stages",
    "builtin-renderers": "gitspec.builtin.renderers",
}


_MANAGERS: dict[tuple, object] = {}  # a check and a render in one run share a manager


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, knowing which distribution installed each plugin, so errors can name it."""

    def __init__(self) -> None:
        super().__init__("gitspec")
        self.distributions: dict[str, str] = {}  # entry point name -> distribution name
        self.traced = False  # GITSPEC_TRACE_HOOKS: gitspec.plugincalls prints each hook call

    def label(self, name: str) -> str:
        """How errors name a plugin: `plugin gitspec-foo (entry point foo)`, or `plugin builtin-html`."""
        dist = self.distributions.get(name)
        if not dist or dist == name:
            return f"plugin {name}"
        return f"plugin {dist} (entry point {name})"


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


def managers() -> list:
    """Every manager this process has made (a daemon's renders reset what each remembers)."""
    return list(_MANAGERS.values())


def _build(store: Path | None, key: tuple) -> PluginManager:
    from gitspec import hookspecs

    manager = PluginManager()
    manager.add_hookspecs(hookspecs)
    for name, module in BUILTIN_PLUGINS.items():
        manager.register(importlib.import_module(module), name=name)
    cache = store / "plugins" if store is not None else None
    saved = _saved(cache)
    if not (saved is not None and saved[0] == key):
        saved = (key, _entry_points(), None, ())
    files = []
    for name, value, dist in saved[1]:
        if manager.get_plugin(name) is None and not manager.is_blocked(name):
            manager.distributions[name] = dist
            _register(manager, name, value)
            files += module_files(value.partition(":")[0].strip())
    # Where each plugin's code is, wherever it was found (a folder on PYTHONPATH, an editable install):
    # the index's fingerprint (gitspec.fingerprint) stats them, so an edit there is not hidden by a cached check.
    if cache is not None and saved[2] != tuple(files):
        write_cache(cache, ENTRY_POINTS, (key, saved[1], tuple(files), saved[3]))
    manager.traced = bool(os.environ.get("GITSPEC_TRACE_HOOKS"))
    return manager


def remember_schemas(store: Path | None, schemas: tuple[str, ...]) -> None:
    """Keep the schema files of the installed plugins' kinds with their code in `store/plugins`, once the
    kinds are known: a check's result depends on them as on the code (see gitspec.fingerprint)."""
    cache = store / "plugins" if store is not None else None
    saved = _saved(cache)
    if saved is not None and saved[3] != schemas:
        write_cache(cache, ENTRY_POINTS, (*saved[:3], schemas))


def _saved(cache: Path | None) -> tuple | None:
    """(key, entry points, code files, schema files) as `cache` holds them, if it does."""
    saved = read_cache(cache, ENTRY_POINTS) if cache is not None else None
    return saved if isinstance(saved, tuple) and len(saved) == 4 else None


def _entry_points() -> tuple[tuple[str, str, str], ...]:
    """(name, "module:attribute", distribution) of each installed `gitspec` entry point, in the order
    pluggy's load_setuptools_entrypoints would load them (the first of a name wins)."""
    import importlib.metadata

    found: dict[str, tuple[str, str, str]] = {}
    for dist in importlib.metadata.distributions():
        for ep in dist.entry_points:
            if ep.group == "gitspec" and ep.name not in found:
                found[ep.name] = (ep.name, ep.value, dist.metadata["Name"] or ep.name)
    return tuple(found.values())


def _register(manager: PluginManager, name: str, value: str) -> None:
    """Import an installed plugin and register it; one that cannot be is an error naming it."""
    from gitspec.plugincalls import PluginError, failure

    try:
        plugin = _load(value)
    except Exception:  # any exception at import: a missing dependency, a syntax error, a bug
        raise failure(manager.label(name), f"importing {value}") from None
    problem = _refusal(manager, plugin)
    if problem:
        raise PluginError(f"{manager.label(name)}: {problem}")
    try:
        manager.register(plugin, name=name)
    except pluggy.PluginValidationError as error:  # pluggy's message is several lines
        raise PluginError(f"{manager.label(name)}: {'; '.join(str(error).splitlines())}") from None
    try:
        manager.check_pending()  # a hook implementation that no hookspec declares, unless optionalhook=True
    except pluggy.PluginValidationError as error:
        raise PluginError(_unknown_hook(manager, error.plugin)) from None
    _warn_unmarked(manager, name, plugin)


def _refusal(manager: PluginManager, plugin: object) -> str:
    """Why gitspec refuses the hooks of `plugin` ("" when it does not), said as one line: pluggy's own
    message for an argument a hook does not pass spans lines and quotes a Python set."""
    for attribute in dir(plugin):
        options = manager.parse_hookimpl_opts(plugin, attribute)
        caller = getattr(manager.hook, attribute, None) if options is not None else None
        if caller is None or caller.spec is None:  # not a hook implementation, or of no hook gitspec calls
            continue
        if options.get("wrapper") or options.get("hookwrapper"):
            # plugincalls.call_each calls each implementation on its own, to name whose result is whose
            return (f"{attribute} is a hook wrapper, which gitspec does not support: drop wrapper=True "
                    "(or hookwrapper=True) and return the result")
        passed = caller.spec.argnames
        unknown = [arg for arg in pluggy.HookImpl(plugin, "", getattr(plugin, attribute), options).argnames
                   if arg not in passed]
        if unknown:
            given = f"{_arguments(passed)} (take any of them, by name)" if passed else "none"
            return f"{attribute} takes {_arguments(unknown)}, which gitspec does not pass: it passes {given}"
    return ""


def _arguments(names: list[str] | tuple[str, ...]) -> str:
    """`the argument doc`, `the arguments doc and cfg`."""
    if len(names) == 1:
        return f"the argument {names[0]}"
    return f"the arguments {', '.join(names[:-1])} and {names[-1]}"


def _unknown_hook(manager: PluginManager, plugin: object) -> str:
    """Why check_pending refused `plugin`: the hook it implements that gitspec does not declare, and the
    hook it may have meant."""
    from gitspec.suggestions import closest

    declared = [name for name, caller in vars(manager.hook).items() if not name.startswith("_") and caller.has_spec()]
    unknown = next(caller.name for caller in manager.get_hookcallers(plugin) or () if not caller.has_spec()
                   and any(impl.plugin is plugin and not impl.optionalhook for impl in caller.get_hookimpls()))
    # compared without the prefix they share, which would make any gitspec_ name look close to every hook
    guess = closest(unknown.removeprefix("gitspec_"), [hook.removeprefix("gitspec_") for hook in declared])
    hint = f" (did you mean 'gitspec_{guess}'?)" if guess else ""
    return f"{manager.label(manager.get_name(plugin) or '')}: unknown hook '{unknown}'{hint}"


def _warn_unmarked(manager: PluginManager, name: str, plugin: object) -> None:
    """A function named like a hook but not marked @hookimpl, which pluggy does not register: one line on stderr."""
    for attribute in dir(plugin):
        function = getattr(plugin, attribute, None)
        if (attribute.startswith("gitspec_") and callable(function)
                and getattr(function, "__module__", None) == getattr(plugin, "__name__", None)  # not imported
                and manager.parse_hookimpl_opts(plugin, attribute) is None):
            sys.stderr.write(f"gitspec: warning: {manager.label(name)}: {attribute} is not marked @hookimpl, "
                             "so gitspec never calls it\n")


def _load(value: str):
    """What an entry point value ("module" or "module:attribute.path") names, as importlib.metadata loads it."""
    module, _, attribute = value.partition(":")
    target = importlib.import_module(module.strip())
    for part in filter(None, attribute.split("[")[0].strip().split(".")):
        target = getattr(target, part)
    return target
