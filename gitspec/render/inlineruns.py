"""Text runs of the render tree as Markdown is converted: gathering neighbouring runs of one style
and joining them, each once (adding to a run's text as it grew was quadratic in a paragraph's lines).

Pure: strings and render-tree inlines in, inlines out.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from gitspec.render.model import Inline, Text

_ORDER = ("strong", "em", "code", "strike")  # of a Text's `also`


class Runs:
    """Inlines as they are converted, where neighbouring Text runs of one style wait as a list of
    their texts, joined once: a paragraph of many lines (a run per line and one per line break) holds
    one Text, not a Text per run, and is not copied as it grows."""

    def __init__(self) -> None:
        self.items: list[Inline] = []
        self._texts: list[str] = []
        self._key: tuple[str, tuple[str, ...]] = ("", ())  # the style and `also` of those texts

    def text(self, text: str, style: str, active: frozenset[str]) -> None:
        """A Text run in `style`, the other styles in effect (`active`) its `also`."""
        key = (style, also_of(style, active))
        if key != self._key:
            self._end()
            self._key = key
        self._texts.append(text)

    def append(self, item: Inline) -> None:
        self._end()
        self.items.append(item)

    def extend(self, items: Iterable[Inline]) -> None:
        for item in items:
            self.append(item)

    def inlines(self) -> list[Inline]:
        self._end()
        return self.items

    def _end(self) -> None:
        if self._texts:
            self.items.append(Text("".join(self._texts), *self._key))
            self._texts = []


def text_run(text: str, style: str, active: frozenset[str]) -> Text:
    """A Text run in `style`, the other styles in effect (`active`) its `also`."""
    return Text(text, style, also_of(style, active))


@lru_cache(maxsize=256)
def also_of(style: str, active: frozenset[str]) -> tuple[str, ...]:
    own = set(style.split("-"))
    return tuple(s for s in _ORDER if s in active and s not in own)


def merge_runs(inlines: list[Inline]) -> tuple[Inline, ...]:
    """Join neighbouring Text runs of one style; drop empty runs."""
    out: list[Inline] = []
    run: list[str] = []  # the texts of the Text run being joined, which ends out; joined once
    for item in inlines:
        if isinstance(item, Text):
            if not item.text:
                continue
            if run and (out[-1].style, out[-1].also) == (item.style, item.also):
                run.append(item.text)  # adding to out[-1].text each time was quadratic in a paragraph's lines
                continue
            _join_run(out, run)
            run = [item.text]
        else:
            _join_run(out, run)
            run = []
        out.append(item)
    _join_run(out, run)
    if out and isinstance(out[0], Text) and not out[0].text.strip():
        out.pop(0)
    return tuple(out)


def _join_run(out: list[Inline], run: list[str]) -> None:
    if len(run) > 1:
        out[-1] = Text("".join(run), out[-1].style, out[-1].also)
