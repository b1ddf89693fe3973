"""`gitspec check [PATHS...]`: parse, validate and resolve; report findings."""
from __future__ import annotations

import os

from gitspec.findings import Finding, exit_code, shown_picture, write_json, write_summary, write_text
from gitspec.opening import open_workspace
from gitspec.streams import messages, results
from gitspec.workspace import Workspace, selected


def run(paths: list[str], output_format: str = "text", use_cache: bool = True) -> int:
    workspace, index = open_workspace(use_cache, paths=paths)

    from gitspec.checker import check
    from gitspec.configinstalled import check_installed

    check_installed(workspace, index)  # the formats and provider gitspec.yaml names, as build and render would
    result = check(workspace, index)
    findings = _only(result.findings, workspace, paths)
    if output_format == "json":
        write_json(findings, results())
    else:
        write_text(findings, results(), workspace.root)
    write_summary(findings, result.documents)
    for folder in workspace.config.specs:  # a clone of a fresh workspace has none (git keeps no empty folder)
        if not os.path.lexists(workspace.root / folder):  # nor has a misspelt one: say so, as nothing is read
            messages().write(f"gitspec: note: spec folder '{folder}' does not exist yet, so no document is read "
                             "there (key 'specs' in gitspec.yaml)\n")
    return exit_code(findings)


def _only(findings: list[Finding], workspace: Workspace, paths: list[str]) -> list[Finding]:
    """Findings in the files or folders the user named (pre-commit passes changed files), and
    those about a picture among them that a document shows."""
    if not paths:
        return findings
    wanted = workspace.selection(paths)

    def about(finding: Finding) -> bool:
        picture = shown_picture(finding)
        return selected(finding.path, wanted) or (picture is not None and selected(picture, wanted))

    return [f for f in findings if about(f)]
