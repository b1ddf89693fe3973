"""The site's search (gitspec/render/searchindex.py and assets/search.js): the index holds every
word a page shows, and the search box finds it, in headless Chromium from file://."""
from __future__ import annotations

import json
import re
import unicodedata

from conftest import CONFIG, run_gitspec
from test_render_html import Watched, browser, needs_chromium  # noqa: F401 (browser: a fixture)
from test_render_pdf import prd

from gitspec.render.model import Page, Paragraph, Section, Table, Text
from gitspec.render.packageassets import package_asset
from gitspec.render.searchindex import INVISIBLE, fold, search_entries
from gitspec.render.searchparts import BUCKETS, bucket_name

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



def test_each_row_of_a_table_with_row_anchors_is_an_entry_leading_to_its_row():
    """A query for a requirement's matrix row found the whole matrix, and led to its top."""
    rows = tuple(((Text(f"REQ-{n:03d}"),), (Text(f"Title {n}"),), (Text("no evidence"),)) for n in range(3))
    matrix = Table(("Requirement", "Title", "Why"), rows, row_anchors=("REQ-000", "REQ-001", "REQ-002"))
    sections = (Section("matrix", "Matrix", "matrix", (Paragraph((Text("3 requirements."),)), matrix)),)
    entries = search_entries(Page("traceability", "matrix", "Traceability", "", "", (), sections))
    assert [(e["h"], e["t"], e["x"]) for e in entries[1:]] == [
        ("traceability.html#matrix", "Matrix", "3 requirements."),
        ("traceability.html#REQ-000", "REQ-000 Title 0", "no evidence"),
        ("traceability.html#REQ-001", "REQ-001 Title 1", "no evidence"),
        ("traceability.html#REQ-002", "REQ-002 Title 2", "no evidence")]  # the title not twice: it is searched too
    some = Table(("Requirement", "Title", "Why"), rows, row_anchors=("REQ-000", "", "REQ-002"))
    entries = search_entries(Page("t", "matrix", "T", "", "", (), (Section("m", "M", "m", (some,)),)))
    assert len(entries) == 2 and "REQ-001 Title 1" in entries[1]["x"]  # found as a whole

def test_a_heading_followed_directly_by_another_heading_is_an_entry(repo):
    """"### Payments" then "#### Card refunds" then text: Payments, shown on the page, was in no entry."""
    body = "## Problem\n\n### Payments\n\n#### Card refunds\n\nRefunds take a week.\n\n### Fees\n"
    root = repo({"specs/p.md": prd(body)}, HTML)
    assert run_gitspec(root, "render").code == 0
    entries = _index_part(root, "p")
    assert [(e["a"], e["t"], e["x"]) for e in entries if e["a"] in ("problem", "payments", "card-refunds", "fees")] == [
        ("problem", "Problem", ""), ("payments", "Payments", ""),
        ("card-refunds", "Card refunds", "Refunds take a week."), ("fees", "Fees", "")]


def test_the_words_of_a_mermaid_diagram_are_in_its_section_entry(repo):
    """A diagram's labels, shown on the page (in its source, or drawn, its source folded under it),
    were in no entry: search found only its title."""
    fence = "```mermaid\nflowchart LR\n  A[Signup] --> B[Reconciliation]\n```"
    listed = "```mermaid\nsequenceDiagram\n  Clerk->>Ledger: Settle invoices\n```"
    body = f"## Problem\n\nFlow:\n\n{fence}\n\n- Then:\n\n  {listed.replace(chr(10), chr(10) + '  ')}\n"
    root = repo({"specs/p.md": prd(body)}, HTML)
    assert run_gitspec(root, "render").code == 0
    [problem] = [entry for entry in _index_part(root, "p") if entry["a"] == "problem"]
    assert problem["x"] == ("Flow: flowchart LR A[Signup] --> B[Reconciliation] Then: "
                            "sequenceDiagram Clerk->>Ledger: Settle invoices")


def _index_part(root, page_id: str) -> list[dict]:
    """The entries of a page in its part of the rendered site's search index (search/parts/<nn>.js)."""
    [entries] = [entries for listed, _, entries in _bucket(root / "build" / "html" / bucket_name(page_id))
                 if listed == page_id]
    return entries


