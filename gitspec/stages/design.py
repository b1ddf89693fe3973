"""The `design` stage: type scale, colour system, spacing, layout, motion, depth and components from the
brand's visual and emotional signature, exported also as design tokens and CSS custom properties.

Real design math, no placeholders; a pure function of its inputs: never reads or writes files.
"""
from __future__ import annotations

import math
import re
from typing import Any

from gitspec.stage import Output, Stage, StageInput
from gitspec.stages.prose import fill_section

VISUAL, EMOTION = "brand#visualSignature", "brand#emotionalSignature"
DEFAULT_HUE = 250.0  # used only when the brand has no hue yet (a sparse workspace)

# Which inputs each section uses. The hue drives colour and tinted shadows; the
# emotional signature sets the tempo (type ratio, motion, radii). Spacing, layout and
# components are the same for every brand, so no input change makes them stale.
DEPENDS: dict[str, tuple[str, ...]] = {
    "typography": (EMOTION,),
    "color": (VISUAL,),
    "spacing": (),
    "layout": (),
    "texture": (EMOTION,),
    "motion": (EMOTION,),
    "depth": (VISUAL, EMOTION),
    "components": (),
    "tokens": (VISUAL, EMOTION),
    "css": (VISUAL, EMOTION),
}

# Words in the emotional signature that ask for a livelier or a calmer interface.
_LIVELY = re.compile(r"\b(play|fun|joy|delight|excit|energ|bold|bright|lively|thrill|vibrant|surpris|adventur)",
                     re.I)
_CALM = re.compile(r"\b(calm|control|trust|confiden|secure|safe|focus|precis|quiet|unhurried|reassur|clear)",
                   re.I)
# Per tempo: type-scale ratio (minor third, major third, perfect fourth), motion
# durations in ms, the emphasized easing, and the base corner radius in px.
_TEMPO = {
    "calm": (1.2, {"instant": 0, "fast": 120, "base": 200, "slow": 320, "page": 480}, [0.3, 0, 0, 1], 6),
    "balanced": (1.25, {"instant": 0, "fast": 100, "base": 180, "slow": 280, "page": 400}, [0.3, 0, 0, 1.1], 8),
    "lively": (1.333, {"instant": 0, "fast": 90, "base": 160, "slow": 260, "page": 360},
               [0.34, 1.56, 0.64, 1], 12),
}
_STEP_NAMES = {-2: "xs", -1: "sm", 0: "base", 1: "md", 2: "lg", 3: "xl", 4: "2xl", 5: "3xl", 6: "4xl"}
_USAGE = {"xs": "Captions, badges", "sm": "Helper text, table cells", "base": "Body text and form inputs",
          "md": "Card titles, emphasis", "lg": "Section headings", "xl": "Page titles",
          "2xl": "Key figures", "3xl": "Hero headings", "4xl": "Display headings"}


def tempo(emotion: dict[str, Any] | None) -> str:
    """Calm, balanced or lively, by counting the signature's words that lean each way."""
    if not isinstance(emotion, dict):
        return "balanced"
    words = " ".join(str(w) for w in [emotion.get("summary", ""), *(emotion.get("feel") or [])])
    lively, calm = len(_LIVELY.findall(words)), len(_CALM.findall(words))
    return "lively" if lively > calm else "calm" if calm > lively else "balanced"


def hues(visual: dict[str, Any] | None) -> tuple[float, float]:
    """The brand hue and an accent hue; without an accent, a split complement (150° away),
    which contrasts with the brand without clashing like the direct complement can.
    A hue that is not a number reads as none, as stages read what they cannot use (`check` says why)."""
    visual = visual if isinstance(visual, dict) else {}
    hue = _angle(visual.get("hue"))
    hue = DEFAULT_HUE if hue is None else hue
    accent = _angle(visual.get("accentHue"))
    return hue, accent if accent is not None else (hue + 150) % 360


