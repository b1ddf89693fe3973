"""Markdown documents' structure: `##` sections and generated regions, read as CommonMark reads them."""
from __future__ import annotations

import html
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import JOURNAL_SCHEMA, git, install_plugin, run_gitspec

PRD_SECTIONS = ("Problem", "Goals", "Non-goals", "Users", "Requirements", "Success metrics", "Risks",
                "Open questions")
STAMP = '{"stage":"digest"}'
END_LINE = "\n<!-- gitspec:end -->\n"
EXAMPLE = f"<!-- gitspec:generated {STAMP} -->\nGenerated text{END_LINE}".rstrip("\n")

# A test plugin's `digest` stage writes facts#text, as it is, into journal#summary (as an LLM
# provider writes whatever Markdown it likes), and a one-line journal#headline.
PLUGIN = """
from pathlib import Path
from gitspec import hookimpl
from gitspec.kinds import Kind
from gitspec.stage import Output, Stage

def digest(inp):
    facts = inp.get("facts#text", "")
    return {"summary": facts, "headline": "Facts: " + facts.split(chr(10))[0]}

@hookimpl
def gitspec_kinds():
    return [Kind("journal", Path(__file__).with_name("journal.schema.json"), None, ".md")]

@hookimpl
def gitspec_stages():
    return [Stage("digest", "1", "journal", "journal", "Journal", ("facts#text",),
                  (Output("summary", ("facts#text",)), Output("headline", ("facts#text",))), digest)]
"""


def prd(non_goals: str) -> str:
    """A valid PRD whose Non-goals section holds `non_goals`."""
    body = "".join(f"## {name}\n\n{non_goals if name == 'Non-goals' else 'Written by hand.'}\n\n"
                   for name in PRD_SECTIONS)
    return f"---\nkind: prd\nid: notes\ntitle: Notes\nstatus: draft\n---\n\n# Notes\n\n{body}"


def parsed(non_goals: str):
    from gitspec.documents import parse_document

    return parse_document("specs/notes.md", prd(non_goals).encode())


@pytest.mark.parametrize("shown", [
    f"```markdown\n{EXAMPLE}\n```",
    f"~~~~\n{EXAMPLE}\n~~~~",
    f"````\n```\n{EXAMPLE}\n```\n````",  # a shorter fence inside a longer one does not close it
    f"<!-- how gitspec marks generated text:\n{EXAMPLE}",  # a longer comment, closed by the end marker's -->
])
def test_a_marker_shown_in_a_code_block_or_a_comment_is_text_not_a_region(shown: str) -> None:
    # Before, the example was taken as the section's region: check reported schema errors on its
    # stamp and a hand edit, and the renderer dropped the marker lines from the code block.
    document = parsed(f"How gitspec marks generated text:\n\n{shown}")
    assert "generated" not in document.header
    assert document.sections["non-goals"] == f"How gitspec marks generated text:\n\n{shown}"


# CommonMark's fences, each next to a line that looks like a fence but is none (or not the closing one).
FENCES = {
    "a fence with an info string does not close": "```markdown\n## Requirements\n\n```text\nREQ-001\n```",
    "a shorter fence does not close": "````\n```\n## x\n```\n````",
    "a fence of the other character does not close": "~~~\n```\n## x\n~~~",
    "a fence indented four spaces does not close": "```\n## x\n    ```\n```",
    "a longer fence closes": "```\n## x\n`````",
    "backticks in a backtick fence's info string open none": "``` a`b\n```\n## x\n```",
}


@pytest.mark.parametrize("shown", FENCES.values(), ids=FENCES.keys())
def test_code_blocks_open_and_close_where_commonmark_has_them(shown: str) -> None:
    # Before, "```text" inside a "```markdown" block closed it: the `## Requirements` after it was a
    # section, and the block's own closing fence opened one that swallowed the rest of the document.
    from markdown_it import MarkdownIt

    lines = shown.split("\n")
    tokens = [t for t in MarkdownIt("commonmark").parse(shown) if t.type == "fence"]
    from gitspec.markdown import code_block_lines

    assert code_block_lines(lines) == {n + 1 for t in tokens for n in range(t.map[0], t.map[1])}
    document = parsed(f"An example:\n\n{shown}\n\nAfter it.")
    assert document.sections["non-goals"] == f"An example:\n\n{shown}\n\nAfter it."
    assert not document.notes and list(document.sections)[-1] == "open-questions"


