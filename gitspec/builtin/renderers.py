"""Built-in plugin: the HTML, PDF and Word renderers, registered as any third-party renderer is.

Each is imported only when a render uses it: listing the formats (every render does) must not load
the Word writer for an HTML render."""
from __future__ import annotations

from functools import cached_property
from importlib import import_module
from typing import Any

from gitspec.hookspecs import hookimpl

BUILTIN = (("html", "gitspec.render.html", "HtmlRenderer"), ("pdf", "gitspec.render.pdf", "PdfRenderer"),
           ("docx", "gitspec.render.word", "WordRenderer"))


class _Deferred:
    """A built-in renderer by its format's name; the rest (its version, its pages' files) is the renderer's own."""

    def __init__(self, name: str, module: str, cls: str) -> None:
        self.name, self._where = name, (module, cls)

    @cached_property
    def _renderer(self) -> Any:
        module, cls = self._where
        return getattr(import_module(module), cls)()

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__") or attribute == "_renderer":  # copy and pickle look for these first
            raise AttributeError(attribute)
        return getattr(self._renderer, attribute)


@hookimpl
def gitspec_renderers() -> list:
    return [_Deferred(*where) for where in BUILTIN]
