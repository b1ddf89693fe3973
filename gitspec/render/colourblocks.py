"""The design `color` section as render blocks: a swatch row per palette and per theme, each theme with
its contrast pairs measured from the colours it shows (whatever the document states)."""
from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

from gitspec.render.model import WARN, Block, Contrast, Notice, Swatch, Swatches
from gitspec.render.valueblocks import humanize, listed, mapping_of
from gitspec.stages.colorsystem import contrast, reported_ratio

_SRGB_HEX = re.compile(r"#[0-9a-fA-F]{6}")  # a colour the contrast can be measured of (the schema's `hex`)


def colour_blocks(color: dict) -> list[Block]:
    """The design `color` section: a swatch row per palette and per theme, with the theme's contrast pairs.
    A part of the wrong type (which the check reports) is read as absent."""
    blocks: list[Block] = []
    for name, ramp in mapping_of(color.get("palette")).items():
        tones = listed(mapping_of(ramp).get("tones"))
        swatches = tuple(Swatch(f"{name}.{t.get('step')}", str(t.get("hex", "")))
                         for t in tones if isinstance(t, dict))
        blocks.append(Swatches(f"{humanize(name)} palette", swatches))
    for key in ("lightTheme", "darkTheme"):
        theme = color.get(key)
        if not isinstance(theme, dict):
            continue
        roles = mapping_of(theme["colors"] if "colors" in theme else theme)  # (the roles, as the schema has them)
        hexes = {str(role): str(v.get("hex", "")) for role, v in roles.items() if isinstance(v, dict) and "hex" in v}
        swatches = tuple(Swatch(role, hexes[role], str(roles[role].get("tone", ""))) for role in hexes)
        stated = tuple(Contrast(str(p.get("foreground")), str(p.get("background")), _number(p.get("ratio")),
                                _number(p.get("minimum")), p.get("passes") is True,
                                hexes.get(str(p.get("foreground")), ""), hexes.get(str(p.get("background")), ""))
                       for p in listed(theme.get("contrast")) if isinstance(p, dict))
        pairs = tuple(measured(pair) for pair in stated)
        blocks.append(Swatches(humanize(key), swatches, pairs))
        wrong = [(s, m) for s, m in zip(stated, pairs) if (s.ratio, s.passes) != (m.ratio, m.passes)]
        if wrong:
            blocks.append(_misstated(wrong))
    return blocks


def measured(pair: Contrast) -> Contrast:
    """The pair with the WCAG ratio and verdict of the two colours it shows, measured as the design
    stage measures them, whatever the document states (a hand edit of a colour leaves the stated
    ratio behind); as stated when a colour is not a plain #rrggbb, which the check reports."""
    foreground, background = pair.colours
    if not (_SRGB_HEX.fullmatch(foreground) and _SRGB_HEX.fullmatch(background)):
        return pair
    ratio = contrast(foreground, background)
    return replace(pair, ratio=reported_ratio(ratio), passes=ratio >= pair.minimum)


def _misstated(wrong: list[tuple[Contrast, Contrast]]) -> Notice:
    """A visible note of the (stated, measured) pairs that disagree: the reader sees the truth in the
    table and learns that the document says otherwise."""
    pairs = "; ".join(f"{s.foreground} on {s.background}: stated {s.ratio:.2f}:1 ({_verdict(s)}), "
                      f"measured {m.ratio:.2f}:1 ({_verdict(m)})" for s, m in wrong)
    return Notice("The contrast this theme states is not that of its colours; the table shows the measured "
                  f"ratios. {pairs}.", WARN)


def _verdict(pair: Contrast) -> str:
    return "pass" if pair.passes else "fail"


def _number(value: Any) -> float:
    """A ratio as a float; anything but a finite number reads as 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        return 0.0
    return number if math.isfinite(number) else 0.0
