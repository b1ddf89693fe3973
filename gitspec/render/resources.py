"""What renderers may ask for while rendering: diagram images, drawn once per diagram text,
and the files an earlier render wrote.

Diagram images are cached by the hash of their source and how they were drawn,
so the ~2 s an mmdc call costs is paid once; a fallback is never cached, so a
later run with mmdc installed draws the image.
"""
from __future__ import annotations

from pathlib import Path

from gitspec.render.model import Diagram
from gitspec.render.renderer import DiagramImage


class RenderAssets:
    def __init__(self, root: Path, package_assets: Path, cache: Path, server: str | None, timeout: float,
                 output: Path | None = None, live: bool = False) -> None:
        self.root, self.package_assets = root, package_assets
        self.cache, self.server, self.timeout = cache, server, timeout
        self.output = output  # the output folder (holding one folder per format), if any
        self.live = live  # a watch is rendering (gitspec.render.livereload)
        self.warnings: list[str] = []
        self._drawn: dict[str, DiagramImage] = {}
        self._mmdc: str | None | bool = False  # False: not looked for yet

    def diagram(self, diagram: Diagram) -> DiagramImage:
        if diagram.source not in self._drawn:
            self._drawn[diagram.source] = self._draw(diagram.source)
        return self._drawn[diagram.source]

    def previous(self, format_name: str, relpath: str) -> bytes | None:
        """A file an earlier render of `format_name` wrote (`relpath` inside the format's
        folder), or None. It may be stale: the renderer checks it before using it."""
        if self.output is None:
            return None
        folder = (self.output / format_name).resolve()
        target = (folder / relpath).resolve()
        if not target.is_relative_to(folder):
            return None
        try:
            return target.read_bytes()
        except OSError:
            return None

    def _draw(self, source: str) -> DiagramImage:
        from gitspec.render.mermaid import DiagramCache, diagram_image, find_mmdc

        if self._mmdc is False:
            self._mmdc = find_mmdc(self.root)
        cache = DiagramCache(self.cache)
        return cache.get_or_draw(source, self._mmdc, self.server,
                                 lambda: diagram_image(source, mmdc=self._mmdc, server=self.server,
                                                       timeout=self.timeout))
