"""The bundled example rendered as a user gets it, then opened from disk in headless Chromium."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import run_gitspec
from test_render_html import Watched, browser, needs_chromium, page_links  # noqa: F401 (browser: a fixture)


@needs_chromium
def test_example_site_shows_every_document_swatches_diagrams_badges_and_matrix(example, browser):  # noqa: F811
    result = run_gitspec(example, "render", "--format", "html")
    assert result.code == 0, result
    site = example / "build" / "html"
    documents = {p.stem for p in (example / "specs").rglob("*") if p.suffix in (".yaml", ".md")}
    watched = Watched(browser)
    page = watched.page
    page.goto((site / "index.html").as_uri())
    linked = {Path(unquote(urlsplit(url).path)).stem for url in page_links(page)}
    ids = page.eval_on_selector_all("table.index code", "els => els.map(e => e.textContent)")
    assert len(ids) == len(documents) + 1 and "traceability" in ids and "traceability" in linked, ids
    assert page.locator(".badge").count() > 5

    for url in sorted({u.split("#")[0] for u in page_links(page) if u.startswith("file:")}):
        page.goto(url)
        assert page.locator("h1").count() == 1, url

    page.goto((site / "design.html").as_uri())
    chips = page.eval_on_selector_all(".swatch .chip", "els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert len(chips) > 50 and "rgb(0, 163, 158)" in chips  # primary.500 #00a39e, as the design says
    assert page.locator("table.contrast").count() >= 2
    # Each theme shows its roles' colours, and every pair in the contrast tables its two colours.
    themes = page.eval_on_selector_all(".swatches:has(table.contrast) .swatch", "els => els.length")
    assert themes >= 20, themes
    assert page.locator("table.contrast .chip").count() >= 40 and page.locator(".chip-unknown").count() == 0

    page.goto((site / "architecture.html").as_uri())
    diagrams = page.locator("figure.diagram")
    assert diagrams.count() >= 2
    for n in range(diagrams.count()):  # an image, or the source with a visible note: never a gap
        figure = diagrams.nth(n)
        assert figure.locator("img").count() == 1 or (
            figure.locator("pre").is_visible() and figure.locator(".notice").is_visible())

    page.goto((site / "traceability.html").as_uri())
    rows = page.locator("table tbody tr")
    assert rows.count() == 28
    assert "REQ-015" in page.inner_text("table") and page.locator("td .badge").count() == 28

    page.goto((site / "index.html").as_uri())
    page.fill("#gitspec-search", "REQ-015")
    page.wait_for_selector("#gitspec-results a[href*='billing-requirements.html']")
    assert watched.problems == []
    watched.close()


def skipped_levels(levels: list[tuple[int, str]]) -> list[tuple[tuple[int, str], tuple[int, str]]]:
    """Each heading that is more than one level below the heading before it, with that one."""
    return [(a, b) for a, b in zip(levels, levels[1:]) if b[0] > a[0] + 1]


def test_example_headings_step_down_one_level_and_name_their_items(example):
    import re

    import docx

    assert run_gitspec(example, "render", "--format", "html,docx").code == 0
    for page in sorted((example / "build/html").glob("*.html")):
        found = re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", page.read_text(encoding="utf-8"))
        assert skipped_levels([(int(n), text) for n, text in found]) == [], page.name
    for path in sorted((example / "build/docx").glob("*.docx")):
        levels = [(int(p.style.name.split()[-1]), p.text) for p in docx.Document(str(path)).paragraphs
                  if p.style.name.startswith("Heading ")]
        assert skipped_levels(levels) == [], path.name
    code = re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", (example / "build/html/code.html").read_text(encoding="utf-8"))
    files = [text for n, text in code if n == "3"]
    assert len(files) > 3 and all("/" in text or "." in text for text in files), files  # each file by its path
