"""A third-party renderer, held so that its failures, and files gitspec cannot write, name its plugin.

Checks only what a renderer returns and raises; it never renders or writes anything itself.
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from typing import Any

from gitspec.plugincalls import PluginError, blamed, described, label


class PluginRenderer:
    """`renderer`, as the plugin `plugin` offered it: each attribute gitspec reads (name, version, page_files,
    site_files and the optional pages_files, volatile, page_navigation, refused), read as the plugin's code
    and checked. gitspec reads no other."""

    def __init__(self, renderer: Any, manager: Any, plugin: str, name: str) -> None:
        """`name` is the renderer's, as gitspec.render.formats read and checked it."""
        self._renderer, self._manager, self._plugin = renderer, manager, plugin
        self.name = name
        self._stage = f"render:{self.name}"

    @property
    def version(self) -> str:
        version = self._optional("version", None)
        if not isinstance(version, str) or not version:
            self._refuse(f"has {'no version' if version is None else 'version ' + repr(version)}: it must be a "
                         "non-empty string (bump it when the same tree renders differently)")
        return version

    def page_files(self, site: Any, page: Any, assets: Any) -> dict[str, bytes]:
        with self._blamed(f"page_files for {page.id}"):
            files = self._renderer.page_files(site, page, assets)
        return self._files(files, "page_files")

    def site_files(self, site: Any, assets: Any) -> dict[str, bytes]:
        with self._blamed("site_files"):
            files = self._renderer.site_files(site, assets)
        return self._files(files, "site_files")

    @property
    def volatile(self) -> tuple[str, ...]:
        """The files a watch rewrites in place (optional): a collection of paths."""
        volatile = self._optional("volatile", ())
        if isinstance(volatile, (str, bytes)) or not isinstance(volatile, (list, tuple, set, frozenset)) or \
                not all(isinstance(rel, str) for rel in volatile):
            self._refuse(f"has volatile {_shown(volatile)}: it must be a list of the paths (str) of files a watch "
                         "rewrites in place, or be left out")
        return tuple(volatile)

    @property
    def page_navigation(self) -> bool | None:
        """What a page shows of the others (optional): True (titles and kinds), False (ids) or None (nothing)."""
        shown = self._optional("page_navigation", True)
        if not (shown is None or isinstance(shown, bool)):
            self._refuse(f"has page_navigation {_shown(shown)}: it must be True, False or None")
        return shown

    @property
    def refused(self) -> list[str] | None:
        """What the last render refused to fetch (optional): a list of URLs, which gitspec clears."""
        refused = self._optional("refused", None)
        if refused is not None and not (isinstance(refused, list) and all(isinstance(url, str) for url in refused)):
            self._refuse(f"has refused {_shown(refused)}: it must be a list of the URLs (str) a render refused to "
                         "fetch, or None")
        return refused

    @property
    def pages_files(self) -> Any:
        """The renderer's optional batch method, checked, or None when it has none."""
        batch = self._optional("pages_files", None)
        if batch is None:
            return None
        if not callable(batch):
            self._refuse(f"has pages_files {_shown(batch)}: it must be a method, or be left out")

        def checked(site: Any, pages: list, assets: Any) -> Iterator[tuple[Any, dict[str, bytes]]]:
            asked = {page.id for page in pages}
            with self._blamed("pages_files"):
                for result in batch(site, pages, assets):
                    if not (isinstance(result, tuple) and len(result) == 2):
                        self._refuse(f"pages_files yielded {described(result)}, not a (page, files) pair")
                    page = result[0]
                    if getattr(page, "id", None) not in asked:  # its files would be recorded under a wrong key
                        self._refuse(f"pages_files gave files for {getattr(page, 'id', page)!r}, which it was not "
                                     "asked for or gave before")
                    asked.discard(page.id)
                    yield page, self._files(result[1], "pages_files")
        return checked

    def _optional(self, attribute: str, default: Any) -> Any:
        """The renderer's optional `attribute`, read as its code: a property that raises names the plugin."""
        with self._blamed(attribute):
            return getattr(self._renderer, attribute, default)

    def _blamed(self, doing: str):
        return blamed(self._manager, self._plugin, f"renderer '{self.name}' {doing}", self._stage)

    def _files(self, files: Any, method: str) -> dict[str, bytes]:
        if not isinstance(files, Mapping):
            self._refuse(f"{method} returned {described(files)}, not a mapping of path to bytes")
        for rel, data in files.items():
            if not isinstance(rel, str) or not isinstance(data, (bytes, bytearray)):
                self._refuse(f"{method} returned {described(rel)} -> {described(data)}, "
                             "not a mapping of path (str) to bytes")
            problem = _path_problem(rel)
            if problem:  # before anything of it is written
                self._refuse(f"{method} returned {rel!r}, {problem}")
        return dict(files)

    def fault(self, problem: str) -> PluginError:
        """The error for a `problem` of this renderer's results that gitspec finds while writing them."""
        return PluginError(f"{label(self._manager, self._plugin)}: renderer '{self.name}' {problem}", self._stage)

    def _refuse(self, problem: str) -> None:
        raise self.fault(problem)


def _shown(value: Any) -> str:
    """`None`, `'live.js'`, `a dict`: an attribute's value, for an error line."""
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "…"
    return described(value)


def _path_problem(rel: str) -> str:
    """Why a renderer's path is not a plain relative POSIX path in the format's folder ("" when it is). The
    render's manifest takes no other: it drops an entry naming 'sub/../x.txt' as damaged, so that page would
    render again every time, and a dropped format would leave its file behind."""
    if "\0" in rel:  # no file name holds one
        return "a path holding a NUL character"
    if posixpath.isabs(rel) or posixpath.normpath(rel).split("/")[0] == "..":
        return "a path outside its folder"
    if "\\" in rel or any(name in ("", ".", "..") for name in rel.split("/")):
        plain = posixpath.normpath(rel)
        hint = f"write {plain!r}" if "\\" not in rel and plain != "." else \
            "names joined by single '/', none of them '.' or '..', and no '\\'"
        return f"not a plain relative path ({hint})"
    return ""
