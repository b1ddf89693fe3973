"""The design stage's exports: a W3C Design Tokens Format tree (DTCG 2025.10) built from the design
sections, and CSS custom properties written from that tree, so the two never disagree.

Pure: sections in, data and text out; never reads or writes files.
"""
from __future__ import annotations

import re
from typing import Any

_GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "ui-serif",
                     "ui-sans-serif", "ui-monospace", "ui-rounded", "math", "emoji", "fangsong"}


def color_value(hex_color: str, alpha: float = 1.0) -> dict[str, Any]:
    """A DTCG colour value: sRGB components plus the hex fallback the format allows."""
    from coloraide import Color  # imported here: it is slow to import and only builds need it

    components = [round(v, 4) for v in Color(hex_color).coords()]
    value: dict[str, Any] = {"colorSpace": "srgb", "components": components, "hex": hex_color}
    if alpha != 1.0:
        value["alpha"] = alpha
    return value


def _dimension(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit}


def _group(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    return {"$type": kind, **{str(name): {"$value": value} for name, value in values.items()}}


def _theme_group(theme: dict[str, Any]) -> dict[str, Any]:
    # Roles taken from the palette are aliases, so a tool that edits a tone updates the theme.
    return _group("color", {role: "{color.%s}" % c["tone"] if "tone" in c else color_value(c["hex"])
                            for role, c in theme["colors"].items()})


def _typography_group(typography: dict[str, Any]) -> dict[str, Any]:
    weights = typography.get("weights", {})
    heading_from = 2  # steps at or above this use the heading family and a heavier weight
    styles = {}
    for step in typography["scale"]["steps"]:
        heading = step.get("step", 0) >= heading_from and "heading" in typography["families"]
        styles[step["name"]] = {
            "fontFamily": "{font.family.%s}" % ("heading" if heading else "body"),
            "fontSize": "{font.size.%s}" % step["name"],
            "fontWeight": "{font.weight.%s}" % ("semibold" if heading and "semibold" in weights else "regular"),
            "letterSpacing": _dimension(0, "px"),
            "lineHeight": step.get("lineHeight", 1.5),
        }
    return _group("typography", styles)


def _shadow_group(shadows: dict[str, list[dict[str, float]]], tint: str) -> dict[str, Any]:
    def layer(spec: dict[str, float]) -> dict[str, Any]:
        return {"color": color_value(tint, spec["alpha"]), "offsetX": _dimension(0, "px"),
                "offsetY": _dimension(spec["y"], "px"), "blur": _dimension(spec["blur"], "px"),
                "spread": _dimension(0, "px")}
    return _group("shadow", {name: [layer(s) for s in layers] for name, layers in shadows.items() if layers})


def design_tokens(sections: dict[str, Any], shadows: dict[str, list[dict[str, float]]],
                  shadow_tint: str) -> dict[str, Any]:
    """Every design decision as DTCG tokens: palettes, theme roles, type, space, radii, motion, depth."""
    color, typography = sections["color"], sections["typography"]
    palette = {"$type": "color"}
    for name, tones in color["palette"].items():
        palette[name] = {str(t["step"]): {"$value": color_value(t["hex"])} for t in tones["tones"]}
    families = {role: [f["name"], *f.get("fallback", [])] for role, f in typography["families"].items()}
    depth, motion = sections["depth"], sections["motion"]
    return {
        "color": palette,
        "theme": {"light": _theme_group(color["lightTheme"]), "dark": _theme_group(color["darkTheme"])},
        "font": {
            "family": _group("fontFamily", families),
            "weight": _group("fontWeight", typography.get("weights", {})),
            "size": _group("dimension", {s["name"]: _dimension(s["rem"], "rem")
                                         for s in typography["scale"]["steps"]}),
            "lineHeight": _group("number", typography.get("lineHeights", {})),
        },
        "typography": _typography_group(typography),
        "space": _group("dimension", {s["name"]: _dimension(s["rem"], "rem") for s in sections["spacing"]["scale"]}),
        "radius": _group("dimension", {k: _dimension(v, "px") for k, v in depth["radii"].items()}),
        "shadow": _shadow_group(shadows, shadow_tint),
        "zIndex": _group("number", depth["zIndex"]),
        "breakpoint": _group("dimension", {b["name"]: _dimension(b["minWidth"], "px")
                                           for b in sections["layout"]["breakpoints"]}),
        "duration": _group("duration", {k: _dimension(v, "ms") for k, v in motion["durations"].items()}),
        "easing": _group("cubicBezier", motion["easings"]),
    }


# --- CSS -------------------------------------------------------------------------


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


def _var(path: list[str]) -> str:
    return "--" + "-".join(_kebab(p) for p in path)


def _num(value: float) -> str:
    return f"{value:g}"


def _css_color(value: Any) -> str:
    if "alpha" not in value:
        return value["hex"]
    r, g, b = (round(c * 255) for c in value["components"])
    return f"rgb({r} {g} {b} / {_num(value['alpha'])})"


def _css_family(names: list[str]) -> str:
    return ", ".join(n if n in _GENERIC_FAMILIES or re.fullmatch(r"[-\w]+", n) else f'"{n}"' for n in names)


def _css_value(kind: str, value: Any) -> str:
    """One token value as CSS; aliases become var() references to the aliased property."""
    if isinstance(value, str) and value.startswith("{"):
        return f"var({_var(value.strip('{}').split('.'))})"
    if kind == "color":
        return _css_color(value)
    if kind in ("dimension", "duration"):
        return f"{_num(value['value'])}{value['unit']}"
    if kind == "cubicBezier":
        return "cubic-bezier(" + ", ".join(_num(v) for v in value) + ")"
    if kind == "fontFamily":
        return _css_family(value)
    if kind == "shadow":
        return ", ".join(" ".join(_css_value("dimension", layer[k]) for k in ("offsetX", "offsetY", "blur", "spread"))
                         + " " + _css_color(layer["color"]) for layer in value)
    if kind == "typography":  # the `font` shorthand: weight size/line-height family
        return (f"{_css_value('fontWeight', value['fontWeight'])} {_css_value('dimension', value['fontSize'])}/"
                f"{_num(value['lineHeight'])} {_css_value('fontFamily', value['fontFamily'])}")
    return _num(value) if isinstance(value, (int, float)) else str(value)


def _declarations(node: dict[str, Any], path: list[str], kind: str | None = None) -> list[str]:
    kind = node.get("$type", kind)
    if "$value" in node:
        return [f"{_var(path)}: {_css_value(kind or '', node['$value'])};"]
    lines = []
    for name, child in node.items():
        if not name.startswith("$"):
            lines += _declarations(child, [*path, name], kind)
    return lines


def _block(selector: str, lines: list[str], indent: str = "") -> str:
    body = "".join(f"{indent}  {line}\n" for line in lines)
    return f"{indent}{selector} {{\n{body}{indent}}}\n"


def css_properties(tokens: dict[str, Any]) -> str:
    """`:root` custom properties for every token and the light theme, the dark theme for
    `prefers-color-scheme: dark` (unless `data-theme="light"` forces light) and for
    `[data-theme="dark"]`, and zero durations for `prefers-reduced-motion`."""
    base = {k: v for k, v in tokens.items() if k != "theme"}
    light = _declarations(tokens["theme"]["light"], ["color"])
    dark = _declarations(tokens["theme"]["dark"], ["color"])
    still = [f"{_var(['duration', name])}: 0ms;" for name in tokens["duration"] if not name.startswith("$")]
    return "\n".join([
        _block(":root", [*_declarations(base, []), *light]),
        "@media (prefers-color-scheme: dark) {\n" + _block(':root:not([data-theme="light"])', dark, "  ") + "}\n",
        _block('[data-theme="dark"]', dark),
        "@media (prefers-reduced-motion: reduce) {\n" + _block(":root", still, "  ") + "}\n",
    ])
