"""The design `color` section as render blocks: a swatch row per palette and per theme, each theme with
its contrast pairs measured from the colours it shows (whatever the document states)."""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from gitspec.render.model import WARN, Block, Contrast, Label, Notice, Paragraph, Swatch, Swatches, Table, Text
from gitspec.render.scalars import is_scalar, scalar_text
from gitspec.render.valueblocks import FIELDS_HEADER, cell_of, humanize, listed, mapping_of
from gitspec.hexcolours import is_srgb_hex
from gitspec.stages.colorsystem import contrast, reported_ratio


def colour_blocks(color: dict) -> list[Block]:
    """The design `color` section: a swatch row per palette and per theme, with the theme's contrast pairs.
    A part of the wrong type (which the check reports) is read as absent."""
    blocks: list[Block] = []
    if "mode" in color and is_scalar(color["mode"]):  # the colour space the tones are given in
        blocks.append(Table(FIELDS_HEADER, ((cell_of(Label("Mode")), cell_of(scalar_text(color["mode"]))),)))
    for name, ramp in mapping_of(color.get("palette")).items():
        ramp = mapping_of(ramp)
        swatches = tuple(Swatch(f"{name}.{t.get('step')}", str(t.get("hex", "")), _oklch(t))
                         for t in listed(ramp.get("tones")) if isinstance(t, dict))
        blocks.append(Swatches(Label(f"{humanize(str(name))} palette"), swatches))  # a data key, but a heading's word
        hue_chroma = [f"{key.title()}: {scalar_text(ramp[key])}" for key in ("hue", "chroma")
                      if key in ramp and is_scalar(ramp[key])]
        if hue_chroma:  # the ramp's own: each tone's may differ (gamut mapping lowers the chroma)
            blocks.append(Paragraph((Text(Label(" · ".join(hue_chroma))),)))
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


def _oklch(tone: dict) -> str:
    """A tone's OKLCH coordinates as the document gives them, in CSS's notation: "oklch(0.975 0.035 191.0)"."""
    parts = [tone.get(axis) for axis in ("l", "c", "h")]
    if not any(is_scalar(part) and part is not None for part in parts):
        return ""
    return f"oklch({' '.join(scalar_text(part) if is_scalar(part) and part is not None else '?' for part in parts)})"


def measured(pair: Contrast) -> Contrast:
    """The pair with the WCAG ratio and verdict of the two colours it shows, measured as the design
    stage measures them, whatever the document states (a hand edit of a colour leaves the stated
    ratio behind); as stated when a colour is not a plain #rrggbb, which the check reports."""
    foreground, background = pair.colours
    if not (is_srgb_hex(foreground) and is_srgb_hex(background)):
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
