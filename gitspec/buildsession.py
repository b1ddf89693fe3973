"""Everything a build or status needs, assembled once: documents, pipeline, provider, cache.

Kept apart from the commands so that `build`, `status` and `pin` see one
pipeline the same way.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gitspec.checker import CheckResult, check
from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.index import ParseIndex
from gitspec.opening import LoadedDocument, loaded_documents
from gitspec.pipeline import Pipeline
from gitspec.workspace import Workspace


@dataclass
class BuildContext:
    workspace: Workspace
    index: ParseIndex
    checked: CheckResult
    documents: dict[str, LoadedDocument]
    pipeline: Pipeline
    manager: Any


def prepare(workspace: Workspace, index: ParseIndex) -> BuildContext:
    from gitspec.plugins import get_plugin_manager

    checked = check(workspace, index)
    manager = get_plugin_manager()
    stages = [stage for declared in manager.hook.gitspec_stages() for stage in declared or ()]
    return BuildContext(workspace, index, checked, loaded_documents(index), Pipeline(stages), manager)


def make_provider(context: BuildContext) -> Any:
    name = context.workspace.config.provider
    factories: dict[str, Any] = {}
    for offered in context.manager.hook.gitspec_providers():
        factories.update(offered or {})
    if name not in factories:
        raise GitspecError(f"key 'provider': no provider named '{name}' (installed: {', '.join(sorted(factories))})",
                           "gitspec.yaml", exit_code=EXIT_USAGE)
    return factories[name](dict(context.workspace.config.plugins.get(name) or {}))