def test_a_code_block_example_of_a_fenced_section_is_checked_clean_and_shown_as_written(repo) -> None:
    example = FENCES["a fence with an info string does not close"]
    root = repo({"specs/notes.md": prd(f"A PRD's requirements look like this:\n\n{example}")})
    check = run_gitspec(root, "check")
    assert check.code == 0 and check.out == "", check
    assert run_gitspec(root, "render", "--format", "html").code == 0
    page = (root / "build" / "html" / "notes.html").read_text()
    assert '<code class="language-markdown">## Requirements\n\n```text\nREQ-001</code>' in page
    assert '<section id="requirements">' in page


def test_a_stage_text_with_a_fence_that_closes_nothing_is_held_as_written() -> None:
    # Before, "```python" closed the block: the `##` line in it became `###`, and a stray fence was
    # appended to "close" the block the real closing fence seemed to open (an empty code block on the page).
    from gitspec.markdownwrite import region_text

    text = "Intro\n```\ncode\n```python\n## Not a heading\n```\nafter"
    assert region_text(text) == text


@pytest.mark.parametrize("indent", [" ", "   "])
def test_a_heading_indented_up_to_three_spaces_starts_a_section_as_on_the_page(repo, indent: str) -> None:
    # Before, ` ## Goals` was no section (check: "missing required section 'goals'"), while the page
    # showed it as a heading inside Problem.
    root = repo({"specs/notes.md": prd("N.").replace("\n## Goals\n", f"\n{indent}## Goals\n")})
    check = run_gitspec(root, "check")
    assert check.code == 0 and check.out == "", check
    assert run_gitspec(root, "render", "--format", "html").code == 0
    page = (root / "build" / "html" / "notes.html").read_text()
    assert '<section id="goals">' in page and '<h3 id="goals"' not in page


def test_an_indented_heading_in_a_list_item_or_an_html_block_is_text_as_on_the_page(repo) -> None:
    # Found by a review: accepting ` ## x` made these sections ("unknown section 'why-not'"), cutting
    # Non-goals short; markdown-it reads the first as part of the list item, the second as raw HTML.
    nested = ("\n1. Offline mode\n   ## Why not\n   Too costly.\n2. Exports\n\n"
              "<details>\n  <summary>More</summary>\n  ## Old notes\n</details>\n")
    root = repo({"specs/notes.md": prd("N.").replace("\n## Goals\n", nested + "\n## Goals\n")})
    check = run_gitspec(root, "check")
    assert check.code == 0 and check.out == "", check


def test_a_long_run_of_backticks_is_read_once() -> None:
    # Found by a review: the fence pattern's lookahead rescanned the line at each step back (0.5 s at 50,000
    # backticks; minutes at the 1 MiB a document may be).
    lines = ["`" * 1_000_000 + "a`"]
    script = ("import sys\nfrom gitspec.markdown import read_blocks\n"
              "print(sum(1 for _ in read_blocks([sys.stdin.read()])))")
    done = subprocess.run([sys.executable, "-c", script], input=lines[0], capture_output=True, text=True,
                          timeout=30, check=True)
    assert done.stdout == "1\n"


