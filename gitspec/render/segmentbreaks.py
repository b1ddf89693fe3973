"""A soft line break of Markdown (a line wrapped inside a paragraph) as the text it reads as: a
space, or nothing between two Chinese or Japanese characters, as CSS Text 3's segment break
transformation rules say (https://www.w3.org/TR/css-text-3/#line-break-transform).

Pure: two characters in, a string out.
"""
from __future__ import annotations

from functools import lru_cache

_ZERO_WIDTH_SPACE = "\u200b"


def soft_break(before: str, after: str) -> str:
    """What a soft line break between the characters `before` and `after` reads as ("" for none):
    nothing beside a zero-width space, or between two wide characters of which neither is Hangul
    (Korean puts spaces between its words); a space otherwise. A wrapped `請求\\n書` reads `請求書`."""
    if _ZERO_WIDTH_SPACE in (before, after):
        return ""
    return "" if before and after and unspaced(before) and unspaced(after) else " "


@lru_cache(maxsize=4096)
def unspaced(char: str) -> bool:
    """A Chinese or Japanese character, or their punctuation, written without spaces between words:
    East Asian Width Wide, Fullwidth or Halfwidth (not Ambiguous), and not Hangul (Korean has spaces)."""
    from unicodedata import east_asian_width, name

    return east_asian_width(char) in "WFH" and "HANGUL" not in name(char, "")
