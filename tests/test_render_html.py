"""The HTML renderer: static checks on the bytes, then the site in headless Chromium from file://."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path
from unicodedata import normalize
from urllib.parse import unquote, urlsplit

import pytest
from conftest import CONFIG, requirement, requirements_doc, run_gitspec
from rendersite import FakeAssets, big_site, sample_site

from gitspec.render.html import HtmlRenderer
from gitspec.render.model import Contrast, Link, Page, Paragraph, Section, Site, Swatch, Swatches
from gitspec.render.searchparts import bucket_name

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def render_all(site: Site, assets: FakeAssets) -> dict[str, bytes]:
    renderer = HtmlRenderer()
    files = dict(renderer.site_files(site, assets))
    for page in site.pages:
        files.update(renderer.page_files(site, page, assets))
    return files


def write(files: dict[str, bytes], folder: Path) -> Path:
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    return write(render_all(sample_site(), FakeAssets(tmp_path)), tmp_path / "html")


# --- the bytes -----------------------------------------------------------------


def test_a_changed_stylesheet_changes_the_version_of_the_renderers_that_carry_it(tmp_path, monkeypatch):
    """A gitspec with new CSS renders again what shows it, though nobody bumped a version."""
    import shutil

    from gitspec.render import packageassets
    from gitspec.render.pdf import PdfRenderer

    shutil.copytree(packageassets.PACKAGE_ASSETS, tmp_path / "assets")
    try:
        monkeypatch.setattr(packageassets, "PACKAGE_ASSETS", tmp_path / "assets")
        packageassets.package_asset.cache_clear()
        html, pdf = HtmlRenderer().version, PdfRenderer().version
        with open(tmp_path / "assets" / "print.css", "a", encoding="utf-8") as css:
            css.write("\nh1 { color: teal; }\n")
        packageassets.package_asset.cache_clear()
        assert HtmlRenderer().version == html and PdfRenderer().version != pdf
        (tmp_path / "assets" / "site.css").write_text("body { margin: 0; }\n", encoding="utf-8")
        packageassets.package_asset.cache_clear()
        renderer = HtmlRenderer()
        assert renderer.version != html
        assert renderer.site_files(sample_site(), FakeAssets(tmp_path))["assets/site.css"] == b"body { margin: 0; }\n"
    finally:
        monkeypatch.undo()
        packageassets.package_asset.cache_clear()


def test_files_and_determinism(tmp_path: Path) -> None:
    first = render_all(sample_site(), FakeAssets(tmp_path))
    second = render_all(sample_site(), FakeAssets(tmp_path))
    assert first == second
    assert {"index.html", "search-index.js", "assets/site.css", "assets/search.js",
            "REQ-billing.html", "PRD-billing.html", "TRACE.html"} <= set(first)
    assert [n for n in first if n.startswith("diagrams/")] == [
        n for n in first if re.fullmatch(r"diagrams/[0-9a-f]{16}\.svg", n)]
    parts = sorted({bucket_name(page.id) for page in sample_site().pages})
    assert first["search-index.js"] == (f'window.GITSPEC_SEARCH_FILES = {json.dumps(parts, separators=(",", ":"))};\n'
                                        'window.GITSPEC_SEARCH_PAGES = ["REQ-billing","PRD-billing","DESIGN-brand",'
                                        '"ARCH-overview","TRACE"];\n').encode()
    assert [name for name in first if name.startswith("search/")] == parts
    assert b'\n["REQ-billing","' in first[bucket_name("REQ-billing")]
    assert first[bucket_name("REQ-billing")].startswith(b'window.GITSPEC_SEARCH_PARTS.push([\n["')


def test_output_has_no_live_markup(tmp_path: Path) -> None:
    files = render_all(sample_site(), FakeAssets(tmp_path))
    for name, data in files.items():
        if name.startswith("diagrams/"):
            continue
        text = data.decode("utf-8")
        assert "javascript:" not in text.lower(), name
        if name.endswith(".html"):
            assert 'http-equiv="Content-Security-Policy"' in text
            assert "<svg" not in text and "<iframe" not in text
            assert re.findall(r"<script[^>]*>", text) == ['<script src="assets/search.js" defer>',
                                                          '<script src="assets/live.js" defer>']
            assert not re.search(r"<[^>]+\son\w+\s*=", text), name
    prd = files["PRD-billing.html"].decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in prd
    assert "&lt;img src=x onerror=alert(1)&gt;" in prd
    assert ">click</li>" in prd and ">d</li>" in prd  # the link text, without the link
    assert '<a href="https://example.com/docs" rel="noopener noreferrer">docs</a>' in prd
    assert '<a href="REQ-billing.html#req-001">see REQ-001</a>' in prd
    assert '<span class="unlinked">unknown</span>' in prd


def test_sections_badges_changes_and_swatches(tmp_path: Path) -> None:
    files = render_all(sample_site(), FakeAssets(tmp_path))
    req = files["REQ-billing.html"].decode()
    assert '<section id="req-002">' in req
    assert "Last change: commit <code>0000002</code> · <bdi>Ada Tester</bdi> · 2026-01-03" in req
    assert '<span class="badge badge-warn"><bdi>stale</bdi></span>' in req
    design = files["DESIGN-brand.html"].decode()
    assert '<span class="chip" style="background-color: #0969da"></span>' in design
    assert "url(" not in design.split("<body>")[1].replace("<code>red;background:url(http://127.0.0.1:9/x)</code>", "")
    assert "15.80:1" in design and "4.5:1" in design and "badge-bad\"><bdi>fail</bdi>" in design
    arch = files["ARCH-overview.html"].decode()
    assert "No mermaid renderer" in arch and "sequenceDiagram" in arch
    index = files["index.html"].decode()
    kinds = [index.index(f'id="kind-{k}"') for k in ("prd", "requirements", "design", "architecture")]
    assert kinds == sorted(kinds)
    assert "hand-edited" in index and "needs approval" in index


def test_only_a_plain_rrggbb_colour_is_a_chip_as_in_the_other_formats(tmp_path: Path) -> None:
    """'#0969da' with a line break after it was a chip's colour, though its contrast is not measured (and
    Word's shading and its sample take the same one rule)."""
    swatches = Swatches("Theme", (Swatch("ok", "#0969da"), Swatch("odd", "#0969da\n"), Swatch("short", "#abc")),
                        (Contrast("text", "surface", 4.6, 4.5, True, "#1f2328", "#0969da\n"),))
    site = Site("S", "", False, "A4", (Page("P", "design", "P", "", "draft", (),
                                            (Section("c", "C", "c", (swatches,)),)),))
    html = HtmlRenderer().page_files(site, site.pages[0], FakeAssets(tmp_path))["P.html"].decode()
    assert re.findall(r'<span class="chip[^"]*"(?: style="[^"]*")?>', html) == [
        '<span class="chip" style="background-color: #0969da">', '<span class="chip chip-unknown">',
        '<span class="chip chip-unknown">', '<span class="chip" style="background-color: #1f2328">',
        '<span class="chip chip-unknown">']


