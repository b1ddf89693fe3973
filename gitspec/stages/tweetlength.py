"""A text's length as X (Twitter) counts it against a tweet's 280: twitter-text's weighting (config v3).

Pure functions. Not twitter-text-parser: it takes over half a second to import (it compiles its emoji
tables) and needs setuptools' pkg_resources without declaring it.
"""
from __future__ import annotations

import unicodedata

from gitspec.graphemes import graphemes

URL_WEIGHT = 23  # X shortens every link to a t.co link of this length
# Code points X counts once; every other counts twice.
_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
# A link: with a scheme (always 23), or a bare domain ("example.com/x", 23 when X knows the top-level
# domain, else its characters: counted as the larger, which never lets a tweet run over).
# Trailing punctuation is the sentence's, not the link's.
_LINK = (r"(?:https?://|(?<![\p{L}\p{N}@._-])(?=(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}\b))"
         r"\S+?(?=[.,;:!?'\")\]]*(?:\s|$))")
# A cluster X counts as one emoji, weighing 2 whatever its code points: a pictograph with its modifiers
# and ZWJ joins, a flag (two regional indicators), a keycap.
_EMOJI = r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]"


def tweet_length(text: str) -> int:
    """The weighted length of `text`: X's limit is 280 of these."""
    import regex  # the standard re has neither grapheme clusters nor Unicode properties

    text = unicodedata.normalize("NFC", text)
    total, start = 0, 0
    for link in regex.finditer(_LINK, text):
        plain = _weight(text[link.start():link.end()])
        total += _weight(text[start:link.start()]) + (URL_WEIGHT if link[0].startswith(("http://", "https://"))
                                                      else max(URL_WEIGHT, plain))
        start = link.end()
    return total + _weight(text[start:])


def _weight(text: str) -> int:
    import regex

    return sum(2 if regex.search(_EMOJI, cluster) else sum(map(_code_point_weight, cluster))
               for cluster in graphemes(text))


def _code_point_weight(char: str) -> int:
    code = ord(char)
    return 1 if any(low <= code <= high for low, high in _LIGHT) else 2
