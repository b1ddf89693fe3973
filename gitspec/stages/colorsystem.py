"""Colour math for the design stage: OKLCH tonal palettes gamut-mapped to sRGB, and light and dark
themes whose tones are chosen so every text/background pair meets WCAG 2 contrast.

Pure functions of a hue and a few constants; nothing here reads files or guesses.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# OKLCH lightness of each tone. Evenly spaced in a perceptual space, so neighbouring
# tones look equally far apart whatever the hue.
TONE_LIGHTNESS: dict[int, float] = {
    50: 0.975, 100: 0.945, 200: 0.895, 300: 0.825, 400: 0.735, 500: 0.645,
    600: 0.555, 700: 0.475, 800: 0.395, 900: 0.315, 950: 0.245,
}
SUCCESS_HUE, WARNING_HUE, DANGER_HUE = 150.0, 70.0, 25.0
BODY, LARGE = 4.5, 3.0  # WCAG 2 minimums: body text; large text and UI parts
WHITE, BLACK = "#ffffff", "#000000"


def _chroma_curve(lightness: float) -> float:
    """Share of the peak chroma a tone gets: full in the middle, less near white and black,
    where sRGB has little room for colour and saturated tints look garish anyway."""
    return max(0.08, 1.0 - ((lightness - 0.6) / 0.45) ** 2)


def tone(hue: float, peak_chroma: float, step: int) -> dict[str, Any]:
    """One tone, mapped into sRGB along constant lightness and hue (coloraide's ray-trace
    method), so only chroma gives way when the requested colour is out of gamut."""
    from coloraide import Color  # imported here: it costs ~0.2 s, which `gitspec --help` should not pay

    lightness = TONE_LIGHTNESS[step]
    wanted = Color("oklch", [lightness, peak_chroma * _chroma_curve(lightness), hue])
    fitted = wanted.convert("srgb").fit(method="raytrace", pspace="oklch")
    l, c, h = fitted.convert("oklch").coords()
    return {
        "step": step,
        "l": round(lightness, 3),
        # Rounded down: rounding up could put the recorded colour just outside sRGB.
        "c": math.floor(max(c, 0.0) * 1000) / 1000,
        # The fitted hue, which can drift a hundredth of a degree from the one asked for.
        "h": round(hue if math.isnan(h) or c < 1e-4 else h % 360, 2),
        "hex": fitted.to_string(hex=True, fit=False),
    }


def palette(hue: float, peak_chroma: float) -> dict[str, Any]:
    return {"hue": round(hue, 1), "chroma": peak_chroma,
            "tones": [tone(hue, peak_chroma, step) for step in TONE_LIGHTNESS]}


def palettes(hue: float, accent_hue: float) -> dict[str, dict[str, Any]]:
    """Primary from the brand hue; neutral the same hue at a trace of chroma, so greys
    lean towards the brand instead of looking dead; fixed semantic hues for status."""
    return {
        "primary": palette(hue, 0.2),
        "neutral": palette(hue, 0.014),
        "accent": palette(accent_hue, 0.16),
        "success": palette(SUCCESS_HUE, 0.15),
        "warning": palette(WARNING_HUE, 0.16),
        "danger": palette(DANGER_HUE, 0.2),
    }


@dataclass(frozen=True)
class Role:
    """A colour role and the tones it may take, most preferred first."""

    name: str
    candidates: tuple[str, ...]  # "palette.step" or a literal "#rrggbb"
    past: str | None = None  # a role this one must be a further step from (hover states)

    def options(self, picks: dict[str, str]) -> tuple[str, ...]:
        """Candidates, without those not strictly further along than the `past` role's tone,
        so a hover colour always differs from the colour it hovers over."""
        if self.past is None or len(self.candidates) < 2:
            return self.candidates
        step = _step_number
        direction = step(self.candidates[1]) - step(self.candidates[0])
        base = step(picks[self.past])
        return tuple(c for c in self.candidates if (step(c) - base) * direction > 0) or self.candidates[-1:]


def _step_number(tone_name: str) -> int:
    return int(tone_name.rsplit(".", 1)[1])


def _steps(name: str, *steps: int) -> tuple[str, ...]:
    return tuple(f"{name}.{s}" for s in steps)


# Roles are resolved in this order; a candidate is accepted when every contrast pair
# with an already-resolved role passes. Backgrounds therefore come first.
LIGHT_ROLES = (
    Role("background", _steps("neutral", 50)), Role("surface", (WHITE,)),
    Role("surfaceSunken", _steps("neutral", 100)), Role("border", _steps("neutral", 200)),
    Role("dangerSurface", _steps("danger", 50)),
    Role("text", (*_steps("neutral", 900, 950), BLACK)),
    Role("textMuted", _steps("neutral", 600, 700, 800, 900)),
    Role("primary", _steps("primary", 600, 700, 800, 900)),
    Role("primaryHover", _steps("primary", 700, 800, 900, 950), past="primary"),
    Role("onPrimary", (WHITE, *_steps("neutral", 50, 950), BLACK)),
    Role("focus", _steps("primary", 500, 600, 700)),
    Role("borderStrong", _steps("neutral", 500, 600, 700)),
    Role("accent", _steps("accent", 600, 700, 800)),
    Role("success", _steps("success", 700, 800, 900)),
    Role("warning", _steps("warning", 700, 800, 900)),
    Role("danger", _steps("danger", 600, 700, 800, 900)),
)
DARK_ROLES = (
    Role("background", _steps("neutral", 950)), Role("surface", _steps("neutral", 900)),
    Role("surfaceSunken", (*_steps("neutral", 950), BLACK)), Role("border", _steps("neutral", 800)),
    Role("dangerSurface", _steps("danger", 950)),
    Role("text", (*_steps("neutral", 50, 100), WHITE)),
    Role("textMuted", _steps("neutral", 400, 300, 200, 100)),
    Role("primary", _steps("primary", 400, 300, 200, 100)),
    Role("primaryHover", _steps("primary", 300, 200, 100, 50), past="primary"),
    Role("onPrimary", (*_steps("neutral", 950), BLACK, WHITE)),
    Role("focus", _steps("primary", 300, 400, 200)),
    Role("borderStrong", _steps("neutral", 500, 400, 300)),
    Role("accent", _steps("accent", 400, 300, 200)),
    Role("success", _steps("success", 400, 300, 200, 100)),
    Role("warning", _steps("warning", 400, 300, 200, 100)),
    Role("danger", _steps("danger", 400, 300, 200, 100)),
)
# (foreground, background, minimum). Body-text roles need 4.5:1; focus rings, strong
# borders and the accent are UI parts or large text, which need 3:1.
PAIRS: tuple[tuple[str, str, float], ...] = (
    *((fg, bg, BODY) for fg in ("text", "textMuted") for bg in ("background", "surface", "surfaceSunken")),
    ("primary", "background", BODY), ("primary", "surface", BODY),
    ("onPrimary", "primary", BODY), ("onPrimary", "primaryHover", BODY),
    ("focus", "background", LARGE), ("focus", "surface", LARGE),
    ("borderStrong", "background", LARGE), ("borderStrong", "surface", LARGE),
    ("accent", "surface", LARGE),
    ("success", "surface", BODY), ("warning", "surface", BODY),
    ("danger", "surface", BODY), ("danger", "dangerSurface", BODY),
)


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of a #rrggbb colour, by the formula's own constants. Not coloraide's
    luminance: its XYZ round trip gives white 0.9999999999999999 and its exact sRGB weights differ from
    WCAG's rounded ones in the fourth place, which moves ratios at the 3, 4.5 and 7 boundaries away from
    what WCAG and other checkers say. (WCAG's text has 0.03928 for the threshold, sRGB's 0.04045: no
    8-bit channel falls between them.)"""
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two #rrggbb colours (the colours users actually get): black on white
    is 21."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def reported_ratio(ratio: float) -> float:
    """Rounded down, so a reported ratio never claims more contrast than there is."""
    return math.floor(ratio * 100) / 100