def test_duplicate_anchors_stay_unique(tmp_path: Path) -> None:
    section = Section("a", "A", "same", (Paragraph((Link("x", "doc:P#same"),)),))
    site = Site("S", "", False, "A4", (Page("P", "prd", "P", "", "draft", (), (section, section)),))
    html = HtmlRenderer().page_files(site, site.pages[0], FakeAssets(tmp_path))["P.html"].decode()
    assert '<section id="same">' in html and '<section id="same-2">' in html


def test_two_thousand_requirements_render_whole(tmp_path: Path) -> None:
    """Every requirement gets its section (bench/render.py measures the speed; it is printed here)."""
    site, assets = big_site(2000), FakeAssets(tmp_path)
    renderer = HtmlRenderer()
    start = time.perf_counter()
    files = render_all(site, assets)
    elapsed = time.perf_counter() - start
    print(f"\nHTML for 2,000 requirements: {elapsed * 1000:.0f} ms, "
          f"{sum(map(len, files.values())) / 1e6:.1f} MB")
    assert files["REQ-billing.html"].count(b"<section id=") == 2000
    assert renderer.page_files(site, site.pages[0], assets) == {
        k: v for k, v in files.items() if k == "REQ-billing.html"}


# --- in Chromium ---------------------------------------------------------------

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page with every console error, page error and dialog recorded."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.on("request", lambda r: r.url.startswith("file:") or self.problems.append(f"request: {r.url}"))

    def close(self) -> None:
        self.context.close()


