"""The files of the site's search index: search-index.js, listing the pages in reading order and the
bucket scripts (search/parts/<nn>.js) that hold their entries, a page's in the bucket its id's hash names.

Pure: the previous render's buckets come in through `earlier`; nothing here reads or writes files.
A search's first keystroke loads every bucket, so their number is bounded; an edited page changes only
its own bucket, and a render makes the entries of only the pages whose line there does not match them.
"""
from __future__ import annotations

import hashlib
import json
import re
from typing import Callable, Iterable

from gitspec.render.model import Page
from gitspec.render.searchindex import entries_json, search_entries

INDEX = "search-index.js"
# A search's first keystroke loads every bucket, about a millisecond a script; a one-page edit rewrites its
# page's bucket, 1/BUCKETS of the index.
BUCKETS = 64
# Scripts, not JSON: fetch() of a local file is refused under file://
_HEAD, _TAIL = "window.GITSPEC_SEARCH_PARTS.push([\n", "\n]);\n"
# A page's line in its bucket: [id, tag, entries] (see _line)
_LINE = re.compile(r'\[("(?:[^"\\]|\\.)*"),"([0-9a-f]{32})",(.*)\],?')


def search_files(pages: Iterable[Page], version: str,
                 earlier: Callable[[str], bytes | None] = lambda name: None) -> dict[str, bytes]:
    """search-index.js and the buckets of `pages` (in reading order); `version` is the renderer's, and
    `earlier(name)` the file the previous render wrote there, or None."""
    pages = list(pages)
    buckets: dict[str, list[Page]] = {}
    for page in pages:
        buckets.setdefault(bucket_name(page.id), []).append(page)
    index = (f"window.GITSPEC_SEARCH_FILES = {entries_json(sorted(buckets))};\n"
             f"window.GITSPEC_SEARCH_PAGES = {entries_json([page.id for page in pages])};\n")
    files = {INDEX: index.encode("ascii")}
    for name, members in sorted(buckets.items()):
        known = _lines(earlier(name))
        lines = (_line(page, version, known.get(page.id)) for page in sorted(members, key=lambda p: p.id))
        files[name] = (_HEAD + ",\n".join(lines) + _TAIL).encode("ascii")
    return files


def bucket_name(page_id: str) -> str:
    """The bucket of a page: by a hash of its id, the same in every render and on every machine."""
    digest = hashlib.sha256(page_id.encode("utf-8")).digest()
    return f"search/parts/{int.from_bytes(digest[:4], 'big') % BUCKETS:02d}.js"


def _line(page: Page, version: str, known: tuple[str, str] | None) -> str:
    """A page's line in its bucket: its id, a tag and its entries. The tag is a digest of the renderer's
    version, the page's key and its entries' text, so that the previous render's line is taken as it is
    only when the page has not changed since and the line is as that render wrote it (a page without
    a key is always made again)."""
    if known is not None and page.key and known[0] == _tag(version, page, known[1]):
        tag, text = known
    else:
        text = entries_json(search_entries(page))
        tag = _tag(version, page, text)
    return f"[{entries_json(page.id)},\"{tag}\",{text}]"


def _tag(version: str, page: Page, text: str) -> str:
    framed = json.dumps([version, page.key, page.id]) + "\n" + text
    return hashlib.sha256(framed.encode("utf-8")).hexdigest()[:32]  # 128 bits: in every page's line


def _lines(data: bytes | None) -> dict[str, tuple[str, str]]:
    """{page id: (tag, entries text)} of a bucket the previous render wrote; nothing from anything else."""
    if not data:
        return {}
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return {}
    known = {}
    for line in text.splitlines():
        match = _LINE.fullmatch(line)
        if match:
            try:
                known[json.loads(match[1])] = (match[2], match[3])
            except ValueError:
                continue
    return known
