"""Which bare addresses in Markdown text become links, as on GitHub: `http(s)://`, `www.` and e-mail ones.

linkify-it's default also links any word that ends like a domain (`main.py`, `prd.md`); GitHub
does not, and neither must this plugin.
"""
from __future__ import annotations

import re
from typing import Any


def github_autolinks_plugin(parser: Any) -> None:
    """Limit markdown-it's linkify to the bare addresses GitHub links."""
    # fuzzy_link is what links a bare domain; `www.` ones are among them, so they get a rule of their own
    parser.linkify.set({"fuzzy_link": False}).add("www.", {"validate": _www_tail, "normalize": _www_url})


def _www_tail(linkify: Any, text: str, pos: int) -> int:
    """How long the rest of a `www.` address is in `text` from `pos` (just after the `www.`), 0 when none:
    a domain with at least one more dot, then a port and path as linkify-it reads them after `//`."""
    if "gitspec_www" not in linkify.re:  # built from linkify-it's own patterns, once they are compiled
        linkify.re["gitspec_www"] = re.compile(
            "(?:(?:" + linkify.re["src_domain"] + ")\\.)+" + linkify.re["src_domain_root"] + linkify.re["src_port"]
            + linkify.re["src_host_terminator"] + linkify.re["src_path"], re.IGNORECASE)
    found = linkify.re["gitspec_www"].match(text, pos)
    return len(found.group()) if found else 0


def _www_url(linkify: Any, match: Any) -> None:
    match.url = "http://" + match.url  # as GitHub links them
