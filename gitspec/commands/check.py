"""`gitspec check [PATHS...]`: parse, validate and resolve; report findings."""
from __future__ import annotations

import sys
from pathlib import Path

from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.findings import Finding, exit_code, write_json, write_summary, write_text
from gitspec.opening import open_workspace
from gitspec.workspace import Workspace


def run(paths: list[str], output_format: str = "text", use_cache: bool = True) -> int:
    workspace, index = open_workspace(use_cache)

    from gitspec.checker import check

    result = check(workspace, index)
    findings = _only(result.findings, workspace, paths)
    if output_format == "json":
        write_json(findings, sys.stdout)
    else:
        write_text(findings, sys.stdout)
    write_summary(findings, result.documents)
    return exit_code(findings)


def _only(findings: list[Finding], workspace: Workspace, paths: list[str]) -> list[Finding]:
    """Findings in the files or folders the user named (pre-commit passes changed files)."""
    if not paths:
        return findings
    wanted = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise GitspecError(f"no such file or folder: {given}", exit_code=EXIT_USAGE)
        try:
            wanted.append(workspace.relative(path))
        except ValueError:
            raise GitspecError(f"{given} is outside the workspace {workspace.root}", exit_code=EXIT_USAGE) from None
    return [f for f in findings
            if any(w in (".", "") or f.path == w or f.path.startswith(w.rstrip("/") + "/") for w in wanted)]