@pytest.mark.parametrize("old, new", [
    # a line of spaces then a character in a section: the trailing-space pattern of the section's hash
    ("Written by hand.\n\n## Risks", f"{' ' * 500_000}x\n\n## Risks"),
    # a heading with a run of spaces between its words: the heading pattern
    ("## Open questions", f"## Open{' ' * 500_000}questions"),
], ids=["spaces-in-a-section", "spaces-in-a-heading"])
def test_a_long_run_of_spaces_in_a_line_is_read_once(repo, old: str, new: str) -> None:
    # Found by a review: each pattern rescanned the run of spaces from each of its spaces (6 s for 16,000
    # spaces, hours for the 500,000 a document under the 1 MiB limit may hold), and check hung on it.
    text = prd("N.")
    assert old in text
    root = repo({"specs/notes.md": text.replace(old, new, 1)})
    check = run_gitspec(root, "check", timeout=60)
    assert check.code == 0 and check.out == "", check


def test_a_heading_underlined_with_dashes_is_reported_at_its_line(repo) -> None:
    # Before, check said only "missing required section 'open-questions'", while the page showed
    # "Open questions" as a heading (inside Risks).
    text = prd("N.").replace("## Open questions\n", "Open\nquestions\n--------------\n")
    text += "\nNot a heading:\n\n---\n\n- nor\n---\n\n```\nthis\n---\n```\n"
    root = repo({"specs/notes.md": text})
    line = text.split("\n").index("Open") + 1
    check = run_gitspec(root, "check")
    assert check.code == 1, check
    assert (f"specs/notes.md:{line}:1: error: 'Open questions' underlined with '---' is a heading on the page but "
            "no section; write it as '## Open questions' [setext-heading]") in check.out.splitlines(), check
    assert check.out.count("[setext-heading]") == 1, check


def test_a_heading_underlined_with_dashes_in_a_stage_text_is_no_finding(digest) -> None:
    root, env = digest
    (root / "specs" / "facts.yaml").write_text(facts("Details\n-------\n\nCalm."))
    assert run_gitspec(root, "build", env=env).code == 0
    check = run_gitspec(root, "check", env=env)
    assert check.code == 0 and check.out == "", check


def test_a_second_title_before_the_first_section_is_reported_as_text_outside_sections(repo) -> None:
    # Before, it was dropped from every render with no finding, while the same line without its `# `
    # got the text-outside-sections warning.
    text = prd("N.").replace("# Notes\n\n", "# Notes\n\n# Background and context\n\n", 1)
    root = repo({"specs/notes.md": text})
    line = text.split("\n").index("# Background and context") + 1
    check = run_gitspec(root, "check")
    assert check.code == 0 and check.out.splitlines() == [
        f"specs/notes.md:{line}:1: warning: text before the first '## ' heading belongs to no section and is not "
        "shown; move it under a heading [text-outside-sections]"], check


def test_a_link_in_a_heading_gives_the_section_id_of_its_text(repo) -> None:
    # Before, the URL was part of the id (`users-https-wiki-example-personas`): check reported an
    # unknown section and 'users' missing, while the page showed the heading as "Users".
    root = repo({"specs/notes.md": prd("N.").replace("\n## Users\n", "\n## [Users](https://wiki.example/personas)\n")})
    check = run_gitspec(root, "check")
    assert check.code == 0 and check.out == "", check
    assert run_gitspec(root, "render", "--format", "html").code == 0
    page = (root / "build" / "html" / "notes.html").read_text()
    assert '<section id="users">\n<h2 dir="auto">Users</h2>' in page


@pytest.mark.parametrize("heading, name", [("[Users](https://wiki.example/personas)", "users"),
                                           ("![Flow](img/flow.png) map", "flow-map"), ("R&amp;D", "r-d"),
                                           ("`[a](b)` syntax", "a-b-syntax"), ("Non-goals", "non-goals")])
def test_a_section_id_is_made_of_the_heading_as_shown(heading: str, name: str) -> None:
    from gitspec.markdown import section_id

    assert section_id(heading) == name


def test_a_build_writes_into_a_section_whose_heading_is_a_link(digest) -> None:
    root, env = digest
    journal = root / "specs" / "journal.md"
    journal.write_text(journal.read_text().replace("## Summary\n", "## [Summary](https://wiki.example/s)\n"))
    (root / "specs" / "facts.yaml").write_text(facts("stormy"))
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0 and "regenerated journal#summary" in built.out, built
    from gitspec.documents import parse_document

    document = parse_document("specs/journal.md", journal.read_bytes())
    assert list(document.sections) == ["summary", "headline"] and document.sections["summary"] == "stormy"