def page_links(page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")


@needs_chromium
def test_every_link_resolves(browser, site_dir: Path) -> None:
    watched = Watched(browser)
    page = watched.page
    seen: set[str] = set()
    todo = [(site_dir / "index.html").as_uri()]
    checked = 0
    while todo:
        url = todo.pop()
        parts = urlsplit(url)
        if parts.scheme != "file":
            assert parts.scheme in ("http", "https", "mailto"), url
            continue
        path = Path(unquote(parts.path))
        assert path.is_file() and site_dir in path.parents, url
        page.goto(url)
        if parts.fragment:
            assert page.evaluate("f => document.getElementById(f) !== null", unquote(parts.fragment)), url
        checked += 1
        base = url.split("#")[0]
        if base in seen:
            continue
        seen.add(base)
        todo.extend(page_links(page))
    assert checked > 20 and len(seen) == 6
    assert watched.problems == []
    watched.close()


@needs_chromium
def test_search_finds_a_requirement(browser, site_dir: Path) -> None:
    watched = Watched(browser)
    page = watched.page
    page.goto((site_dir / "index.html").as_uri())
    page.fill("#gitspec-search", "REQ-002")
    first = page.wait_for_selector("#gitspec-results a")
    assert first.get_attribute("href") == "REQ-billing.html#req-002"
    first.click()
    page.wait_for_url("**/REQ-billing.html#req-002")
    assert page.evaluate("document.getElementById('req-002') !== null")
    page.fill("#gitspec-search", "invoice batch 3")
    page.wait_for_selector("#gitspec-results a[href='REQ-billing.html#req-003']")
    page.fill("#gitspec-search", "zzzz-nothing")
    page.wait_for_selector("#gitspec-results .no-hits")
    assert watched.problems == []
    watched.close()


INERT = """() => ({
  pwned: window.__pwned === undefined && window.top.__pwned === undefined,
  handlers: [...document.querySelectorAll('*')].filter(
      e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).length,
  jsLinks: document.querySelectorAll('a[href^="javascript" i], [src^="javascript" i]').length,
  scripts: [...document.scripts].map(s => s.getAttribute('src')),
  frames: document.querySelectorAll('iframe, object, embed, svg').length,
  brokenImages: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).length,
})"""


@needs_chromium
def test_pages_are_clean_and_planted_script_is_inert(browser, site_dir: Path) -> None:
    watched = Watched(browser)
    page = watched.page
    for html in sorted(site_dir.glob("*.html")):
        page.goto(html.as_uri())
        page.fill("#gitspec-search", "alert")  # loads the search index, which holds the planted text
        page.wait_for_selector("#gitspec-results li")
        page.wait_for_timeout(50)
        state = page.evaluate(INERT)
        parts = sorted({bucket_name(p.id) for p in sample_site().pages})  # (search-index.js orders the pages)
        assert state == {"pwned": True, "handlers": 0, "jsLinks": 0, "frames": 0, "brokenImages": 0,
                         "scripts": ["assets/search.js", "assets/live.js", "search-index.js", *parts]}, html.name
    assert swatch_colours(page, site_dir) == ["rgb(9, 105, 218)", "rgb(31, 35, 40)"]
    assert watched.problems == []
    watched.close()



def swatch_colours(page, site_dir: Path) -> list[str]:
    """The colours the first two swatch chips of the sample site's brand page show."""
    page.goto((site_dir / "DESIGN-brand.html").as_uri())
    colours = page.eval_on_selector_all(".swatch .chip", "els => els.map(e => getComputedStyle(e).backgroundColor)")
    return colours[:2]

@needs_chromium
def test_search_reads_a_long_requirement_whole_and_matches_accents_however_composed(browser, repo) -> None:
    statement = normalize("NFD", "Le résumé est envoyé. ") + "lorem ipsum dolor sit amet " * 60 + "zanzibarword"
    root = repo({"specs/reqs.yaml": f"kind: requirements\nid: reqs\ntitle: Reqs\nitems:\n  - id: REQ-001\n"
                                    f"    title: Long\n    statement: {statement}\n    acceptance: [It holds.]\n"
                                    f"    priority: must\n"}, CONFIG.replace("formats: []", "formats: [html]"))
    assert run_gitspec(root, "render").code == 0
    watched = Watched(browser)
    page = watched.page
    page.goto((root / "build" / "html" / "index.html").as_uri())
    for query in ("zanzibarword", normalize("NFC", "résumé"), normalize("NFD", "envoyé")):
        page.fill("#gitspec-search", query)
        page.wait_for_selector("#gitspec-results a[href='reqs.html#REQ-001']")
    assert watched.problems == []
    watched.close()


def test_control_characters_from_a_commit_or_a_document_become_a_replacement_character():
    from gitspec.render.htmltext import esc

    assert esc("a\x01b\x7f\ufffe\tc\nd") == "a\ufffdb\ufffd\ufffd\tc\nd"  # as in the Word files


def test_the_index_counts_one_document_in_the_singular(repo):
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))})
    assert run_gitspec(root, "render", "--format", "html").code == 0
    index = (root / "build" / "html" / "index.html").read_text()
    assert "1 document ·" in index and "1 documents" not in index


