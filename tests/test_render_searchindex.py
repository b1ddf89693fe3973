"""The site's search (gitspec/render/searchindex.py and assets/search.js): the index holds every
word a page shows, and the search box finds it, in headless Chromium from file://."""
from __future__ import annotations

from conftest import CONFIG, run_gitspec
from test_render_html import Watched, browser, needs_chromium  # noqa: F401 (browser: a fixture)
from test_render_pdf import prd

from gitspec.render.model import Page, Paragraph, Section, Table, Text
from gitspec.render.searchindex import search_entries

HTML = CONFIG.replace("formats: []", "formats: [html]")
HITS = """() => [...document.querySelectorAll('#gitspec-results li')].filter(li => li.querySelector('a')).map(li => ({
    href: li.querySelector('a').getAttribute('href'),
    mark: (li.querySelector('mark') || {}).textContent || '',
    snippet: li.querySelector('.hit-text').textContent}))"""


def search(page, query: str) -> list[dict]:
    """The results the search box lists for `query`."""
    page.fill("#gitspec-search", query)
    page.wait_for_function("() => window.GITSPEC_SEARCH && document.getElementById('gitspec-status').textContent")
    return page.evaluate(HITS)


def test_an_entry_holds_every_word_of_a_long_section_and_of_a_large_table():
    """An entry's text was cut at 10,000 characters: a matrix's covered its first ~120 rows."""
    words = [f"word{n:05d}" for n in range(5000)]
    rows = tuple(((Text(f"REQ-{n:05d}"),), (Text("no evidence"),)) for n in range(2000))
    sections = (Section("long", "Long", "long", (Paragraph((Text("\n".join(words)),)),)),
                Section("matrix", "Matrix", "matrix", (Table(("Requirement", "Why"), rows),)))
    entries = search_entries(Page("p", "prd", "P", "", "draft", (), sections))
    assert entries[1]["x"].split(" ") == words
    assert entries[2]["x"].endswith("REQ-01998 no evidence REQ-01999 no evidence")


@needs_chromium
def test_search_finds_a_word_past_the_first_ten_thousand_characters_and_shows_it(browser, repo):  # noqa: F811
    filler = "\n\n".join(f"Risk {n}: the ledger export may lag behind the processor." for n in range(300))
    root = repo({"specs/p.md": prd(f"## Risks\n\nEarlyword appears first.\n\n{filler}\n\nZebracorn appears last.\n")},
                HTML)
    assert run_gitspec(root, "render").code == 0
    watched = Watched(browser)
    watched.page.goto((root / "build" / "html" / "index.html").as_uri())
    [hit] = search(watched.page, "zebracorn")  # it was "No matches"
    assert hit["href"] == "p.html#risks" and hit["mark"] == "Zebracorn"
    assert hit["snippet"].startswith("\u2026") and len(hit["snippet"]) < 200, hit  # the words around it, not the section
    [hit] = search(watched.page, "earlyword")
    assert hit["mark"] == "Earlyword" and hit["snippet"].startswith("Earlyword appears first.")
    assert watched.problems == []
    watched.close()
