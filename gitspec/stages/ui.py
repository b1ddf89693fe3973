"""The ui stage: screens and flows from the product's journeys, each flow also as Mermaid.

Every screen gets loading, empty and error states. Screen content the journeys do not
state (empty-state copy, interactions, brand treatments) is left as a placeholder.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gitspec.slugs import ascii_slug
from gitspec.stage import PLACEHOLDER, Output, Stage, StageInput, placeholder
from gitspec.stages.inputs import identified
from gitspec.stages.prose import fill_sections

JOURNEYS, PERSONAS, FEATURES = "product#journeys", "product#personas", "product#features"
SECTIONS = ("flows", "screens", "states", "interactions", "brandMoments")

_MAX_NAME_WORDS = 6
# Words after which a step's text stops naming a place and starts explaining it.
_DANGLING = {"and", "or", "the", "a", "an", "of", "on", "in", "at", "to", "by", "for", "with", "their", "its",
             "his", "her", "your", "our", "my"}
_CLAUSE = re.compile(r"\s+(?:for|with|to|by|against|from|so|because|using|until|before|after)\s+", re.I)
# Where a step's first clause ends: a comma, semicolon, colon or full stop and a space, or the CJK and
# full-width marks, which no space follows ("一覧を開き、請求書を選ぶ").
_CLAUSE_END = re.compile(r"[,;:.،؛](?:\s|$)|[、。，；：．｡､]")


def screen_name(step: str) -> str:
    """A short screen name from a journey step: its first clause, at most six words."""
    marked = step.startswith(PLACEHOLDER)
    text = step[len(PLACEHOLDER):].strip() if marked else step.strip()
    text = _CLAUSE_END.split(text, maxsplit=1)[0]
    words = text.split()
    if len(words) > _MAX_NAME_WORDS:
        head = _CLAUSE.split(text, maxsplit=1)[0].split()
        words = head if len(head) >= 2 else words
    words = words[:_MAX_NAME_WORDS]
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()
    name = " ".join(words).strip() or "Screen"
    name = name[:1].upper() + name[1:]
    return placeholder(name) if marked else name


def _slug(text: str) -> str:
    return ascii_slug(text.replace(PLACEHOLDER, "")) or "screen"


def _components(step: str, features: list[dict[str, Any]], used: list[str]) -> list[str]:
    # Only features the journey names and the step mentions: a match, not a guess.
    lower = step.lower()
    return [f"{f['name']} ({f['id']})" for f in features
            if f.get("id") in used and isinstance(f.get("name"), str) and not f["name"].startswith(PLACEHOLDER)
            and f["name"].lower() in lower]


def build_screens(journeys: list[dict[str, Any]], features: list[dict[str, Any]], ids: Iterator[str] | None = None
                  ) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Screens in journey order, one per distinct step, and each journey's screen ids (from `ids`:
    SCR-001, SCR-002, ... unless other documents hold some)."""
    ids = ids or StageInput({}, None).new_ids("SCR")
    screens: list[dict[str, Any]] = []
    by_name: dict[str, str] = {}
    routes: set[str] = set()
    visits: dict[str, list[str]] = {}
    for journey in journeys:
        steps = [s for s in journey.get("steps") or [] if isinstance(s, str) and s.strip()]
        for step in steps or [str(journey.get("name") or journey["id"])]:
            name = screen_name(step)
            key = name.lower()
            if key not in by_name:
                by_name[key] = next(ids)
                screens.append(_screen(by_name[key], name, step, journey, features, routes))
            visits.setdefault(journey["id"], []).append(by_name[key])
    return screens, visits


def _screen(screen_id: str, name: str, step: str, journey: dict[str, Any], features: list[dict[str, Any]],
            routes: set[str]) -> dict[str, Any]:
    route = "/" + _slug(name)
    while route in routes:  # two names with one slug still need distinct routes
        route += "-" + screen_id[4:]
    routes.add(route)
    screen = {"id": screen_id, "name": name, "route": route, "journey": journey["id"], "purpose": step}
    if not journey["id"]:  # the stand-in journey of an empty product is not a reference
        del screen["journey"]
    components = _components(step, features, list(journey.get("features") or []))
    if components:
        screen["components"] = components
    return screen


def mermaid(screens: dict[str, dict[str, Any]], steps: list[str]) -> str:
    """A left-to-right Mermaid flowchart of the flow's screens, in visiting order."""
    def node(screen_id: str) -> str:
        return screen_id.replace("-", "_")  # a dash in a node id reads as the start of an edge

    lines = ["flowchart LR"]
    for screen_id in dict.fromkeys(steps):
        label = str(screens[screen_id]["name"]).replace('"', "#quot;")
        lines.append(f'  {node(screen_id)}["{label}"]')
    lines += [f"  {node(before)} --> {node(after)}" for before, after in zip(steps, steps[1:])]
    return "\n".join(lines) + "\n"


