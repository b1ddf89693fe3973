"""`gitspec pin ADDRESS`: keep a hand edit of a generated section (warn later when its inputs change)."""
from __future__ import annotations

import sys

from gitspec.atomic import write_atomic
from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.opening import loaded_documents, open_workspace
from gitspec.pipeline import section_of


def run(address: str, unpin: bool = False) -> int:
    from gitspec.checker import check
    from gitspec.yamlwrite import set_pinned

    workspace, index = open_workspace()
    check(workspace, index)
    doc_id, section = section_of(address).split("#")
    document = loaded_documents(index).get(doc_id)
    if document is None or section not in document.sections:
        raise GitspecError(f"argument ADDRESS: no section {doc_id}#{section} in the workspace", exit_code=EXIT_USAGE)
    if not document.path.endswith((".yaml", ".yml")):
        raise GitspecError(f"argument ADDRESS: {document.path} is not a YAML document", exit_code=EXIT_USAGE)
    path = workspace.root / document.path
    text = path.read_text(encoding="utf-8")
    new_text = set_pinned(text, section, not unpin)
    if new_text != text:
        write_atomic(path, new_text.encode("utf-8"))
    sys.stdout.write(f"gitspec: {doc_id}#{section} {'unpinned' if unpin else 'pinned'}\n")
    return 0