def _bucket(path) -> list[list]:
    """The pages a part of the search index lists, as [id, tag, entries]."""
    script = path.read_text()
    prefix, suffix = "window.GITSPEC_SEARCH_PARTS.push(", ");\n"
    assert script.startswith(prefix) and script.endswith(suffix)
    return json.loads(script[len(prefix):-len(suffix)])


def _many(count: int) -> dict[str, str]:
    """`count` small requirements documents, r001 to r<count>."""
    return {f"specs/r{n:03d}.yaml": f"kind: requirements\nid: r{n:03d}\ntitle: Reqs {n}\nitems:\n  - id: REQ-{n:03d}\n"
            f"    title: Req {n}\n    statement: The system shall do thing{n:03d}.\n"
            "    acceptance: [Given x, when y, then z.]\n    priority: must\n" for n in range(1, count + 1)}


@needs_chromium
def test_the_first_search_of_many_documents_loads_a_bounded_number_of_scripts(browser, repo):  # noqa: F811
    """The first search loaded a script per document: 12 s before any result with 10,000 of them."""
    root = repo(_many(150), HTML)
    assert run_gitspec(root, "render").code == 0
    watched = Watched(browser)
    watched.page.goto((root / "build" / "html" / "index.html").as_uri())
    [hit] = search(watched.page, "thing120")
    assert hit["href"] == "r120.html#REQ-120" and hit["mark"] == "thing120."
    parts = watched.page.evaluate("() => [...document.scripts].map(s => s.getAttribute('src'))"
                                  ".filter(src => src.startsWith('search/'))")
    assert len(parts) <= BUCKETS < 150 and len(set(parts)) == len(parts), parts
    assert sorted(parts) == sorted({bucket_name(f"r{n:03d}") for n in range(1, 151)})
    hits = search(watched.page, "reqs")  # every document's own entry: in reading order, whatever its part
    assert [h["href"] for h in hits] == [f"r{n:03d}.html" for n in range(1, 31)], hits
    assert watched.problems == []
    watched.close()


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


@needs_chromium
def test_a_snippet_is_cut_between_the_characters_a_reader_sees(browser, repo):  # noqa: F811
    """A snippet cut at 160 UTF-16 units ended in half an emoji's surrogate pair (shown as a replacement
    character), or in the first person of a family emoji."""
    words = "word " * 31  # 155 characters: the cut falls at the emoji
    root = repo({"specs/p.md": prd(f"## Goals\n\n{words}abc\U0001f468\u200d\U0001f469\u200d\U0001f467 tail\n\n"
                                   f"## Risks\n\n{words}abcd\U0001f600\U0001f600 tail\n")}, HTML)
    assert run_gitspec(root, "render").code == 0
    watched = Watched(browser)
    watched.page.goto((root / "build" / "html" / "index.html").as_uri())
    snippets = {hit["href"]: hit["snippet"] for query in ("risks", "goals") for hit in search(watched.page, query)}
    assert snippets["p.html#risks"] == f"{words}abcd\u2026"  # (the match is in the title: the text's start)
    assert snippets["p.html#goals"] == f"{words}abc\u2026"
    assert watched.problems == []
    watched.close()
    older = Watched(browser)  # a browser without Intl.Segmenter: cut between code points, at least
    older.page.add_init_script("delete Intl.Segmenter")
    older.page.goto((root / "build" / "html" / "index.html").as_uri())
    [risks] = search(older.page, "risks")
    assert risks["snippet"] == f"{words}abcd\u2026" and older.problems == []
    older.close()


FOLDED = """kind: requirements
id: reqs
title: Requirements
items:
  - id: REQ-001
    title: İstanbul office
    statement: The system shall show invoices of the İzmir and İstanbul offices.
    acceptance: [An accountant sees them.]
    priority: must
  - id: REQ-002
    title: Café menu
    statement: The system shall list the café's crème brûlée by its größe.
    acceptance: [It is listed.]
    priority: must
  - id: REQ-003
    title: Résumé
    statement: The system shall attach the résumé to the счёт.
    acceptance: [It is attached.]
    priority: must
  - id: REQ-004
    title: Invoices
    statement: Each счёт shows its total on the ΟΔΟΣ line.
    acceptance: [It is shown.]
    priority: must
  - id: REQ-005
    title: Exports
    statement: The system shall export each ＰＤＦ ﬁle as ＣＳＶ.
    acceptance: [It is exported.]
    priority: must
"""


