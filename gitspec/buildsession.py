"""Everything a build or status needs, assembled once: documents, pipeline, provider, cache.

Kept apart from the commands so that `build`, `status` and `pin` see one
pipeline the same way. Plugins are loaded only when something needs more
than their cached declarations (see gitspec.declarations).
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gitspec.checker import CheckResult, check, workspace_engine
from gitspec.declarations import Plugins
from gitspec.index import ParseIndex, save_index
from gitspec.opening import Documents, LoadedDocument
from gitspec.hashing import value_hash
from gitspec.pipeline import Pipeline
from gitspec.stage import Stage
from gitspec.unreadable import Unreadable, unreadable_documents
from gitspec.workspace import Workspace

if TYPE_CHECKING:
    from gitspec.engine import Engine


@dataclass
class BuildContext:
    workspace: Workspace
    index: ParseIndex
    checked: CheckResult
    documents: Documents | dict[str, LoadedDocument]
    pipeline: Pipeline
    plugins: Plugins
    unreadable: dict[str, Unreadable]  # the ids documents that could not be read may have
    engine: Callable[[], Engine]  # the checking engine (kinds, schemas), made once on first use: see workspace_engine

    @property
    def manager(self) -> Any:
        """The plugin manager, loaded on first use."""
        return self.plugins.manager

    def options(self, stage: Stage) -> dict:
        return stage_options(self.workspace)(stage)


def stage_options(workspace: Workspace) -> Callable[[Stage], dict]:
    """A stage's options: `plugins.<stage name>` in gitspec.yaml."""
    return lambda stage: workspace.config.options_of(stage.name)


def prepare(workspace: Workspace, index: ParseIndex) -> BuildContext:
    """Refresh the index, then pair its documents with the pipeline and their judgement (cached when it can be)."""
    from gitspec.judgement import attach

    engine = workspace_engine(workspace)
    checked = check(workspace, index, save=False, engine=engine)
    plugins = Plugins(workspace.store)
    pipeline = Pipeline(plugins.stages(), plugins.label)
    documents = Documents(index)
    options = workspace.config.plugins  # the stages' options: judged by them, so part of the key
    attach(index, documents, pipeline, f"{plugins.token}:{value_hash(options)}", stage_options(workspace))
    if index.unsaved is not None:  # the check's and the judgement's changes, in one write
        save_index(index, index.unsaved)
        index.unsaved = None
    unreadable = unreadable_documents(workspace.root, checked.findings, index.content()[0],
                                      lambda: {doc_id: doc.path for doc_id, doc in documents.items()})
    return BuildContext(workspace, index, checked, documents, pipeline, plugins, unreadable, engine)


def make_provider(context: BuildContext) -> Any:
    from gitspec.configinstalled import refuse_uninstalled_provider

    name = context.workspace.config.provider
    refuse_uninstalled_provider(context.workspace, context.plugins.provider_names())
    options = context.workspace.config.options_of(name)
    return DeferredProvider(lambda: context.plugins.provider(name, options))


class DeferredProvider:
    """The configured provider, made on first use: a build that generates nothing never loads plugins.

    Until then its usage is zero; afterwards every attribute is the provider's own.
    """

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._provider: Any = None
        self._lock = threading.Lock()  # stages generate on several threads

    def _real(self) -> Any:
        with self._lock:
            if self._provider is None:
                self._provider = self._make()
            return self._provider

    @property
    def usage(self) -> Any:
        if self._provider is None:
            from gitspec.providers import Usage

            return Usage()
        return self._provider.usage

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)
