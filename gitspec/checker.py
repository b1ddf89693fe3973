"""`check` over a workspace: parse what changed, reuse what did not, resolve across files.

A no-op run stats every file and prints the cached result without importing
YAML, JSON Schema or plugin machinery.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISLNK

from gitspec.findings import Finding, error
from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.herepaths import here
from gitspec.index import Entry, ParseIndex, now_ns, save_index, stat_digest, stat_key
from gitspec.picturestate import picture_key, settled
from gitspec.workspace import Workspace, local_kinds

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms) on a no-op check
if TYPE_CHECKING:
    from collections.abc import Callable

    from gitspec.engine import Engine
    from gitspec.picturestate import PictureVerdicts


@dataclass
class CheckResult:
    findings: list[Finding]
    documents: int


def workspace_engine(workspace: Workspace) -> Callable[[], Engine]:
    """The workspace's checking engine, made on the first call and the same one on every call after: a build
    that checks, loads its stages' schemas, names new documents and checks again asks plugins for kinds once."""
    made: list[Engine] = []

    def engine() -> Engine:
        if not made:
            from gitspec.engine import Engine

            made.append(Engine(workspace.config, local_kinds(workspace), workspace.store, workspace.root))
        return made[0]

    return engine


def check(workspace: Workspace, index: ParseIndex, save: bool = True,
          engine: Callable[[], Engine] | None = None) -> CheckResult:
    """Every document's findings, re-reading only files that changed. The refreshed index is
    saved, or with `save=False` left for the caller to save (`index.unsaved` says since when).
    `engine` gives the engine to check with (see workspace_engine), made only when a file changed.
    gitspec.yaml is checked first: a format or provider not installed is warned of in every command."""
    from gitspec.configinstalled import check_installed

    check_installed(workspace, index, warn=True)  # `check` itself refuses first (commands/check.py)
    scan_ns = now_ns()
    stats, links = _stats(workspace)
    files = list(stats)
    keys = [(rel, *stat_key(st), links.get(rel, "")) for rel, st in stats.items()]
    trusted = {rel: index.trusted(rel, st) for rel, st in stats.items()}
    if index.result is not None and all(trusted.values()):
        pictures = [picture_key(workspace.root, path) for path in index.result[2]]
        if index.result[0] == stat_digest((keys, pictures)) and settled(pictures, index.scan_ns) \
                and _same_head(workspace.root, index.result):
            return CheckResult([Finding(*row) for row in index.result[1]] + _hidden(workspace), len(files))

    from gitspec.picturestate import PictureVerdicts

    engine = (engine or workspace_engine(workspace))()
    trusted.update(dict.fromkeys(links))  # read again: where a symlink leads may have left the workspace
    where = _RealPaths(workspace.root, links)
    entries = {rel: trusted[rel] or _refresh(workspace, rel, st, index.entries.get(rel), engine, where, index.texts)
               for rel, st in stats.items()}
    verdicts = PictureVerdicts(workspace.root, index, scan_ns)
    findings, head = _findings(workspace, entries, engine, verdicts)
    verdicts.remember()
    index.entries = entries
    index.result = (stat_digest((keys, verdicts.keys)), [f.as_tuple() for f in findings],
                    [key[0] for key in verdicts.keys], head)
    if save:
        save_index(index, scan_ns)
    else:
        index.unsaved = scan_ns
    return CheckResult(findings + _hidden(workspace), len(files))


def _same_head(root: Path, result: tuple) -> bool:
    """Whether HEAD is the commit the cached findings were judged against, if they were (which copy of an
    id defined twice is the newer: gitspec.headdefinitions); a commit since makes both copies old."""
    judged = result[3] if len(result) > 3 else None
    if judged is None:
        return True
    from gitspec.headfacts import read_head

    head = read_head(root)
    return head is not None and head == judged


def _hidden(workspace: Workspace) -> list[Finding]:
    """A warning for each file that looks like a document but is not read as one: it is in the templates
    or code folder, which sit in a spec folder (found afresh each time: none of them is in the index)."""
    from gitspec.findings import warning

    what = {"templates": "templates folder", "code_folder": "code folder"}
    return [warning(rel, 1, 1, f"not checked or rendered: it is in the {what[key]} '{folder}' (key '{key}'), "
                               "which gitspec does not read for documents; move the file into a spec folder, "
                               "or that folder out of the spec folders", "hidden-document")
            for rel, key, folder in workspace.hidden_documents()]


