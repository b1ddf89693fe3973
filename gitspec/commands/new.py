"""`gitspec new KIND ID`: write a skeleton document that passes `check`. Never overwrites."""
from __future__ import annotations

import json
import re
import string
import sys
from pathlib import Path

from gitspec.atomic import create_new
from gitspec.config import CONFIG_FILE, parse_config
from gitspec.errors import EXIT_FINDINGS, EXIT_USAGE, GitspecError, writing
from gitspec.workspace import Workspace, find_root, local_kinds, store_of

_DOCUMENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ITEM_ID = re.compile(r"\b([A-Z][A-Z0-9]*)-([0-9]+)\b")
_DEFINED_ID = re.compile(r"(?<=\bid: )([A-Z][A-Z0-9]*)-([0-9]+)\b")


def run(kind_name: str, doc_id: str, title: str | None = None) -> int:
    root = find_root(Path.cwd())
    store_of(root)  # refused if a symlink leads it out of the workspace: the plugin cache is written there
    workspace = Workspace(root, parse_config((root / CONFIG_FILE).read_bytes()))
    if kind_name == "product" and not _DOCUMENT_ID.match(doc_id):
        return _product_from_directive(workspace, doc_id, title)
    if not _DOCUMENT_ID.match(doc_id):
        raise GitspecError(f"argument ID: {doc_id!r} is not a document id (lowercase letters, digits, '-')",
                           exit_code=EXIT_USAGE)
    from gitspec.builtin.references import RESERVED_IDS

    if doc_id in RESERVED_IDS:
        raise GitspecError(f"argument ID: '{doc_id}' is kept for {RESERVED_IDS[doc_id]}; choose another",
                           exit_code=EXIT_USAGE)
    from gitspec.engine import Engine

    kinds = Engine(workspace.config, local_kinds(workspace), workspace.store).kinds
    kind = kinds.get(kind_name)
    if kind is None:
        raise GitspecError(f"argument KIND: unknown kind {kind_name!r} (known kinds: {', '.join(sorted(kinds))})",
                           exit_code=EXIT_USAGE)
    template = _template(workspace, kind)
    title = title or doc_id.replace("-", " ").capitalize()
    text = string.Template(template.read_text(encoding="utf-8")).safe_substitute(
        id=doc_id, title=json.dumps(title, ensure_ascii=False)[1:-1])
    text = _fresh_item_ids(text, workspace)
    target = root / workspace.config.specs[0] / f"{doc_id}{kind.suffix}"
    _write_new(workspace, target, text)
    sys.stdout.write(f"gitspec: wrote {workspace.relative(target)}\n")
    return 0


def _template(workspace: Workspace, kind) -> Path:
    override = workspace.root / workspace.config.templates / f"{kind.name}{kind.suffix}"
    if override.is_file():
        return override
    if kind.template is None or not kind.template.is_file():
        raise GitspecError(f"kind '{kind.name}' has no template; add {workspace.config.templates}/"
                           f"{kind.name}{kind.suffix}", exit_code=EXIT_USAGE)
    return kind.template


def _fresh_item_ids(text: str, workspace: Workspace) -> str:
    """Renumber the items the skeleton defines (`id: FEAT-001`) past the ids the workspace uses.

    References to ids the skeleton does not define (a task's REQ-001) are left alone.
    """
    used: dict[str, int] = {}
    for rel in workspace.document_files():
        content = (workspace.root / rel).read_text(encoding="utf-8", errors="replace")
        for prefix, number in _ITEM_ID.findall(content):
            used[prefix] = max(used.get(prefix, 0), int(number))
    renamed: dict[str, str] = {}
    for match in _DEFINED_ID.finditer(text):
        prefix, number = match.groups()
        if prefix in used and match.group(0) not in renamed:
            used[prefix] += 1
            renamed[f"{prefix}-{number}"] = f"{prefix}-{used[prefix]:0{len(number)}d}"
    return _ITEM_ID.sub(lambda m: renamed.get(m.group(0), m.group(0)), text)


def _product_from_directive(workspace: Workspace, directive: str, title: str | None) -> int:
    """`gitspec new product "Build a ..."`: a product document holding only its directive.

    `gitspec build` then generates the rest of it and the whole spec set.
    """
    from gitspec.yamlwrite import update_document

    directive = " ".join(directive.split())
    if not directive:
        raise GitspecError("argument ID: the directive is empty", exit_code=EXIT_USAGE)
    header = {"kind": "product", "id": "product", "title": title or directive.rstrip(".")}
    text = update_document(None, header, {"directive": directive}, {})
    text = text.replace("generated: {}\n", "")
    target = workspace.root / workspace.config.specs[0] / "product.yaml"
    _write_new(workspace, target, text)
    sys.stdout.write(f"gitspec: wrote {workspace.relative(target)}; run 'gitspec build' to generate the spec set\n")
    return 0


def _write_new(workspace: Workspace, target: Path, text: str) -> None:
    """Write `target`, never over an existing file (looked for first: a read-only checkout says so too)."""
    name = workspace.relative(target)
    with writing(name):
        written = not target.exists() and create_new(target, text.encode("utf-8"))
    if not written:
        raise GitspecError(f"{name} already exists; not overwritten", exit_code=EXIT_FINDINGS)