def test_a_drawn_diagram_says_what_it_shows_and_keeps_its_source_at_hand(repo, tmp_path: Path) -> None:
    import docx
    from test_render_pdf import prd, stand_in_mmdc, visible_text

    env = stand_in_mmdc(tmp_path / "bin")
    fence = "```mermaid\nflowchart LR\n  A[Sign up] --> B[Verify email]\n  B --> C[Dashboard]\n```"
    root = repo({"specs/p.md": prd(f"## Problem\n\n{fence}\n")})
    assert run_gitspec(root, "render", "--format", "html,docx,pdf", env=env).code == 0
    page = (root / "build/html/p.html").read_text(encoding="utf-8")
    assert 'alt="Flowchart: Sign up → Verify email → Dashboard"' in page  # it was alt="Diagram"
    assert re.search(r'<details class="diagram-source"><summary>Diagram source</summary><pre[^>]*><code[^>]*>'
                     r'flowchart LR\n  A\[Sign up\] --&gt; B', page)
    [shape] = docx.Document(str(root / "build/docx/p.docx")).inline_shapes
    assert shape._inline.docPr.get("descr") == "Flowchart: Sign up → Verify email → Dashboard"
    assert "Diagram source" not in visible_text((root / "build/pdf/p.pdf").read_bytes())  # paper cannot unfold it