def test_a_heading_ending_in_a_hash_keeps_it_as_on_the_page(digest) -> None:
    # Before, `## Notes on C#` was shown as "Notes on C": its "#" was read as a closing sequence,
    # which CommonMark starts only after a space (`## Risks ##` is "Risks").
    from gitspec.markdown import section_titles

    assert section_titles("## Notes on C#\n\n## Risks ##\n") == {"notes-on-c": "Notes on C#", "risks": "Risks"}
    root, env = digest
    journal = root / "specs" / "journal.md"
    journal.write_text(journal.read_text() + "\n## Notes on C#\n\nBy hand.\n")
    assert run_gitspec(root, "render", "--format", "html", env=env).code == 0
    page = (root / "build" / "html" / "journal.html").read_text()
    assert '<h2 dir="auto">Notes on C# <span' in page  # (a badge: uncommitted)


def test_a_real_region_is_found_after_an_example_of_one() -> None:
    document = parsed(f"```\n{EXAMPLE.replace('digest', 'example')}\n```\n\n"
                      f"<!-- gitspec:generated {STAMP} -->\nThe real text.\n<!-- gitspec:end -->")
    assert document.header["generated"] == {"non-goals": {"stage": "digest"}}
    assert document.sections["non-goals"].endswith("```\n\nThe real text.")  # the example is a hand edit


def test_a_fenced_example_of_a_region_is_checked_clean_and_rendered_verbatim(repo) -> None:
    root = repo({"specs/notes.md": prd(f"How gitspec marks generated text:\n\n```markdown\n{EXAMPLE}\n```")})
    check = run_gitspec(root, "check")
    assert check.code == 0 and "error" not in check.out and "hand" not in check.out, check
    rendered = run_gitspec(root, "render", "--format", "html")
    assert rendered.code == 0, rendered
    page = (root / "build" / "html" / "notes.html").read_text()
    assert f'<code class="language-markdown">{html.escape(EXAMPLE)}</code>' in page


def facts(text: str) -> str:
    import json

    return f"kind: journal\nid: facts\ntitle: Facts\ntext: {json.dumps(text)}\n"


@pytest.fixture
def digest(repo, tmp_path):
    """A workspace built by the `digest` stage (specs/journal.md from specs/facts.yaml), and its environment."""
    env = install_plugin(tmp_path / "mdplugin", "mddigest", {"mddigest.py": PLUGIN,
                                                       "journal.schema.json": JOURNAL_SCHEMA})
    root = repo({"specs/facts.yaml": facts("calm")}, config="specs: [specs]\nformats: []\n")
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0, built
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "built")
    return root, env


def _but_stamps_and_facts(text: str) -> str:
    import re

    return re.sub(r"<!-- gitspec:generated .* -->", "<marker>", text).replace("stormy", "calm")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_rebuild_keeps_the_blank_lines_around_a_region_byte_for_byte(digest, newline: str) -> None:
    # Before, three blank lines between a region's end and the next heading became one, and so did
    # the blank lines after the heading and at the end of the file. In a file saved with CR alone
    # (as old Macs did), the new region was appended as a second `## Summary`, in LF lines.
    root, env = digest
    journal = root / "specs" / "journal.md"
    text = journal.read_text().replace("-->\n\n## Headline\n\n", "-->\n\n\n\n## Headline\n")  # none after it
    text = text.replace("## Summary\n\n", "## Summary\n  \n\n") + "\n\n"
    journal.write_bytes(text.replace("\n", newline).encode())
    (root / "specs" / "facts.yaml").write_text(facts("stormy"))
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0 and "regenerated journal#summary" in built.out, built
    after = journal.read_bytes().decode()
    assert "stormy" in after and _but_stamps_and_facts(after) == _but_stamps_and_facts(text.replace("\n", newline))


