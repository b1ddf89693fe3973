"""The assembly stage: the index of the whole spec set, from the other stages' outputs.

It is a pure index: names, counts and which sections exist. It never copies or
rewrites another document's content, and a missing input is left out, not guessed.
"""
from __future__ import annotations

from typing import Any

from gitspec.stage import PLACEHOLDER, Output, Stage, StageInput, placeholder
from gitspec.stages.prose import fill_section

NAME, TAGLINE = "product#name", "product#tagline"
INPUTS = (NAME, TAGLINE, "brand#archetype", "design#color", "architecture#dataModel",
          "architecture#apiContract", "ui#screens", "launch#heroCopy", "evolution#v1", "code#files")
SECTIONS = ("summary", "documents")


def _list_len(value: Any, key: str | None = None) -> int | None:
    if key is not None:
        value = value.get(key) if isinstance(value, dict) else None
    return len(value) if isinstance(value, list) else None


def counts(inp: StageInput) -> dict[str, int]:
    """Item counts of each part; a count whose source is missing or malformed is omitted."""
    v1 = inp.get("evolution#v1")
    found = {
        "featuresInV1": _list_len(v1.get("features") if isinstance(v1, dict) else None, "new"),
        "entities": _list_len(inp.get("architecture#dataModel"), "entities"),
        "endpoints": _list_len(inp.get("architecture#apiContract"), "endpoints"),
        "screens": _list_len(inp.get("ui#screens")),
        "stubFiles": _list_len(inp.get("code#files")),
    }
    return {key: value for key, value in found.items() if value is not None}


_PHRASES = (("featuresInV1", "v1 feature"), ("entities", "data entity"), ("endpoints", "API endpoint"),
            ("screens", "screen"), ("stubFiles", "code stub file"))


def _plural(count: int, noun: str) -> str:
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1]}ies" if noun.endswith("y") else f"{count} {noun}s"


def overview(name: str, tagline: str | None, found: dict[str, int], archetype: Any, hero: Any) -> str:
    """A few sentences built only from the inputs' own values and counts."""
    parts = [f"{name}: {tagline}" if tagline else name]
    sizes = [_plural(found[key], noun) for key, noun in _PHRASES if key in found]
    if sizes:
        parts.append("The spec set holds " + (", ".join(sizes[:-1]) + " and " + sizes[-1]
                                               if len(sizes) > 1 else sizes[0]) + ".")
    if isinstance(archetype, dict) and isinstance(archetype.get("primary"), str):
        parts.append(f"Brand archetype: {archetype['primary']}.")
    headline = hero.get("headline") if isinstance(hero, dict) else None
    if isinstance(headline, str) and not headline.startswith(PLACEHOLDER):
        parts.append(f"Landing headline: {headline}")
    return " ".join(p if p.endswith((".", "!", "?", "…")) else p + "." for p in parts)


def documents(inp: StageInput) -> list[dict[str, Any]]:
    """Each source document with the sections that were present, in input (pipeline) order."""
    by_doc: dict[str, list[str]] = {}
    for address in INPUTS:
        if inp.values.get(address) is not None:
            doc, section = address.split("#", 1)
            by_doc.setdefault(doc, []).append(section)
    # The shipped stages write documents whose id is their kind (product, brand, ...).
    return [{"id": doc, "kind": doc, "sections": sections} for doc, sections in by_doc.items()]


def generate(inp: StageInput) -> dict[str, Any]:
    name = inp.get(NAME) if isinstance(inp.get(NAME), str) else placeholder("the product's name")
    tagline = inp.get(TAGLINE) if isinstance(inp.get(TAGLINE), str) else None
    found = counts(inp)
    summary: dict[str, Any] = {"name": name, **({"tagline": tagline} if tagline else {}),
                               "overview": overview(name, tagline, found, inp.get("brand#archetype"),
                                                    inp.get("launch#heroCopy")),
                               "counts": found}
    filled = fill_section(inp.provider, "assembly", "summary", summary,
                          "Rewrite `overview` as two or three plain sentences; keep every name and number.")
    # Only the prose is the provider's to change: names and counts are facts of the inputs.
    if isinstance(filled, dict) and isinstance(filled.get("overview"), str) and filled["overview"].strip():
        summary["overview"] = filled["overview"]
    return {"summary": summary, "documents": documents(inp)}


STAGE = Stage(
    name="assembly",
    version="1",
    document="assembly",
    kind="assembly",
    title="Spec set",
    inputs=INPUTS,
    outputs=(Output("summary", tuple(a for a in INPUTS if a != "design#color")), Output("documents", INPUTS)),
    generate=generate,
    prompt_version="2",  # the provider is given the section's schema: answers cached before are asked again
)
