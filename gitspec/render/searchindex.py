"""The entries of the site's offline search index: one per page, section and item heading (the
files that hold them, read by assets/search.js, are searchparts.py's).

Pure over the render tree. An entry holds all of its section's words, never a cut: whatever a page
shows, search finds.
"""
from __future__ import annotations

import json
import re
from unicodedata import normalize

from gitspec.render.htmlblocks import plain_text
from gitspec.render.htmltext import defang_json
from gitspec.render.model import Heading, Page, Table, words_text
from gitspec.render.pagefiles import file_stem

# Accents of Latin, Greek and Cyrillic letters, as NFKD writes them apart (é is e + U+0301), Arabic's
# vowel marks and tatweel (كَتَبَ is كتب; أ is ا + U+0654, as Arabic search takes it) and Hebrew's points
# and cantillation marks (שָׁלוֹם is שלום; not its maqaf, paseq or sof pasuq); search.js drops the same.
# Not every mark: an Indic vowel sign or a kana's voicing mark makes another letter. With them, what
# Unicode says to show as nothing (Default_Ignorable_Code_Point): a soft hyphen (Zahlungs\u00adverkehr
# is the Zahlungsverkehr the page shows), a zero-width space or joiner, Persian's ZWNJ, a bidi control,
# a variation selector. Written out, as search.js writes them (a test holds them to the regex module's
# \p{Default_Ignorable_Code_Point}, which would cost every render 20 ms to import).
INVISIBLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
             "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
             "\U000e0000-\U000e0fff")
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
                    "\u064b-\u065f\u0670\u0640\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7" + INVISIBLE + "]")


def search_entries(page: Page) -> list[dict[str, str]]:
    """The page's search entries: one for the page, one per section, one per item heading inside a
    section (a requirement, a task) and one per row of a table whose rows all have anchors (the
    traceability matrix's, a row per requirement): href, page id, anchor, title, text (its words
    whole, one space between them, which search.js splits on) and the text folded word by word
    (`fold`), unless that is just the text in lower case (as for English), which search.js makes itself."""
    href = f"{file_stem(page.id)}.html"
    entries = [{"h": href, "p": page.id, "a": "", "t": _nfc(page.title), "x": page.kind}]
    for section in page.sections:
        for anchor, title, blocks in _search_parts(section):
            rowed = [block for block in blocks if isinstance(block, Table) and block.row_anchors
                     and all(block.row_anchors)]  # (else the table is found as a whole)
            text = plain_text((b for b in blocks if b not in rowed), diagram_sources=True)
            entries.append(_entry(href, page.id, anchor, title, text))
            entries.extend(_entry(href, page.id, row_anchor, " ".join(words_text(cell) for cell in row[:2]),
                                  " ".join(words_text(cell) for cell in row[2:]))  # (the title is searched too)
                           for table in rowed for row_anchor, row in zip(table.row_anchors, table.rows))
    return entries


def _entry(href: str, page_id: str, anchor: str, title: str, text: str) -> dict[str, str]:
    text = " ".join(_nfc(text).split())
    entry = {"h": f"{href}#{anchor}", "p": page_id, "a": anchor, "t": _nfc(title), "x": text}
    if text.isascii():  # folded, it is the text in lower case, which search.js makes itself
        return entry
    folded = " ".join(word.lower() if word.isascii() else fold(word) or word for word in text.split(" "))
    if folded != text.lower():  # the same words, one space apart
        entry["f"] = folded
    return entry


def fold(text: str) -> str:
    """A word as search compares it, as search.js folds each word of the query: CAFÉ, café and cafe
    alike; İ as i, ß as ss, ё as е, a final ς as σ; ﬁ as fi, fullwidth ＰＤＦ as pdf (NFKD's
    compatibility forms); كَتَبَ as كتب, שָׁלוֹם as שלום (their vowel marks dropped); a word
    holding a soft hyphen or a zero-width space as the word shown (what shows as nothing dropped). A space NFKD makes (of a spacing accent: ´) is dropped:
    one word stays one."""
    folded = _MARKS.sub("", normalize("NFKD", text.lower()).lower())
    return folded.replace("ß", "ss").replace("ς", "σ").replace(" ", "")


def _nfc(text: str) -> str:
    return normalize("NFC", text)  # composed, as shown; search compares `fold`ed text


def _search_parts(section):
    """The section cut at its headings: (anchor, title, blocks) for the text before the first
    heading, then for each heading with the blocks up to the next one, none when another heading
    follows it at once (its title is shown, so searched too)."""
    anchor, title, blocks = section.anchor, section.title, []
    for block in section.blocks:
        if isinstance(block, Heading):
            yield anchor, title, tuple(blocks)
            anchor, title, blocks = block.anchor, block.text, []
        else:
            blocks.append(block)
    yield anchor, title, tuple(blocks)


def entries_json(value) -> str:
    """JSON as the search's scripts hold it: ASCII, compact, no `javascript:` in it."""
    return defang_json(json.dumps(value, ensure_ascii=True, separators=(",", ":")))
