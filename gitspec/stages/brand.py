"""The `brand` stage: archetype, promise, emotional and visual signature, tone and guardrails from the product.

A pure function of its inputs: it never reads or writes files, never uses the
network, and never invents a fact; what needs real inference is a placeholder.
"""
from __future__ import annotations

import hashlib
import re
from functools import cache
from typing import Any

from gitspec.stage import Output, Stage, StageInput, placeholder
from gitspec.stages.prose import fill_section

NAME, CATEGORY, AUDIENCE = "product#name", "product#category", "product#targetAudience"
TAGLINE, FEATURES = "product#tagline", "product#features"
_ARCHETYPE_FROM = (CATEGORY, AUDIENCE)

# Which inputs each section uses: the archetype (from category and audience) shapes
# most sections; only the promise may draw on everything the product says.
DEPENDS: dict[str, tuple[str, ...]] = {
    "archetype": _ARCHETYPE_FROM,
    "brandPromise": (NAME, TAGLINE, CATEGORY, AUDIENCE, FEATURES),
    "emotionalSignature": (NAME, *_ARCHETYPE_FROM),
    "visualSignature": (NAME, *_ARCHETYPE_FROM),
    "verbalTone": (NAME, *_ARCHETYPE_FROM, FEATURES),
    "iconography": _ARCHETYPE_FROM,
    "guardrails": _ARCHETYPE_FROM,
}

# First matching row wins, so the more specific domains come first. Keywords are
# matched as substrings of the lower-cased category and audience.
_ARCHETYPE_RULES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("billing", "finance", "accounting", "revenue", "payment", "bank", "tax", "legal", "compliance",
      "security", "insurance"), "Sage", "Ruler"),
    (("health", "medical", "care", "wellness", "therapy", "nonprofit", "support"), "Caregiver", "Sage"),
    (("developer", "api", "infrastructure", "devops", "database", "platform"), "Creator", "Sage"),
    (("analytics", "data", "research", "education", "learning", "science"), "Sage", "Explorer"),
    (("design", "creative", "content", "music", "video", "photo", "writing"), "Creator", "Magician"),
    (("ai", "automation", "machine learning"), "Magician", "Sage"),
    (("travel", "outdoor", "adventure", "maps", "exploration"), "Explorer", "Hero"),
    (("fitness", "sport", "productivity", "performance"), "Hero", "Creator"),
    (("game", "entertainment", "social", "fun", "party"), "Jester", "Everyman"),
    (("fashion", "beauty", "luxury", "dating", "food"), "Lover", "Creator"),
    (("enterprise", "management", "operations", "governance"), "Ruler", "Sage"),
)
_DEFAULT_ARCHETYPE = ("Everyman", "Sage")

# What each archetype conventionally stands for in brand strategy; these are
# descriptions of the archetype, not claims about the product.
_MEANING = {
    "Innocent": "optimism, simplicity and honesty",
    "Everyman": "belonging, plainness and being useful to everyone",
    "Hero": "mastery, courage and getting hard things done",
    "Outlaw": "disruption and breaking with how things are done",
    "Explorer": "freedom, discovery and finding one's own way",
    "Creator": "craft, imagination and making new things",
    "Ruler": "order, control and responsibility",
    "Magician": "transformation and making the complex feel effortless",
    "Lover": "intimacy, sensory pleasure and appreciation",
    "Caregiver": "protection, service and compassion",
    "Jester": "joy, playfulness and living in the moment",
    "Sage": "knowledge, clarity and the truth plainly told",
}
_FEEL = {
    "Sage": (["In control", "Well informed", "Confident in the answer"], ["Confused", "Talked down to"]),
    "Ruler": (["In charge", "Secure", "Organised"], ["Exposed to risk", "Out of control"]),
    "Caregiver": (["Looked after", "Safe", "Understood"], ["Judged", "Alone with a problem"]),
    "Creator": (["Capable", "Inspired", "Free to build"], ["Boxed in", "Bored"]),
    "Magician": (["Amazed", "Empowered", "Relieved"], ["Tricked", "Lost in complexity"]),
    "Explorer": (["Free", "Curious", "Adventurous"], ["Fenced in", "Stuck"]),
    "Hero": (["Strong", "Motivated", "Accomplished"], ["Weak", "Defeated"]),
    "Jester": (["Delighted", "Playful", "Light-hearted"], ["Bored", "Lectured"]),
    "Lover": (["Appreciated", "Indulged", "Close"], ["Ignored", "Cheapened"]),
    "Everyman": (["At home", "Welcome", "Among peers"], ["Excluded", "Intimidated"]),
    "Innocent": (["Reassured", "Happy", "Safe"], ["Cynical", "Worried"]),
    "Outlaw": (["Bold", "Liberated", "Rebellious"], ["Conformist", "Powerless"]),
}
_TRAITS = {
    "Sage": ["precise", "calm", "plain-spoken"], "Ruler": ["assured", "exact", "composed"],
    "Caregiver": ["warm", "patient", "reassuring"], "Creator": ["inventive", "concrete", "encouraging"],
    "Magician": ["clear", "confident", "visionary"], "Explorer": ["open", "curious", "direct"],
    "Hero": ["energetic", "direct", "motivating"], "Jester": ["playful", "witty", "light"],
    "Lover": ["warm", "sensory", "attentive"], "Everyman": ["friendly", "plain", "down-to-earth"],
    "Innocent": ["simple", "optimistic", "honest"], "Outlaw": ["bold", "irreverent", "blunt"],
}
_VISUAL = {
    "Sage": "a quiet, precise interface where colour is reserved for meaning and data leads",
    "Ruler": "a structured, high-contrast interface with strong alignment and restrained colour",
    "Caregiver": "a soft, open interface with generous spacing and rounded shapes",
    "Creator": "a bold, flexible interface that gives the user's work the stage",
    "Magician": "a polished interface with depth and smooth transitions that make change visible",
    "Explorer": "an airy interface with wide layouts and a sense of direction",
    "Hero": "a confident interface with strong type and decisive colour",
    "Jester": "a bright, playful interface with lively colour and motion",
    "Lover": "an elegant interface with rich imagery and refined typography",
    "Everyman": "a familiar, friendly interface with conventional patterns",
    "Innocent": "a light, clean interface with plenty of white space",
    "Outlaw": "a high-energy interface with unexpected contrasts",
}


