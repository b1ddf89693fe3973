"""The plugins' stages and providers, from `.gitspec/plan` while it holds, else from the plugins.

Loading every plugin (an entry-point scan, then imports) costs more than a
no-op `status` itself, yet a stage's declaration changes only when code does.
After a full load the declarations are saved with the stat key of every
module then imported and of every folder on `sys.path` (installing or removing
a plugin changes one); a later run trusts them only while all still match.
A stage read back from the cache loads the plugins on its first `generate`,
and its declaration must then match the cached one. So `gitspec_stages` must
declare from code alone, never from data files or the environment.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from gitspec.cachefile import read_cache, write_cache
from gitspec.errors import EXIT_FINDINGS, EXIT_USAGE, GitspecError
from gitspec.installed import environment, stat_key
from gitspec.stage import Output, Stage, StageInput

FORMAT = b"GSPL2"
RACY_NS = 1_000_000_000  # a file this recent may still be changing: do not vouch for it yet
TRACE = "GITSPEC_TRACE_HOOKS"  # tracing shows every hook call, so it always loads the plugins


class Plugins:
    """What the installed plugins declare, loading them only when the cache cannot answer."""

    def __init__(self, store: Path | None = None) -> None:
        self._path = store / "plan" if store is not None else None
        self._cached = read_plan(self._path) if self._path is not None and not os.environ.get(TRACE) else None
        self._manager: Any = None
        self._loaded: tuple[list[Stage], dict[str, Any]] | None = None  # factories, or a Clash
        self._owners: dict[str, str] = {}  # stage or provider name -> the plugin that offers it
        self._token = ""
        self._lock = threading.RLock()  # stages generate on several threads

    @property
    def manager(self) -> Any:
        with self._lock:
            if self._manager is None:
                from gitspec.plugins import get_plugin_manager

                self._manager = get_plugin_manager(self._path.parent if self._path is not None else None)
            return self._manager

    def stages(self) -> list[Stage]:
        """The stages, each generating through `_generate`, which names the plugin when one fails."""
        declarations = self._cached[0] if self._cached is not None else [declare(s) for s in self._load()[0]]
        return [_stage(declaration, partial(self._generate, declaration[0])) for declaration in declarations]

    def owner(self, stage_name: str) -> str:
        """The name of the plugin that declares the stage ("" if none does now); loads the plugins."""
        self._load()
        return self._owners.get(stage_name, "")

    def label(self, stage_name: str) -> str:
        """How errors name the plugin that declares the stage, `plugin gitspec-foo (entry point foo)`
        ("" if none does now); loads the plugins."""
        from gitspec.plugincalls import label

        plugin = self.owner(stage_name)
        return label(self.manager, plugin) if plugin else ""

    def provider_names(self) -> list[str]:
        return list(self._cached[1]) if self._cached is not None else sorted(self._load()[1])

    @property
    def token(self) -> str:
        """Names the stage declarations: equal tokens, equal declarations."""
        if self._cached is not None:
            return self._cached[2]
        self._load()
        return self._token

    def provider(self, name: str, options: dict) -> Any:
        from gitspec.plugincalls import blamed, chosen

        factory, plugin = chosen(self._load()[1], name), self._owners[f"provider:{name}"]
        with blamed(self.manager, plugin, f"provider '{name}'"):
            return BlamedProvider(factory(options), self.manager, plugin, name)

    def _load(self) -> tuple[list[Stage], dict[str, Any]]:
        with self._lock:
            if self._loaded is None:
                from gitspec.plugincalls import PluginError, call_each, label, offer

                stages = []
                # in the order the plugins were registered, gitspec's own first: of two stages that clash
                # (gitspec.pipeline), the later is then the one of the plugin that came later, which is blamed
                for plugin, declared in reversed(call_each(self.manager, "gitspec_stages", (Stage,))):
                    for stage in declared:
                        problem = mistyped(stage)
                        if problem:  # before anything reads it: a stamp must never hold what its schema refuses
                            raise PluginError(f"{label(self.manager, plugin)}: {problem}")
                        if stage.name in self._owners:
                            raise GitspecError(f"stage '{stage.name}' is declared twice: by "
                                               f"{label(self.manager, self._owners[stage.name])} and by "
                                               f"{label(self.manager, plugin)}", exit_code=EXIT_USAGE)
                        self._owners[stage.name] = plugin
                    stages += declared
                factories: dict[str, Any] = {}  # a factory, or a Clash where two plugins offer the name
                offered_by: dict[str, str] = {}
                for plugin, offered in call_each(self.manager, "gitspec_providers"):
                    for name, factory in offered.items():
                        offer(factories, offered_by, name, factory, label(self.manager, plugin), "providers named")
                        self._owners.setdefault(f"provider:{name}", plugin)
                declarations = tuple(self._declare(stage) for stage in stages)
                if self._cached is not None and declarations != self._cached[0]:
                    raise GitspecError("stage declarations changed while gitspec was running: run it again",
                                       exit_code=EXIT_FINDINGS)
                self._token = declarations_token(declarations)
                if self._cached is None and self._path is not None:
                    write_plan(self._path, declarations, tuple(sorted(factories)), self._token)
                self._loaded = (stages, factories)
            return self._loaded

    def _declare(self, stage: Stage) -> tuple:
        from gitspec.plugincalls import blamed

        with blamed(self.manager, self._owners[stage.name], f"stage {stage.name!r} declaration"):
            return declare(stage)

    def _generate(self, name: str, stage_input: StageInput) -> dict[str, Any]:
        """The stage's sections; a plugin's failure, or sections gitspec cannot store, name the plugin."""
        from gitspec.plugincalls import PluginError, blamed, label

        stage = next(stage for stage in self._load()[0] if stage.name == name)
        with blamed(self.manager, self._owners[name], f"stage '{name}'", name):
            outputs = stage.generate(stage_input)
        problem = unusable(stage, outputs)
        if problem:
            raise PluginError(f"{label(self.manager, self._owners[name])}: stage '{name}' {problem}", name)
        return outputs


class BlamedProvider:
    """A plugin's provider: a failure in its `fill` names the plugin. Every other attribute is its own."""

    def __init__(self, provider: Any, manager: Any, plugin: str, name: str) -> None:
        self._provider, self._manager, self._plugin, self._name = provider, manager, plugin, name

    def fill(self, **kwargs: Any) -> Any:
        from gitspec.plugincalls import blamed

        from gitspec.plugincalls import PluginError, label

        stage = str(kwargs.get("stage") or "")
        with blamed(self._manager, self._plugin, f"provider '{self._name}'", stage):
            value = self._provider.fill(**kwargs)
        problem = unstorable(value)
        if problem:  # the provider's, not that of the stage it filled for
            raise PluginError(f"{label(self._manager, self._plugin)}: provider '{self._name}' {problem}", stage)
        return value

    def __getattr__(self, name: str) -> Any:
        return getattr(self._provider, name)


