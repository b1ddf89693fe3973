"""What renderers may ask for while rendering: diagram images, drawn once per diagram text,
pictures from the workspace, read and checked once per run, and the files an earlier render wrote.

Diagram images are cached by the hash of their source and how they were drawn,
so the ~2 s an mmdc call costs is paid once; a fallback is never cached, so a
later run with mmdc installed draws the image. Every fallback after a failed
attempt is a warning, and a way that timed out or cannot work (a server not
reached, mmdc with no browser) is not asked again in the run.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from gitspec.render.model import Diagram, Image
from gitspec.herepaths import here
from gitspec.render.renderer import DiagramImage, Picture

if TYPE_CHECKING:
    from gitspec.render.mermaid import Failure

LABEL_CHARS = 60


class RenderAssets:
    def __init__(self, root: Path, package_assets: Path, cache: Path, server: str | None, timeout: float,
                 output: Path | None = None, live: bool = False) -> None:
        self.root, self.package_assets = root, package_assets
        self.cache, self.server, self.timeout = cache, server, timeout
        self.output = output  # the output folder (holding one folder per format), if any
        self.live = live  # a watch is rendering (gitspec.render.livereload)
        self.warnings: list[str] = []  # each diagram shown as source after a failed attempt, each picture not shown
        self.subjects: dict[int, Diagram | Image] = {}  # what the warning at each index is about
        self._drawn: dict[str, DiagramImage] = {}
        self._pictures: dict[str, Picture] = {}
        self._mmdc: str | None | bool = False  # False: not looked for yet
        self._down: dict[str, Failure] = {}  # way -> the failure that took it out of the run (Failure.down)
        # diagram source -> whether it may be drawn next time as it is (a way failed for a cause that may go)
        self.fallbacks: dict[str, bool] = {}

    def diagram(self, diagram: Diagram) -> DiagramImage:
        if diagram.source not in self._drawn:
            self._drawn[diagram.source] = self._draw(diagram)
        return self._drawn[diagram.source]

    def image(self, image: Image) -> Picture:
        if image.path not in self._pictures:
            from gitspec.render.imagecheck import ImageRefused
            from gitspec.render.localimages import load_picture

            try:
                self._pictures[image.path] = load_picture(self.root, image.path)
            except ImageRefused as refused:
                self._pictures[image.path] = Picture(None, note=f"The image {image.path} is not shown: {refused}.")
                self._warn(f"image {here(image.path)} not shown: {refused}", image)
        return self._pictures[image.path]

    def _warn(self, message: str, subject: Diagram | Image) -> None:
        self.subjects[len(self.warnings)] = subject
        self.warnings.append(message)

    def previous(self, format_name: str, relpath: str) -> bytes | None:
        """A file an earlier render of `format_name` wrote (`relpath` inside the format's
        folder), or None. It may be stale: the renderer checks it before using it."""
        if self.output is None:
            return None
        try:  # strings, not pathlib: a render asks for every search bucket, and resolving costs more than reading
            folder = os.path.realpath(os.path.join(self.output, format_name))
            target = os.path.realpath(os.path.join(folder, relpath))
            if not target.startswith(os.path.join(folder, "")) or not os.path.isfile(target):  # a named pipe would hang
                return None
            with open(target, "rb") as file:
                return file.read()
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13; made again
            return None

    def _draw(self, diagram: Diagram) -> DiagramImage:
        from gitspec.render.mermaid import DiagramCache, draw_diagram, refused_note, undrawable

        refused = undrawable(diagram.source)
        if refused:  # before the cache: a diagram drawn by an older gitspec is refused as a new one is
            self.fallbacks[diagram.source] = False  # the same text is refused again: not worth a retry
            self._warn(f"diagram {diagram_label(diagram)} shown as source: {refused}", diagram)
            return DiagramImage(None, None, refused_note(refused))
        mmdc = self._found_mmdc()
        failures: list[Failure] = []

        def draw() -> DiagramImage:
            image, tried = draw_diagram(diagram.source, mmdc=mmdc, server=self.server,
                                        timeout=self.timeout, down=self._down)
            failures.extend(tried)
            return image

        image = DiagramCache(self.cache).get_or_draw(diagram.source, mmdc, self.server, draw)
        newly_down = [f for f in failures if f.down and f.way not in self._down]
        self._down.update((f.way, f) for f in newly_down)
        if image.svg is None and image.png is None:
            self.fallbacks[diagram.source] = any(failure.temporary for failure in failures)
            if failures:
                self._warn(fallback_warning(diagram, failures, newly_down), diagram)
        return image

    def diagram_key(self, source: str) -> str:
        """The key the image of the diagram `source` is stored under in this run's drawing setup
        (gitspec.render.diagramuse records it, so that `cache gc` keeps the image)."""
        from gitspec.render.diagramcache import DiagramCache

        return DiagramCache.key(source, self._found_mmdc(), self.server)

    def drawing_setup(self) -> str:
        """What diagrams are drawn with (mmdc, server, timeout): a page showing one as source is
        rendered again when this changes (gitspec.render.fallbacks)."""
        return f"mmdc={self._found_mmdc() or ''} server={self.server or ''} timeout={self.timeout:g}"

    def _found_mmdc(self) -> str | None:
        """The workspace's mmdc, looked for once per run."""
        if self._mmdc is False:
            from gitspec.render.mmdc import find_mmdc

            self._mmdc = find_mmdc(self.root)
        return self._mmdc


def fallback_warning(diagram: Diagram, failures: list[Failure], newly_down: list[Failure] | None = None) -> str:
    """e.g. `mermaid server URL: timed out after 3 s (not asked again in this run); diagram
    "flowchart LR; A-->B" shown as source`. `newly_down`: the failures that take their way out of the run."""
    parts = [f"{f.way}: {f.reason}" + (" (not asked again in this run)" if f in (newly_down or []) else "")
             for f in failures]
    return "; ".join(parts) + f"; diagram {diagram_label(diagram)} shown as source"


def diagram_label(diagram: Diagram) -> str:
    """A diagram's name in a message: its title (or its front matter's), else its first two lines, which
    tell apart diagrams of one kind ("flowchart LR; A-->B", in Mermaid's own one-line form)."""
    lines = [line.strip() for line in diagram.source.splitlines()]
    title = diagram.title
    if lines and lines[0] == "---" and "---" in lines[1:]:
        end = lines.index("---", 1)
        titles = [line[6:].strip().strip("'\"") for line in lines[1:end] if line.startswith("title:")]
        title, lines = title or (titles[0] if titles else ""), lines[end + 1:]
    text = title or "; ".join([line for line in lines if line and not line.startswith("%%")][:2]) or "(empty)"
    text = text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"
    return f'"{text}"'
