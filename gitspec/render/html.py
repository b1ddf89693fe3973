"""The HTML renderer: a static site that works offline from file:// (index, a page per
document, site CSS, an offline search index, diagram images).

Pure over the render tree: returns file contents, never writes or fetches. Output
carries a strict Content-Security-Policy, no inline script, no inline SVG.
"""
from __future__ import annotations

from functools import cached_property

from gitspec.render.htmlblocks import SITE, BlockWriter, facts_html, section_html
from gitspec.render.htmltext import badges, english, esc, isolated, scroll_box, status_badge
from gitspec.render.livereload import LIVE_JS, site_script
from gitspec.render.model import Label, Page, Site, document_count, version_label
from gitspec.render.ownmarks import GENERATOR
from gitspec.render.packageassets import assets_version, package_asset
from gitspec.render.pagefiles import file_stem
from gitspec.render.renderer import Assets
from gitspec.render.searchparts import search_files

# 'self' covers the site's own files when opened from file:// in Chromium and Firefox.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; "
       "font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'")


class HtmlRenderer:
    """The `html` renderer: `<id>.html` and `diagrams/*` per page; `index.html`, the search index
    (`search-index.js` and `search/parts/*`) and `assets/` for the site."""

    name = "html"
    page_navigation = False  # a page shows only the ids of the others (in links)
    volatile = (LIVE_JS,)  # a watch rewrites it in place, at the same size (gitspec.render.livereload)
    _ids_of: tuple[Site, frozenset[str]] | None = None  # the site last rendered and its page ids

    @cached_property
    def version(self) -> str:
        return assets_version("52", "site.css", "search.js", "live.js")

    def page_files(self, site: Site, page: Page, assets: Assets) -> dict[str, bytes]:
        writer = BlockWriter(SITE, page.id, self._page_ids(site), assets, site.language)
        document = page_html(site, page, writer)
        return {f"{file_stem(page.id)}.html": document.encode("utf-8"),
                **dict(sorted(writer.files.items()))}

    def _page_ids(self, site: Site) -> frozenset[str]:
        """Every page's id, gathered once per site, not once per page (which made a render quadratic
        in the number of documents); BlockWriter keeps a frozenset as it is."""
        held = self._ids_of
        if held is None or held[0] is not site:
            held = self._ids_of = (site, frozenset(p.id for p in site.pages))
        return held[1]

    def site_files(self, site: Site, assets: Assets) -> dict[str, bytes]:
        previous = getattr(assets, "previous", None)  # the previous render's buckets: an unchanged page's entries
        earlier = (lambda name: previous(self.name, name)) if previous else (lambda name: None)
        return {
            "index.html": index_html(site).encode("utf-8"),
            **search_files(site.pages, self.version, earlier),
            "assets/site.css": package_asset("site.css"),
            "assets/search.js": package_asset("search.js"),
            LIVE_JS: site_script(assets, self.name),  # a watch writes its token here
        }


# --- shared page frame ---------------------------------------------------------