def _hex_of(candidate: str, hexes: dict[str, str]) -> str:
    return candidate if candidate.startswith("#") else hexes[candidate]


def _margin(role: str, value: str, chosen: dict[str, str]) -> float:
    """Worst ratio-to-minimum over the pairs this role forms with roles already chosen (≥ 1 passes)."""
    worst = math.inf
    for fg, bg, minimum in PAIRS:
        if role in (fg, bg) and (other := bg if role == fg else fg) in chosen:
            pair = (value, chosen[other]) if role == fg else (chosen[other], value)
            worst = min(worst, contrast(*pair) / minimum)
    return worst


def theme(roles: tuple[Role, ...], hexes: dict[str, str]) -> dict[str, Any]:
    """Assign every role a tone, then report every pair's measured ratio and verdict.

    When no candidate passes, the best one is kept and its failing pairs say so:
    an honest failure in the report beats a silently wrong colour."""
    chosen: dict[str, str] = {}  # role -> hex
    picks: dict[str, str] = {}  # role -> candidate
    colors: dict[str, dict[str, str]] = {}
    for role in roles:
        scored = [(c, _margin(role.name, _hex_of(c, hexes), chosen)) for c in role.options(picks)]
        pick = next((c for c, margin in scored if margin >= 1), max(scored, key=lambda s: s[1])[0])
        picks[role.name] = pick
        chosen[role.name] = _hex_of(pick, hexes)
        colors[role.name] = {"hex": chosen[role.name]} if pick.startswith("#") else \
            {"tone": pick, "hex": chosen[role.name]}
    checks = []
    for fg, bg, minimum in PAIRS:
        ratio = contrast(chosen[fg], chosen[bg])
        checks.append({"foreground": fg, "background": bg, "ratio": reported_ratio(ratio),
                       "minimum": minimum, "passes": ratio >= minimum})
    return {"colors": colors, "contrast": checks}


def color_system(hue: float, accent_hue: float) -> dict[str, Any]:
    """The whole `color` section for a brand hue."""
    tonal = palettes(hue, accent_hue)
    hexes = {f"{name}.{t['step']}": t["hex"] for name, p in tonal.items() for t in p["tones"]}
    return {"mode": "oklch", "palette": tonal,
            "lightTheme": theme(LIGHT_ROLES, hexes), "darkTheme": theme(DARK_ROLES, hexes)}