def _name(inp: StageInput) -> str:
    return str(inp.get(NAME) or "the product").strip() or "the product"


def _keyword(word: str) -> re.Pattern[str]:
    # Short keywords ("ai", "api") must be whole words, or "maintain" would match "ai";
    # longer ones match as word prefixes, so "finance" also finds "finances".
    return re.compile(rf"\b{re.escape(word)}\b" if len(word) <= 3 else rf"\b{re.escape(word)}")


@cache
def _rules() -> tuple[tuple[tuple[re.Pattern[str], ...], str, str], ...]:
    """Compiled on first use, not at import: declaring the stage needs none of them."""
    return tuple((tuple(_keyword(k) for k in keywords), primary, secondary)
                 for keywords, primary, secondary in _ARCHETYPE_RULES)


def _archetype_pair(inp: StageInput) -> tuple[str, str]:
    text = f"{inp.get(CATEGORY, '')} {inp.get(AUDIENCE, '')}".lower()
    for patterns, primary, secondary in _rules():
        if any(p.search(text) for p in patterns):
            return primary, secondary
    return _DEFAULT_ARCHETYPE


def brand_hue(name: str) -> int:
    """A stable hue in degrees from the product name: SHA-256, not `hash()`, which is salted per process."""
    digest = hashlib.sha256(name.strip().lower().encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 360


def _feature_names(inp: StageInput) -> list[str]:
    return [str(f["name"]) for f in inp.get(FEATURES, []) if isinstance(f, dict) and f.get("name")]


_FACT_LABELS = {NAME: "Product", TAGLINE: "Tagline", CATEGORY: "Category", AUDIENCE: "Audience",
                FEATURES: "Features"}


def _facts(inp: StageInput, section: str) -> str:
    """The facts an LLM provider sees: only the section's declared inputs, so that its
    stamp (which hashes exactly those) says truthfully when the section is stale."""
    lines = []
    for address in DEPENDS[section]:
        value = ", ".join(_feature_names(inp)) if address == FEATURES else inp.get(address)
        lines.append(f"{_FACT_LABELS[address]}: {value or 'unknown'}")
    return "\n".join(lines)


def _fill(inp: StageInput, section: str, draft: Any, instructions: str) -> Any:
    prompt = f"{instructions}\n{_facts(inp, section)}\nKeep the JSON shape of the draft. Invent no facts."
    return fill_section(inp.provider, "brand", section, draft, prompt)


def archetype(inp: StageInput) -> dict[str, Any]:
    primary, secondary = _archetype_pair(inp)
    basis = inp.get(CATEGORY) or inp.get(AUDIENCE)
    why = f"chosen by rule from the category “{basis}”" if basis else "the default when no category is known"
    draft = {
        "primary": primary,
        "secondary": secondary,
        "description": (f"The {primary} stands for {_MEANING[primary]}; the {secondary} tempers it with "
                        f"{_MEANING[secondary]}. This pairing is {why}; review it."),
    }
    return _fill(inp, "archetype", draft, "Choose the two brand archetypes that fit this product and "
                 "explain in two sentences how they show up in it.")


def brand_promise(inp: StageInput) -> str:
    tagline = inp.get(TAGLINE)
    hint = f" Start from the tagline “{tagline}”" if tagline else ""
    draft = placeholder(f"the one promise {_name(inp)} makes to its users and keeps everywhere.{hint}")
    return _fill(inp, "brandPromise", draft, "Write the brand promise: one sentence the product can "
                 "keep, grounded in the facts below.")


def emotional_signature(inp: StageInput) -> dict[str, Any]:
    primary, secondary = _archetype_pair(inp)
    feel, never = _FEEL[primary]
    draft = {
        "summary": placeholder(f"the feeling {_name(inp)} leaves, in one sentence."),
        "feel": [*feel, _FEEL[secondary][0][0]],
        "neverFeel": list(never),
    }
    return _fill(inp, "emotionalSignature", draft, "Describe how the brand should make its audience feel: "
                 "a one-sentence summary, feelings to evoke and feelings to avoid.")


def visual_signature(inp: StageInput) -> dict[str, Any]:
    primary, _ = _archetype_pair(inp)
    hue = brand_hue(_name(inp))
    draft = {
        "summary": (f"{_VISUAL[primary].capitalize()}. The hue {hue}° is a default derived from a hash of "
                    "the product name, not a brand decision: change it to the brand's colour."),
        "hue": hue,
        "motifs": [placeholder("a recurring shape or device that is specific to this product.")],
        "imagery": placeholder("what screenshots, illustration and charts look like."),
    }
    return _fill(inp, "visualSignature", draft, "Describe the visual signature and, if the brand has a "
                 "colour, set hue to its OKLCH hue angle in degrees.")


def verbal_tone(inp: StageInput) -> dict[str, Any]:
    primary, _ = _archetype_pair(inp)
    features = _feature_names(inp)[:3]
    draft = {
        "summary": placeholder(f"the voice of {_name(inp)} in one sentence."),
        "traits": list(_TRAITS[primary]),
        "do": ["Say what happened, why, and what to do next, in that order.",
               "Use the words the audience uses for their own work.",
               "Name numbers, dates and counts exactly."],
        "dont": ["Blame the user for an error.", "Promise what the product does not do.",
                 "Use jargon the audience would not use."],
        "examples": [{"context": f"Empty state on {name}",
                      "copy": placeholder(f"an empty-state line for {name} in this voice.")}
                     for name in features],
    }
    if not draft["examples"]:
        del draft["examples"]
    return _fill(inp, "verbalTone", draft, "Describe the brand voice and write one sample line for each "
                 "example context, in that voice.")


def iconography(inp: StageInput) -> dict[str, Any]:
    primary, _ = _archetype_pair(inp)
    soft = primary in ("Caregiver", "Everyman", "Innocent", "Jester", "Lover")
    draft = {
        "style": ("Outlined, rounded corners and joins" if soft else "Outlined, geometric, square-cut ends")
                 + "; filled only for the active or selected state.",
        "strokeWidth": 1.5 if soft else 1.75,
        "grid": 24,
        "guidelines": ["Icons sit beside a text label; an icon alone gets a tooltip and an accessible name.",
                       "Status icons pair with the status word, never colour alone.",
                       "One icon set throughout; never mix stroke widths."],
    }
    return _fill(inp, "iconography", draft, "Describe the icon style for this brand.")


def guardrails(inp: StageInput) -> list[str]:
    primary, _ = _archetype_pair(inp)
    draft = [
        "Never convey meaning by colour alone.",
        "Never claim a capability, metric or customer the product cannot show.",
        "Never use dark patterns: no hidden costs, no guilt-laden opt-outs.",
        f"Never undercut what the {primary} archetype stands for: {_MEANING[primary]}.",
        placeholder("a guardrail specific to this product's domain."),
    ]
    return _fill(inp, "guardrails", draft, "List the things this brand never does, in words, visuals "
                 "or behaviour.")


def generate(inp: StageInput) -> dict[str, Any]:
    return {
        "archetype": archetype(inp),
        "brandPromise": brand_promise(inp),
        "emotionalSignature": emotional_signature(inp),
        "visualSignature": visual_signature(inp),
        "verbalTone": verbal_tone(inp),
        "iconography": iconography(inp),
        "guardrails": guardrails(inp),
    }


STAGE = Stage(
    name="brand",
    version="1",
    document="brand",
    kind="brand",
    title="Brand",
    inputs=(NAME, TAGLINE, CATEGORY, AUDIENCE, FEATURES),
    outputs=tuple(Output(section, inputs) for section, inputs in DEPENDS.items()),
    generate=generate,
    prompt_version="2",  # the provider is given the section's schema: answers cached before are asked again
)
