"""The installed renderers, by the name of the format each renders (a folder under the output folder):
asking the plugins, refusing a name that is not a plain folder name, and telling a format two plugins
offer, or none, as a usage error naming them."""
from __future__ import annotations

import re
from typing import Any

from gitspec.errors import EXIT_USAGE, GitspecError

_FORMAT_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


def renderers(offered: dict[str, Any], wanted: list[str]) -> list[Any]:
    """The renderers for `wanted` formats (of those `installed_renderers` offers), in that order;
    an unknown format, or one two plugins offer, is a usage error."""
    from gitspec.plugincalls import chosen as offered_one

    unknown = [name for name in wanted if name not in offered]
    if unknown:
        raise GitspecError(unknown_format(unknown[0], offered), exit_code=EXIT_USAGE)
    chosen = [offered_one(offered, name) for name in wanted]
    for renderer in chosen:  # reading a plugin's renderer's version checks it, before anything is written
        renderer.version
    return chosen


def installed_renderers(manager: Any) -> dict[str, Any]:
    """Every installed renderer, by its format's name (a plugincalls.Clash where two plugins offer one); a name
    that is not a plain folder name is a usage error naming the plugin. A plugin's renderer is held
    in a PluginRenderer, so that its failures name the plugin too."""
    from gitspec.plugincalls import blamed, call_each, is_builtin, label, offer
    from gitspec.render.pluginrenderer import PluginRenderer

    offered: dict[str, Any] = {}
    owners: dict[str, str] = {}
    for plugin, plugin_renderers in call_each(manager, "gitspec_renderers"):
        for renderer in plugin_renderers:
            with blamed(manager, plugin, "renderer name"):  # a property may raise
                name = getattr(renderer, "name", None)
            if not is_format_name(name):
                raise GitspecError(f"{label(manager, plugin)}: renderer name {name!r} is not a format name "
                                   "(letters, digits, '-' and '_'; it names a folder under the output folder)",
                                   exit_code=EXIT_USAGE)
            held = renderer if is_builtin(plugin) else PluginRenderer(renderer, manager, plugin, name)
            offer(offered, owners, name, held, label(manager, plugin), "renderers for format")
    return offered


def is_format_name(name: Any) -> bool:
    return isinstance(name, str) and _FORMAT_NAME.fullmatch(name) is not None


def unknown_format(name: str, offered: Any) -> str:
    """`unknown format 'htlm' (did you mean 'html'?) (installed: docx, html, pdf)`."""
    import difflib

    close = [known for known in sorted(offered) if known.lower() == name.lower()] or \
        difflib.get_close_matches(name, list(offered), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown format '{name}'{hint} (installed: {', '.join(sorted(offered))})"