def unusable(stage: Stage, outputs: Any) -> str:
    """What is wrong with a stage's `generate` result ("": nothing): gitspec stores it as JSON."""
    from gitspec.plugincalls import described

    if not isinstance(outputs, dict):
        return f"returned {described(outputs)}, not a mapping of section to value"
    missing = [o.section for o in stage.outputs if o.section not in outputs]
    if missing:
        return f"returned no {', '.join(missing)}"
    return unstorable(outputs)


def unstorable(value: Any) -> str:
    """What keeps `value` from being stored as UTF-8 JSON ("": nothing)."""
    import json

    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate (from a bad decode, or "\ud800" in JSON)
        return (f"returned text that cannot be stored: a lone surrogate U+{ord(error.object[error.start]):04X}, "
                "which is no Unicode character")
    except (TypeError, ValueError) as error:  # a set, a datetime, an object, a circular list
        return f"returned a value that cannot be stored: {error}"
    return ""


def mistyped(stage: Stage) -> str:
    """What in a stage's declaration is not of the type gitspec stores it as ("": nothing): a
    version `1` would be stamped as a number, and a string where a tuple belongs read letter by letter."""
    from gitspec.plugincalls import described

    if not isinstance(stage.name, str):
        return f"a stage's name must be a string, not {described(stage.name)} ({stage.name!r})"
    for field in ("version", "document", "kind", "title", "prompt_version"):
        value = getattr(stage, field)
        if not isinstance(value, str):
            quote = f": quote it, '{value}'" if isinstance(value, (int, float)) else ""
            return f"stage '{stage.name}': {field} must be a string, not {described(value)} ({value!r}){quote}"
    if not callable(stage.generate):
        return f"stage '{stage.name}': generate must be a function of a StageInput, not {described(stage.generate)}"
    problem = _strings(stage.inputs, "inputs", "addresses") or _strings(stage.ids, "ids", "id prefixes")
    if not problem and not isinstance(stage.outputs, (tuple, list)):
        problem = f"outputs must be a tuple of Output, not {described(stage.outputs)}"
    if problem:
        return f"stage '{stage.name}': {problem}"
    for output in stage.outputs:
        if not isinstance(output, Output):
            return f"stage '{stage.name}': outputs holds {described(output)}, not an Output"
        if not isinstance(output.section, str):
            return (f"stage '{stage.name}': an output's section must be a string, not {described(output.section)} "
                    f"({output.section!r})")
        problem = _strings(output.depends_on, "depends_on", "addresses")
        if problem:
            return f"stage '{stage.name}': output '{output.section}': {problem}"
    return ""