def _angle(value: Any) -> float | None:
    """A hue in degrees, wrapped into [0, 360); None for anything but a finite number. Never a repair:
    '200' and `true` are not hues (YAML reads `true` as a bool, which Python counts as the int 1), and
    `.nan` or `1e400` (infinity) would come out as a NaN hue, which no section's schema allows."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value) % 360 if math.isfinite(value) else None
    except OverflowError:  # an int past a float's range (YAML reads 400 digits as one): as infinite
        return None


def type_scale(base: float, ratio: float) -> list[dict[str, Any]]:
    """base × ratio^n, with line heights that shrink as type grows and land on a 4 px grid,
    so text of every size keeps the vertical rhythm of the spacing scale."""
    steps = []
    for n, name in _STEP_NAMES.items():
        px = base * ratio ** n
        leading = max(1.1, 1.5 - 0.08 * max(n, 0)) * px
        # Nearest 4 px line, but never tighter than 1.1, where ascenders and descenders collide.
        line_px = max(round(leading / 4) * 4, math.ceil(round(px * 1.1, 6) / 4) * 4)
        steps.append({"name": name, "step": n, "px": round(px, 2), "rem": round(px / 16, 4),
                      "lineHeight": round(line_px / px, 3), "usage": _USAGE[name]})
    return steps


def typography(mood: str) -> dict[str, Any]:
    system = ["-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
    return {
        "families": {
            "body": {"name": "system-ui", "fallback": system, "source": "the platform's UI font (no download)"},
            "heading": {"name": "system-ui", "fallback": system, "source": "the platform's UI font (no download)",
                        "features": ["kern"]},
            "mono": {"name": "ui-monospace", "fallback": ["SFMono-Regular", "Menlo", "Consolas", "monospace"],
                     "source": "the platform's monospace font", "features": ["tnum", "zero"]},
        },
        "scale": {"base": 16, "ratio": _TEMPO[mood][0], "steps": type_scale(16, _TEMPO[mood][0])},
        "lineHeights": {"tight": 1.15, "snug": 1.3, "normal": 1.5, "relaxed": 1.65},
        "weights": {"regular": 400, "medium": 500, "semibold": 600, "bold": 700},
    }


def spacing() -> dict[str, Any]:
    # A 4 px base: fine enough for dense tables, and every step divides into the 8 px grid above 2.
    multiples = [0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24]
    return {"base": 4, "scale": [{"name": str(m), "px": 4 * m, "rem": round(4 * m / 16, 4)} for m in multiples]}


def layout() -> dict[str, Any]:
    return {
        "breakpoints": [{"name": n, "minWidth": w} for n, w in
                        (("sm", 640), ("md", 768), ("lg", 1024), ("xl", 1280), ("2xl", 1536))],
        "columns": 12,
        "gutter": 24,
        "maxWidth": 1280,
        "guidelines": [
            "Design mobile-first: styles apply from a breakpoint upward.",
            "Gutters and page margins come from the spacing scale (space.4 below md, space.6 above).",
            "Body text stays within 45-75 characters a line, whatever the container width.",
            "Content never scrolls horizontally on the page; wide tables scroll inside their container.",
        ],
    }


def texture(inp: StageInput, mood: str) -> dict[str, Any]:
    summary = {
        "calm": "Flat surfaces separated by hairline borders; shadows only on what floats above the page.",
        "balanced": "Flat surfaces with soft shadows on cards; tinted fills mark selection and status.",
        "lively": "Layered surfaces with generous rounding and tinted fills; colour blocks mark key moments.",
    }[mood]
    draft = {"summary": summary, "guidelines": [
        "Borders use the border role; strong borders (borderStrong) only where an edge must be seen.",
        "Status fills use the 50 tone of their palette behind text in the 700 tone (900 in dark).",
        "No texture behind text: noise, images and gradients would lower its contrast.",
    ]}
    return _fill(inp, "texture", draft, "Describe the surface treatment (borders, fills, patterns) "
                 "that fits this emotional signature.")


def motion(mood: str) -> dict[str, Any]:
    _, durations, emphasized, _ = _TEMPO[mood]
    return {
        "durations": dict(durations),
        "easings": {"standard": [0.2, 0, 0, 1], "enter": [0, 0, 0.2, 1], "exit": [0.4, 0, 1, 1],
                    "emphasized": list(emphasized), "linear": [0, 0, 1, 1]},
        "reducedMotion": "With prefers-reduced-motion, every duration becomes 0: things change state at once, "
                         "without moving.",
        "guidelines": [
            "Entering elements use the enter easing; leaving ones the exit easing, at a shorter duration.",
            "Motion shows where something came from or went; it never decorates.",
            "Nothing moves for longer than the page duration, and nothing loops except progress indicators.",
        ],
    }


# Elevation layers: (offset y px, blur px, alpha), each level one more step off the page.
SHADOWS: dict[str, list[dict[str, float]]] = {
    "flat": [],
    "raised": [{"y": 1, "blur": 2, "alpha": 0.06}, {"y": 1, "blur": 3, "alpha": 0.1}],
    "overlay": [{"y": 8, "blur": 24, "alpha": 0.12}, {"y": 2, "blur": 6, "alpha": 0.08}],
    "modal": [{"y": 24, "blur": 48, "alpha": 0.18}],
}
_ELEVATION_USAGE = {"flat": "Page background, table rows", "raised": "Cards, tiles",
                    "overlay": "Menus, popovers, slide-over panels", "modal": "Dialogs"}


def _shadow_css(layers: list[dict[str, float]], tint: str) -> str:
    if not layers:
        return "none"
    r, g, b = (int(tint[i:i + 2], 16) for i in (1, 3, 5))
    return ", ".join(f"0 {s['y']}px {s['blur']}px rgb({r} {g} {b} / {s['alpha']})" for s in layers)


def depth(mood: str, shadow_tint: str) -> dict[str, Any]:
    """Shadows are tinted with the darkest neutral (the brand hue at a trace of chroma),
    so they read as the page's own shade rather than grey smudges."""
    radius = _TEMPO[mood][3]
    return {
        "elevations": [{"name": name, "shadow": _shadow_css(layers, shadow_tint), "usage": _ELEVATION_USAGE[name]}
                       for name, layers in SHADOWS.items()],
        "radii": {"none": 0, "sm": radius // 2, "md": radius, "lg": round(radius * 5 / 3), "full": 9999},
        "zIndex": {"base": 0, "sticky": 10, "dropdown": 100, "overlay": 200, "modal": 300, "toast": 400},
    }


def components(inp: StageInput) -> list[dict[str, Any]]:
    focus = "Focus is shown by a 2 px ring in the focus role, offset 2 px, on keyboard focus."
    draft = [
        {"name": "Button", "description": "Triggers an action; one primary button per view.",
         "variants": ["primary", "secondary", "ghost", "destructive"],
         "states": ["default", "hover", "active", "focus-visible", "disabled", "loading"],
         "tokens": {"background": "theme.primary", "backgroundHover": "theme.primaryHover",
                    "color": "theme.onPrimary", "radius": "radius.md", "paddingX": "space.4",
                    "font": "typography.base"},
         "accessibility": [focus, "The hit area is at least 44 × 44 px on touch screens.",
                           "Loading keeps the label for screen readers (aria-busy)."]},
        {"name": "TextField", "description": "A labelled single-line input with help and error text.",
         "variants": ["default", "with prefix", "with suffix"],
         "states": ["default", "hover", "focus-visible", "invalid", "disabled", "read-only"],
         "tokens": {"border": "theme.borderStrong", "background": "theme.surface", "color": "theme.text",
                    "radius": "radius.sm", "paddingX": "space.3"},
         "accessibility": [focus, "Every field has a visible label; placeholder text is never the label.",
                           "Errors are linked with aria-describedby and say how to fix the value."]},
        {"name": "Card", "description": "Groups related content on a raised surface.",
         "variants": ["default", "interactive"], "states": ["default", "hover", "focus-visible"],
         "tokens": {"background": "theme.surface", "border": "theme.border", "shadow": "shadow.raised",
                    "radius": "radius.lg", "padding": "space.6"},
         "accessibility": ["An interactive card has one link or button; the whole card is its hit area."]},
        {"name": "Badge", "description": "A short status label.",
         "variants": ["neutral", "success", "warning", "danger", "accent"], "states": ["default"],
         "tokens": {"radius": "radius.full", "font": "typography.xs", "paddingX": "space.2"},
         "accessibility": ["Status is never conveyed by colour alone; the badge carries a word."]},
        {"name": "Dialog", "description": "A modal task that must be finished or dismissed before going on.",
         "variants": ["default", "destructive"], "states": ["opening", "open", "closing"],
         "tokens": {"background": "theme.surface", "shadow": "shadow.modal", "radius": "radius.lg",
                    "zIndex": "zIndex.modal", "enter": "duration.base"},
         "accessibility": ["Focus moves into the dialog, is trapped there, and returns to the trigger on close.",
                           "Escape closes it; the title is its accessible name (aria-labelledby)."]},
    ]
    return _fill(inp, "components", draft, "Specify the core components of this design system.")


def _fill(inp: StageInput, section: str, draft: Any, instructions: str) -> Any:
    facts = "\n".join(f"{a}: {inp.get(a)}" for a in DEPENDS[section])
    prompt = f"{instructions}\n{facts}\nKeep the JSON shape and every token name of the draft."
    return fill_section(inp.provider, "design", section, draft, prompt)


def generate(inp: StageInput) -> dict[str, Any]:
    # Here, not at import: declaring the stage (every run that cannot use .gitspec/plan) needs neither.
    from gitspec.stages.colorsystem import color_system
    from gitspec.stages.tokens import css_properties, design_tokens

    mood = tempo(inp.get(EMOTION))
    color = color_system(*hues(inp.get(VISUAL)))
    shadow_tint = color["palette"]["neutral"]["tones"][-1]["hex"]
    sections: dict[str, Any] = {
        "typography": typography(mood),
        "color": color,
        "spacing": spacing(),
        "layout": layout(),
        "texture": texture(inp, mood),
        "motion": motion(mood),
        "depth": depth(mood, shadow_tint),
        "components": components(inp),
    }
    sections["tokens"] = design_tokens(sections, SHADOWS, shadow_tint)
    sections["css"] = css_properties(sections["tokens"])
    return sections


STAGE = Stage(
    name="design",
    version="2",  # contrast by the WCAG formula: some stated ratios move by 0.01
    document="design",
    kind="design",
    title="Design system",
    inputs=(VISUAL, EMOTION),
    outputs=tuple(Output(section, inputs) for section, inputs in DEPENDS.items()),
    generate=generate,
    prompt_version="2",  # the provider is given the section's schema: answers cached before are asked again
)