def _flows(journeys: list[dict[str, Any]], personas: list[dict[str, Any]], screens: list[dict[str, Any]],
           visits: dict[str, list[str]], ids: Iterator[str]) -> list[dict[str, Any]]:
    by_id = {s["id"]: s for s in screens}
    persona_names = {p.get("id"): p.get("name") for p in personas}
    flows = []
    for journey in journeys:
        steps = visits[journey["id"]]
        flow = {"id": next(ids), "name": str(journey.get("name") or journey["id"]),
                "journey": journey["id"], "steps": steps, "mermaid": mermaid(by_id, steps)}
        if not journey["id"]:
            del flow["journey"]
        who = persona_names.get(journey.get("persona"))
        outcome = journey.get("outcome")
        if who and isinstance(outcome, str) and outcome and not outcome.startswith(PLACEHOLDER):
            flow["description"] = f"Taken by {who} over {len(steps)} screen(s); it ends with: {journey['outcome']}"
        flows.append(flow)
    return flows


def _bare(name: str) -> str:
    return name[len(PLACEHOLDER):].strip() if name.startswith(PLACEHOLDER) else name


def _states(screens: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    # Loading and error follow one convention for every screen; what an empty screen
    # should offer depends on the product, so it stays a placeholder.
    states = {}
    for screen in screens:
        name = _bare(screen["name"])
        states[screen["id"]] = {
            "loading": f"'{name}' shows a skeleton of its layout while data loads; nothing jumps when it arrives.",
            "empty": placeholder(f"what '{name}' shows before there is any data, and the next step it offers"),
            "error": f"'{name}' says what failed and offers Retry; nothing the user entered is lost.",
        }
    return states


def _interactions(flows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"screen": f["steps"][-1], "trigger": placeholder(f"the action that completes {_bare(f['name'])}"),
             "response": placeholder("how the interface confirms it")} for f in flows]


def _moments(flows: list[dict[str, Any]], journeys: list[dict[str, Any]]) -> list[dict[str, Any]]:
    outcomes = {j["id"]: j.get("outcome") for j in journeys}
    return [{"screen": f["steps"][-1],
             "moment": str(outcomes.get(f.get("journey")) or f"{f['name']} completed"),
             "treatment": placeholder("how the brand shows up here: copy, motion or illustration")} for f in flows]


_PROMPTS = {
    "flows": "Refine each flow's name and description; keep ids, journeys, steps and the Mermaid text consistent.",
    "screens": "Name each screen as a place in the product, state its purpose, main components and primary "
               "action; keep ids, routes and journeys.",
    "states": "Write loading, empty and error copy for every screen; empty states offer the next step.",
    "interactions": "Describe notable interactions: what the user does and how the interface responds.",
    "brandMoments": "Describe how the brand shows up at each moment: copy, motion or illustration.",
}


def generate(inp: StageInput) -> dict[str, Any]:
    journeys = identified(inp.get(JOURNEYS))
    features = identified(inp.get(FEATURES))
    personas = identified(inp.get(PERSONAS))
    if not journeys:  # the ui schema needs at least one flow and one screen
        journeys = [{"id": "", "name": placeholder("flow name"), "steps": [placeholder("first screen")]}]
    screens, visits = build_screens(journeys, features, inp.new_ids("SCR"))
    flows = _flows(journeys, personas, screens, visits, inp.new_ids("FLOW"))
    drafts = {"flows": flows, "screens": screens, "states": _states(screens),
              "interactions": _interactions(flows), "brandMoments": _moments(flows, journeys)}
    return fill_sections(inp.provider, "ui", SECTIONS, drafts, _PROMPTS)


STAGE = Stage(
    name="ui",
    version="1",
    document="ui",
    kind="ui",
    title="UI",
    inputs=(JOURNEYS, PERSONAS, FEATURES),
    outputs=(
        Output("flows", (JOURNEYS, PERSONAS)),
        Output("screens", (JOURNEYS, FEATURES)),
        Output("states", (JOURNEYS,)),
        Output("interactions", (JOURNEYS,)),
        Output("brandMoments", (JOURNEYS,)),
    ),
    generate=generate,
    ids=("SCR", "FLOW"),
    prompt_version="2",  # the provider is given the section's schema: answers cached before are asked again
)
