"""Whether what gitspec.yaml names is installed: a renderer for each of its `formats`, and its `provider`.

Every command asks as it checks the workspace (gitspec.checker.check); only `check` refuses what is
missing (build and render refuse it where they use it). Answering loads the plugins, so it is asked once
per configuration and set of installed packages (the index's fingerprint covers both): a no-op check
stays plugin-free.
"""
from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms) on a no-op check
if TYPE_CHECKING:
    from typing import Any

from gitspec.config import config_error
from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.index import ParseIndex, save_index
from gitspec.workspace import Workspace

MEMO = "installed-config"  # in the index's memo: this fingerprint's config was found installed


def refuse_uninstalled_formats(workspace: Workspace, offered: Any) -> None:
    """A format in the config that no installed renderer offers is an error at its line (exit 2)."""
    from gitspec.render.formats import unknown_format

    for number, name in enumerate(workspace.config.formats):
        if name not in offered:
            raise config_error(workspace.root, f"key 'formats': {unknown_format(name, offered)}", ("formats", number))


def refuse_uninstalled_provider(workspace: Workspace, installed: list[str]) -> None:
    """A provider that no installed plugin offers is an error at its line (exit 2)."""
    name = workspace.config.provider
    if name not in installed:
        raise config_error(workspace.root, f"key 'provider': no provider named '{name}' "
                           f"(installed: {', '.join(sorted(installed))})", ("provider",))


def check_installed(workspace: Workspace, index: ParseIndex, warn: bool = False, provider: bool = True) -> None:
    """Both of the above, unless this index already vouches for them; then it does. With `warn`, a missing
    one is a warning on stderr instead: a command that uses neither (status, pin, new, `render --format
    html`) still runs where an optional plugin is not installed, as on a CI runner; check, and build and
    render when they use it, refuse it. With `provider` False, only the formats are asked about."""
    if index.memo.get(MEMO):
        return
    from gitspec.plugincalls import call_each
    from gitspec.plugins import get_plugin_manager
    from gitspec.render.formats import installed_renderers

    manager = get_plugin_manager(workspace.store)  # the one the check's engine uses, in this process
    try:
        refuse_uninstalled_formats(workspace, installed_renderers(manager))
        if not provider:
            return
        # the providers' names alone: declarations.Plugins would also load every stage
        refuse_uninstalled_provider(workspace, [name for _, offered in call_each(manager, "gitspec_providers")
                                                for name in offered])
    except GitspecError as exc:
        if not warn or exc.exit_code != EXIT_USAGE or not exc.path:  # (a plugin's own failure stops all)
            raise
        from gitspec.errors import error_line
        from gitspec.streams import messages

        messages().write(error_line(exc).replace(": error: ", ": warning: ", 1) + "\n")
        return
    index.memo[MEMO] = True
    if index.result is not None:  # a no-op check would not save the index: save the answer now
        save_index(index, index.scan_ns)
