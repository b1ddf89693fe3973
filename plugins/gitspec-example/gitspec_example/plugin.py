"""The `risk` kind: schema, template, ids, and the `risk-mitigation` rule."""
from __future__ import annotations

from pathlib import Path

from gitspec import hookimpl
from gitspec.findings import error
from gitspec.kinds import Kind
from gitspec.stage import Output, Stage
from gitspec.symbols import Definition, Reference

HERE = Path(__file__).resolve().parent


@hookimpl
def gitspec_kinds():
    return [Kind("risk", HERE / "risk.schema.json", HERE / "risk.yaml")]


@hookimpl
def gitspec_document_symbols(document):
    if document.kind != "risk":
        return None
    symbols = []
    for index, risk in enumerate(document.sections.get("risks") or []):
        if not isinstance(risk, dict) or not isinstance(risk.get("id"), str):
            continue
        line, col = document.locate(("risks", index, "id"))
        symbols.append(Definition(risk["id"], "risk", document.path, line, col))
        for r_index, req in enumerate(risk.get("requirements") or []):
            line, col = document.locate(("risks", index, "requirements", r_index))
            symbols.append(Reference(req, ("requirement",), risk["id"], "requirements", document.path, line, col))
    return symbols


@hookimpl
def gitspec_check_document(document, config):
    if document.kind != "risk":
        return None
    threshold = config.plugins.get("example-risks", {}).get("severe", "high")
    findings = []
    for index, risk in enumerate(document.sections["risks"]):
        severe = risk["likelihood"] == threshold and risk["impact"] == threshold
        if severe and not risk.get("mitigation"):
            line, col = document.locate(("risks", index))
            findings.append(error(document.path, line, col,
                                  f"{risk['id']} is {threshold} likelihood and {threshold} impact "
                                  "but has no mitigation", "risk-mitigation"))
    return findings


def summarise(inp):
    """The risk-summary stage: a pure function of the `risks` section."""
    risks = [r for r in inp.get("risks#risks", []) if isinstance(r, dict)]
    return {"summary": {
        "total": len(risks),
        "severe": [r["id"] for r in risks if r.get("likelihood") == r.get("impact") == "high"],
        "unmitigated": [r["id"] for r in risks if not r.get("mitigation")],
    }}


@hookimpl
def gitspec_stages():
    # Writes `summary` into the workspace's risk register, the document with id `risks`.
    return [Stage("risk-summary", "1", "risks", "risk", "Risks", ("risks#risks",),
                  (Output("summary", ("risks#risks",)),), summarise)]
