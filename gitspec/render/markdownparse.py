"""The markdown-it parser, set up to read Markdown as GitHub does, and the limit on how deep it nests.

It only parses: turning tokens into blocks is markdowntree's, which decides what is safe to show.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

# How deep lists and quotes may nest, a list level and a quote level counting one each; what is
# deeper is left out and the section gets a notice saying so. markdown-it counts a list level twice
# (the list and its item), so its own limit (CommonMark's preset stops at 20: ten list levels) is
# set just past what MAX_DEPTH lists need, and bounds the work that deeper input can cause.
MAX_DEPTH = 50
_MAX_TOKEN_NESTING = 2 * MAX_DEPTH + 2
_NESTS = ("blockquote", "bullet_list", "ordered_list")  # one level each


def within_depth(tokens: list[Any]) -> tuple[list[Any], bool]:
    """`tokens` without the lists and quotes nested more than MAX_DEPTH deep, and whether any were;
    formatting nested more than MAX_DEPTH deep inside a line (emphasis, links) is left out there too,
    its text kept (see within_inline_depth)."""
    kept: list[Any] = []
    depth = 0
    for token in tokens:
        opens = token.nesting == 1 and token.type[:-5] in _NESTS
        closes = token.nesting == -1 and token.type[:-6] in _NESTS
        depth += opens
        if depth <= MAX_DEPTH:
            kept.append(token)
            if token.children:
                token.children = within_inline_depth(token.children)
        depth -= closes
    return kept, len(kept) < len(tokens)


def within_inline_depth(children: list[Any], depth: int = 0) -> list[Any]:
    """An inline token's children without the opening and closing tokens nested more than MAX_DEPTH
    deep (`*a *a … b* …*`, links in emphasis in links, in an image's alt text too): what they hold is
    kept as plain text. markdown-it's maxNesting does not bound emphasis, and the syntax tree is built
    by recursion. `depth` is how deep the children already are (an image's: where the image is)."""
    kept: list[Any] = []
    for child in children:
        depth += child.nesting == 1
        if depth <= MAX_DEPTH or child.nesting == 0:
            if child.children:  # an image: its alt text's inlines
                child.children = within_inline_depth(child.children, depth + 1)
            kept.append(child)
        depth -= child.nesting == -1
    return kept


@lru_cache(maxsize=1)
def parser() -> Any:
    from markdown_it import MarkdownIt

    from mdit_py_plugins.footnote import footnote_plugin

    from gitspec.render.autolinks import github_autolinks_plugin
    from gitspec.render.openbrackets import open_brackets_plugin
    from gitspec.render.schemelinks import scheme_links_plugin

    # CommonMark with GitHub's tables, strikethrough, links made of bare addresses (linkify-it-py, as
    # GitHub links them: not a bare file or domain name) and
    # footnotes (`[^1]`, not the inline `^[...]` GitHub does not read), gathered at the end of the text.
    # Raw HTML is parsed (so that comments can be told apart), then shown as the text it is.
    # Struck out between one tilde or two, as on GitHub (markdown-it-py >= 4.1 reads `~one~`; three are text).
    # A reference link's token keeps its label (meta["label"]), by which check finds where it is written.
    # open_brackets and scheme_links only make markdown-it's own rules linear in the text's length.
    options = {"html": True, "linkify": True, "maxNesting": _MAX_TOKEN_NESTING, "strikethrough_single_tilde": True,
               "store_labels": True}
    md = MarkdownIt("commonmark", options).enable(
        ["table", "strikethrough", "linkify"]).use(footnote_plugin, inline=False).use(open_brackets_plugin).use(
        github_autolinks_plugin).use(scheme_links_plugin)
    # Every link is parsed as a link, so that a refused one shows its label (not its Markdown):
    # safe_target, not markdown-it's own protocol check, decides what may be a link.
    md.validateLink = lambda url: True
    return md


def parse_tokens(text: str, env: dict[str, Any] | None = None) -> list[Any]:
    """markdown-it's tokens for `text`, parsed as markdown_blocks parses it."""
    return parser().parse(text, env)


def parse_blocks(text: str, env: dict[str, Any]) -> list[Any]:
    """markdown-it's block tokens for `text`, before their inline content is parsed and footnote
    definitions are gathered at the end; it fills `env` with the link references defined."""
    tokens: list[Any] = []
    parser().block.parse(text, parser(), env, tokens)
    return tokens


def inline_nodes(markdown: str) -> list[Any]:
    """The syntax tree nodes of one line of inline Markdown (a heading's)."""
    from markdown_it.tree import SyntaxTreeNode

    tokens = parser().parseInline(markdown)
    tokens[0].children = within_inline_depth(tokens[0].children)
    return SyntaxTreeNode(tokens).children[0].children
