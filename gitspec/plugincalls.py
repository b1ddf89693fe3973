"""Calling plugins so that what they return or raise is known to be theirs.

pluggy gathers every implementation's result into one list and cannot say whose each is
(pytest-dev/pluggy#235), yet gitspec's errors must name the plugin at fault. A third-party
plugin's failure is a configuration error (exit 2) naming it; a built-in one's is gitspec's own
bug, left to the internal-error handler (exit 3). Never loads plugins.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from gitspec.errors import EXIT_FINDINGS, EXIT_USAGE, GitspecError

# What each hook must return, besides None: (the types a result may be, and what to call it).
RETURNS = {
    "gitspec_kinds": ((list, tuple), "a list of gitspec.kinds.Kind"),
    "gitspec_document_symbols": ((list, tuple), "a list of gitspec.symbols.Definition and Reference"),
    "gitspec_check_document": ((list, tuple), "a list of gitspec.findings.Finding"),
    "gitspec_check_workspace": ((list, tuple), "a list of gitspec.findings.Finding"),
    "gitspec_stages": ((list, tuple), "a list of gitspec.stage.Stage"),
    "gitspec_providers": ((Mapping,), "a mapping of provider name to factory"),
    "gitspec_renderers": ((list, tuple), "a list of renderers"),
}


class PluginError(GitspecError):
    """A plugin failed, or returned what gitspec cannot use: one line naming it and what it was doing.
    `stage` is the build stage it happened in (a stage's name, or `render:<format>`), for build events."""

    def __init__(self, message: str, stage: str = "") -> None:
        super().__init__(message, exit_code=EXIT_USAGE)
        self.stage = stage


def call_each(manager: Any, hook: str, items: tuple[type, ...] = (), **kwargs: Any) -> list[tuple[str, Any]]:
    """(plugin name, result) of each implementation of `hook`, in the order pluggy calls them
    (the plugin registered last first), results of None left out. A plugin that raises, or returns
    something other than the hook asks for (with `items`, a list of something else), is a
    PluginError naming it. A hook that takes no argument (kinds, stages, providers, renderers) is called
    once per manager, as docs/plugins.md promises, however many parts of a command ask."""
    if kwargs:
        return _call_each(manager, hook, items, kwargs)
    answers = manager.__dict__.setdefault("gitspec_answers", {})
    if (hook, items) not in answers:
        answers[hook, items] = _call_each(manager, hook, items, kwargs)
    return answers[hook, items]


def forget_answers(manager: Any) -> None:
    """Call the argument-less hooks again from now on: a `render --watch` renders many times in one process,
    and each render asks anew (a plugin's renderer may work out its version as it is made)."""
    manager.__dict__.pop("gitspec_answers", None)


def _call_each(manager: Any, hook: str, items: tuple[type, ...], kwargs: dict[str, Any]) -> list[tuple[str, Any]]:
    impls = getattr(manager.hook, hook).get_hookimpls()[::-1]
    traced = getattr(manager, "traced", False)
    if traced:  # as datasette's tracer does
        names = ", ".join(impl.plugin_name for impl in impls)
        sys.stderr.write(f"gitspec hook: {hook}({', '.join(kwargs)}) -> [{names}]\n")
    types, wanted = RETURNS[hook]
    results = []
    for impl in impls:
        try:
            result = impl.function(*[kwargs[name] for name in impl.argnames])
        except GitspecError as error:
            _as_own(error, impl.plugin_name)
            raise
        except Exception:
            if is_builtin(impl.plugin_name):
                raise
            raise failure(label(manager, impl.plugin_name), hook) from None
        if result is not None:
            wrong = result if not isinstance(result, types) else next(
                (item for item in result if items and not isinstance(item, items)), None)
            if wrong is not None:
                among = "" if wrong is result else " in its list"
                raise PluginError(f"{label(manager, impl.plugin_name)}: {hook} returned {described(wrong)}{among}, "
                                  f"not {wanted}")
            if items and not is_builtin(impl.plugin_name):
                _refuse_wrong_fields(label(manager, impl.plugin_name), hook, result)
            results.append((impl.plugin_name, result))
    if traced:
        sys.stderr.write(f"gitspec hook: {hook} returned {len(results)!r:.80}\n")
    return results


def _refuse_wrong_fields(plugin: str, hook: str, result: Any) -> None:
    """A record in a plugin's result with a field gitspec cannot use (a Finding whose path is a Path, a
    Reference whose line is None) is a PluginError naming the plugin, the record and the field."""
    from gitspec.pluginrecords import wrong_field

    for item in result:
        problem = wrong_field(item)
        if problem:
            raise PluginError(f"{plugin}: {hook} returned {described(item)} {problem}")


@contextmanager
def blamed(manager: Any, plugin: str, doing: str, stage: str = "") -> Iterator[None]:
    """Run code of the plugin named `plugin`: a GitspecError it raises is its own clean error, shown
    as it is; any other exception is a PluginError saying it failed while `doing`, its traceback in a
    crash log. A built-in plugin's exception is gitspec's own, left as it is."""
    try:
        yield
    except GitspecError as error:
        _as_own(error, plugin, stage)
        raise
    except Exception:
        if is_builtin(plugin):
            raise
        raise failure(label(manager, plugin), doing, stage) from None


def _as_own(error: GitspecError, plugin: str, stage: str = "") -> None:
    """Make a plugin's own clean error, shown as it is, exit 1 (findings) when it says so and 2 otherwise:
    never 0, which would pass a run that stopped, nor 3, which is kept for gitspec's own bugs; and give it
    the build stage it happened in, for build events, when it has none (a built-in stage's error too,
    whose exit code is gitspec's own choice)."""
    if stage and not getattr(error, "stage", ""):
        error.stage = stage
    if not is_builtin(plugin) and error.exit_code not in (EXIT_FINDINGS, EXIT_USAGE):
        error.exit_code = EXIT_USAGE


def failure(plugin: str, doing: str, stage: str = "") -> PluginError:
    """The exception being handled, raised by `plugin` while `doing`: its traceback to a crash log."""
    from gitspec.crashlog import write_crash_log

    log, summary = write_crash_log()
    where = f"the traceback is in {log}" if log else "its traceback could not be saved"
    return PluginError(f"{plugin}: {doing} raised {summary} ({where})", stage)


@dataclass(frozen=True)
class Clash:
    """A name two plugins offer (a format, a provider): an error only when it is asked for, so the others
    still work."""
    what: str  # what the error calls them: "renderers for format"
    name: str
    plugins: tuple[str, ...]  # their labels


def offer(offered: dict[str, Any], owners: dict[str, str], name: str, value: Any, plugin: str, what: str) -> None:
    """Note in `offered` that the plugin labelled `plugin` offers `value` as `name` (`owners`: name -> the
    label of the plugin that offered it first); a name offered before becomes a Clash naming them all."""
    if name in offered:
        earlier = offered[name].plugins if isinstance(offered[name], Clash) else (owners[name],)
        offered[name] = Clash(what, name, (*earlier, plugin))
        return
    owners[name], offered[name] = plugin, value


def chosen(offered: dict[str, Any], name: str) -> Any:
    """What `offered` holds as `name`; two plugins offering it is a usage error naming them."""
    value = offered[name]
    if isinstance(value, Clash):
        *others, last = value.plugins
        count = {2: "two", 3: "three"}.get(len(value.plugins), str(len(value.plugins)))
        raise GitspecError(f"{count} {value.what} '{name}': {', '.join(others)} and {last}", exit_code=EXIT_USAGE)
    return value


def label(manager: Any, name: str) -> str:
    """How an error names the plugin `name`: `plugin gitspec-foo (entry point foo)`."""
    return manager.label(name) if hasattr(manager, "label") else f"plugin {name}"


def is_builtin(name: str) -> bool:
    from gitspec.plugins import BUILTIN_PLUGINS

    return name in BUILTIN_PLUGINS


def described(value: Any) -> str:
    """`None`, `a Finding`, `a list`: what a plugin returned, for an error line."""
    if value is None:
        return "None"
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"