def test_a_rebuild_leaves_a_file_that_ends_without_a_line_ending_so(digest) -> None:
    # Before, regenerating the section in the middle of the file added a line ending at its end.
    root, env = digest
    journal = root / "specs" / "journal.md"
    text = journal.read_text().rstrip("\n")
    journal.write_text(text)
    (root / "specs" / "facts.yaml").write_text(facts("stormy"))
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0 and "regenerated journal#summary" in built.out, built
    after = journal.read_text()
    assert "stormy" in after and _but_stamps_and_facts(after) == _but_stamps_and_facts(text)


# What a provider may well write into a region, each of which once broke the document around it.
UNRULY = {
    "a `##` heading": ("Calm.\n\n## Details\n\nMore.\n\n### Deeper", "Calm.\n\n### Details\n\nMore.\n\n#### Deeper"),
    "a `#` heading above `##`": ("# Top\n\n## Under", "### Top\n\n#### Under"),
    "an unclosed fence": ("Calm.\n\n  ~~~~python\n## a comment", "Calm.\n\n  ~~~~python\n## a comment\n  ~~~~"),
    "an unclosed comment": ("Calm.\n<!-- a note\n## hidden", "Calm.\n<!-- a note\n## hidden\n-->"),
    "an end marker": ("Calm.\n<!-- gitspec:end -->\nMore.", "Calm.\n\\<!-- gitspec:end -->\nMore."),
    "a marker": (f"<!-- gitspec:generated {STAMP} -->", f"\\<!-- gitspec:generated {STAMP} -->"),
}


@pytest.mark.parametrize("written, held", UNRULY.values(), ids=UNRULY.keys())
def test_a_stage_text_that_would_break_the_document_is_written_so_that_it_cannot(digest, written, held) -> None:
    # Before, a `##` line in a stage's Markdown output stopped `gitspec build` with an internal error
    # (exit 3, "Markdown rewrite of specs/journal.md changed a generated section"); an unclosed code
    # block or comment, or an end marker, would have swallowed the region's end and the sections after.
    root, env = digest
    (root / "specs" / "facts.yaml").write_text(facts(written))
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0 and "regenerated journal#summary" in built.out, built
    from gitspec.documents import parse_document

    journal = parse_document("specs/journal.md", (root / "specs" / "journal.md").read_bytes())
    assert journal.sections["summary"] == held and list(journal.sections) == ["summary", "headline"]
    assert run_gitspec(root, "check", env=env).code == 0
    assert run_gitspec(root, "status", env=env).out == ""  # fresh: the stamp is of the text as written
    again = run_gitspec(root, "build", env=env)
    assert again.code == 0 and "regenerated" not in again.out, again


PIECES = ["#", "## ", "x", " ", "\n", "```", "~~~", "<!--", "-->", END_LINE, f"<!-- gitspec:generated {STAMP} -->"]


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
@settings(max_examples=300, deadline=None)
def test_any_text_a_stage_writes_reads_back_as_written_and_the_next_section_stays(text: str) -> None:
    from gitspec.documents import parse_document
    from gitspec.markdownwrite import region_text, replace_sections

    held = region_text(text)
    assert region_text(held) == held
    skeleton = "---\nkind: journal\nid: journal\n---\n\n# Journal\n\n## Summary\n\n## Headline\n\nKept.\n"
    written = replace_sections(skeleton, {"summary": held}, {"summary": {"stage": "digest"}})
    document = parse_document("specs/journal.md", written.encode())
    assert document.sections == {"summary": held, "headline": "Kept."}
    assert document.header["generated"] == {"summary": {"stage": "digest"}}


