"""Standard output and error set up, at start-up, for whatever gitspec prints: a finding's text must
never crash on the way out. Cheap: a no-op `check` runs it too; imports nothing.
"""
from __future__ import annotations

import sys


def prepare() -> None:
    """A character the terminal's encoding lacks (→ in a Latin-1 or C locale, a file name's lone
    surrogate) is printed as its escape, `\\u2192`, instead of crashing the command."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
