"""markdown-it's inline linkify rule (a bare `scheme://` address made a link), in time linear in the text.

markdown-it's rule searched all the text pending for the scheme before each `://`, and copied the
rest of the paragraph for linkify-it to read: a paragraph of `http://a` repeated 4,000 times took
4 s. This one must make exactly the tokens markdown-it's makes; it only looks less far.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# What markdown-it's SCHEME_RE (RFC 3986) reads as a scheme, case folded as Python's re folds it
_SCHEME_CHAR = re.compile(r"[a-z0-9.+-]", re.IGNORECASE)
_SCHEME_START = re.compile(r"[a-z]", re.IGNORECASE)


def scheme_links_plugin(parser: Any) -> None:
    """Put the rule in the place of markdown-it's inline linkify."""
    parser.inline.ruler.at("linkify", scheme_link)


def scheme_link(state: Any, silent: bool) -> bool:
    """markdown-it-py's rules_inline.linkify, but for where it finds the scheme and reads the address."""
    if not state.md.options.linkify or state.linkLevel > 0:
        return False
    if not state.md.linkify:
        raise ModuleNotFoundError("Linkify enabled but not installed.")
    pos = state.pos
    if pos + 3 > state.posMax or state.src[pos:pos + 3] != "://":
        return False
    proto = scheme_before(state.pending)
    if not proto:
        return False
    link = link_at(state.md.linkify, state.src, pos - len(proto))
    if not link:
        return False
    url: str = link.url.rstrip("*")  # a `*` ending it is emphasis
    full_url = state.md.normalizeLink(url)
    if not state.md.validateLink(full_url):
        return False
    if not silent:
        state.pending = state.pending[:-len(proto)]
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": full_url}
        token.markup = "linkify"
        token.info = "auto"
        token = state.push("text", "", 0)
        token.content = state.md.normalizeLinkText(url)
        token = state.push("link_close", "a", -1)
        token.markup = "linkify"
        token.info = "auto"
    state.pos += len(url) - len(proto)
    return True


def scheme_before(pending: str) -> str:
    """The scheme `pending` ends with, "" when none: what SCHEME_RE.search(pending) found, stepping back
    only over the scheme (each `://` stops the next one's steps, so all of them take linear time)."""
    end = len(pending) - pending.endswith("\n")  # SCHEME_RE's `$` also matches before a last newline
    start = end
    while start and _SCHEME_CHAR.match(pending, start - 1):
        start -= 1
    return pending[start:end] if start < end and _SCHEME_START.match(pending, start) else ""


def link_at(linkify: Any, src: str, start: int) -> Any:
    """linkify-it's match_at_start(src[start:]) for a `src` that has a scheme at `start`, without
    copying the rest of `src` for each address. Its schemas' validators read `src` from a position.
    A linkify-it whose pattern or internals this does not know is asked the slower, public way."""
    pattern = _schema_at(linkify.re["schema_at_start"])
    if pattern is None or not hasattr(linkify, "_create_match"):
        return linkify.match_at_start(src[start:])
    found = pattern.match(src, start)
    if not found:
        return None
    schema, end = found.group(2), found.end()
    length = linkify.test_schema_at(src, schema, end)
    if not length:
        return None
    return linkify._create_match(src, schema, start, end + length)  # noqa: SLF001 (with its normalizer)


@lru_cache(maxsize=4)
def _schema_at(schema_at_start: str) -> re.Pattern[str] | None:
    # linkify-it's pattern is `^(^|<a space or punctuation>)(<schemas>)`; a scheme starts with a
    # letter, so the group before it is empty, and needs no `^` to match at a position of the text
    if not schema_at_start.startswith("^(^|"):
        return None
    return re.compile("(|" + schema_at_start[len("^(^|"):], re.IGNORECASE)
