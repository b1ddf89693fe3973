"""The evolution stage: v1, v2 and v3 scheduled from the product's feature priorities.

MoSCoW decides the version (must → v1, should → v2, could → v3, wont → not scheduled);
the RICE score orders features within a version. Dates, themes and plans stay placeholders.
"""
from __future__ import annotations

from typing import Any

from gitspec.stage import Output, Stage, StageInput, placeholder
from gitspec.stages.inputs import identified
from gitspec.stages.prose import fill_sections

FEATURES = "product#features"
VERSIONS = ("v1", "v2", "v3")
SECTIONS = (*VERSIONS, "featureProgression", "architectureEvolution", "monetizationEvolution")
_VERSION_OF = {"must": "v1", "should": "v2", "could": "v3"}


def rice_score(feature: dict[str, Any]) -> float | None:
    """reach × impact × confidence ÷ effort, or None when the estimates are missing or unusable."""
    rice = feature.get("rice")
    if not isinstance(rice, dict):
        return None
    try:
        reach, impact, confidence, effort = (float(rice[k]) for k in ("reach", "impact", "confidence", "effort"))
    except (KeyError, TypeError, ValueError):
        return None
    return reach * impact * confidence / effort if effort > 0 else None


def schedule(features: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Features by version, highest RICE first; unscored features follow in document order."""
    by_version: dict[str, list[tuple[int, dict[str, Any]]]] = {v: [] for v in VERSIONS}
    for index, feature in enumerate(features):
        version = _VERSION_OF.get(feature.get("priority"))
        if version:
            by_version[version].append((index, feature))

    def key(entry: tuple[int, dict[str, Any]]) -> tuple[int, float, int]:
        score = rice_score(entry[1])
        return (0, -score, entry[0]) if score is not None else (1, 0.0, entry[0])

    return {v: [f for _, f in sorted(entries, key=key)] for v, entries in by_version.items()}


def _label(feature: dict[str, Any]) -> str:
    name = feature.get("name")
    return f"{name} ({feature['id']})" if isinstance(name, str) and name else feature["id"]


def _version(number: int, features: list[dict[str, Any]]) -> dict[str, Any]:
    version = f"v{number}"
    ux = [f"Adds {_label(f)}." for f in features] or [placeholder(f"user-experience changes in {version}")]
    return {
        "theme": placeholder(f"the theme of {version} in a few words"),
        "targetDate": placeholder("target release date as YYYY-MM-DD"),
        "features": {"new": list(dict.fromkeys(f["id"] for f in features)), "deprecated": []},
        "uxChanges": ux,
        "architectureChanges": [placeholder(f"component and infrastructure changes {version} needs")],
        "dataModelChanges": [placeholder(f"entities, fields and relationships {version} adds or changes")],
        "performanceTargets": [{"metric": placeholder("what is measured"),
                                "target": placeholder("the target value with its unit")}],
        "securityPosture": [placeholder(f"security and compliance measures in place at {version}")],
        "monetization": placeholder(f"how {version} makes money"),
        "teamImplications": [placeholder(f"team size, skills and structure {version} needs")],
    }


def _progression(scheduled: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    # A feature is introduced in its own version; how it grows later needs a plan.
    entries = []
    for start, version in enumerate(VERSIONS):
        for feature in scheduled[version]:
            name = feature.get("name") or feature["id"]
            entry: dict[str, Any] = {"feature": feature["id"], version: f"First release of {name}."}
            for later in VERSIONS[start + 1:]:
                entry[later] = placeholder(f"how {name} grows in {later}")
            entries.append(entry)
    return entries


def _per_version(what: str) -> dict[str, str]:
    return {v: placeholder(f"{what} at {v}") for v in VERSIONS}


_PROMPTS = {
    "v1": "Describe the first release: theme, target date, changes, targets, security, monetization, team. "
          "Keep the feature ids as scheduled.",
    "v2": "Describe the second release likewise; keep the feature ids as scheduled.",
    "v3": "Describe the third release likewise; keep the feature ids as scheduled.",
    "featureProgression": "Describe how each feature grows from version to version.",
    "architectureEvolution": "Describe how the architecture changes from v1 to v3.",
    "monetizationEvolution": "Describe how pricing and packaging change from v1 to v3.",
}


def generate(inp: StageInput) -> dict[str, Any]:
    scheduled = schedule(identified(inp.get(FEATURES)))
    drafts: dict[str, Any] = {v: _version(n, scheduled[v]) for n, v in enumerate(VERSIONS, start=1)}
    drafts["featureProgression"] = _progression(scheduled)
    drafts["architectureEvolution"] = _per_version("the architecture")
    drafts["monetizationEvolution"] = _per_version("pricing and packaging")
    return fill_sections(inp.provider, "evolution", SECTIONS, drafts, _PROMPTS)


STAGE = Stage(
    name="evolution",
    version="1",
    document="evolution",
    kind="evolution",
    title="Evolution",
    inputs=(FEATURES,),
    outputs=tuple(Output(section, (FEATURES,)) for section in SECTIONS),
    generate=generate,
    prompt_version="2",  # the provider is given the section's schema: answers cached before are asked again
)