def contrast(one: str, two: str) -> float:
    """WCAG's contrast ratio of two computed colours ("rgb(r, g, b)")."""
    def luminance(colour: str) -> float:
        channels = [int(v) / 255 for v in re.findall(r"\d+", colour)[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@needs_chromium
def test_the_search_box_border_is_visible_enough_for_a_control(browser, site_dir: Path) -> None:
    watched = Watched(browser)
    watched.page.goto((site_dir / "index.html").as_uri())
    border, inside, bar = watched.page.evaluate("""() => {
        const input = document.getElementById('gitspec-search'), style = getComputedStyle(input);
        return [style.borderTopColor, style.backgroundColor,
                getComputedStyle(input.closest('.site-bar')).backgroundColor] }""")
    # WCAG 1.4.11: a control's boundary needs 3:1 against what is on either side of it (it was 1.43:1)
    assert contrast(border, inside) >= 3 and contrast(border, bar) >= 3, (border, inside, bar)
    watched.close()


@needs_chromium
def test_the_search_results_close_on_escape_or_when_focus_leaves_and_only_their_count_is_announced(
        browser, tmp_path: Path) -> None:
    site = write(render_all(sample_site(requirements=40), FakeAssets(tmp_path)), tmp_path / "html")
    watched = Watched(browser)
    page = watched.page
    page.goto((site / "index.html").as_uri())
    links = "document.querySelectorAll('#gitspec-results a').length"
    shown = "getComputedStyle(document.getElementById('gitspec-results')).display !== 'none'"
    assert page.get_attribute("#gitspec-results", "aria-live") is None  # no reading of 30 links per keystroke
    assert page.get_attribute("#gitspec-status", "role") == "status"
    page.click("#gitspec-search")
    page.keyboard.type("REQ")
    page.wait_for_selector("#gitspec-results a")
    total = page.inner_text("#gitspec-status")
    assert re.fullmatch(r"Showing 30 of \d+ results", total) and int(total.split()[3]) > 30, total
    assert page.evaluate(links) == 30 and "Showing 30 of" in page.inner_text("#gitspec-results .more-hits")
    page.keyboard.press("Tab")  # onto the first result
    assert page.evaluate("document.activeElement.closest('#gitspec-results') !== null")
    page.keyboard.press("Escape")  # closes the list, back in the box with the query kept
    assert page.evaluate(links) == 0 and not page.evaluate(shown)
    assert page.evaluate("document.activeElement.id") == "gitspec-search" and page.input_value("#gitspec-search") == "REQ"
    page.keyboard.type("-00")
    page.wait_for_selector("#gitspec-results a")
    assert re.fullmatch(r"\d+ results", page.inner_text("#gitspec-status"))
    for _ in range(page.evaluate(links) + 1):  # tab through every result and out of the search
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.search') === null")
    assert page.evaluate(links) == 0 and not page.evaluate(shown)  # it no longer covers the page
    assert watched.problems == []
    watched.close()


@needs_chromium
def test_a_link_focused_or_an_anchor_reached_is_never_under_the_sticky_site_bar(browser, repo) -> None:
    """Shift+Tab up a long page scrolled each focused link in under the bar, hidden; a long site title
    wrapped the bar to two rows, taller than the room kept for it."""
    items = "".join(requirement(f"REQ-{i:03d}", f"REQ-{i - 1:03d}" if i > 1 else None) for i in range(1, 61))
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", items)}, CONFIG.replace("formats: []", "formats: [html]"))
    assert run_gitspec(root, "render").code == 0
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size({"width": 1000, "height": 600})
    bar = "() => document.querySelector('.site-bar').getBoundingClientRect().bottom"
    for name in ("traceability.html", "reqs.html"):
        page.goto((root / "build/html" / name).as_uri())
        page.evaluate("() => [...document.querySelectorAll('main a')].pop().focus()")
        for _ in range(40):
            page.keyboard.press("Shift+Tab")
            top = page.evaluate("() => document.activeElement.closest('.site-bar') ? Infinity"
                                " : document.activeElement.getBoundingClientRect().top")
            assert top >= page.evaluate(bar), (name, page.evaluate("() => document.activeElement.outerHTML"))
    page.goto((root / "build/html/reqs.html").as_uri() + "#REQ-030")
    assert page.evaluate("() => document.getElementById('REQ-030').getBoundingClientRect().top") >= page.evaluate(bar)
    page.evaluate("() => document.querySelector('.site-title').textContent = 'The billing dashboard, '.repeat(9)")
    assert page.evaluate("() => document.querySelector('.site-bar').getBoundingClientRect().height") < 4.5 * 16
    page.set_viewport_size({"width": 360, "height": 600})  # a phone: the bar wraps, and scrolls away with the page
    assert page.evaluate("() => getComputedStyle(document.querySelector('.site-bar')).position") == "static"
    assert watched.problems == []
    watched.close()


def test_a_heading_named_like_the_search_takes_none_of_its_ids_and_links_to_it_reach_the_heading(repo) -> None:
    """`### Gitspec status` took the id of the search's live status line: two elements of one id, and a
    link to `#gitspec-status` landing on the hidden line."""
    from gitspec.render.anchors import FRAME_IDS

    body = ("---\nkind: prd\nid: p\ntitle: Rollout\n---\n\n# Rollout\n\n## Problem\n\nNone.\n\n## Goals\n\n"
            "### Gitspec search\n\nSee [search](#gitspec-search).\n\n### Gitspec status\n\n"
            "See [status](#gitspec-status) and [results](#gitspec-results).\n\n### Gitspec results\n\n"
            + "".join(f"## {name}\n\nNone.\n\n" for name in ("Non-goals", "Users", "Requirements", "Success metrics",
                                                           "Risks", "Open questions")))
    root = repo({"specs/p.md": body}, CONFIG.replace("formats: []", "formats: [html]"))
    result = run_gitspec(root, "render")
    assert result.code == 0, result
    html = (root / "build/html/p.html").read_text()
    ids = re.findall(r'\sid="([^"]*)"', html)
    assert len(ids) == len(set(ids))
    frame = re.sub(r"<main>.*</main>", "", html, flags=re.DOTALL)
    assert set(re.findall(r'\sid="([^"]*)"', frame)) <= FRAME_IDS  # every id of the frame is kept from the text
    assert re.findall(r'<h3 id="([^"]*)"', html) == ["gitspec-search-2", "gitspec-status-2", "gitspec-results-2"]
    assert re.findall(r'href="p\.html#([^"]*)"', html.split("<main>")[1]) == [
        "gitspec-search-2", "gitspec-status-2", "gitspec-results-2"]


@needs_chromium
def test_colour_swatches_keep_their_colours_in_forced_colours_mode(browser, site_dir: Path) -> None:
    """Windows' high contrast mode (forced colours) blanked every swatch: the colour a chip shows is its content."""
    watched = Watched(browser)
    page = watched.page
    page.emulate_media(forced_colors="active")
    assert swatch_colours(page, site_dir) == ["rgb(9, 105, 218)", "rgb(31, 35, 40)"]
    assert watched.problems == []
    watched.close()


@needs_chromium
def test_the_traceability_matrix_keeps_its_header_row_in_view_and_a_linked_row_below_it(browser, repo) -> None:
    """Scrolled down a matrix of thousands of rows, which column was which was off the screen."""
    items = "".join(requirement(f"REQ-{i:03d}") for i in range(1, 81))
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", items)}, CONFIG.replace("formats: []", "formats: [html]"))
    assert run_gitspec(root, "render").code == 0
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size({"width": 1000, "height": 600})
    page.goto((root / "build/html/traceability.html").as_uri() + "#REQ-050")
    bar, header, row = page.evaluate("""() => [document.querySelector('.site-bar').getBoundingClientRect().bottom,
        document.querySelector('thead th').getBoundingClientRect(), document.getElementById('REQ-050').getBoundingClientRect().top]""")
    assert 0 < header["top"] <= bar <= header["bottom"] <= row  # under the bar, above the row linked to
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('th').textContent",
                         [header["left"] + 5, header["bottom"] - 4]) == "Requirement"
    assert watched.problems == []
    watched.close()


@needs_chromium
def test_a_long_word_in_the_traceability_matrix_never_makes_the_page_scroll_sideways(browser, repo) -> None:
    """A failing test's name in a verdict's reason is one long word: from 640 to 900 CSS px wide (1280 px
    at 200% zoom) it widened the matrix, which has no box of its own to scroll in there, and the whole
    page, site bar and all, scrolled sideways with the reason's column off the screen."""
    name = "test_retry_schedule_stops_after_the_first_successful_payment_attempt"
    evidence = ("kind: evidence\nid: ev-0001\ntitle: CI\nrequirements: [REQ-001]\nsource: junit\nreport: junit.xml\n"
                f"verdict: failed\nstartedAt: '2026-12-01T10:00:00Z'\ncommit: '{'0' * 40}'\ndirty: false\n"
                f"previous: null\npreviousHash: null\n"
                f"cases:\n  - name: {name}\n    verdict: failed\n    requirements: [REQ-001]\n")
    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001")),
                 "specs/ev-0001.yaml": evidence}, CONFIG.replace("formats: []", "formats: [html]"))
    assert run_gitspec(root, "render").code == 0
    watched = Watched(browser)
    page = watched.page
    for width in (639, 640, 683, 853, 1000):
        page.set_viewport_size({"width": width, "height": 400})
        page.goto((root / "build/html/traceability.html").as_uri())
        assert name in page.inner_text("tbody")
        assert page.evaluate("() => document.scrollingElement.scrollWidth") == width
        sticky = page.evaluate("() => getComputedStyle(document.querySelector('thead th')).position")
        assert sticky == ("static" if width < 640 else "sticky")  # (a phone scrolls the table in its own box)
    assert watched.problems == []
    watched.close()