def test_check_names_the_file_lines_of_text_written_around_a_region(digest) -> None:
    # Before, a finding inside the region was a line early, and after it two lines early (the section's
    # text puts one blank line where the file has each marker line and the blank lines around it).
    root, env = digest
    (root / "specs" / "facts.yaml").write_text(facts("Generated [g](#gen-nowhere)."))
    assert run_gitspec(root, "build", env=env).code == 0
    journal = root / "specs" / "journal.md"
    text = journal.read_text().replace("## Summary\n\n", "## Summary\n\nIntro by hand.\n\n", 1)
    text = text.replace("<!-- gitspec:end -->\n", "<!-- gitspec:end -->\n\n\nAfter ![pic](img/none.png) and "
                        "[b](#after-nowhere).\n", 1)
    journal.write_text(text)
    assert run_gitspec(root, "pin", "journal#summary", env=env).code == 0
    lines = journal.read_text().split("\n")
    found = {name: next(n for n, line in enumerate(lines, 1) if name in line) for name in ("gen-", "after-")}
    checked = run_gitspec(root, "check", env=env)
    assert f"specs/journal.md:{found['gen-']}:15: warning: link to '#gen-nowhere'" in checked.out, checked
    assert f"specs/journal.md:{found['after-']}:14: error: image specs/img/none.png" in checked.out, checked
    assert f"specs/journal.md:{found['after-']}:36: warning: link to '#after-nowhere'" in checked.out, checked


def test_a_section_written_twice_is_reported_and_never_written_into(digest) -> None:
    # Before, `build --force journal#summary` stopped with an internal error (exit 3, "Markdown rewrite
    # of specs/journal.md changed a generated section"), and `status` and `check` called the section
    # hand-edited: the second copy's text had replaced the first's.
    root, env = digest
    journal = root / "specs" / "journal.md"
    text = journal.read_text() + "\n## Summary\n\nMy own notes.\n"
    journal.write_text(text)
    line = len(text.split("\n")) - 3  # the second `## Summary`
    said = f"specs/journal.md:{line}:1: error: section 'summary' appears twice"
    check = run_gitspec(root, "check", env=env)
    assert check.code == 1 and said in check.out and "hand" not in check.out, check
    status = run_gitspec(root, "status", "--all", env=env)
    assert "journal#summary: fresh" in status.out, status
    built = run_gitspec(root, "build", "--force", "journal#summary", env=env)
    assert built.code == 1 and said in built.err and "internal error" not in built.err, built
    assert journal.read_text() == text



@pytest.mark.parametrize("opener, closer", [("```", "```"), ("<!-- a draft", "-->")])
def test_a_section_is_not_added_after_a_block_left_open_at_the_end(digest, opener, closer) -> None:
    # Before, check found nothing, and build stopped with an internal error every run (exit 3, "Markdown
    # rewrite of specs/journal.md changed a generated section"): the `## Headline` it appended was inside
    # the code block or comment the last section leaves open.
    root, env = digest
    journal = root / "specs" / "journal.md"
    text = journal.read_text().split("\n## Headline\n")[0] + f"\n## Notes\n\nBy hand:\n\n{opener}\nx\n"
    journal.write_text(text)
    line = text.split("\n").index(opener) + 1
    check = run_gitspec(root, "check", env=env)
    assert check.code == 1 and (f"specs/journal.md:{line}:1: error: the {'code block' if closer == '```' else 'comment'}"
                                " opened here is never closed, so it runs to the end of the document") in check.out, check
    built = run_gitspec(root, "build", env=env)
    assert built.code == 1 and "internal error" not in built.err, built
    assert (f"specs/journal.md:{line}:1: error: the {'code block' if closer == '```' else 'comment'} opened here is never "
            f"closed, so journal#headline cannot be added after it; close it ({closer}), then build again") in built.err
    assert journal.read_text() == text
    journal.write_text(text + closer + "\n")  # closed: the section is added after it
    assert run_gitspec(root, "build", env=env).code == 0
    assert run_gitspec(root, "check", env=env).code == 0
    from gitspec.documents import parse_document

    document = parse_document("specs/journal.md", journal.read_bytes())
    assert list(document.sections) == ["summary", "notes", "headline"]


