"""The checking engine: plugins, kinds and schemas, loaded once, applied per document.

Imported only when some file changed; building it is the expensive part of a run.
"""
from __future__ import annotations

import marshal
import os
from functools import cached_property
from pathlib import Path

from gitspec.config import Config
from gitspec.conflicts import Conflict, find_conflicts, one_side
from gitspec.documents import MARKDOWN_SUFFIXES, Document, DocumentProblem, parse_document
from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.findings import Finding, error, warning
from gitspec.kinds import Kind, received
from gitspec.plugincalls import PluginError, call_each, is_builtin, label
from gitspec.symbols import Definition, Reference, SymbolTable, pack

CONFLICT = "merge-conflict"


class Engine:
    def __init__(self, config: Config, extra_kinds: dict[str, Kind] | None = None, store: Path | None = None,
                 root: Path | None = None) -> None:
        self.config = config
        self._extra_kinds = extra_kinds or {}
        self._store = store  # where the plugin manager may remember entry points
        self._root = root  # the workspace's: errors name its own schemas from its top, as other files
        self._kind_owners: dict[str, str] = {}  # kind -> the plugin that declares it

    def _shown(self, path: Path) -> str:
        from gitspec.herepaths import workspace_name

        return workspace_name(self._root, path)

    @cached_property
    def manager(self):
        from gitspec.plugins import get_plugin_manager

        return get_plugin_manager(self._store)

    @cached_property
    def kinds(self) -> dict[str, Kind]:
        kinds: dict[str, Kind] = {}
        owners = self._kind_owners
        # in the order the plugins were registered, gitspec's own first: the later of two is blamed
        for plugin, declared in reversed(call_each(self.manager, "gitspec_kinds", (Kind,))):
            for kind in declared:
                kind = self._received(plugin, kind)
                if kind.name in kinds:
                    first = label(self.manager, owners[kind.name])
                    also = "twice" if owners[kind.name] == plugin else f"already by {first}"
                    raise PluginError(f"{label(self.manager, plugin)}: declares the kind '{kind.name}', which is "
                                      f"declared {also}")
                kinds[kind.name], owners[kind.name] = kind, plugin
        if self._store is not None:  # the fingerprint stamps gitspec's own schemas and the workspace's
            from gitspec.plugins import remember_schemas

            remember_schemas(self._store, tuple(sorted({os.fspath(kind.schema) for name, kind in kinds.items()
                                                        if not is_builtin(owners[name])
                                                        and isinstance(kind.schema, (str, os.PathLike))})))
        for name, kind in self._extra_kinds.items():
            if name in kinds:
                raise GitspecError(f"workspace schema redefines kind '{name}', declared by "
                                   f"{label(self.manager, owners[name])}", self._shown(kind.schema),
                                   exit_code=EXIT_USAGE)
            kinds[name] = kind
        return kinds

    def _received(self, plugin: str, kind: Kind) -> Kind:
        try:
            return received(kind)
        except ValueError as problem:
            if is_builtin(plugin):
                raise
            raise PluginError(f"{label(self.manager, plugin)}: gitspec_kinds {problem}") from None

    @cached_property
    def schemas(self):
        from gitspec.schemas import SchemaSet

        kinds = self.kinds  # finds each kind's plugin
        return SchemaSet(kinds, self._shown, {kind: label(self.manager, plugin)
                                              for kind, plugin in self._kind_owners.items()})

    def load_schemas(self, kinds: set[str]) -> None:
        """Load the schema of each known kind in `kinds`: one that cannot be loaded is a configuration
        error now, not when a document of that kind is first checked (after a build wrote it)."""
        for kind in sorted(kinds & set(self.kinds)):
            self.schemas.validator(kind)

    def process(self, rel: str, data: bytes) -> tuple:
        """Parse and check one file: (findings, symbols, info, values) as plain data."""
        conflicts = find_conflicts(data.decode("utf-8-sig", "replace"), rel.endswith(MARKDOWN_SUFFIXES)) \
            if b"<<<<<<< " in data else []
        if conflicts and not rel.endswith(MARKDOWN_SUFFIXES):  # YAML cannot be read around them
            return self._conflicted(rel, data, conflicts)
        try:
            document = parse_document(rel, data)
        except DocumentProblem as problem:
            if conflicts:  # in a Markdown document's front matter
                return self._conflicted(rel, data, conflicts)
            return ([error(rel, problem.line, problem.col, problem.message, problem.rule).as_tuple()],
                    [], None, None)
        # noted before the checks run, so that they can tell (a conflict's markers make its content hash meaningless)
        document.notes[:0] = [DocumentProblem(c.message, c.start, 1, CONFLICT) for c in conflicts]
        findings = [(warning if n.warning else error)(rel, n.line, n.col, n.message, n.rule) for n in document.notes]
        findings += self._check(document)
        symbols = []
        for _, result in call_each(self.manager, "gitspec_document_symbols", (Definition, Reference),
                                       document=document):
            symbols += result
        info = None
        # A Markdown document with conflicts is checked (its sides are mostly readable) but, as a YAML
        # one, not built, rendered or given a status: whichever side gitspec chose could be the wrong one.
        if isinstance(document.id, str) and isinstance(document.kind, str) and not conflicts:
            lines = tuple(document.locate_key((), name)[0] for name in document.sections)
            hashes = tuple(document.section_hashes().values())  # so status need not unpack values
            front = tuple(name for name in document.sections if document.in_front_matter(name))
            info = (document.id, document.kind, rel, tuple(document.sections), lines, hashes,
                    tuple(document.broken.items()), front)
        values = marshal.dumps((document.header, document.sections))
        return ([f.as_tuple() for f in findings], pack(symbols), info, values)

    def _conflicted(self, rel: str, data: bytes, conflicts: list[Conflict]) -> tuple:
        """A file that cannot be read for its conflicts: one finding each, and the ids either side
        defines, so that other documents' references to them are not reported as well."""
        text = data.decode("utf-8-sig", "replace")
        definitions: dict[tuple[str, str], Definition] = {}
        for ours in (True, False):
            try:
                side = parse_document(rel, one_side(text, conflicts, ours).encode())
            except DocumentProblem:
                continue
            for _, result in call_each(self.manager, "gitspec_document_symbols", (Definition, Reference),
                                       document=side):
                for symbol in result:
                    if isinstance(symbol, Definition):
                        definitions.setdefault((symbol.id, symbol.namespace), symbol)
        findings = [error(rel, c.start, 1, c.message, CONFLICT).as_tuple() for c in conflicts]
        return (findings, pack(list(definitions.values())), None, None)

    def _check(self, document: Document) -> list[Finding]:
        kind = document.kind
        if not isinstance(kind, str) or kind not in self.kinds:
            line, col = document.locate(("kind",)) if "kind" in document.header else (1, 1)
            known = ", ".join(sorted(self.kinds))
            what = f"unknown kind '{kind}'" if "kind" in document.header else "missing 'kind'"
            return [error(document.path, line, col, f"{what} (known kinds: {known})", "unknown-kind")]
        findings = self.schemas.check(document)
        if findings:
            return findings
        for _, result in call_each(self.manager, "gitspec_check_document", (Finding,), document=document,
                                       config=self.config):
            findings += result
        return findings

    def check_workspace(self, table: SymbolTable) -> list[Finding]:
        findings: list[Finding] = []
        for _, result in call_each(self.manager, "gitspec_check_workspace", (Finding,), workspace=table,
                                   config=self.config):
            findings += result
        return findings