@needs_chromium
def test_gitspecs_own_english_words_are_declared_english_on_a_page_in_another_language(browser, repo) -> None:
    """With `language: ja`, every word of the page was declared Japanese, gitspec's English labels too
    ("Search", "Contents", "Field", "Priority", "Last change", the badges, the matrix's headers and
    reasons): a screen reader read them in a Japanese voice. The documents' own words stay Japanese."""
    items = ("  - id: REQ-001\n    title: 返金する\n    statement: 顧客は返金を受けられる。\n"
             "    acceptance: [三日以内に返金される]\n    priority: must\n")
    config = CONFIG.replace("formats: []", "formats: [html]") + "language: ja\n"
    root = repo({"specs/reqs.yaml": "kind: requirements\nid: reqs\ntitle: 決済の要件\nitems:\n" + items}, config)
    assert run_gitspec(root, "render").code == 0
    watched = Watched(browser)
    page = watched.page
    lang = "(selector) => document.querySelector(selector).closest('[lang]').lang"
    page.goto((root / "build/html/reqs.html").as_uri())
    english = ["label[for=gitspec-search]", "#gitspec-search", "#gitspec-results", "#gitspec-status", ".toc h2",
               ".doc-source", ".doc-kind", ".change span", "section > h2", "th", "main td:first-child",
               "p strong", "main .badge"]
    assert {selector: page.evaluate(lang, selector) for selector in english} == dict.fromkeys(english, "en")
    japanese = ["h1", "h3", "h3 + p + p", "section li", "main td:last-child", ".change bdi"]
    assert {selector: page.evaluate(lang, selector) for selector in japanese} == dict.fromkeys(japanese, "ja")
    page.fill("#gitspec-search", "返金")
    page.wait_for_selector("#gitspec-results li")
    assert page.evaluate(lang, "#gitspec-results li .hit-title") == "ja"  # a result is the documents' words
    assert page.evaluate(lang, "#gitspec-status") == "en" and page.inner_text("#gitspec-status").endswith("results")
    page.goto((root / "build/html/traceability.html").as_uri())
    assert [page.evaluate(lang, s) for s in ("h1", "thead th", "tbody td:nth-child(2)", "tbody td:last-child")] == [
        "en", "en", "ja", "en"]  # the matrix's own title, headers and reasons; a requirement's title
    page.goto((root / "build/html/index.html").as_uri())
    assert [page.evaluate(lang, s) for s in ("thead", "h2", ".doc-meta", "tbody a")] == ["en", "en", "en", "ja"]
    assert watched.problems == []
    watched.close()
    # A page in English declares nothing more: its words are all English already
    (root / "gitspec.yaml").write_text(config.replace("language: ja", "language: en-GB"))
    assert run_gitspec(root, "render").code == 0
    assert re.findall(r"\slang=", (root / "build/html/reqs.html").read_text()) == [" lang="]