def _strings(value: Any, field: str, what: str) -> str:
    """Why `value` is not a tuple (or list) of strings ("": it is), for the declaration's `field`."""
    from gitspec.plugincalls import described

    if isinstance(value, str):  # ("product#features") for ("product#features",): the comma makes the tuple
        return (f"{field} must be a tuple of {what}, not a string ({value!r}; a tuple of one needs a trailing "
                f"comma: ({value!r},))")
    if not isinstance(value, (tuple, list)):  # a set's order, and so the declarations' token, varies by run
        return f"{field} must be a tuple of {what}, not {described(value)}"
    wrong = next((item for item in value if not isinstance(item, str)), None)
    if wrong is not None:
        return f"{field} must be a tuple of {what}, strings, but holds {described(wrong)} ({wrong!r})"
    return ""


def declare(stage: Stage) -> tuple:
    """A stage's declaration, everything but `generate`, as plain data."""
    return (stage.name, stage.version, stage.document, stage.kind, stage.title, tuple(stage.inputs),
            tuple((output.section, tuple(output.depends_on)) for output in stage.outputs), stage.prompt_version,
            tuple(stage.ids))


def declarations_token(declarations: tuple) -> str:
    import hashlib

    return hashlib.sha256(repr(declarations).encode()).hexdigest()  # repr: plain strings and tuples only


def _stage(declaration: tuple, generate: Callable) -> Stage:
    name, version, document, kind, title, inputs, outputs, prompt_version, ids = declaration
    return Stage(name, version, document, kind, title, inputs,
                 tuple(Output(section, depends_on) for section, depends_on in outputs), generate, prompt_version, ids)


def read_plan(path: Path) -> tuple[tuple, tuple, str] | None:
    """(declarations, provider names, token) if the plan file exists and every file it came from is unchanged."""
    try:
        built_for, files, declarations, providers, token = read_cache(path, FORMAT)
        if built_for != environment() or any(stat_key(name) != key for name, key in files):
            return None
    except (ValueError, TypeError):  # missing (None), or another shape
        return None
    return declarations, providers, token


def write_plan(path: Path, declarations: tuple, providers: tuple, token: str) -> None:
    """Save the declarations with the stat key of everything they came from; skip if any is too recent."""
    recent = time.time_ns() - RACY_NS
    files = tuple((name, stat_key(name)) for name in _sources())
    if any(key is not None and key[0] >= recent for _, key in files):
        return  # the file might still change within its mtime's resolution: vouch next time
    write_cache(path, FORMAT, (environment(), files, declarations, providers, token))


def _sources() -> list[str]:
    """Every folder on sys.path (missing ones too) and every imported module's file outside the standard library."""
    stdlib = os.path.dirname(os.__file__) + os.sep
    names = {os.path.abspath(entry or os.curdir) for entry in sys.path}
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if isinstance(name, str) and (not name.startswith(stdlib) or "-packages" in name):
            names.add(name)
    return sorted(names)