def _frame(title: str, body: str, language: str) -> str:
    return (
        "<!doctype html>\n"
        f'<html lang="{esc(language)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'  # how a render without its manifest knows the page
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n"
        '<link rel="stylesheet" href="assets/site.css">\n'
        '<script src="assets/search.js" defer></script>\n'
        '<script src="assets/live.js" defer></script>\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _top_bar(site: Site) -> str:
    """The bar atop every page: the site's title and the search, whose words are gitspec's (search.js
    declares each result it lists in the page's language, as the documents' text is)."""
    own = english(site.language)
    title = own if isinstance(site.title, Label) else ""
    return (
        '<header class="site-bar">\n'
        f'<a class="site-title" href="index.html"{title}>{esc(site.title)}</a>\n'
        f'<div class="search" role="search"{own}>\n'
        '<label for="gitspec-search" class="visually-hidden">Search</label>\n'
        '<input type="search" id="gitspec-search" placeholder="Search ids and text" autocomplete="off" '
        'spellcheck="false" data-index="search-index.js">\n'
        '<ol id="gitspec-results" class="search-results" aria-label="Search results"></ol>\n'
        '<p id="gitspec-status" class="visually-hidden" role="status"></p>\n'
        "</div>\n</header>"
    )


# --- a document page -----------------------------------------------------------


def page_html(site: Site, page: Page, writer: BlockWriter) -> str:
    ids = [writer.unique_id(s.anchor) for s in page.sections]
    sections = "\n".join(section_html(s, i, writer) for s, i in zip(page.sections, ids, strict=True))
    own = writer.own
    # The contents list is gitspec's (its name, a YAML section's title); a Markdown heading is the document's.
    text = f' lang="{esc(site.language)}"' if own else ""
    toc = "".join(f'<li{"" if isinstance(s.title, Label) else text}><a href="#{esc(i)}">{esc(s.title)}</a></li>'
                  for s, i in zip(page.sections, ids, strict=True))
    source = f'<p class="doc-source"{own}>Source: <code>{esc(page.source)}</code></p>' if page.source else ""
    body = (
        f"{_top_bar(site)}\n<main>\n<header class=\"doc-head\">\n"
        f'<h1 dir="auto"{writer.lang(page.title)}>{esc(page.title)}</h1>\n'
        f'<p class="doc-meta"><span class="doc-id">{isolated(page.id)}</span> · '
        f'<span class="doc-kind"{own}>{isolated(page.kind)}</span>{facts_html(page, writer)} '
        f'{status_badge(page.status, own)} {badges(page.badges, own)}</p>\n'
        f"{source}\n</header>\n"
        + (f'<nav class="toc" aria-label="Contents"{own}><h2>Contents</h2><ol>{toc}</ol></nav>\n' if toc else "")
        + f"{sections}\n</main>"
    )
    return _frame(f"{page.id} · {page.title}", body, site.language)


# --- the index -----------------------------------------------------------------


def kinds_in_order(site: Site) -> list[str]:
    """The kinds of the site's pages: `site.kinds` first, then any others as they appear."""
    present = {p.kind for p in site.pages}
    ordered = [k for k in site.kinds if k in present]
    for page in site.pages:
        if page.kind not in ordered:
            ordered.append(page.kind)
    return ordered


def index_html(site: Site) -> str:
    own = english(site.language)  # on gitspec's own words: the headers, kinds, counts and badges
    groups = []
    for kind in kinds_in_order(site):
        pages = [p for p in site.pages if p.kind == kind]
        owned = any(p.owners for p in pages)  # an Owners column where some document of the kind names them
        rows = "\n".join(
            f'<tr><td dir="auto"><a href="{esc(file_stem(p.id))}.html"{own if isinstance(p.title, Label) else ""}>'
            f'{esc(p.title)}</a></td>'
            f'<td><code>{esc(p.id)}</code></td>'
            + (f'<td>{", ".join(isolated(owner) for owner in p.owners)}</td>' if owned else "")
            + f'<td>{status_badge(p.status, own)}</td><td>{badges(p.badges, own)}</td></tr>'
            for p in pages)
        groups.append(
            f'<section class="kind" id="kind-{esc(kind)}">\n<h2{own}>{esc(kind)}</h2>\n'
            f'<div class="table-wrap"{scroll_box(f"Documents of kind {kind}")}><table class="index">'
            f'<thead{own}><tr><th scope="col">Document</th>'
            '<th scope="col">ID</th>' + ('<th scope="col">Owners</th>' if owned else "")
            + '<th scope="col">Status</th><th scope="col">Flags</th></tr></thead>'
            f"<tbody>\n{rows}\n</tbody></table></div>\n</section>")
    commit = f"commit <code>{esc(site.commit)}</code>" if site.commit else esc(version_label(site))
    dirty = ' <span class="badge badge-warn">uncommitted changes</span>' if site.dirty else ""
    title = own if isinstance(site.title, Label) else ""
    body = (f"{_top_bar(site)}\n<main>\n<header class=\"doc-head\"><h1{title}>{esc(site.title)}</h1>\n"
            f'<p class="doc-meta"{own}>{document_count(site)} · {commit}{dirty}</p></header>\n'
            + "\n".join(groups) + "\n</main>")
    return _frame(site.title, body, site.language)
