"""The "did you mean" id for a reference to an unknown id, found within a budget; and the guess for a
mistyped command, choice or kind.

The answer is the one `difflib.get_close_matches(word, candidates, n=1)` gives, found
without scoring every candidate in full; it never reads files or the workspace.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gitspec.symbols import Definition

CUTOFF = 0.6  # get_close_matches' default: below this a guess misleads more than it helps
# Candidates weighed per check, over all unknown references: about half a second of work. A
# renumbering leaves thousands of references dangling; weighing each against every id would
# take minutes, so once this is spent the remaining references are reported without a guess.
BUDGET = 200_000


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like `word`, as `difflib.get_close_matches(word, candidates, n=1)`.

    Only the candidates whose cheap upper bound (`quick_ratio`) could still beat the best
    match found so far are scored in full (`ratio`), best bound first.
    """
    import difflib  # only when a reference is wrong: not worth importing on every check

    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    bounded = []
    for candidate in candidates:
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= CUTOFF and matcher.quick_ratio() >= CUTOFF:
            bounded.append((matcher.quick_ratio(), candidate))
    bounded.sort(reverse=True)
    best: tuple[float, str] | None = None
    for bound, candidate in bounded:
        if best is not None and (bound, candidate) < best:  # ratio <= bound: nothing left can win
            break
        matcher.set_seq1(candidate)
        score = matcher.ratio()
        if score >= CUTOFF and (best is None or (score, candidate) > best):
            best = (score, candidate)
    return best[1] if best else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'prd'?)`: the candidate that differs from `word` only in case, else the one most
    like it; "" when none is close. For a command's name, a choice, a kind."""
    candidates = list(candidates)
    near = next((candidate for candidate in candidates if candidate.lower() == word.lower()), None) \
        or closest(word, candidates)
    return f" (did you mean '{near}'?)" if near else ""


class Suggestions:
    """Guesses for unknown ids among the ids of the wanted kinds, each target weighed once."""

    def __init__(self, definitions: Mapping[str, Sequence[Definition]], budget: int = BUDGET) -> None:
        self._definitions = definitions
        self._left = budget
        self._ids: dict[tuple[str, ...], list[str]] = {}
        self._guesses: dict[tuple[str, tuple[str, ...]], str | None] = {}

    def guess(self, target: str, kinds: tuple[str, ...]) -> str | None:
        """The id of one of `kinds` most like `target`, or None (none close, or the budget spent)."""
        key = (target, kinds)
        if key not in self._guesses:
            if kinds not in self._ids:
                self._ids[kinds] = [ident for ident, definitions in self._definitions.items()
                                    if any(d.namespace in kinds for d in definitions)]
            candidates = self._ids[kinds]
            if len(candidates) > self._left:
                return None  # not remembered: a kind with fewer ids may still fit
            self._left -= len(candidates)
            self._guesses[key] = closest(target, candidates)
        return self._guesses[key]