# Ways a region's markers get broken in an editor, and what check says of each.
BROKEN = {
    "end marker deleted": ("calm\n<!-- gitspec:end -->\n", "calm\n", "its end marker '<!-- gitspec:end -->' is missing"),
    "two spaces before -->": ('"1"} -->', '"1"}  -->', "its marker is not written as gitspec writes it"),
    "two spaces after <!--": ("<!-- gitspec:", "<!--  gitspec:", "its marker is not written as gitspec writes it"),
    "text after -->": ('"1"} -->', '"1"} --> (checked)', "its marker is not written as gitspec writes it"),
    "stamp not JSON": ('{"cache":', '{"cache"', "the stamp in its marker is not a JSON object"),
}


@pytest.mark.parametrize("old, new, said", BROKEN.values(), ids=BROKEN.keys())
def test_a_region_whose_markers_are_broken_is_an_error_naming_the_marker(digest, old, new, said) -> None:
    # Before, the section silently became the user's own text ("unstamped"): no finding, never stale,
    # never regenerated, though its marker was still there.
    root, env = digest
    journal = root / "specs" / "journal.md"
    journal.write_text(journal.read_text().replace(old, new, 1))
    check = run_gitspec(root, "check", env=env)
    assert check.code == 1, check
    assert check.out.startswith(f"specs/journal.md:10:1: error: the generated region of section 'summary' cannot "
                                f"be read: {said}") and check.out.count("\n") == 1, check
    assert "or run 'gitspec build --force journal#summary' to write the section anew [broken-region]" in check.out


def test_a_broken_region_is_a_conflict_for_status_and_build_until_forced(digest) -> None:
    root, env = digest
    journal = root / "specs" / "journal.md"
    broken = journal.read_text().replace("calm\n<!-- gitspec:end -->\n", "calm\n\nMy notes.\n", 1)
    journal.write_text(broken)
    (root / "specs" / "facts.yaml").write_text(facts("stormy"))
    status = run_gitspec(root, "status", env=env)
    assert status.code == 1 and status.out.startswith(
        "journal#summary: broken (line 10: its end marker '<!-- gitspec:end -->' is missing; put it back on its "
        "own line after the generated text) — conflict: mend or --force it\n"), status
    built = run_gitspec(root, "build", env=env)
    assert built.code == 1 and "conflict: journal#summary: its generated region cannot be read at line 10" in built.err
    assert journal.read_text() == broken  # neither section written: the stage stops on a conflict
    pin = run_gitspec(root, "pin", "journal#summary", env=env)
    assert pin.code == 1 and "cannot pin journal#summary: its generated region in specs/journal.md cannot be " \
                             "read at line 10" in pin.err, pin
    forced = run_gitspec(root, "build", "--force", "journal#summary", env=env)
    assert forced.code == 0 and "regenerated journal#summary" in forced.out, forced
    assert "My notes." not in journal.read_text() and run_gitspec(root, "check", env=env).code == 0


def test_a_bad_value_in_a_region_stamp_is_reported_at_its_marker_as_the_stamp(digest) -> None:
    # Before: "specs/journal.md:2:1: error: journal#generated/summary/version: 1 is not of type 'string'
    # (YAML read it as a number: quote it to keep it as text)", at the front matter, of a key the file
    # does not have, with a hint about YAML for a stamp written in JSON.
    root, env = digest
    journal = root / "specs" / "journal.md"
    journal.write_text(journal.read_text().replace('"version":"1"} -->', '"version":1} -->', 1))
    check = run_gitspec(root, "check", env=env)
    assert check.code == 1 and check.out == (
        "specs/journal.md:10:1: error: journal#summary: the stamp in its generated-region marker is not as gitspec "
        "writes it (version: 1 is not of type 'string'); restore it, or run 'gitspec build --force "
        "journal#summary' to write the section anew [schema]\n"), check
    forced = run_gitspec(root, "build", "--force", "journal#summary", env=env)
    assert forced.code == 0 and run_gitspec(root, "check", env=env).code == 0, forced