@needs_chromium
def test_search_folds_case_and_accents_alike_in_the_index_and_the_query(browser, repo):  # noqa: F811
    """ISTANBUL and istanbul missed İstanbul; cafe missed café, GRÖSSE größe, and счет found one счёт of two."""
    watched, found = _searching(browser, repo, FOLDED)
    for query in ("İstanbul", "ISTANBUL", "istanbul", "İSTANBUL"):
        assert found(query) == {"REQ-001": "İstanbul"}, query  # the title too matches: the mark is in the text
    assert found("izmir") == {"REQ-001": "İzmir"}
    assert found("cafe") == found("CAFÉ") == {"REQ-002": "café's"}
    assert found("creme brulee") == {"REQ-002": "crème brûlée"}
    assert found("GRÖSSE") == found("grosse") == {"REQ-002": "größe."}
    assert found("resume") == {"REQ-003": "résumé"}
    assert found("счет") == found("СЧЁТ") == {"REQ-003": "счёт.", "REQ-004": "счёт"}
    assert found("οδος") == {"REQ-004": "ΟΔΟΣ"}
    assert found("pdf file") == {"REQ-005": "ＰＤＦ ﬁle"}  # fullwidth letters and ligatures (NFKD)
    assert found("pdf") == found("ＰＤＦ") == {"REQ-005": "ＰＤＦ"}
    assert watched.problems == []
    watched.close()


VOWELLED = """kind: requirements
id: reqs
title: Requirements
items:
  - id: REQ-001
    title: Arabic
    statement: The clerk writes كَتَبَ on each ـكـتـابـ form.
    acceptance: [It is written.]
    priority: must
  - id: REQ-002
    title: Hebrew
    statement: The greeting reads שָׁלוֹם and בְּרֵאשִׁית.
    acceptance: [It is read.]
    priority: must
  - id: REQ-003
    title: Plain
    statement: The ledger shows كتب, שלום and בראשית unpointed.
    acceptance: [It is shown.]
    priority: must
"""


@needs_chromium
def test_search_finds_arabic_and_hebrew_words_with_or_without_their_vowel_marks(browser, repo):  # noqa: F811
    """كتب missed كَتَبَ and שלום missed שָׁלוֹם: Arabic's harakat and Hebrew's niqqud were kept in the folding."""
    watched, found = _searching(browser, repo, VOWELLED)
    assert found("كتب") == found("كَتَبَ") == {"REQ-001": "كَتَبَ", "REQ-003": "كتب,"}
    assert found("كتاب") == {"REQ-001": "ـكـتـابـ"}  # tatweel, which only stretches the line, too
    assert found("שלום") == found("שָׁלוֹם") == {"REQ-002": "שָׁלוֹם", "REQ-003": "שלום"}
    assert found("בראשית") == {"REQ-002": "בְּרֵאשִׁית.", "REQ-003": "בראשית"}
    assert watched.problems == []
    watched.close()


SHOWN_AS_NOTHING = """kind: requirements
id: reqs
title: Requirements
items:
  - id: REQ-001
    title: Payments
    statement: The Zahlungs\u00adverkehr module and the Dash\u200bboard page.
    acceptance: [It is shown.]
    priority: must
  - id: REQ-002
    title: Persian
    statement: The clerk says \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 on the \u2068Ledger\u2069 page.
    acceptance: [It is said.]
    priority: must
"""


