"""gitspec: product specs as validated, regenerated, rendered code in Git."""
from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str):
    # `from gitspec import hookimpl` for plugin authors, without importing
    # pluggy on every start-up.
    if name == "hookimpl":
        from gitspec.hookspecs import hookimpl

        return hookimpl
    raise AttributeError(name)
