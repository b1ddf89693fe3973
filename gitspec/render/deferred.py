"""A page's sections, built the first time a renderer reads them (render.sitemodel makes pages so)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from gitspec.render.model import Section


class Deferred(Sequence):
    """A page's sections, built the first time anything reads them.

    A run that re-renders one page needs only the ids, titles and badges of the
    others (for the index and the render keys), so their sections are never built.
    Compares, prints and pickles as the tuple it stands for.
    """

    __slots__ = ("_make", "_made")

    def __init__(self, make: Callable[[], Iterable[Section]]) -> None:
        self._make: Callable[[], Iterable[Section]] | None = make
        self._made: tuple[Section, ...] = ()

    def _all(self) -> tuple[Section, ...]:
        if self._make is not None:
            self._made, self._make = tuple(self._make()), None
        return self._made

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[Section]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return self._all() == (tuple(other) if isinstance(other, (Deferred, tuple)) else other)

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self):
        return tuple, (self._all(),)
