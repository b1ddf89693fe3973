"""Built-in plugin: the HTML, PDF and Word renderers, registered as any third-party renderer is."""
from __future__ import annotations

from gitspec.hookspecs import hookimpl


@hookimpl
def gitspec_renderers() -> list:
    from gitspec.render.html import HtmlRenderer
    from gitspec.render.pdf import PdfRenderer
    from gitspec.render.word import WordRenderer

    return [HtmlRenderer(), PdfRenderer(), WordRenderer()]
