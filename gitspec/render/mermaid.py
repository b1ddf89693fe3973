"""Mermaid source to SVG and PNG: a local `mmdc` (gitspec.render.mmdc), else a mermaid.ink-compatible
server (gitspec.render.mermaidserver), else a visible note.

Never raises and never prints: every failure (missing tool, timeout, bad exit,
bad response) falls through to the next way and ends in `DiagramImage.note`. An
image is returned only once it is checked whole and inert (nothing runs or fetches).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gitspec.render.diagramcache import DiagramCache  # noqa: F401  (the render run imports it from here)
from gitspec.render.drawway import DrawFailed
from gitspec.render.renderer import DiagramImage

# mmdc's install downloads a Chromium of its own unless told not to; gitspec runs it with the
# system's (see gitspec.render.mmdc), so the advice must work offline too.
HINT = ("To get diagram images, install Chromium and then mmdc, which gitspec runs with that Chromium "
        "(PUPPETEER_SKIP_DOWNLOAD=1 npm install -g @mermaid-js/mermaid-cli), or set mermaid_server in gitspec.yaml.")


@dataclass(frozen=True)
class Failure:
    """A way of drawing a diagram that failed: `way` is "mmdc" or "mermaid server URL"."""

    way: str
    reason: str
    down: bool = False  # the way is out for the rest of the run (see DrawFailed)
    temporary: bool = False  # a cause that may be gone next time (see DrawFailed)
    invalid: bool = False  # mermaid rejected the diagram's text (see DrawFailed)


def diagram_image(source: str, *, mmdc: str | None, server: str | None, timeout: float) -> DiagramImage:
    """Render `source` with `mmdc` (a path) if given, else with `server` (a mermaid.ink-style URL) if
    given; `timeout` (seconds) bounds each way. Falls back to DiagramImage(None, None, note)."""
    return draw_diagram(source, mmdc=mmdc, server=server, timeout=timeout)[0]


def draw_diagram(source: str, *, mmdc: str | None, server: str | None, timeout: float,
                 down: Mapping[str, Failure] | None = None) -> tuple[DiagramImage, list[Failure]]:
    """As diagram_image, and what failed on the way (empty when drawn, or when nothing was tried).
    `down`: by way ("mmdc", "mermaid server URL"), a failure that took it out earlier in this run
    (Failure.down); such a way is not asked again.
    A diagram naming a URL or a file (gitspec.render.diagramreach), or too long for mermaid, is not drawn at all."""
    from gitspec.render.mermaidserver import fetch_from_server
    from gitspec.render.mmdc import render_with_mmdc

    refused = undrawable(source)
    if refused:
        return DiagramImage(None, None, refused_note(refused)), []
    failures = []
    ways = ((mmdc, render_with_mmdc, "mmdc"), (server, fetch_from_server, f"mermaid server {server}"))
    for where, way, name in ways:
        if not where:
            continue
        earlier = (down or {}).get(name)
        if earlier is not None:
            failures.append(Failure(name, f"not asked again after it failed earlier in this run: {earlier.reason}",
                                    temporary=True))
            continue
        try:
            svg, png = way(source, where, timeout)
            return DiagramImage(svg, png), failures
        except DrawFailed as failure:
            failures.append(Failure(name, str(failure), failure.down, failure.temporary, failure.invalid))
        except Exception as error:  # a diagram must never stop a build: report it in the note
            failures.append(Failure(name, f"{type(error).__name__}: {error}", temporary=True))
    return DiagramImage(None, None, fallback_note(failures)), failures


def undrawable(source: str) -> str | None:
    """Why no way would draw `source` (it names a URL or a file, or is over mermaid's size limit), or None.
    Said from the text alone, so it is said again, the same, until the text changes."""
    from gitspec.render.diagramreach import refusal
    from gitspec.render.drawway import over_text_limit

    return refusal(source) or over_text_limit(source)


def refused_note(reason: str) -> str:
    """The sentence shown in place of a diagram gitspec will not draw: no tool would help, so no hint."""
    return f"Diagram shown as source: {reason}."


def fallback_note(failures: list[Failure]) -> str:
    """The sentence shown in place of an image: what is wrong with the diagram's text, else what was
    tried and, when nothing could draw (no way set up, or each failed for a cause that may pass), how
    to get images."""
    if not failures:
        return f"Diagram shown as source: no Mermaid renderer is available. {HINT}"
    invalid = next((f for f in failures if f.invalid), None)
    if invalid:
        return f"Diagram shown as source: {invalid.reason.rstrip('.')}."
    tried = "; ".join(f"{'the ' if f.way != 'mmdc' else ''}{f.way} failed ({f.reason})" for f in failures)
    hint = f" {HINT}" if all(f.temporary for f in failures) else ""
    return f"Diagram shown as source: {tried}.{hint}"
