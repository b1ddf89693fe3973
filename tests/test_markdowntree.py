"""Markdown to render-tree blocks: the conversion, and the safety rules."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitspec.render.anchors import github_anchor, github_unique, heading_anchor, key_anchor
from gitspec.render.htmlblocks import SINGLE, SITE, BlockWriter
from gitspec.render.markdowntree import markdown_blocks, page_anchors, safe_target
from gitspec.render.model import (
    BAD, INFO, OK, WARN, Code, Diagram, Footnotes, Heading, Image, Link, ListBlock, NoteRef, Notice, Paragraph, Quote,
    Rule, Table, Text,
)


def inlines(text: str):
    (block,) = markdown_blocks(text)
    assert isinstance(block, Paragraph)
    return block.inlines


def test_paragraph_styles_and_entities() -> None:
    assert inlines("a *em* **strong** `co<de>` &amp; &lt;x&gt; ~~gone~~") == (
        Text("a "), Text("em", "em"), Text(" "), Text("strong", "strong"), Text(" "),
        Text("co<de>", "code"), Text(" & <x> "), Text("gone", "strike"))
    # struck out wins (it is no longer meant), the other styles kept beside it
    assert inlines("**~~was bold~~**") == (Text("was bold", "strike", ("strong",)),)
    assert inlines("**bold _both_**") == (Text("bold ", "strong"), Text("both", "strong", ("em",)))
    assert inlines("~~We support `SAML` and [OIDC](https://e.org/oidc)~~ `kept`") == (
        Text("We support ", "strike"), Text("SAML", "strike-code"), Text(" and ", "strike"),
        Link("OIDC", "https://e.org/oidc", struck=True), Text(" "), Text("kept", "code"))  # code and links struck too
    assert inlines("one\ntwo") == (Text("one two"),)



def test_a_line_wrapped_inside_chinese_or_japanese_text_joins_without_a_space() -> None:
    # Before, every soft line break was a space: `請求\n書` read `請求 書`, and a search for 請求書 missed it
    assert inlines("経理担当者は毎月の請求\n書を確認する。") == (Text("経理担当者は毎月の請求書を確認する。"),)
    assert inlines("請求。\nｱｲ\n**書**\n*を*") == (Text("請求。ｱｲ"), Text("書", "strong"), Text("を", "em"))
    assert inlines("[請求\n書](https://e.org)") == (Link("請求書", "https://e.org"),)
    assert markdown_blocks("請求\n書\n===") == (Heading(3, "請求書", "請求書"),)
    # Korean, and anything beside a letter of a spaced script, keeps its space (CSS Text 3's rules)
    assert inlines("한국어\n문장") == (Text("한국어 문장"),)
    assert inlines("日本\nEnglish\n日本, 1\n2") == (Text("日本 English 日本, 1 2"),)


def test_a_link_takes_the_style_of_the_text_around_it_and_of_a_code_label() -> None:
    assert inlines("**see [the docs](https://e.org) now** *[x](https://e.org)* [`sync`](https://e.org)") == (
        Text("see ", "strong"), Link("the docs", "https://e.org", style="strong"), Text(" now", "strong"), Text(" "),
        Link("x", "https://e.org", style="em"), Text(" "), Link("sync", "https://e.org", style="code"))
    assert inlines("~~[`gone`](https://e.org)~~ **[`x`](javascript:y)**") == (
        Link("gone", "https://e.org", struck=True, style="code"), Text(" "), Text("x", "code", ("strong",)))


def test_text_between_single_tildes_is_struck_out_as_on_github() -> None:
    assert inlines("Price is ~$49~ $39, about ~5 or ~6, ~~two~~ and ~~~three~~~.") == (
        Text("Price is "), Text("$49", "strike"), Text(" $39, about ~5 or ~6, "), Text("two", "strike"),
        Text(" and ~~~three~~~."))


def test_nested_emphasis_keeps_every_style_as_on_github() -> None:
    assert inlines("Do ***not*** skip. **Never *ever* share**. *See **this** `x`*") == (
        Text("Do "), Text("not", "em", ("strong",)), Text(" skip. "), Text("Never ", "strong"),
        Text("ever", "strong", ("em",)), Text(" share", "strong"), Text(". "), Text("See ", "em"),
        Text("this", "em", ("strong",)), Text(" ", "em"), Text("x", "code", ("em",)))
    assert Text("x", "strike-code", ("strong", "em")).styles == {"strike", "code", "strong", "em"}
    assert Text("x").styles == frozenset()
    # a label in one style is the Link's style; in several, its inlines, each run in its own
    assert inlines("[**Sign up**](https://e.org) **[a *b*](https://e.org)** ~~[**x**](https://e.org)~~") == (
        Link("Sign up", "https://e.org", style="strong"), Text(" "),
        Link("a b", "https://e.org", style="strong", inlines=(Text("a ", "strong"), Text("b", "strong", ("em",)))),
        Text(" "), Link("x", "https://e.org", struck=True, inlines=(Text("x", "strike", ("strong",)),)))
    html = BlockWriter(SINGLE, "p", ["p"], None).inlines(inlines("***not*** [a **b**](https://e.org) ~~**x**~~"))
    assert html == ('<strong><em>not</em></strong> <a href="https://e.org" rel="noopener noreferrer">a '
                    '<strong>b</strong></a> <del><strong>x</strong></del>')


def test_lists_nested_and_numbered() -> None:
    (block,) = markdown_blocks("- a\n  1. b\n  2. c\n- d\n")
    assert block == ListBlock((
        (Paragraph((Text("a"),)), ListBlock(((Paragraph((Text("b"),)),), (Paragraph((Text("c"),)),)), True)),
        (Paragraph((Text("d"),)),),
    ))


def test_a_numbered_list_broken_by_code_goes_on_counting_as_written() -> None:
    blocks = markdown_blocks("1. Install:\n\n```\npip install x\n```\n\n2. Run it.\n3. Check.\n")
    assert [(b.start, len(b.items)) for b in blocks if isinstance(b, ListBlock)] == [(1, 1), (2, 2)]
    html = BlockWriter(SINGLE, "p", (), None).blocks(blocks)  # the site and the PDF: 1, then 2 and 3
    assert "<ol><li>Install:</li></ol>" in html and '<ol start="2"><li>Run it.</li>' in html


def test_code_mermaid_and_table() -> None:
    blocks = markdown_blocks("```Python extra\nx = 1\n```\n\n```mermaid\ngraph TD\n  A-->B\n```\n\n"
                             "    indented\n\n| a | b |\n|---|---|\n| `1` | [x](https://e.org) |\n")
    assert blocks == (
        Code("x = 1", "python"),
        Diagram("graph TD\n  A-->B"),
        Code("indented"),
        Table(("a", "b"), (((Text("1", "code"),), (Link("x", "https://e.org"),)),)),
    )


def test_headings_clamp_and_unique_anchors() -> None:
    blocks = markdown_blocks("# Top\n\n## Goals\n\n### Goals\n\n####### not a heading\n\n###### Deep",
                             taken={"goals"})
    assert blocks[:4] == (Heading(3, "Top", "top"), Heading(3, "Goals", "goals-2"),
                          Heading(3, "Goals", "goals-3"), Paragraph((Text("####### not a heading"),)))
    assert blocks[4] == Heading(6, "Deep", "deep")


@settings(max_examples=500)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_an_ascii_heading_key_or_link_keeps_the_anchor_it_always_had(text: str) -> None:
    # Readers link to these anchors: letting other scripts into anchors must not move any of them
    assert heading_anchor(text) == (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section")
    assert key_anchor(text) == (re.sub(r"[^\w.-]+", "-", text).strip("-") or "item")
    linked = re.fullmatch(r"[A-Za-z0-9._-]+", text.rstrip())  # GitHub's anchors may start with "-" or "_"
    if "%" not in text:  # a link's %-escapes are read now, as a browser reads them: `#a%2Db` is `a-b`
        assert safe_target(f"#{text}", "P") == (f"doc:P#{text.rstrip()}" if linked else None)


def test_github_anchors_drop_punctuation_turn_spaces_into_dashes_and_number_repeats() -> None:
    assert [github_anchor(t) for t in ("What's new?", "Q&A", "max_retries", "v1.2 rollout", "Q & A", "Größe 背景",
                                       "-x_")] == [
        "whats-new", "qa", "max_retries", "v12-rollout", "q--a", "größe-背景", "-x_"]
    counts: dict[str, int] = {}
    assert [github_unique(a, counts) for a in ("limits", "limits", "limits-1", "limits")] == [
        "limits", "limits-1", "limits-1-1", "limits-2"]  # as github-slugger numbers them
    assert safe_target("#-x_", "P") == "doc:P#-x_"


def test_anchors_keep_letters_and_marks_of_any_script_composed() -> None:
    assert [heading_anchor(t) for t in ("背景と課題", "Größe & Café", "हिन्दी भाषा", "Cafe\u0301")] == [
        "背景と課題", "größe-café", "हिन्दी-भाषा", "café"]  # NFC: an accent typed as a mark of its own is composed
    assert key_anchor("हिन्दी") == "हिन्दी"  # before, "ह-न-द": a vowel sign is a mark, which \w does not match
    assert safe_target("#caf%C3%A9", "P") == safe_target("#cafe\u0301", "P") == "doc:P#café"
    assert safe_target("#%E2%80%AE", "P") is None  # a control character percent-encoded is no anchor


def test_print_html_says_where_the_direction_changes_and_the_site_lets_the_browser_decide() -> None:
    blocks = markdown_blocks("> اقتباس\n>\n> quoted\n\n- بند\n- item\n\nנכון\n\n| a | ب |\n|---|---|\n| x | ي |")
    assert BlockWriter(SINGLE, "p", (), None).blocks(blocks) == (  # weasyprint does not honour dir="auto"
        '<blockquote dir="rtl">\n<p>اقتباس</p>\n<p dir="ltr">quoted</p>\n</blockquote>\n'
        '<ul><li dir="rtl">بند</li><li>item</li></ul>\n<p dir="rtl">נכון</p>\n'
        '<div class="table-wrap"><table><thead><tr><th scope="col">a</th><th scope="col" dir="rtl">ب</th></tr></thead>'
        '<tbody>\n<tr><td>x</td><td dir="rtl">ي</td></tr>\n</tbody></table></div>')
    site = BlockWriter(SITE, "p", (), None).blocks(blocks)
    assert site.count(' dir="auto"') == 10 and ' dir="rtl"' not in site and ' dir="ltr"' not in site


def test_block_quotes() -> None:
    assert markdown_blocks("> just *quoted*") == (Quote((Paragraph((Text("just "), Text("quoted", "em"))),)),)
    assert markdown_blocks("> [!NOTE]\n> read **this**") == (
        Notice("read this", INFO, "Note", (Paragraph((Text("read "), Text("this", "strong"))),)),)
    assert markdown_blocks("> [!WARNING]\n> careful") == (Notice("careful", WARN, "Warning", (Paragraph((Text("careful"),)),)),)
    assert markdown_blocks("> [!CAUTION]\n> danger") == (Notice("danger", BAD, "Caution", (Paragraph((Text("danger"),)),)),)
    assert markdown_blocks("> [!TIP]\n> shortcut")[0].tone == OK  # green, as on GitHub


def test_an_alert_keeps_its_links_code_and_list_items() -> None:
    text = "> [!WARNING]\n> Read [the guide](https://e.org/g) and run `sync`:\n>\n> - step one\n> - step two\n"
    (notice,) = markdown_blocks(text)
    assert notice == Notice("Read the guide and run sync:\nstep one\nstep two", WARN, "Warning", (
        Paragraph((Text("Read "), Link("the guide", "https://e.org/g"), Text(" and run "), Text("sync", "code"),
                   Text(":"))),
        ListBlock(((Paragraph((Text("step one"),)),), (Paragraph((Text("step two"),)),))),
    ))
    assert markdown_blocks("> [!NOTE]\n> ![flow](flow.png)", source="specs/p.md")[0].blocks == (
        Image("specs/flow.png", "flow"),)  # a picture of its own is a figure, in an alert too


def test_a_thematic_break_is_a_rule_as_on_github() -> None:
    assert markdown_blocks("before\n\n---\n\nafter\n\n***\n\n_ _ _\n") == (
        Paragraph((Text("before"),)), Rule(), Paragraph((Text("after"),)), Rule(), Rule())
    assert markdown_blocks("- one\n\n  ***\n\n  two\n") == (
        ListBlock(((Paragraph((Text("one"),)), Rule(), Paragraph((Text("two"),))),)),)


def test_raw_html_is_visible_text() -> None:
    assert markdown_blocks("<script>alert(1)</script>") == (Paragraph((Text("<script>alert(1)</script>"),)),)
    assert markdown_blocks('<div onclick="x()">\nhi\n</div>') == (
        Paragraph((Text('<div onclick="x()">\nhi\n</div>'),)),)
    assert inlines("a <img src=x onerror=alert(1)> b") == (Text("a <img src=x onerror=alert(1)> b"),)
    assert markdown_blocks("<!-- a template hint -->\n\ntext") == (Paragraph((Text("text"),)),)


def test_an_html_comment_is_hidden_wherever_it_is_and_the_text_beside_it_shown_as_on_github() -> None:
    assert markdown_blocks("<!-- internal: do not share --> Customers cannot export.") == (
        Paragraph((Text("Customers cannot export."),)),)
    assert markdown_blocks("<!--\nreviewer note\n--> Keep seven years.\n\n<!-- a --> shown <!-- b -->") == (
        Paragraph((Text("Keep seven years."),)), Paragraph((Text("shown"),)))
    assert markdown_blocks("<div>\n<!-- hidden -->\n<b>x</b>\n</div>") == (Paragraph((Text("<div>\n\n<b>x</b>\n</div>"),)),)
    assert inlines("Text <!-- c --> more <!--\nx\n--> end") == (Text("Text  more  end"),)
    assert markdown_blocks("<!-->shown") == (Paragraph((Text("shown"),)),)  # an empty comment, to a browser
    assert markdown_blocks("<!-- never closed\n\nhides the rest, as in a browser") == ()


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)", "java%0ascript:x",
    "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox", "file:///etc/passwd",
    "ftp://example.com/x", "other.md", "/absolute", "//evil.example/x", "#", "# x",
])
def test_unsafe_links_become_text(url: str) -> None:
    result = inlines(f"[label](<{url}>)")
    assert not any(isinstance(i, Link) for i in result), result
    assert "".join(i.text for i in result) == "label"


def test_safe_links_are_kept() -> None:
    assert inlines("[a](https://e.org/x?y=1) [b](http://e.org) [c](mailto:a@e.org) <https://auto.org>") == (
        Link("a", "https://e.org/x?y=1"), Text(" "), Link("b", "http://e.org"), Text(" "),
        Link("c", "mailto:a@e.org"), Text(" "), Link("https://auto.org", "https://auto.org"))
    (block,) = markdown_blocks("[up](#goals)", page_id="PRD-1")
    assert block == Paragraph((Link("up", "doc:PRD-1#goals"),))
    assert inlines("[up](#goals)") == (Text("up"),)  # no page to anchor to


def test_images_are_never_fetched() -> None:
    assert inlines("![chart](https://e.org/c.png)") == (Link("chart", "https://e.org/c.png"),)
    # Any other picture is never read either, and the reader is told why it is not there.
    for url in ("data:image/png;base64,AAAA", "javascript:alert(1)", "file:///etc/passwd"):
        assert inlines(f"![x]({url})") == (
            Text("x "), Text(f"(The image {url} is not shown: only pictures in the workspace are.)", "em"))


def test_a_local_image_alone_is_a_block_and_among_text_an_inline() -> None:
    digests = {"specs/img/flow.png": "ab" * 32}
    text = ('![The flow](img/flow.png "Figure 1")\n\nBefore ![icon](img/flow.png) after.\n\n'
            "![gone](../x/gone.png) ![again](/x/gone.png)")
    flow = Image("specs/img/flow.png", "The flow", "Figure 1", "ab" * 32)
    assert markdown_blocks(text, source="specs/prd.md", images=digests) == (
        flow,
        Paragraph((Text("Before "), Image("specs/img/flow.png", "icon", "", "ab" * 32), Text(" after."))),
        Image("x/gone.png", "gone"),  # not gathered: no digest, the renderer says why
        Image("x/gone.png", "again"),
    )
    # from the top of the workspace, reference-style, %-escaped, or leaving the workspace (never read)
    assert markdown_blocks("![a](/docs/a%20b.png)", source="specs/prd.md") == (Image("docs/a b.png", "a"),)
    assert markdown_blocks("![a][r]\n\n[r]: pic.svg", source="specs/sub/p.md") == (Image("specs/sub/pic.svg", "a"),)
    assert markdown_blocks("![a](../../../etc/passwd)", source="specs/prd.md") == (Image("../../etc/passwd", "a"),)


def test_an_image_in_a_table_cell_or_a_link_is_inline_and_in_a_heading_its_alt_text() -> None:
    (table,) = markdown_blocks("| a |\n|---|\n| ![pic](p.png) ok |", source="specs/d.md")
    assert table.rows == (((Image("specs/p.png", "pic"), Text(" ok")),),)
    (heading,) = markdown_blocks("### ![pic](p.png) Title", source="specs/d.md")
    assert heading.text == "pic Title"
    (paragraph,) = markdown_blocks("[![badge](b.png)](https://ci.example/) [![x](y.png) ![r](https://e.org/r.png) z](#top)",
                                   source="specs/d.md")
    assert paragraph.inlines == (  # the picture linked; refused, the link is its inlines, unlinked (no page id)
        Link("badge", "https://ci.example/", inlines=(Image("specs/b.png", "badge"),)), Text(" "),
        Image("specs/y.png", "x"), Text(" r z"))
    (paragraph,) = markdown_blocks("[![x](y.png) ![r](https://e.org/r.png) z](#top)", page_id="d", source="specs/d.md")
    assert paragraph.inlines == (Link("x r z", "doc:d#top", inlines=(Image("specs/y.png", "x"), Text(" r z"))),)


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_any_text_gives_only_safe_links(text: str) -> None:
    def walk(blocks):
        for block in blocks:
            if isinstance(block, Paragraph):
                yield from block.inlines
            elif isinstance(block, ListBlock):
                for item in block.items:
                    yield from walk(item)
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row:
                        yield from cell

    for inline in walk(markdown_blocks(text, page_id="P")):
        if isinstance(inline, Link):
            assert safe_target(inline.target, "P") == inline.target or inline.target.startswith("doc:P#")
            assert inline.target.lower().startswith(("http://", "https://", "mailto:", "doc:p#"))


def test_table_rows_shorter_or_longer_than_the_header_are_evened_out_as_on_github() -> None:
    (table,) = markdown_blocks("| a | b |\n|---|--:|\n| 1 |\n| 1 | 2 | 3 |\n")
    assert table == Table(("a", "b"), (((Text("1"),), ()), ((Text("1"),), (Text("2"),))), ("", "right"))


def test_a_tables_column_alignment_is_kept() -> None:
    (table,) = markdown_blocks("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n")
    assert table.align == ("left", "center", "right", "")
    assert [table.alignment(n) for n in range(5)] == ["left", "center", "right", "", ""]
    (plain,) = markdown_blocks("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert plain.align == ()  # none set: each format aligns as it always has


def test_a_quote_holds_blocks_of_its_own() -> None:
    assert markdown_blocks("> We close the month in 6 days.\n>\n> - by hand\n") == (
        Quote((Paragraph((Text("We close the month in 6 days."),)), ListBlock(((Paragraph((Text("by hand"),)),),)))),)


def test_bare_urls_become_links_as_on_github() -> None:
    assert inlines("see https://stripe.com/docs, and `https://in.code` or javascript:alert(1)") == (
        Text("see "), Link("https://stripe.com/docs", "https://stripe.com/docs"), Text(", and "),
        Text("https://in.code", "code"), Text(" or javascript:alert(1)"))


def test_bare_file_and_domain_names_stay_text_and_www_and_mail_addresses_link_as_on_github() -> None:
    assert inlines("main.py, prd.md and example.com; www.example.com/a?b=1. bob@example.com awww.example.com") == (
        Text("main.py, prd.md and example.com; "), Link("www.example.com/a?b=1", "http://www.example.com/a?b=1"),
        Text(". "), Link("bob@example.com", "mailto:bob@example.com"), Text(" awww.example.com"))


def test_task_list_items_show_their_boxes_as_on_github() -> None:
    (block,) = markdown_blocks("- [ ] write the spec\n- [x] **review** it\n- [X]\n- [y] not a task\n- a [ ] b")
    assert [item[0].inlines if item else () for item in block.items] == [
        (Text("☐ write the spec"),), (Text("☑ "), Text("review", "strong"), Text(" it")), (Text("☑ "),),
        (Text("[y] not a task"),), (Text("a [ ] b"),)]


def test_an_image_path_is_read_as_a_browser_reads_it() -> None:
    from gitspec.render.localimages import image_path

    assert image_path("specs/prd.md", "img\\flow.png") == "specs/img/flow.png"  # GitHub shows it
    assert image_path("specs/prd.md", "img%5Cflow.png") == "specs/img/flow.png"
    assert image_path("specs/prd.md", "..") == "."  # a folder: refused as not a file, never dropped silently
    assert image_path("specs/prd.md", "/") == "."
    assert image_path("specs/prd.md", "\\\\host\\x.png") is None  # `//host/x.png`: remote, never fetched


def test_a_top_level_heading_inside_a_section_stays_in_its_text() -> None:
    from gitspec.documents import parse_document

    text = "---\nkind: prd\nid: p\n---\n\n# Title\n\n## Goals\n\nOne.\n\n# Big\n\nTwo.\n\n## Risks\n\nNone.\n"
    document = parse_document("specs/p.md", text.encode())
    assert document.header["title"] == "Title"
    assert document.sections == {"goals": "One.\n\n# Big\n\nTwo.", "risks": "None."}
    assert document.text_lines == {"goals": 10, "risks": 18}
    assert markdown_blocks(document.sections["goals"])[1] == Heading(3, "Big", "big")
    # a generated region replaces the whole section, the `#` heading in it too
    from gitspec.markdownwrite import replace_sections

    written = replace_sections(text, {"goals": "New."}, {"goals": {"stage": "s"}})
    assert "# Big" not in written and "Two." not in written and "## Risks\n\nNone." in written


def test_lists_and_quotes_nest_as_deep_as_anyone_writes_and_deeper_is_a_notice() -> None:
    from gitspec.render.htmlblocks import plain_text

    def listed(depth: int) -> str:
        return "".join("  " * i + f"- level {i}\n" for i in range(depth)) + "\nAfter.\n"

    notice = Notice("Part of this section is nested more than 50 levels deep (lists or quotes within each "
                    "other) and is not shown.", WARN)
    deep = markdown_blocks(listed(40))  # CommonMark's own limit would drop everything from level 10 on
    assert "level 39" in plain_text(deep) and "After." in plain_text(deep) and not isinstance(deep[-1], Notice)
    too_deep = markdown_blocks(listed(60))
    assert too_deep[-1] == notice and "level 49" in plain_text(too_deep) and "level 50" not in plain_text(too_deep)


def test_the_nesting_limit_is_fifty_levels_of_lists_and_of_quotes_alike() -> None:
    # Before, a list exactly 50 levels deep lost its 50th level (a list level counted twice) and
    # quotes went on to 99 levels with no notice.
    from gitspec.render.htmlblocks import plain_text

    def listed(depth: int) -> str:
        return "".join("  " * i + f"- level {i + 1}\n" for i in range(depth))

    def quoted(depth: int) -> str:
        return "> " * depth + f"quote {depth} deep\n"

    assert "level 50" in plain_text(markdown_blocks(listed(50)))
    assert not any(isinstance(block, Notice) for block in markdown_blocks(listed(50)))
    assert "quote 50 deep" in plain_text(markdown_blocks(quoted(50)))
    assert not any(isinstance(block, Notice) for block in markdown_blocks(quoted(50)))
    deeper = markdown_blocks(quoted(51) + "\nAfter.\n")
    assert "quote 51 deep" not in plain_text(deeper) and "After." in plain_text(deeper)
    assert isinstance(deeper[-1], Notice)

    def mixed(quotes: int) -> tuple:  # quotes in the item of a list 30 levels deep
        return markdown_blocks(listed(30) + "  " * 30 + "> " * quotes + "inner\n")

    assert "inner" in plain_text(mixed(20)) and not isinstance(mixed(20)[-1], Notice)
    assert "inner" not in plain_text(mixed(21)) and isinstance(mixed(21)[-1], Notice)


def test_footnotes_are_marks_linking_to_numbered_notes_that_link_back_as_on_github() -> None:
    text = ("Free.[^1] Again[^1], and [^b].\n\n[^b]: Second, **bold**.\n\n[^1]: The limit.\n\n    More.\n\n"
            "[^unused]: Never referred to.")
    paragraph, notes = markdown_blocks(text, page_id="p", taken={"fn:1"})  # another section's note 1 is fn:1
    assert paragraph.inlines == (
        Text("Free."), NoteRef("1", "doc:p#fn:1-2", anchor="fnref:1"), Text(" Again"),
        NoteRef("1", "doc:p#fn:1-2", anchor="fnref:1-2"), Text(", and "), NoteRef("2", "doc:p#fn:2", anchor="fnref:2"),
        Text("."))
    assert notes == Footnotes((
        (Paragraph((Text("The limit."),)),
         Paragraph((Text("More. "), Link("↩", "doc:p#fnref:1"), Text(" "), Link("↩2", "doc:p#fnref:1-2")))),
        (Paragraph((Text("Second, "), Text("bold", "strong"), Text(". "), Link("↩", "doc:p#fnref:2"))),),
    ), ordered=True, anchors=("fn:1-2", "fn:2"))
    assert isinstance(notes, ListBlock) and isinstance(paragraph.inlines[1], Link)  # what older renderers show
    assert sorted(page_anchors((paragraph, notes))) == ["fn:1-2", "fn:2", "fnref:1", "fnref:1-2", "fnref:2"]
    # without a page to link within, a mark is its number; an undefined one, and ^[inline] notes, text
    assert markdown_blocks("a[^1] b[^x] c^[d]\n\n[^1]: n")[0] == Paragraph((Text("a[1] b[^x] c^[d]"),))


def test_a_footnote_ending_in_a_list_or_code_links_back_after_it_as_on_github() -> None:
    text = "Slow[^b], see[^c] and[^b].\n\n[^b]: Sources:\n\n    - the export\n\n[^c]: Run:\n\n    ```\n    sync\n    ```\n"
    _, notes = markdown_blocks(text, page_id="p")
    assert notes.items == (
        (Paragraph((Text("Sources:"),)), ListBlock(((Paragraph((Text("the export"),)),),)),
         Paragraph((Link("↩", "doc:p#fnref:1"), Text(" "), Link("↩2", "doc:p#fnref:1-2")))),
        (Paragraph((Text("Run:"),)), Code("sync"), Paragraph((Link("↩", "doc:p#fnref:2"),))),
    )


def test_a_footnote_mark_in_a_heading_is_its_number_and_its_note_links_back_only_to_marks_shown() -> None:
    text = "### Limits[^1]\n\n| a[^2] | b |\n| --- | --- |\n| c[^1] | d |\n\n[^1]: One.\n\n[^2]: Two.\n"
    heading, table, notes = markdown_blocks(text, page_id="p")
    assert heading == Heading(3, "Limits[1]", "limits")  # a link to `#limits` still finds it
    assert table.header == ("a[2]", "b")  # as plain text; as inlines, its mark is a mark, as in a body cell
    assert table.header_cell(0) == (Text("a"), NoteRef("2", "doc:p#fn:2", anchor="fnref:2"))
    assert table.rows[0][0] == (Text("c"), NoteRef("1", "doc:p#fn:1", anchor="fnref:1-2"))
    assert notes.items == (
        (Paragraph((Text("One. "), Link("↩2", "doc:p#fnref:1-2"))),),  # to the mark in the cell, not the heading
        (Paragraph((Text("Two. "), Link("↩", "doc:p#fnref:2"))),),
    )
    assert set(page_anchors((heading, table, notes))) == {"limits", "fn:1", "fn:2", "fnref:2", "fnref:1-2"}


def test_a_table_header_keeps_its_code_links_and_emphasis_as_on_github() -> None:
    (table,) = markdown_blocks("| *Feature* | [`api_key`](https://e.org/docs) | Plain |\n|--|--|--|\n| a | b | c |\n")
    assert table.header == ("Feature", "api_key", "Plain")
    assert [table.header_cell(n) for n in range(3)] == [
        (Text("Feature", "em"),), (Link("api_key", "https://e.org/docs", style="code"),), (Text("Plain"),)]
    (plain,) = markdown_blocks("| a | b |\n|--|--|\n| 1 | 2 |\n")
    assert plain.header_inlines == () and plain.header_cell(1) == (Text("b"),)  # plain text: as before


def test_an_alerts_plain_text_has_no_footnote_mark_glued_to_its_words() -> None:
    [alert, _] = markdown_blocks("> [!NOTE]\n> An alert[^1] here.\n\n[^1]: The survey.\n", page_id="p")
    assert alert.text == "An alert here."  # before: "An alert1 here."


def texts_made(convert) -> int:
    """How many Text runs `convert()` makes: one per line and per line break, each adding to the
    paragraph's text so far, made converting a long paragraph quadratic in its length."""
    import sys

    made = 0

    def count(frame, event, arg):
        nonlocal made
        if event == "call" and frame.f_code is Text.__init__.__code__:
            made += 1

    sys.setprofile(count)
    try:
        convert()
    finally:
        sys.setprofile(None)
    return made


def test_a_long_paragraph_is_joined_once_not_a_run_per_line() -> None:
    lines = [f"line {n} **bold {n}**" for n in range(2000)]
    text = "\n".join(lines)
    expected = tuple(run for n in range(2000) for run in (
        Text(("" if n == 0 else " ") + f"line {n} "), Text(f"bold {n}", "strong")))
    assert texts_made(lambda: markdown_blocks(text)) < 4100  # about 10,000 before: a run per line and break, and one per join
    assert inlines(text) == expected
    assert texts_made(lambda: markdown_blocks("a\n" * 5000)) == 1
    assert inlines("a\n" * 5000) == (Text(" ".join(["a"] * 5000)),)
