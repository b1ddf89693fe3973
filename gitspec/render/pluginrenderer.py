"""A third-party renderer, held so that its failures, and files gitspec cannot write, name its plugin.

Checks only what a renderer returns and raises; it never renders or writes anything itself.
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from typing import Any

from gitspec.plugincalls import PluginError, blamed, described, label


class PluginRenderer:
    """`renderer`, as the plugin `plugin` offered it: the same attributes, its methods checked."""

    def __init__(self, renderer: Any, manager: Any, plugin: str) -> None:
        self._renderer, self._manager, self._plugin = renderer, manager, plugin
        self.name: str = renderer.name
        self._stage = f"render:{self.name}"

    @property
    def version(self) -> str:
        with self._blamed("version"):
            version = getattr(self._renderer, "version", None)
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
    def pages_files(self) -> Any:
        """The renderer's optional batch method, checked, or None when it has none."""
        batch = getattr(self._renderer, "pages_files", None)
        if batch is None:
            return None

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

    def __getattr__(self, name: str) -> Any:  # refused, volatile, page_navigation, ...
        return getattr(self._renderer, name)

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
