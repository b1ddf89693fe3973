"""`[` and `![` cost markdown-it a few steps each, whatever follows them, and parse as they did."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gitspec.render.markdownparse import _MAX_TOKEN_NESTING, parse_tokens


def markdown_it_alone():
    """The parser markdown_blocks uses, without the rule."""
    from markdown_it import MarkdownIt

    from mdit_py_plugins.footnote import footnote_plugin

    from gitspec.render.autolinks import github_autolinks_plugin

    options = {"html": True, "linkify": True, "maxNesting": _MAX_TOKEN_NESTING, "strikethrough_single_tilde": True,
               "store_labels": True}
    parser = MarkdownIt("commonmark", options).enable(["table", "strikethrough", "linkify"]).use(
        footnote_plugin, inline=False).use(github_autolinks_plugin)
    parser.validateLink = lambda url: True
    return parser


ALONE = markdown_it_alone()
PIECES = st.sampled_from(["![", "[", "]", "!", "(", ")", "a", " ", "\n", "\n\n", "`", "*", "\\", "<", ">", "^",
                          "x.png", "<http://e.com>", "http://e.com", "[^1]", "[^1]: note\n", "[r]: /r.png\n",
                          "- ", "> ", "|", "&amp;", "\\[", "\\]", "](u)", "[r][]", "[" * 60, "![" * 55, "]" * 60,
                          "](u)" * 40])


@settings(max_examples=400, deadline=None)  # markdown-it alone is slow on the long runs
@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_rule_never_changes_what_a_text_parses_to(text):
    assert [t.as_dict() for t in parse_tokens(text)] == [t.as_dict() for t in ALONE.parse(text)]


def steps_taken(text):
    """How many steps (markdown-it's skipToken) parsing `text` takes, and its tokens."""
    from gitspec.render.markdownparse import parser

    inline = parser().inline
    steps = []
    step = inline.skipToken
    inline.skipToken = lambda state: steps.append(1) or step(state)
    try:
        tokens = parse_tokens(text)
        return len(steps), tokens
    finally:
        del inline.skipToken


def test_a_run_of_unclosed_image_openers_is_text_found_without_looking_for_a_label():
    # Before, each `![` looked for its label's end to the end of the paragraph, nested up to
    # maxNesting deep: 10,000 of them took 3 s to render
    text = "See ![x](a.png) and [^1] and " + "![" * 2000 + " [ ! a\n\n[^1]: note\n"
    steps, tokens = steps_taken(text)
    assert steps < 10
    assert [t.as_dict() for t in tokens] == [t.as_dict() for t in ALONE.parse(text)]
    (image,) = [child for t in tokens for child in t.children or () if child.type == "image"]
    assert image.attrs["src"] == "a.png"


def test_openers_closed_only_at_the_end_take_a_few_steps_each():
    # Before, a run of `![` (or `[`) with one `]` after it walked ~100 steps from each `[`:
    # 800,000 steps for 2,000 of them, 9 s to render 8,000
    for text in ("![" * 2000 + "]\n", "[" * 2000 + "]\n", "![" * 2000 + "](u)" * 2000 + "\n"):
        steps, tokens = steps_taken(text)
        assert steps < 3 * 2000, text[:10]
        assert [t.as_dict() for t in tokens] == [t.as_dict() for t in ALONE.parse(text)]
