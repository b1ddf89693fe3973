"""Which way a text reads, as HTML's `dir="auto"` decides it: from its first strong character
(Unicode's bidirectional rule P2). Pure; used where a format cannot decide it for itself (weasyprint, Word)."""
from __future__ import annotations

import unicodedata

RIGHT_TO_LEFT = frozenset({"R", "AL"})  # the bidirectional classes of Hebrew, Arabic, Syriac, Thaana, N'Ko...


def right_to_left(text: str) -> bool:
    """Whether `text` reads right to left: its first letter (of a strong direction) is Arabic, Hebrew..."""
    for c in text:
        kind = unicodedata.bidirectional(c)
        if kind in RIGHT_TO_LEFT:
            return True
        if kind == "L":
            return False
    return False


def has_right_to_left(text: str) -> bool:
    """Whether `text` holds any right-to-left letter."""
    return not text.isascii() and any(unicodedata.bidirectional(c) in RIGHT_TO_LEFT for c in text)
