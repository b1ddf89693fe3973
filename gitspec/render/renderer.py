"""What a renderer is, and what it may ask of gitspec while rendering (diagram images, pictures).

A renderer is pure over the render tree: it returns file contents, and the
render run (gitspec/render/run.py) writes them atomically and caches them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: checking a picture (localimages) needs no render tree
    from gitspec.render.model import Diagram, Image, Page, Site


@dataclass(frozen=True)
class DiagramImage:
    """A diagram as images. Both are None when no renderer was available; `note`
    then says, visibly, why and how to get images (mmdc or a mermaid server)."""

    svg: bytes | None
    png: bytes | None
    note: str = ""


@dataclass(frozen=True)
class Picture:
    """A workspace picture ready to show: `data`, checked whole and inert, and its file `extension`
    (png, jpg, gif or svg); or no data and a `note` saying, visibly, why it cannot be shown."""

    data: bytes | None
    extension: str = ""
    note: str = ""


class Assets(Protocol):
    """Services a renderer may use. `root` is the workspace; `package_assets` the
    folder of gitspec's own CSS, fonts and scripts. Only files under these two may
    be read while rendering (the PDF renderer enforces it with its URL fetcher).

    Optional (look it up with getattr): `previous(format, relpath) -> bytes | None`,
    a file the previous render of that format wrote, e.g. a page's PDF that the book
    reuses when the page was not re-rendered in this run. It may be stale or missing:
    a renderer must check it (the PDF renderer compares the key recorded in it).
    `live` (a bool): `gitspec render --watch` is rendering, and open pages follow it."""

    root: Path
    package_assets: Path

    def diagram(self, diagram: Diagram) -> DiagramImage: ...

    def image(self, image: Image) -> Picture: ...


class Renderer(Protocol):
    """Declared through `gitspec_renderers`. `name` is the format (`html`, `pdf`,
    `docx`, ...) and the output subfolder; bump `version` to invalidate cached renders.

    `page_files` renders one page; `site_files` renders what spans pages (an
    index, a search index, a combined book). Both return {path relative to the
    format's output folder: bytes}. A page's files are re-rendered only when the
    page's key, or the site's navigation (ids, titles, kinds), changed.

    Optional: `page_navigation = False` says `page_files` shows nothing of the other
    pages but the links the page's own blocks hold (their `doc:` targets), so another
    page's new title, or a document added or removed, re-renders only the pages that name
    it and the site files; `None`, nothing of them at all (a link to another page is plain
    text), which re-renders the same. Without it, a page is assumed to show every page's
    title and kind (a list of them, a previous/next link).

    Optional (looked up with getattr): `pages_files(site, pages, assets)`, an
    iterator of (page, files) for every page in `pages`, in any order. The run
    calls it instead of `page_files` when several pages need rendering, so a
    renderer can spread them over processes. After each (page, files) it yields,
    `refused` (if the renderer has it) must hold what that page's render refused.
    """

    name: str
    version: str

    def page_files(self, site: Site, page: Page, assets: Assets) -> dict[str, bytes]: ...

    def site_files(self, site: Site, assets: Assets) -> dict[str, bytes]: ...
