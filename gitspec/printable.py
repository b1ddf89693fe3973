"""Text from files and servers, made safe to print as one line on a terminal."""
from __future__ import annotations

import json
import math
import re
from typing import Any

# C0 controls (line breaks included), DEL and C1 controls: an escape sequence could clear the
# screen or recolour what follows, and a line break would split one message over two lines.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MAX_SHOWN = 60  # characters of a value quoted in a message: the reason after it must stay in sight


def one_line(text: str) -> str:
    """`text` with each control character written as its escape (`\\n`, `\\x1b`): one line, inert."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)


def file_name(path: str) -> str:
    """A path as the OS gave it, each byte that is not UTF-8 (which Python holds as a lone surrogate)
    written as its escape (`\\xff`): text any output, JSON included, can carry."""
    if path.isascii():
        return path
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no byte stands for
        return path.encode("utf-8", "backslashreplace").decode("utf-8")


def is_utf8(text: str) -> bool:
    """Whether text the OS gave (a file name, an argument) is UTF-8: bytes that are not come as lone
    surrogates (surrogateescape), which no UTF-8 file, page or JSON can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(value: Any) -> str:
    """A value from a document as a finding quotes it: text as Python's repr (quoted, with invisible
    characters such as a zero-width space or a right-to-left mark escaped: 'REQ-001\\u200b'), other values as
    YAML spells them (true, null, .inf, not Python's True, None, inf); at most about _MAX_SHOWN characters."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    if isinstance(value, str):
        return repr(value if len(value) <= _MAX_SHOWN else value[:_MAX_SHOWN].rstrip() + "…")
    if isinstance(value, (list, dict)):  # JSON is YAML's flow style
        text = json.dumps(value, ensure_ascii=False, default=str)
        text = text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN].rstrip() + "…"
        return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
    return repr(value)
