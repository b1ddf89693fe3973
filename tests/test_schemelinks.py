"""Bare `scheme://` addresses become the links markdown-it makes of them, in time linear in the text."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitspec.render import schemelinks
from gitspec.render.markdownparse import parse_tokens, parser


def markdown_it_own_rule():
    """The parser markdown_blocks uses, with markdown-it's own inline linkify rule back in its place."""
    from markdown_it.rules_inline.linkify import linkify

    stock = parser.__wrapped__()
    stock.inline.ruler.at("linkify", linkify)
    return stock


STOCK = markdown_it_own_rule()

TEXTS = [
    "See https://example.com/a?b=c#d, then http://x.org/path.",
    "(http://example.com/a_(b)) and http://example.com/a). and http://e.com/x!",
    "Trailing: http://e.com/x... http://e.com/x; http://e.com/x? 'http://e.com/q'",
    "*http://e.com/x* and **https://e.com/y** and _http://e.com/z_ and ~~ftp://f.org/g~~",
    "http://e.com/x* and *emph http://e.com/*",
    "`http://e.com/in-code` and ``x http://e.com/y``",
    "[label http://e.com/a](http://e.com/b) and ![alt http://e.com/c](i.png)",
    "<http://e.com/angle> and <a href='x'>http://e.com/in-html</a>",
    "mail me@example.com or mailto:me@example.com or mailto://me@example.com",
    "www.example.com and www.example.com/path, www.x and see www.a.b.c/d?e",
    "fuzzy example.com and main.py and prd.md stay text",
    "HTTP://E.COM/UP and Https://e.com and hTtP://e.com",
    "1http://e.com and x-http://e.com and a.b+c-d://e.com and .http://e.com",
    "ahttp://e.com and xhttps://e.com and _http://e.com and http://",
    "http://e.com:8080/p and http://user:pw@e.com/p and http://[::1]/x and http://127.0.0.1/",
    "\u212ahttp://e.com and \u017ftp://e.com and \u0130http://e.com and \u0131ftp://e.com",
    "www.a.com://x and www.example://e.com and x://www.e.com",
    "http://e.com\nhttp://f.com  \nhttp://g.com\\\nhttp://h.com",
    "| a | http://e.com/t |\n|---|---|\n| http://e.com/u, | x |",
    "# Heading http://e.com/h\n\n> quote http://e.com/q\n\n- item https://e.com/i.",
    "http://ünicode.example/päth and http://例え.jp/ and http://e.com/a%20b",
    "note[^1] http://e.com\n\n[^1]: see http://e.com/fn.",
    "http://a" * 50,
    "http://a," * 50,
    "://x ://y http:// http:/ http:/e.com",
    "x http&#10;://e.com/a and www.&#10;://e.com",
]


@pytest.mark.parametrize("text", TEXTS)
def test_links_are_those_markdown_it_makes(text):
    assert [t.as_dict() for t in parse_tokens(text)] == [t.as_dict() for t in STOCK.parse(text)]


PIECES = st.sampled_from(["http", "https", "ftp", "mailto", "www.", "://", ":", "/", "a", "e.com", ".", ",", "*",
                          "_", "`", "~", " ", "\n", "@", "x@y.org", "(", ")", "[", "]", "<", ">", "!", "?", "-",
                          "+", "1", "\u212a", "é", "\\", "](u)", "&amp;"])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_any_text_parses_as_with_markdown_it_own_rule(text):
    assert [t.as_dict() for t in parse_tokens(text)] == [t.as_dict() for t in STOCK.parse(text)]


class CountingMatch:
    """Counts the characters the rule steps over looking back for a scheme."""

    def __init__(self, pattern):
        self.pattern, self.steps = pattern, 0

    def match(self, text, pos):
        self.steps += 1
        return self.pattern.match(text, pos)


def test_a_paragraph_of_addresses_run_together_is_read_once(monkeypatch):
    # Before, each `://` searched all the text before it for a scheme: `http://a` 4,000 times took
    # 4.4 s to render, 8,000 times four times as long
    counting = CountingMatch(schemelinks._SCHEME_CHAR)
    monkeypatch.setattr(schemelinks, "_SCHEME_CHAR", counting)
    tokens = parse_tokens("http://a" * 8000)
    assert 8000 <= counting.steps <= 6 * 8000  # `ahttp` and the `/` before it, at each `://`
    assert [t.type for t in tokens[1].children] == ["link_open", "text", "link_close", "text"]
    assert tokens[1].children[1].content == "http://ahttp"


def test_the_paragraph_parses_as_with_markdown_it_own_rule():
    text = "http://a" * 500
    assert [t.as_dict() for t in parse_tokens(text)] == [t.as_dict() for t in STOCK.parse(text)]


def test_a_linkify_it_whose_pattern_is_of_another_shape_is_asked_the_public_way():
    """An upgrade of linkify-it that changes its pattern costs time, not a crash."""
    from linkify_it import LinkifyIt

    from gitspec.render.schemelinks import link_at

    linkify = LinkifyIt()
    fast = link_at(linkify, "see http://a.b/c x", 4)
    linkify.re["schema_at_start"] = "(?:)" + linkify.re["schema_at_start"]
    slow = link_at(linkify, "see http://a.b/c x", 4)
    assert fast.url == slow.url == "http://a.b/c"