@needs_chromium
def test_search_finds_a_word_that_holds_a_character_shown_as_nothing(browser, repo):  # noqa: F811
    """zahlungsverkehr missed Zahlungs\u00adverkehr (a soft hyphen), dashboard Dash\u200bboard (a zero-width
    space), and میخواهم the Persian word written with its ZWNJ: the page shows them whole, Ctrl-F finds them."""
    watched, found = _searching(browser, repo, SHOWN_AS_NOTHING)
    assert found("zahlungsverkehr") == found("Zahlungs\u00adverkehr") == {"REQ-001": "Zahlungs\u00adverkehr"}
    assert found("dashboard") == {"REQ-001": "Dash\u200bboard"}
    assert found("\u0645\u06cc\u062e\u0648\u0627\u0647\u0645") == found("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645") \
        == {"REQ-002": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"}
    assert found("ledger page") == {"REQ-002": "\u2068Ledger\u2069 page."}
    assert watched.problems == []
    watched.close()


def _invisible() -> list[str]:
    """Every Default_Ignorable_Code_Point, as the regex module knows them."""
    import regex

    shown_as_nothing = regex.compile(r"\p{Default_Ignorable_Code_Point}")
    return [chr(code) for code in range(0x110000) if shown_as_nothing.match(chr(code))]


def test_the_index_folds_away_what_shows_as_nothing():
    assert "".join(sorted(set(re.findall(f"[{INVISIBLE}]", "".join(map(chr, range(0x110000))))))) == \
        "".join(_invisible())  # the characters searchindex.py writes out are Unicode's, all of them
    assert fold("a" + "a".join(_invisible()) + "a") == "a" * (len(_invisible()) + 1)
    for shown, folded in (("Zahlungs\u00adverkehr", "zahlungsverkehr"), ("Dash\u200bboard", "dashboard"),
                          ("\u2060Word\ufeff", "word"), ("\u0645\u06cc\u200c\u062e", "\u0645\u06cc\u062e"),
                          ("\u2764\ufe0f", "\u2764")):
        assert fold(shown) == folded, shown


FOLD_WORD = re.compile(r"  var MARKS = .*?;\n|  function foldWord\(word\) \{\n.*?\n  \}\n", re.DOTALL)
EVERY_CHARACTER = """foldWord => {  // each character from U+0020 to U+2FFFF folded, one a line
    const folded = [];
    for (let code = 0x20; code <= 0x2ffff; code++) {
      if (code < 0xd800 || code > 0xdfff) folded.push(foldWord(String.fromCodePoint(code)));
    }
    return folded.join("\\n");
  }"""


@needs_chromium
def test_the_page_folds_every_character_as_the_index_does(browser):  # noqa: F811
    """search.js folds the query as searchindex.fold folds the index: were they to differ on a
    character, a word holding it would never be found. Only on the characters of the Unicode version
    Python's unicodedata knows (14.0 in Python 3.11): the browser's ICU also cases newer letters."""
    script = "".join(FOLD_WORD.findall(package_asset("search.js").decode()))
    assert script.count("foldWord") == 1 and "MARKS" in script
    page = browser.new_page()
    in_page = page.evaluate(f"(() => {{ {script}; return ({EVERY_CHARACTER})(foldWord); }})()").split("\n")
    page.close()
    codes = [code for code in range(0x20, 0x30000) if not 0xD800 <= code <= 0xDFFF]
    differ = [f"U+{code:04X}" for code, js in zip(codes, in_page)
              if js != fold(chr(code)) and unicodedata.category(chr(code)) != "Cn"]
    assert len(in_page) == len(codes) and differ == []



@needs_chromium
def test_the_page_folds_away_every_character_shown_as_nothing(browser):  # noqa: F811
    """As the index does (the test above compares the characters up to U+2FFFF; these go to U+E0FFF)."""
    script = "".join(FOLD_WORD.findall(package_asset("search.js").decode()))
    page = browser.new_page()
    word = "a" + "a".join(_invisible()) + "a"
    in_page = page.evaluate(f"word => {{ {script}; return foldWord(word); }}", word)
    page.close()
    assert in_page == fold(word) == "a" * (len(_invisible()) + 1)


ARABIC = ("فريق المالية يحتاج إلى رؤية جميع الفواتير المفتوحة والمدفوعة والمتأخرة في مكان واحد مع إمكانية "
          "التصفية حسب العميل والتاريخ والمبلغ والحالة والعملة والبلد")
SHOWN = """href => {  // the direction of the result's snippet and title, and whether the box shows
    // the snippet's first letter and its marked word
    const li = document.querySelector(`#gitspec-results a[href="${href}"]`).closest('li');
    const text = li.querySelector('.hit-text'), box = text.getBoundingClientRect(), range = document.createRange();
    const first = [...text.childNodes].map(n => n.firstChild || n).find(n => n.textContent.trim());
    range.setStart(first, first.textContent.search(/\\S/)); range.setEnd(first, first.textContent.search(/\\S/) + 1);
    const inside = r => r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1;
    return {text: getComputedStyle(text).direction, start: inside(range.getBoundingClientRect()),
            mark: inside(text.querySelector('mark').getBoundingClientRect()),
            title: getComputedStyle(li.querySelector('.hit-title') || li).direction}}"""


@needs_chromium
def test_arabic_titles_and_snippets_read_right_to_left_showing_their_start_and_the_match(browser, repo):  # noqa: F811
    """The index's title cells and the results' snippets were laid out left to right: a one-line
    Arabic snippet showed its end, cut where it begins."""
    body = f"البداية هنا: {ARABIC}. {ARABIC} النهاية هنا."
    markdown = prd(f"## Users\n\n{body}\n").replace("title: Plan", "title: فواتير Stripe الشهرية")
    root = repo({"specs/p.md": markdown.replace("# Plan", "# الخطة")}, HTML)
    assert run_gitspec(root, "render").code == 0
    watched = Watched(browser)
    page = watched.page
    page.set_viewport_size({"width": 900, "height": 600})
    page.goto((root / "build" / "html" / "index.html").as_uri())
    assert page.evaluate("getComputedStyle(document.querySelector('a[href=\"p.html\"]')).direction") == "rtl"
    for query in ("البداية", "والبلد"):  # the text's first word; a word past the first line's width
        search(page, query)
        assert page.evaluate(SHOWN, "p.html#users") == {"text": "rtl", "start": True, "mark": True, "title": "ltr"}
    search(page, "الشهرية")  # the page's title
    assert page.evaluate(SHOWN.replace("text.querySelector('mark')", "text"), "p.html")["title"] == "rtl"
    assert watched.problems == []
    watched.close()


@needs_chromium
def test_a_result_link_is_named_by_its_section_and_document_and_described_by_its_snippet(browser, repo):  # noqa: F811
    """A result link's accessible name was its whole section's text, 4,391 characters read out per result."""
    users = " ".join(f"Account owners who pay by card, sentence {n}, need to find invoices fast." for n in range(60))
    root = repo({"specs/p.md": prd(f"## Users\n\n{users}\n").replace("title: Plan", "title: Checkout")}, HTML)
    assert run_gitspec(root, "render").code == 0
    watched = Watched(browser)
    page = watched.page
    page.goto((root / "build" / "html" / "index.html").as_uri())
    [hit] = search(page, "sentence 59")
    ax = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    links = [(node["name"]["value"], node.get("description", {}).get("value", ""))
             for node in ax if node.get("role", {}).get("value") == "link" and "#users" in node["name"]["value"]]
    assert links == [("p #users Users · Checkout", hit["snippet"])], links
    assert "sentence 59," in hit["snippet"] and len(hit["snippet"]) < 200
    box = page.locator("#gitspec-results .hit-text").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the snippet leads there too
    page.wait_for_url("**/p.html#users")
    assert watched.problems == []
    watched.close()


@needs_chromium
def test_result_snippets_never_take_the_id_of_a_heading(browser, repo):  # noqa: F811
    """A snippet's id was gitspec-results-N, which a heading "Gitspec results" takes too (-2): two elements one id."""
    headings = "".join(f"### Gitspec results\n\nA found word {n}.\n\n" for n in range(4))
    root = repo({"specs/p.md": prd(f"## Users\n\n{headings}")}, HTML)
    assert run_gitspec(root, "render").code == 0
    watched = Watched(browser)
    page = watched.page
    page.goto((root / "build" / "html" / "p.html").as_uri())
    assert len(search(page, "found word")) >= 4
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert watched.problems == []
    watched.close()


def _searching(browser, repo, reqs: str):  # noqa: F811
    """The site of a workspace holding `reqs` as specs/reqs.yaml, open in the browser, and its search:
    a query's requirement hits, each with its marked word."""
    root = repo({"specs/reqs.yaml": reqs}, HTML)
    assert run_gitspec(root, "render").code == 0
    watched = Watched(browser)
    watched.page.goto((root / "build" / "html" / "index.html").as_uri())

    def found(query: str) -> dict[str, str]:
        return {hit["href"].split("#")[1]: hit["mark"] for hit in search(watched.page, query)
                if hit["href"].startswith("reqs.html#")}

    return watched, found
