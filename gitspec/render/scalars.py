"""A YAML scalar as a page shows it (yes and no, numbers as people write them), and which values are
short tokens (ids, tags) that a table cell lists on one line.

Pure.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

_UNSPACED_SCRIPTS = ("THAI", "LAO", "KHMER", "MYANMAR")  # written without spaces between words, as CJK is


def is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def short_list(value: Any) -> bool:
    """A list shown inline in a table cell: a few short tokens such as ids or tags."""
    return isinstance(value, list) and len(value) <= 12 and all(isinstance(v, (str, int, float)) and is_token(str(v))
                                                                for v in value)


def is_token(text: str) -> bool:
    """A short word such as an id or a tag, not a sentence: no spaces, and none of the characters of
    the scripts in which a whole sentence is written without one (Chinese, Japanese, Thai, Lao, Khmer,
    Burmese). A Korean word is one: Korean puts spaces between its words. So is an amount (`￥500`)."""
    if len(text) > 40:
        return False
    if text.isascii():  # most ids and tags: no script to look up
        return not any(char.isspace() for char in text)
    return not any(char.isspace() or _of_unspaced_script(char) for char in text)


@lru_cache(maxsize=4096)
def _of_unspaced_script(char: str) -> bool:
    """A character of a sentence written without spaces; not a currency sign or a digit, which belong
    to no script's words even when halfwidth or fullwidth (`₩1000`, `￥５００`) or Thai (`฿100`)."""
    from unicodedata import category, name

    from gitspec.render.segmentbreaks import unspaced

    if category(char) in ("Sc", "Nd"):
        return False
    return unspaced(char) or name(char, " ").split()[0] in _UNSPACED_SCRIPTS


def scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def number_text(value: float) -> str:
    """A float as people write it: 0.00001, not Python's 1e-05, for sizes a page shows (as JavaScript
    does, digits in full from 1e-7 up to 1e21); the digits are the shortest that give it back."""
    text = repr(value)
    if "e" not in text or not 1e-7 <= abs(value) < 1e21:
        return text
    from decimal import Decimal

    return format(Decimal(text), "f")
