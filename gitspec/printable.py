"""Text from files and servers, made safe to print as one line on a terminal."""
from __future__ import annotations

import re

# C0 controls (line breaks included), DEL and C1 controls: an escape sequence could clear the
# screen or recolour what follows, and a line break would split one message over two lines.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """`text` with each control character written as its escape (`\\n`, `\\x1b`): one line, inert."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)