@needs_chromium
def test_every_box_that_scrolls_sideways_takes_the_keyboards_focus_and_has_a_name(browser, repo) -> None:
    """A wide table's box and a code block (`<pre>`) scrolled sideways but could not take focus: in a
    browser that does not make a scrolling box focusable itself (Safari; Chromium before 130), a keyboard
    user could never reach the columns or the ends of lines cut off (axe: scrollable-region-focusable)."""
    from test_render_pdf import prd

    wide = "| " + " | ".join(f"Column {n}" for n in range(12)) + " |\n|" + "---|" * 12 + "\n| " + " | ".join(
        f"value-{n}-" * 3 for n in range(12)) + " |\n"
    body = f"## Problem\n\n{wide}\n```python\nprint('{'x' * 300}')\n```\n"
    root = repo({"specs/p.md": prd(body)}, CONFIG.replace("formats: []", "formats: [html]"))
    assert run_gitspec(root, "render").code == 0
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size({"width": 320, "height": 600})
    page.goto((root / "build/html/p.html").as_uri())
    boxes = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.scrollWidth > e.clientWidth && getComputedStyle(e).overflowX === 'auto')
        .map(e => [e.tagName, e.getAttribute('tabindex'), e.getAttribute('role'), e.getAttribute('aria-label')])""")
    assert boxes == [["DIV", "0", "group", "Table: " + ", ".join(f"Column {n}" for n in range(10)) + "…"],
                     ["PRE", "0", "group", "Code (python)"]]
    page.get_by_role("group", name="Code (python)").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")  # (it scrolls smoothly)
    assert watched.problems == []
    watched.close()


def test_a_sections_last_change_shows_its_commits_message_to_every_reader(repo) -> None:
    """The message explaining why a section changed was only a title= tooltip on the line: a mouse could
    show it, a keyboard, a touch screen or (mostly) a screen reader could not. Word showed it already."""
    from conftest import git
    from test_render_pdf import visible_text

    root = repo({"specs/reqs.yaml": requirements_doc("reqs", requirement("REQ-001"))},
                CONFIG.replace("formats: []", "formats: [html, pdf]"))
    (root / "specs/reqs.yaml").write_text(requirements_doc("reqs", requirement("REQ-001").replace("must", "should")))
    git(root, "commit", "-qam", "Lower REQ-001 after the 3 May review\n\nThe body of the message.")
    assert run_gitspec(root, "render").code == 0
    html = (root / "build/html/reqs.html").read_text()
    [line] = re.findall(r'<p class="change">(.*?)</p>', html)
    assert re.fullmatch(r"Last change: commit [0-9a-f]{7} · Ada Tester · \d{4}-\d\d-\d\d: "
                        "Lower REQ-001 after the 3 May review", re.sub(r"<[^>]+>", "", line)), line
    assert " title=" not in html.split("<main>")[1]
    pdf = visible_text((root / "build/pdf/reqs.pdf").read_bytes())
    assert "Lower REQ-001 after the 3 May review" in " ".join(pdf.split())
