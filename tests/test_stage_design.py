"""The built-in design stage: real colour math (gamut-mapped OKLCH palettes, WCAG-checked themes),
a modular type scale, and design tokens and CSS that agree with the sections."""
from __future__ import annotations

import re
from typing import Any

import pytest
from coloraide import Color

from conftest import example_values, assert_stage_contract, run_stage, schema_errors, stage_inputs, strings_in
from gitspec.stage import PLACEHOLDER
from gitspec.stages import design
from gitspec.stages.design import STAGE

HEX = re.compile(r"^#[0-9a-f]{6}$")


def _with_hue(hue: float) -> dict[str, Any]:
    values = stage_inputs(design)
    values["brand#visualSignature"]["hue"] = hue
    return run_stage(design, values)


@pytest.fixture(scope="module")
def output() -> dict[str, Any]:
    return run_stage(design)


def _themes(output):
    return [output["color"]["lightTheme"], output["color"]["darkTheme"]]


def test_declaration():
    assert (STAGE.name, STAGE.version, STAGE.document, STAGE.kind, STAGE.title) == (
        "design", "2", "design", "design", "Design system")
    assert STAGE.inputs == ("brand#visualSignature", "brand#emotionalSignature")


def test_keeps_the_stage_contract(output):
    assert_stage_contract(design, output)


def test_no_placeholders(output):
    assert not [s for s in strings_in(output) if PLACEHOLDER in s]


def test_palette_follows_the_brand_hue(output):
    palette = output["color"]["palette"]
    signature = example_values()["brand#visualSignature"]
    assert palette["primary"]["hue"] == signature["hue"]
    if "accentHue" in signature:
        assert palette["accent"]["hue"] == signature["accentHue"]
    for name, tonal in palette.items():
        steps = [t["step"] for t in tonal["tones"]]
        assert steps == [50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 950], name
        lightness = [t["l"] for t in tonal["tones"]]
        assert lightness == sorted(lightness, reverse=True), name


def test_tones_are_gamut_mapped_to_srgb(output):
    for tonal in output["color"]["palette"].values():
        for tone in tonal["tones"]:
            assert HEX.match(tone["hex"]), tone
            # The recorded OKLCH coordinates are inside sRGB, and the hex is that colour.
            oklch = Color("oklch", [tone["l"], tone["c"], tone["h"]])
            assert oklch.in_gamut("srgb", tolerance=0.002), tone
            assert Color(tone["hex"]).delta_e(oklch, method="ok") < 0.01, tone


def test_every_contrast_pair_meets_its_minimum(output):
    for theme in _themes(output):
        assert theme["contrast"], theme
        for check in theme["contrast"]:
            assert check["passes"] is True, check
            assert check["ratio"] >= check["minimum"] in (3.0, 4.5), check


