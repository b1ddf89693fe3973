"""`[` and `![` that nothing after them closes are plain text, found without markdown-it's label search."""
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
                          "- ", "> ", "|", "&amp;"])


@settings(max_examples=400)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_rule_never_changes_what_a_text_parses_to(text):
    assert [t.as_dict() for t in parse_tokens(text)] == [t.as_dict() for t in ALONE.parse(text)]


def test_a_run_of_unclosed_image_openers_is_text_found_without_looking_for_a_label(monkeypatch):
    # Before, each `![` looked for its label's end to the end of the paragraph, nested up to
    # maxNesting deep: 10,000 of them took 3 s to render
    calls = []
    from markdown_it import helpers

    search = helpers.parseLinkLabel
    monkeypatch.setattr(helpers, "parseLinkLabel", lambda *args: calls.append(1) or search(*args))
    text = "See ![x](a.png) and [^1] and " + "![" * 2000 + " [ ! a\n\n[^1]: note\n"
    tokens = parse_tokens(text)
    assert len(calls) == 2  # the image and the footnote reference, which close
    assert [t.as_dict() for t in tokens] == [t.as_dict() for t in ALONE.parse(text)]
    (image,) = [child for t in tokens for child in t.children or () if child.type == "image"]
    assert image.attrs["src"] == "a.png"