def _stats(workspace: Workspace) -> tuple[dict[str, os.stat_result], dict[str, str]]:
    """Stat every document (one deleted since the folder was listed is simply gone), and where
    each that is a symlink really is."""
    stats, links = {}, {}
    root = str(workspace.root)
    for rel in workspace.document_files():
        path = f"{root}/{rel}"  # a string join: pathlib costs more than the stat
        try:
            st = os.lstat(path)
            if S_ISLNK(st.st_mode):
                links[rel] = os.path.realpath(path)
                st = os.stat(path)
        except FileNotFoundError:
            continue
        except OSError as error:  # e.g. in a folder that may be listed but not entered
            raise GitspecError(f"cannot read {here(rel)}: {error.strerror or error} (add it to 'exclude' in "
                               "gitspec.yaml to skip it)", exit_code=EXIT_USAGE) from None
        stats[rel] = st
    return stats, links


def _refresh(workspace: Workspace, rel: str, st: os.stat_result, old: Entry | None, engine: Engine,
             where: _RealPaths, texts: dict[str, bytes]) -> Entry:
    """`rel`'s entry, read afresh; a Markdown document's bytes are kept in `texts` (see ParseIndex.texts)."""
    from gitspec.documents import MARKDOWN_SUFFIXES
    from gitspec.printable import is_utf8

    if not rel.isascii() and not is_utf8(rel):  # its name could not be written in a page, a link or JSON
        return _refused(st, error(rel, 1, 1, "file name is not valid UTF-8: rename it", "bad-file-name"))
    limit = workspace.config.max_file_size
    if st.st_size > limit:
        finding = error(rel, 1, 1, f"file is {st.st_size:,} bytes, over the {limit:,}-byte limit "
                                   "(max_file_size in gitspec.yaml)", "file-too-large")
        return _refused(st, finding)
    import hashlib

    real = where.of(rel)
    if not real.startswith(where.inside):
        finding = error(rel, 1, 1, f"a symlink leads it outside the workspace, to {real}; gitspec reads only "
                                   "files inside it", "outside-workspace")
        return _refused(st, finding)
    try:
        data = (workspace.root / rel).read_bytes()
    except OSError as exc:
        finding = error(rel, 1, 1, f"cannot read the file: {exc.strerror}", "unreadable")
        return _refused(st, finding)
    sha = hashlib.sha256(data).hexdigest()
    if rel.endswith(MARKDOWN_SUFFIXES):
        texts[rel] = data
    if old is not None and old.sha == sha:
        record = old.record
    else:
        record = engine.process(rel, data)
    return Entry(*stat_key(st), sha, record)




class _RealPaths:
    """Where each document really is. A document that is not a symlink is where its folder really
    is: resolving each folder once costs far less than resolving every file (a cold check of
    10,000 files would pay a quarter of a second)."""

    def __init__(self, root: Path, links: dict[str, str]) -> None:
        self.root, self.links = root, links
        self.inside = os.path.join(os.path.realpath(root), "")  # what every document's real path starts with
        self._folders: dict[str, str] = {}

    def of(self, rel: str) -> str:
        if rel in self.links:
            return self.links[rel]
        folder, _, name = rel.rpartition("/")
        if folder not in self._folders:
            self._folders[folder] = os.path.realpath(f"{self.root}/{folder}")
        return os.path.join(self._folders[folder], name)


def _findings(workspace: Workspace, entries: dict[str, Entry], engine: Engine,
              verdicts: PictureVerdicts) -> tuple[list[Finding], str | None]:
    """Every finding, and the HEAD they were judged against (None: they do not depend on it)."""
    from gitspec.headdefinitions import HeadDefinitions
    from gitspec.symbols import DocumentInfo, SymbolTable, unpack
    from gitspec.unreadable import unreadable_documents, unreadable_items

    by_id, read = {}, {}
    for rel, entry in entries.items():
        info = entry.record[2]
        if info is not None:
            by_id.setdefault(info[0], entry)
            read.setdefault(info[0], rel)
    table = SymbolTable(lambda doc_id: by_id[doc_id].record[3] if doc_id in by_id else None, verdicts.problem)
    findings = []
    for entry in entries.values():
        file_findings, symbols, info, _ = entry.record
        findings += [Finding(*row) for row in file_findings]
        table.add(DocumentInfo(*info) if info else None, unpack(symbols))
    table.unreadable = unreadable_documents(workspace.root, findings, entries, lambda: read)
    table.unreadable_items = unreadable_items(workspace.root, findings, entries, lambda: read.values())
    table.at_head = HeadDefinitions(workspace.root, workspace.store, engine.process)
    findings += engine.check_workspace(table)
    return sorted(set(findings)), table.at_head.head


def _refused(st: os.stat_result, finding: Finding) -> Entry:
    """An index entry for a file gitspec would not read: its one finding, nothing else."""
    return Entry(*stat_key(st), "", ([finding.as_tuple()], [], None, None))