def _wcag_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance, written out as the standard gives it."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _wcag_ratio(one: str, two: str) -> float:
    lighter, darker = sorted((_wcag_luminance(one), _wcag_luminance(two)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_reported_ratios_are_what_the_wcag_formula_gives(output):
    for theme in _themes(output):
        colors = theme["colors"]
        for check in theme["contrast"]:
            ratio = _wcag_ratio(colors[check["foreground"]]["hex"], colors[check["background"]]["hex"])
            assert check["ratio"] == pytest.approx(ratio, abs=0.01), check
            assert check["ratio"] <= ratio  # rounded down, never overstated
            assert check["passes"] == (ratio >= check["minimum"]), check


@pytest.mark.parametrize("foreground, background, verdict", [
    ("#000000", "#ffffff", "21.00 pass"),  # coloraide's wcag21 said 20.99
    ("#358094", "#ffffff", "4.49 fail"),  # WCAG: 4.4999977; coloraide said 4.50, a pass
    ("#018374", "#000000", "4.50 pass"),  # WCAG: 4.5000013; coloraide said 4.49, a fail
])
def test_contrast_is_the_wcag_formula_at_the_boundaries(foreground, background, verdict):
    from gitspec.stages.colorsystem import contrast, reported_ratio

    for pair in ((foreground, background), (background, foreground)):
        ratio = contrast(*pair)
        assert ratio == pytest.approx(_wcag_ratio(*pair), abs=1e-12)
        assert f"{reported_ratio(ratio):.2f} {'pass' if ratio >= 4.5 else 'fail'}" == verdict


def test_body_text_pairs_need_4_5_and_ui_parts_3(output):
    minimums = {(c["foreground"], c["background"]): c["minimum"] for c in output["color"]["lightTheme"]["contrast"]}
    assert minimums[("text", "background")] == 4.5
    assert minimums[("onPrimary", "primary")] == 4.5
    assert minimums[("focus", "surface")] == 3.0


def test_theme_roles_reference_palette_tones(output):
    palette = output["color"]["palette"]
    for theme in _themes(output):
        for role, color in theme["colors"].items():
            assert HEX.match(color["hex"]), role
            if "tone" in color:
                name, step = color["tone"].split(".")
                assert color["hex"] == next(t["hex"] for t in palette[name]["tones"] if t["step"] == int(step))
        assert theme["colors"]["primaryHover"]["hex"] != theme["colors"]["primary"]["hex"]


@pytest.mark.parametrize("hue", range(0, 360, 20))
def test_every_hue_gives_passing_themes(hue):
    output = _with_hue(hue)
    for theme in _themes(output):
        assert all(c["passes"] for c in theme["contrast"]), (hue, theme["contrast"])
    assert schema_errors("design", output) == []


def test_hue_changes_color_but_not_spacing_or_typography(output):
    other = _with_hue(30)
    assert other["color"] != output["color"]
    assert other["css"] != output["css"]
    for section in ("spacing", "typography", "motion", "layout"):
        assert other[section] == output[section], section


def test_type_scale_is_modular(output):
    scale = output["typography"]["scale"]
    for step in scale["steps"]:
        assert step["px"] == pytest.approx(scale["base"] * scale["ratio"] ** step["step"], abs=0.01)
        assert step["rem"] == pytest.approx(step["px"] / 16, abs=0.001)
        # Line heights land on the 4 px grid and never below 1.1.
        line = step["px"] * step["lineHeight"]
        assert abs(line - round(line / 4) * 4) < 0.1 and step["lineHeight"] >= 1.1, step


def test_emotional_signature_sets_the_tempo(output):
    values = stage_inputs(design)
    values["brand#emotionalSignature"] = {"summary": "Pure fun.", "feel": ["Delighted", "Playful", "Excited"]}
    lively = run_stage(design, values)
    assert lively["typography"]["scale"]["ratio"] > output["typography"]["scale"]["ratio"]
    assert lively["motion"]["durations"]["base"] < output["motion"]["durations"]["base"]
    assert lively["color"] == output["color"]


def test_spacing_scale(output):
    spacing = output["spacing"]
    assert all(s["px"] % spacing["base"] == 0 and s["rem"] == s["px"] / 16 for s in spacing["scale"])


def test_easings_are_cubic_beziers(output):
    for curve in output["motion"]["easings"].values():
        assert len(curve) == 4 and 0 <= curve[0] <= 1 and 0 <= curve[2] <= 1


def _tokens(node: dict[str, Any], path: tuple[str, ...] = (), kind: str | None = None):
    kind = node.get("$type", kind)
    if "$value" in node:
        yield path, kind, node["$value"]
        return
    for name, child in node.items():
        if not name.startswith("$"):
            yield from _tokens(child, (*path, name), kind)


def test_tokens_are_dtcg_and_aliases_resolve(output):
    tokens = output["tokens"]
    found = list(_tokens(tokens))
    assert {kind for _, kind, _ in found} >= {"color", "dimension", "duration", "cubicBezier", "fontFamily",
                                              "fontWeight"}
    paths = {".".join(path) for path, _, _ in found}
    for path, kind, value in found:
        assert kind, path
        for alias in re.findall(r"^\{([^}]+)\}$", "\n".join(strings_in(value)), re.M):
            assert alias in paths, (path, alias)
    assert tokens["color"]["primary"]["600"]["$value"]["hex"] == next(
        t["hex"] for t in output["color"]["palette"]["primary"]["tones"] if t["step"] == 600)
    assert tokens["duration"]["fast"]["$value"] == {"value": output["motion"]["durations"]["fast"], "unit": "ms"}


def test_component_token_references_exist(output):
    paths = {".".join(path) for path, _, _ in _tokens(output["tokens"])}
    roles = {f"theme.{r}" for r in output["color"]["lightTheme"]["colors"]}
    for component in output["components"]:
        for ref in component.get("tokens", {}).values():
            assert ref in paths or ref in roles, (component["name"], ref)


def test_css_has_light_and_dark_custom_properties(output):
    css = output["css"]
    light = output["color"]["lightTheme"]["colors"]
    primary_600 = output["tokens"]["color"]["primary"]["600"]["$value"]["hex"]
    assert re.search(r":root \{[^}]*--color-primary-600: " + primary_600, css)
    assert "--color-text: var(--color-neutral-" + light["text"]["tone"].split(".")[1] + ");" in css
    assert "@media (prefers-color-scheme: dark)" in css and '[data-theme="dark"]' in css
    assert "@media (prefers-reduced-motion: reduce)" in css
    assert css.count("{") == css.count("}")
    assert re.search(r"--easing-standard: cubic-bezier\(0\.2, 0, 0, 1\);", css)


def test_sparse_brand_still_generates_a_valid_design():
    output = run_stage(design, {"brand#visualSignature": None, "brand#emotionalSignature": None})
    assert schema_errors("design", output) == []
    assert all(c["passes"] for t in _themes(output) for c in t["contrast"])


@pytest.mark.parametrize("hue", ["#ff0000", "teal", "", None, [1], {}, "200", True])
def test_a_hue_that_is_not_a_number_reads_as_none(hue):
    visual = {"summary": "Calm.", "hue": 30, "accentHue": hue}
    assert design.hues(visual) == (30.0, 180.0)
    assert design.hues({**visual, "hue": hue, "accentHue": 30}) == (design.DEFAULT_HUE, 30.0)


@pytest.mark.parametrize("hue", ["'#ff0000'", "teal", "''", "null", "[1]", "{}", "'200'", "true"])
def test_build_with_a_brand_hue_that_is_not_a_number_reports_it_and_does_not_crash(example, hue):
    from conftest import run_gitspec

    brand = example / "specs" / "brand.yaml"
    text = brand.read_text()
    line = text.splitlines().index("  hue: 191") + 1
    brand.write_text(text.replace("\n  hue: 191\n", f"\n  hue: {hue}\n", 1))
    built = run_gitspec(example, "build", "--no-render")
    assert built.code == 1, built
    assert "internal error" not in built.err and "Traceback" not in built.err, built
    assert re.search(rf"(?m)^specs/brand\.yaml:{line}:\d+: .*hue", built.err), built


@pytest.mark.parametrize("hue", [float("nan"), float("inf"), float("-inf"), pytest.param(10 ** 400, id="int-past-floats")])
def test_a_hue_that_is_not_finite_reads_as_none_and_the_design_stays_valid(hue):
    assert design.hues({"hue": hue, "accentHue": hue}) == (design.DEFAULT_HUE, (design.DEFAULT_HUE + 150) % 360)
    values = stage_inputs(design)
    values["brand#visualSignature"] = {**values["brand#visualSignature"], "hue": hue, "accentHue": hue}
    assert schema_errors("design", run_stage(design, values)) == []


@pytest.mark.parametrize("hue", [".nan", "1e400"])
def test_build_with_a_brand_hue_that_is_not_finite_writes_a_valid_design(example, hue):
    from conftest import run_gitspec

    brand = example / "specs" / "brand.yaml"
    brand.write_text(brand.read_text().replace("\n  hue: 191\n", f"\n  hue: {hue}\n", 1))
    built = run_gitspec(example, "build", "--no-render")
    assert built.code == 1 and "regenerated design#color" in built.out, built
    assert ".nan" not in (example / "specs" / "design.yaml").read_text()
    checked = run_gitspec(example, "check")
    assert re.search(r"(?m)^specs/brand\.yaml:\d+:\d+: error: brand#visualSignature/hue: ", checked.out), checked
    assert "specs/design.yaml" not in checked.out, checked