def test_a_comment_that_names_the_markers_is_no_broken_region(repo) -> None:
    # Before, any comment starting '<!-- gitspec:generated' was a damaged region (check exit 1), even in a
    # section no stage writes, whose advice (build --force) then failed: no stage writes it.
    comment = "<!-- gitspec:generated regions below are written by gitspec build; do not edit them -->"
    root = repo({"specs/notes.md": prd(f"{comment}\n\nNothing here.")})
    check = run_gitspec(root, "check")
    assert check.code == 0 and "broken" not in check.out, check


def test_a_heading_like_comment_in_the_front_matter_is_no_section_a_build_writes_into(digest) -> None:
    # Before, `## Summary` in the front matter (a YAML comment) was taken as the section: the build wrote
    # the region inside the front matter, then stopped with an internal error (exit 3).
    root, env = digest
    journal = root / "specs" / "journal.md"
    journal.write_text(journal.read_text().replace("---\n", "---\n## Summary\n", 1))
    (root / "specs" / "facts.yaml").write_text(facts("stormy"))
    built = run_gitspec(root, "build", env=env)
    assert built.code == 0 and "regenerated journal#summary" in built.out, built
    text = journal.read_text()
    assert text.startswith("---\n## Summary\nkind: ") and text.count("stormy") == 2, text
    assert run_gitspec(root, "check", env=env).code == 0


def test_a_broken_region_is_shown_as_a_conflict_in_the_site(digest) -> None:
    # Before, the page showed no badge on the section, which status and build call a conflict.
    root, env = digest
    journal = root / "specs" / "journal.md"
    journal.write_text(journal.read_text().replace("<!-- gitspec:end -->\n", "", 1))
    run_gitspec(root, "render", "--format", "html", env=env)
    page = (root / "build" / "html" / "journal.html").read_text()
    assert "conflict: generated region cannot be read" in page


def test_a_region_whose_marker_with_the_stamp_was_deleted_is_broken_too(digest) -> None:
    # Before, the section silently became the user's own text (status: unstamped; never regenerated).
    root, env = digest
    journal = root / "specs" / "journal.md"
    lines = journal.read_text().split("\n")
    marker = next(n for n, line in enumerate(lines) if line.startswith("<!-- gitspec:generated "))
    journal.write_text("\n".join(lines[:marker] + lines[marker + 1:]))
    check = run_gitspec(root, "check", env=env)
    assert check.code == 1 and "its end marker has no marker with the stamp before it" in check.out, check
    assert "[broken-region]" in check.out
    status = run_gitspec(root, "status", env=env)
    assert status.code == 1 and "journal#summary: broken" in status.out, status


@pytest.mark.parametrize("written, shown", [("none", "'none'"), ("[a]", '["a"]'), ("5", "5"), ("[]", "[]")])
def test_a_front_matter_generated_that_is_no_mapping_is_a_schema_error_beside_a_region(repo, written, shown) -> None:
    # Before, with a generated region in the body, every command that read the document stopped with
    # "internal error (TypeError: 'str' object is not a mapping)" (exit 3); `generated: []` passed check.
    region = '<!-- gitspec:generated {"stage":"x","version":"1"} -->\nText.\n<!-- gitspec:end -->'
    text = prd(region).replace("status: draft\n", f"status: draft\ngenerated: {written}\n")
    root = repo({"specs/notes.md": text})
    said = f"specs/notes.md:6:12: error: notes#generated: {shown} is not of type 'object' [schema]\n"
    check = run_gitspec(root, "check")
    assert check.code == 1 and check.out == said, check
    for command in (("status", "--all"), ("render", "--format", "html"), ("build", "--no-render"),
                    ("pin", "notes#non-goals")):
        result = run_gitspec(root, *command)
        assert result.code in (0, 1, 2) and "internal error" not in result.err + result.out, (command, result)
    render = run_gitspec(root, "render", "--format", "html")
    assert render.code == 1 and said in render.err, render
