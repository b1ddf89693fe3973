"""The product stage: a one-line directive becomes features, personas, journeys and metrics.

It keeps only what the directive honestly says (the product's object, its audience,
a quality bar) and marks everything that needs research as a placeholder.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from gitspec.stage import PLACEHOLDER, Output, Stage, StageInput, placeholder
from gitspec.stages.prose import fill_sections

DIRECTIVE = "product#directive"
SECTIONS = ("name", "tagline", "category", "targetAudience", "features", "personas", "journeys",
            "successMetrics", "competitivePosition", "constraints", "assumptions")

_VERBS = {"build", "create", "make", "design", "develop", "launch", "ship", "write", "implement", "add"}
_ARTICLES = {"a", "an", "the", "our", "my", "some"}
# Adjectives that describe ambition, not the product, so they stay out of its name.
_FILLER = {"simple", "modern", "fast", "beautiful", "powerful", "lightweight", "minimal", "new", "better",
           "great", "clean", "robust", "scalable", "intuitive", "delightful", "world-class", "best-in-class"}
_BENCHMARK = re.compile(r"^(.+?)-(?:level|like|style|grade|class|quality|caliber|calibre)$", re.I)
# Words that end the object noun phrase ("... dashboard for finance teams").
_STOPS = {"for", "that", "which", "with", "to", "where", "who", "so", "in", "on", "using", "like", "by",
          "from", "and", "but", "across", "inside", "within"}

# Common domains: (keywords, category, typical feature names, persona roles). Typical names only;
# every description stays a placeholder because the template cannot know what the team intends.
_DOMAINS: tuple[tuple[tuple[str, ...], str, tuple[str, ...], tuple[str, ...]], ...] = (
    (("billing", "invoice", "invoicing", "subscription", "payment", "payments"),
     "Billing and revenue operations",
     ("Invoices", "Subscriptions and plans", "Payments", "Revenue metrics"),
     ("Finance lead", "Billing operations specialist")),
    (("crm", "sales", "lead", "leads", "pipeline", "deals"),
     "Customer relationship management",
     ("Contacts and accounts", "Deal pipeline", "Activity timeline", "Sales reports"),
     ("Sales representative", "Sales manager")),
    (("helpdesk", "support", "ticket", "tickets", "ticketing"),
     "Customer support software",
     ("Ticket inbox", "Customer context", "Knowledge base", "Service-level reports"),
     ("Support agent", "Support lead")),
    (("ecommerce", "e-commerce", "shop", "store", "storefront", "checkout", "marketplace"),
     "E-commerce",
     ("Product catalogue", "Cart and checkout", "Orders", "Inventory"),
     ("Shopper", "Store operator")),
    (("project", "task", "tasks", "kanban", "roadmap", "sprint"),
     "Project and work management",
     ("Projects and tasks", "Boards", "Timeline", "Notifications"),
     ("Team member", "Project lead")),
    (("analytics", "metrics", "reporting", "reports", "bi", "dashboard", "insights"),
     "Analytics and business intelligence",
     ("Dashboards", "Metric definitions", "Reports and exports", "Alerts"),
     ("Analyst", "Executive reader")),
)
# Template defaults by position; every feature's notes say they must be confirmed.
_PRIORITIES = ("must", "must", "should", "could")


# A word: letters, marks and digits of any script ("Bäckereien", "हिन्दी"), with ' & + . / - inside.
_TOKEN = r"[\p{L}\p{N}][\p{L}\p{M}\p{N}'&+./-]*"


def _tokens(directive: str) -> list[str]:
    import regex  # the standard re has no Unicode classes: its \w leaves out the marks of many scripts

    return regex.findall(_TOKEN, unicodedata.normalize("NFC", directive))


def parse_directive(directive: str) -> dict[str, Any]:
    """What the directive says outright: the object phrase, the audience, a quality benchmark."""
    words = _tokens(directive)
    while words and words[0].lower() in _VERBS | _ARTICLES:
        words.pop(0)
    obj: list[str] = []
    benchmark = None
    rest: list[str] = []
    for index, word in enumerate(words):
        bench = _BENCHMARK.match(word)
        if bench and word.lower() not in _FILLER:
            benchmark = benchmark or bench.group(1)
        elif word.lower() in _STOPS and obj:
            rest = words[index:]
            break
        elif word.lower() not in _FILLER | _ARTICLES:
            obj.append(word.rstrip(".,;:!?"))
    audience = None
    if rest and rest[0].lower() == "for":
        tail = re.split(r"\bfor\b", directive, maxsplit=1, flags=re.I)
        audience = tail[1].strip(" .!?") if len(tail) == 2 else None
        audience = re.split(r"\s+(?:that|which|so|with|using|where)\s+", audience or "")[0] or None
    return {"object": [w for w in obj if w], "audience": audience, "benchmark": benchmark}


def _title(words: list[str]) -> str:
    # Keep acronyms (CRM, SaaS) as written; capitalise the rest.
    return " ".join(w if any(c.isupper() for c in w) else w[:1].upper() + w[1:] for w in words)


def _domain(directive: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    words = {w.lower().strip(".,;:!?") for w in _tokens(directive)}
    for keywords, category, features, roles in _DOMAINS:
        if words & set(keywords):
            return category, features, roles
    return None


def _features(names: tuple[str, ...] | None, personas: list[str], ids: Iterator[str]) -> list[dict[str, Any]]:
    labels = names or tuple(f"core feature {n}" for n in (1, 2, 3))
    features = []
    for index, label in enumerate(labels):
        features.append({
            "id": next(ids),
            "name": label if names else placeholder(f"name of {label}"),
            "description": placeholder(f"what {label} does and for whom"),
            "priority": _PRIORITIES[index] if index < len(_PRIORITIES) else "could",
            "personas": [personas[index % len(personas)]],
            "notes": placeholder("priority is a template default; confirm it and add RICE estimates"),
        })
    return features


def _personas(roles: tuple[str, ...] | None, ids: Iterator[str]) -> list[dict[str, Any]]:
    roles = roles or (placeholder("role of the primary user"), placeholder("role of the buyer or administrator"))
    return [{
        "id": next(ids),
        "name": role,
        "role": role,
        "description": placeholder("who they are and the context they work in"),
        "goals": [placeholder("what they want to achieve with the product")],
        "painPoints": [placeholder("what frustrates them today")],
    } for role in roles]


def _label(feature: dict[str, Any]) -> str:
    # A placeholder name must not be nested inside another placeholder.
    name = feature["name"]
    return name[len(PLACEHOLDER):].strip().removeprefix("name of ") if name.startswith(PLACEHOLDER) else name


def _journeys(personas: list[dict[str, Any]], features: list[dict[str, Any]],
              ids: Iterator[str]) -> list[dict[str, Any]]:
    journeys = []
    for persona in personas:
        used = [f for f in features if persona["id"] in f["personas"]] or features[:1]
        journeys.append({
            "id": next(ids),
            "name": placeholder(f"name of the main journey of {persona['name']}"),
            "persona": persona["id"],
            "trigger": placeholder("what starts the journey"),
            "steps": [placeholder(f"a step where the persona uses {_label(f)}") for f in used],
            "features": [f["id"] for f in used],
            "outcome": placeholder("what the persona has at the end of the journey"),
        })
    return journeys


def _metrics(journeys: list[dict[str, Any]]) -> list[dict[str, Any]]:
    target = placeholder("target value with its unit")
    return [
        {"name": "Activation", "description": "Share of new accounts that complete their first journey.",
         "target": target, "measurement": placeholder("how and where it is measured")},
        {"name": "Weekly active accounts", "description": "Accounts with at least one active user each week.",
         "target": target, "measurement": placeholder("how and where it is measured")},
        *({"name": f"{j['id']} completion", "description": f"Share of started {j['id']} journeys that finish.",
           "target": target} for j in journeys),
    ]


def _tagline(phrase: str, audience: str | None) -> str:
    # A restatement of the directive, not a promise the template cannot know.
    if not phrase:
        return placeholder("one line that says what the product promises")
    article = "An" if phrase[:1].lower() in "aeiou" else "A"
    return f"{article} {phrase} for {audience}." if audience else f"{article} {phrase}."


def draft(directive: str, inp: StageInput | None = None) -> dict[str, Any]:
    """Every section as the template writes it, before the provider sees it; its items numbered
    past the ids other documents define (`inp.taken`)."""
    inp = inp or StageInput({}, None)
    parsed = parse_directive(directive)
    domain = _domain(directive)
    phrase = " ".join(parsed["object"])
    name = _title(parsed["object"]) if parsed["object"] else placeholder("the product's name")
    audience = parsed["audience"]
    personas = _personas(domain[2] if domain else None, inp.new_ids("PERS"))
    features = _features(domain[1] if domain else None, [p["id"] for p in personas], inp.new_ids("FEAT"))
    journeys = _journeys(personas, features, inp.new_ids("JOUR"))
    benchmark = parsed["benchmark"]
    competitors = [{"name": "Doing nothing (the status quo)",
                    "weaknesses": [placeholder("what the status quo costs the audience")]}]
    if benchmark:
        competitors.insert(0, {"name": benchmark, "strengths": [placeholder(f"where {benchmark} is stronger")]})
    constraints = [f"Quality bar named in the directive: {benchmark}-level."] if benchmark else []
    return {
        "name": name,
        "tagline": _tagline(phrase, audience),
        "category": domain[0] if domain else placeholder("the market category"),
        "targetAudience": audience or placeholder("the organisations and roles that buy and use the product"),
        "features": features,
        "personas": personas,
        "journeys": journeys,
        "successMetrics": _metrics(journeys),
        "competitivePosition": {"summary": placeholder("how the product stands against the alternatives"),
                                "competitors": competitors,
                                "differentiators": [placeholder("why a buyer picks this product")]},
        "constraints": constraints + [placeholder("hard limits: regulation, platform, budget, deadlines")],
        "assumptions": [placeholder("beliefs the plan rests on that are not verified yet")],
    }


_PROMPTS = {
    "name": "Name the product described by the directive. Keep it short; return only the name.",
    "tagline": "Write a one-line promise for the product, under 80 characters. No invented facts.",
    "category": "Name the market category the product competes in.",
    "targetAudience": "Describe the organisations and roles that buy and use the product.",
    "features": "Refine the features: keep ids, fill names and descriptions, confirm MoSCoW priorities, "
                "add RICE estimates only where the directive supports them.",
    "personas": "Refine the personas: keep ids; fill descriptions, goals and pain points.",
    "journeys": "Refine the journeys: keep ids and persona/feature references; write concrete steps.",
    "successMetrics": "Give each metric a measurable target with its unit and a measurement method.",
    "competitivePosition": "Position the product against the named alternatives.",
    "constraints": "List hard constraints implied by the directive and domain.",
    "assumptions": "List unverified assumptions the plan rests on.",
}


def generate(inp: StageInput) -> dict[str, Any]:
    directive = str(inp.get(DIRECTIVE) or "").strip()
    prompts = {section: f"Directive: {directive!r}. {prompt}" for section, prompt in _PROMPTS.items()}
    return fill_sections(inp.provider, "product", SECTIONS, draft(directive, inp), prompts)


STAGE = Stage(
    name="product",
    version="1",
    document="product",
    kind="product",
    title="Product",
    inputs=(DIRECTIVE,),
    outputs=tuple(Output(section, (DIRECTIVE,)) for section in SECTIONS),
    generate=generate,
    ids=("FEAT", "PERS", "JOUR"),
    prompt_version="2",  # the provider is given the section's schema: answers cached before are asked again
)
