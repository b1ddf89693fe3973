"""Pictures a Markdown document shows from the workspace (`![alt](img/flow.png)`): where they
are, what they hash to, and their checked bytes.

A path leads only to a file inside the workspace (never through `..` or a symlink out of it);
the bytes must be a whole PNG, JPEG or GIF, or an SVG with nothing in it that can run or fetch.
Nothing from outside the workspace is ever read, and nothing remote is ever fetched.
"""
from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from gitspec.render.imagecheck import ImageRefused, check_raster, check_svg
from gitspec.render.renderer import Picture
from gitspec.unicodenames import on_disk

MAX_BYTES = 20 * 1024 * 1024
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_RASTER = {b"\x89PNG\r\n\x1a\n": ("PNG", "png"), b"\xff\xd8\xff": ("JPEG", "jpg"),
           b"GIF87a": ("GIF", "gif"), b"GIF89a": ("GIF", "gif")}


def image_path(document: str, src: str) -> str | None:
    """The workspace-relative path a Markdown image in `document` (workspace-relative) points at,
    or None when it is not a local file (a URL, `data:`, `#top`). A path that leaves the workspace starts
    with `../` (and is never read). As on GitHub, `/img.png` is taken from the top of the workspace."""
    src = src.strip()
    if not src or _SCHEME.match(src):
        return None
    src = unquote(src.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")  # as a browser reads `img\x.png`
    if not src or "\0" in src or src.startswith("//"):  # `//host/x.png` is remote
        return None
    joined = src.lstrip("/") if src.startswith("/") else posixpath.join(posixpath.dirname(document), src)
    return posixpath.normpath(joined)  # "." (a folder, never a picture) when it leads to the top


def image_sources(text: str) -> list[str]:
    """The `src` of every image in a Markdown text, reference-style ones included."""
    return [src for src, _, _ in image_references(text)]


def image_references(text: str) -> list[tuple[str, int, int]]:
    """Every image in a Markdown text as (src, line, column), in the order written: the line counts
    from 0, the column from 1, and point at the src as written (at the `![` of a reference-style
    image, whose src is written elsewhere). An image in another's alt text is not one."""
    return [(src, line, col) for src, line, col, _ in _images(text)]


def pictures_without_alt(text: str, document: str) -> list[tuple[str, int, int]]:
    """The workspace pictures a Markdown text (of the document at workspace path `document`) shows
    with no alt text (`![](img/flow.png)`), as image_references gives them: the site marks such a
    picture decorative (alt=""), so a screen reader skips it. Not a picture in a heading, which is text."""
    return [(src, line, col) for src, line, col, alt in _images(text)
            if alt is not None and not alt.strip() and image_path(document, src) is not None]


def _images(text: str) -> list[tuple[str, int, int, str | None]]:
    """image_references, each with its alt text as the render reads it (None for one in a heading)."""
    if "![" not in text:  # most documents have none: skip the parse
        return []
    from gitspec.render.markdownparse import parse_tokens
    from gitspec.render.markdowntree import alt_text

    lines = text.split("\n")
    found: list[tuple[str, int, int, str | None]] = []
    tokens = parse_tokens(text)
    for at, block in enumerate(tokens):
        if block.type != "inline" or not block.children:
            continue
        headed = at > 0 and tokens[at - 1].type == "heading_open"
        start, end = block.map or (0, 1)
        cursor = (start, 0)
        stack = list(reversed(block.children))
        while stack:
            token = stack.pop()
            if token.type == "image":
                src = str(token.attrs.get("src", ""))
                line, col, cursor = _position(lines, cursor, min(end, len(lines)), src)
                found.append((src, line, col, None if headed else alt_text(token)))
            else:
                stack.extend(reversed(token.children or ()))
    return found


def _position(lines: list[str], cursor: tuple[int, int], end: int, src: str) -> tuple[int, int, tuple[int, int]]:
    """Where an image's src is written, from `cursor` (line, offset) on, and the cursor after it."""
    plain = unquote(src)
    for prefix, wanted in (("](", src), ("](<", plain), ("](", plain), ("![", "")):
        found = _find(lines, cursor, end, prefix + wanted)
        if found is not None:
            line, at = found
            column = at if not wanted else at + len(prefix)
            return line, column + 1, (line, at + len(prefix) + len(wanted))
    return cursor[0], 1, cursor


def _find(lines: list[str], cursor: tuple[int, int], end: int, needle: str) -> tuple[int, int] | None:
    for number in range(cursor[0], end):
        at = lines[number].find(needle, cursor[1] if number == cursor[0] else 0)
        if at >= 0:
            return number, at
    return None


def picture_problem(root: Path, path: str) -> str | None:
    """Why the workspace picture at `path` cannot be shown, or None when it can."""
    try:
        load_picture(root, path)
    except ImageRefused as refused:
        return str(refused)
    return None


def file_digest(root: Path, path: str) -> str:
    """The sha256 of the workspace file at `path`, or "" when it cannot be shown as a picture
    (missing, a folder, outside the workspace through a symlink, too large)."""
    try:
        return hashlib.sha256(_read(root, path)).hexdigest()
    except ImageRefused:
        return ""


def load_picture(root: Path, path: str) -> Picture:
    """The picture at `path`, checked; ImageRefused says why it cannot be shown."""
    data = _read(root, path)
    kind = next((k for magic, k in _RASTER.items() if data.startswith(magic)), None)
    if kind is not None:
        check_raster(data, kind[0])
        return Picture(data, kind[1])
    if _looks_like_svg(data):
        check_svg(data)
        return Picture(data, "svg")
    raise ImageRefused("it is not a PNG, JPEG, GIF or SVG image")


def _read(root: Path, path: str) -> bytes:
    if path == ".." or path.startswith("../"):
        raise ImageRefused("it is outside the workspace")
    target = on_disk(root / path) or root / path  # as `ls` shows it: `façade.png` written decomposed too
    try:
        resolved = target.resolve()
        if not resolved.is_relative_to(root.resolve()):
            raise ImageRefused("a symlink leads it outside the workspace")
        if not resolved.is_file():
            raise ImageRefused("no such file" if not resolved.exists() else "it is not a file")
        if resolved.stat().st_size > MAX_BYTES:
            raise ImageRefused(f"it is larger than {MAX_BYTES // (1024 * 1024)} MiB")
        return resolved.read_bytes()
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop, before Python 3.13
        raise ImageRefused(getattr(error, "strerror", None) or str(error)) from None


def _looks_like_svg(data: bytes) -> bool:
    """XML text (check_svg then says whether it is an SVG): a long comment may come before `<svg`."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"
