"""Text as the characters a reader sees (grapheme clusters): where it may be cut or counted."""
from __future__ import annotations


def graphemes(text: str) -> list[str]:
    """`text` as the characters a reader sees: a letter with its accents, a whole emoji sequence."""
    import regex

    return regex.findall(r"\X", text)
