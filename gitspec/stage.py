"""What a stage is: its declaration (name, version, inputs, outputs) and what `generate` receives.

A stage's `generate` is pure: it gets input values and a provider, and returns
section values. It never reads or writes files; the pipeline does that.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Callable

# Text the template provider writes where a fact needs inference it cannot do.
# `gitspec check` lists every string that starts with it.
PLACEHOLDER = "[placeholder]"


def placeholder(what: str) -> str:
    """A clearly marked placeholder, never an invented claim."""
    return f"{PLACEHOLDER} {what}"


@dataclass(frozen=True)
class Output:
    """One generated section and the input addresses it depends on."""

    section: str
    depends_on: tuple[str, ...]


@dataclass(frozen=True)
class StageInput:
    """What `generate` receives: current input values by address, the provider, options."""

    values: dict[str, Any]
    provider: Any  # gitspec.providers.Provider
    options: dict[str, Any] = field(default_factory=dict)
    taken: frozenset[str] = frozenset()  # ids with the stage's `ids` prefixes that other documents define

    def get(self, address: str, default: Any = None) -> Any:
        value = self.values.get(address)
        return default if value is None else value

    def new_ids(self, prefix: str) -> Iterator[str]:
        """`PREFIX-001`, `PREFIX-002`, ... leaving out the ids other documents define (`taken`): an id
        already in use elsewhere would be a duplicate, and the ids of the stage's own document stay put."""
        number = 0
        while True:
            number += 1
            item_id = f"{prefix}-{number:03d}"
            if item_id not in self.taken:
                yield item_id


@dataclass(frozen=True)
class Stage:
    """A stage as plugins declare it through `gitspec_stages`.

    `document` is the id of the document the outputs are written to (created
    with `kind` and `title` when missing). `inputs` are addresses
    (`product#features`); each output names the inputs it depends on, which is
    how staleness is judged per section. `generate(StageInput)` returns
    `{section: value}` for every output. `ids` are the prefixes of the item
    ids `generate` numbers (`FEAT`): those other documents define reach it as
    `StageInput.taken`, and are part of the cache key.
    """

    name: str
    version: str
    document: str
    kind: str
    title: str
    inputs: tuple[str, ...]
    outputs: tuple[Output, ...]
    generate: Callable[[StageInput], dict[str, Any]]
    prompt_version: str = "1"
    ids: tuple[str, ...] = ()
