"""Hand-built render trees for renderer tests: a small site with planted hostile content,
and a large one for timing. Import from tests (`from rendersite import sample_site`)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from gitspec.render.markdowntree import markdown_blocks
from gitspec.render.model import (
    BAD, INFO, OK, WARN, Badge, Change, Code, Contrast, Diagram, Link, ListBlock, Notice, Page,
    Paragraph, Section, Site, Swatch, Swatches, Table, Text,
)
from gitspec.render.renderer import DiagramImage

# An SVG with a script: shown through <img>, it must never run.
HOSTILE_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
               b'<script>window.top.__pwned = 1</script>'
               b'<rect width="120" height="40" fill="#0969da"/></svg>')
NO_RENDERER = "No mermaid renderer: install mmdc or configure a mermaid server."

PRD_MARKDOWN = """Billing must be **simple** and *fast*; see `export`.

<script>alert(1)</script>

Inline <img src=x onerror=alert(1)> stays text.

- [click](javascript:alert(1))
- [d](data:text/html,<script>alert(1)</script>)
- [docs](https://example.com/docs)
  1. nested *one*
  2. nested two
- [requirement](#goals)

### Details

| Metric | Target |
|---|---|
| p95 latency | `200 ms` |

```python
print("<b>hi</b>")
```

```mermaid
graph TD
  A-->B
```

> [!WARNING]
> Planted <iframe src="javascript:alert(1)"></iframe> quote.
"""


@dataclass
class FakeAssets:
    """Assets for tests: diagrams whose source contains "graph" get an SVG, others a note."""

    root: Path
    package_assets: Path = field(default_factory=lambda: Path(__file__).resolve().parent.parent
                                 / "gitspec" / "render" / "assets")
    calls: list[str] = field(default_factory=list)

    def diagram(self, diagram: Diagram) -> DiagramImage:
        self.calls.append(diagram.source)
        if "graph" in diagram.source:
            return DiagramImage(HOSTILE_SVG, None)
        return DiagramImage(None, None, NO_RENDERER)


def change(n: int = 1) -> Change:
    return Change(f"{n:07x}abcdef0123456789", "Ada Tester", f"2026-01-{n % 28 + 1:02d}T10:00:00+00:00",
                  "Add requirement")


def requirement_section(n: int) -> Section:
    rid = f"REQ-{n:03d}"
    return Section(
        name=rid, title=f"{rid} Export invoice batch {n} as CSV", anchor=rid.lower(),
        blocks=(Paragraph((Text(f"The system shall export invoice batch {n} as CSV within 2 seconds."),)),
                ListBlock(((Paragraph((Text("Acceptance: "), Text("file downloads", "em"))),),
                           (Paragraph((Link("PRD goals", "doc:PRD-billing#goals"),)),)))),
        badges=(Badge("approved", OK),) if n % 3 else (Badge("stale", WARN),),
        change=change(n),
    )


def requirements_page(count: int = 3) -> Page:
    return Page("REQ-billing", "requirements", "Billing requirements", "specs/requirements.yaml",
                "approved", (Badge("approved", OK),),
                tuple(requirement_section(n) for n in range(1, count + 1)), key="req-key")


def prd_page() -> Page:
    goals = Section("goals", "Goals", "goals",
                    markdown_blocks(PRD_MARKDOWN, page_id="PRD-billing", taken={"goals", "risks"}),
                    change=change(7))
    risks = Section("risks", "Risks <b>bold</b>", "risks",
                    (Notice("Planted <script>alert(2)</script> in a notice", WARN),
                     Paragraph((Link("see REQ-001", "doc:REQ-billing#req-001"),
                                Text(" and "), Link("unknown", "doc:NOPE")))))
    return Page("PRD-billing", "prd", "Billing <em>PRD</em>", "specs/prd.md", "draft",
                (Badge("hand-edited", WARN), Badge("needs approval", INFO)), (goals, risks), key="prd-key")


def design_page() -> Page:
    swatches = Swatches("Brand colours", (
        Swatch("Primary", "#0969da", "links and buttons"),
        Swatch("Ink", "#1f2328"),
        Swatch("Evil", "red;background:url(http://127.0.0.1:9/x)"),
    ), (Contrast("#1f2328", "#ffffff", 15.8, 4.5, True), Contrast("#0969da", "#1f2328", 2.9, 4.5, False)))
    return Page("DESIGN-brand", "design", "Brand design", "specs/design.yaml", "approved", (),
                (Section("colours", "Colours", "colours", (swatches,)),), key="design-key")


def architecture_page() -> Page:
    blocks = (Diagram("graph TD\n  A[Web]-->B[API]", title="Context"),
              Diagram("sequenceDiagram\n  A->>B: hi <script>", title="Login"),
              Code("GET /invoices", "http"))
    return Page("ARCH-overview", "architecture", "Architecture overview", "specs/architecture.md",
                "review", (Badge("stale", WARN),),
                (Section("context", "Context", "context", blocks, change=change(3)),), key="arch-key")


def trace_page() -> Page:
    rows = tuple(((Link(f"REQ-{n:03d}", f"doc:REQ-billing#req-{n:03d}"),),
                  (Link("PRD-billing", "doc:PRD-billing"),),
                  (Badge("covered", OK) if n % 2 else Badge("missing test", BAD),))
                 for n in range(1, 4))
    table = Table(("Requirement", "Source", "Tests"), rows)
    return Page("TRACE", "traceability", "Traceability matrix", "", "generated", (),
                (Section("matrix", "Matrix", "matrix", (table,)),), key="trace-key")


def sample_site(page_size: str = "A4", requirements: int = 3) -> Site:
    pages = (requirements_page(requirements), prd_page(), design_page(), architecture_page(), trace_page())
    return Site("Billing <Dashboard> & specs", "abc1234", False, page_size,
                tuple(replace(page, commit="abc1234") for page in pages),
                kinds=("prd", "requirements", "design", "architecture", "traceability"))


def big_site(count: int = 2000) -> Site:
    """A site whose requirements page holds `count` requirements, for timing."""
    return sample_site(requirements=count)
