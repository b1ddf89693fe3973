"""ASCII slugs (document ids, screen routes) from text in any script, by transliteration.

`Größe öffnen` -> `grosse-offnen`, `Требования к оплате` -> `trebovaniya-k-oplate`: ids and routes stay
plain ASCII (file names, URLs, code) while titles and names keep the text as written.
"""
from __future__ import annotations

import re

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits joined by '-'; '' when nothing in `text` spells a letter or digit."""
    if not text.isascii():
        from anyascii import anyascii  # a table per Unicode block, loaded on first use

        text = anyascii(text)
    return _NOT_SLUG.sub("-", text.lower()).strip("-")
