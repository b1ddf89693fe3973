"""Writing a Markdown document's generated regions: a stage's text made safe to hold, the regions
replaced or added, and their stamps pinned or unpinned, every other byte of the file kept.

The reading side (sections, regions, stamps) is gitspec.markdown.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gitspec.hashing import normalise_text
from gitspec.lineendings import LINE, newline_of
from gitspec.markdown import (
    ATX, BEGIN, END, FENCE, MARKER_LIKE, find_region, front_matter_end, headings, is_alone, read_blocks, section_id,
)


def region_text(text: str) -> str:
    """A stage's Markdown `text` as a generated region holds it, so that it cannot change the document
    around it: normalised as it is hashed; its headings shifted down so that the highest is `###` (a
    `##` line would start a new section), their order of depth kept (up to `######`); a line that
    would be read as a region's marker escaped (`\\<!--`), shown as the text it is; and a code block or
    comment left open closed at its end (it would hide the region's end and the sections after it)."""
    lines = normalise_text(text).split("\n")
    levels: list[tuple[int, int]] = []  # each heading's (line, level)
    block = None
    for index, line, _, block in read_blocks(lines):
        found = ATX.match(line) if block is None else None
        if found:
            levels.append((index, len(found.group(2))))
        elif is_alone(index, block) and (MARKER_LIKE.match(line) or line.rstrip(" \t") == END):
            indent = len(line) - len(line.lstrip(" "))
            lines[index] = line[:indent] + "\\" + line[indent:]
    shift = max(0, 3 - min((level for _, level in levels), default=3))
    for index, level in levels if shift else ():
        indent = ATX.match(lines[index]).group(1)
        lines[index] = indent + "#" * min(level + shift, 6) + lines[index][len(indent) + level:]
    if block is not None and block[2]:  # still open at the end
        opener = lines[block[1]]
        fence = FENCE.match(opener)
        lines.append(fence.group(0) if block[0] == "code block" and fence else "-->")
    return "\n".join(lines)


def generated_region(stamp: dict, text: str) -> str:
    return f"{_marker(stamp)}\n{text}\n{END}"


def _marker(stamp: dict) -> str:
    import json

    return f"{BEGIN}{json.dumps(stamp, sort_keys=True, separators=(',', ':'))} -->"


def set_region_pinned(text: str, name: str, pinned: bool) -> str | None:
    """`text` with `"pinned": true` set in (or dropped from) the stamp of section `name`'s generated
    region; only that marker line changes, byte for byte everything else stays. None: no such region."""
    lines = LINE.findall(text)
    bare = [line.rstrip("\r\n") for line in lines]
    start, end = _body_span(bare, name)
    if start is None:
        return None
    body = bare[start:end]
    region = find_region(body, [is_alone(index, block) for index, _, _, block in read_blocks(body)])
    if region is None:
        return None
    first, stamp = start + region[0], region[2]  # text may come before the marker
    if pinned:
        stamp["pinned"] = True
    else:
        stamp.pop("pinned", None)
    lines[first] = _marker(stamp) + lines[first][len(bare[first]):]  # keep the line's own ending
    return "".join(lines)


def unpin_front_matter(text: str, names: tuple[str, ...]) -> str:
    """`text` with each of `names` dropped from its front matter's `pinned` list, as a YAML document's
    `pinned` header loses a section `build --force` regenerates: only the lines of that list change,
    every other byte stays. A front matter whose `pinned` is not a list is left alone (check says why)."""
    from gitspec.yamlread import read_yaml
    from gitspec.yamlwrite import unpin

    def unpinned(front: str) -> str:
        header = read_yaml(front).value
        listed = header.get("pinned") if isinstance(header, dict) else None
        if not isinstance(listed, list) or not set(names) & set(item for item in listed if isinstance(item, str)):
            return front
        return unpin(front, names)

    return _in_front_matter(text, unpinned)


def set_front_matter_pinned(text: str, name: str, pinned: bool) -> str:
    """`text` with section `name`, which its front matter holds, added to or dropped from the front
    matter's `pinned` list, as a YAML document's: a value in the front matter has no region to carry
    its pin. Only the lines of that list change."""
    from gitspec.yamlwrite import set_pinned

    return _in_front_matter(text, lambda front: set_pinned(front, name, pinned))


def write_front_matter(text: str, sections: dict[str, Any], stamps: dict[str, dict]) -> str:
    """`text` with `sections`, which its front matter holds, set there, and their stamps in its
    `generated`, as in a YAML document: only the lines of those keys change."""
    from gitspec.yamlwrite import update_document

    return _in_front_matter(text, lambda front: update_document(front, {}, sections, stamps))


def _in_front_matter(text: str, rewrite: Callable[[str], str]) -> str:
    """`text` with its front matter (the YAML between its `---` lines, in its own line endings, which the
    YAML writer keeps) rewritten; a GitspecError of the rewrite names the line of the file."""
    from gitspec.errors import GitspecError

    lines = LINE.findall(text)  # each with its own ending, as split_markdown reads them
    end = front_matter_end([line.rstrip("\r\n") for line in lines])
    if end is None:
        return text
    front = "".join(lines[1:end])
    try:
        new_front = rewrite(front)
    except GitspecError as exc:  # at a line of the front matter, which starts on the file's second
        exc.line = exc.line + 1 if exc.line else exc.line
        raise
    return text if new_front == front else "".join([lines[0], new_front, *lines[end:]])


def replace_sections(text: str, sections: dict[str, str], stamps: dict[str, dict]) -> str:
    """`text` with each section's body replaced by a stamped generated region (appended if new).
    The blank lines around the body and every other line are kept byte for byte; new lines take the
    file's own line ending (the one most of its lines have: LF, CRLF or CR). A file that did not end
    with a line ending still does not."""
    lines = LINE.findall(text)  # each a whole line, its ending kept
    newline = newline_of(text)
    unended = bool(lines) and lines[-1] == lines[-1].rstrip("\r\n")
    if unended:  # for now a whole line like the others: whatever is last loses its ending below
        lines[-1] += newline
    for name, value in sections.items():
        start, end = _body_span([line.rstrip("\r\n") for line in lines], name)
        region = [line + newline for line in generated_region(stamps[name], value).split("\n")]
        if start is None:
            title = name.replace("-", " ").capitalize()
            while lines and not lines[-1].strip():
                lines.pop()
            lines += [newline, f"## {title}{newline}", newline, *region]
            continue
        filled = [i for i in range(start, end) if lines[i].strip()]  # (a blank line is its ending alone)
        if filled:
            before, after = lines[start:filled[0]], lines[filled[-1] + 1:end]
        else:  # an empty section: a blank line before the region, and one after it unless the file ends
            before, after = lines[start:end] or [newline], [newline] if end < len(lines) else []
        lines[start:end] = [*before, *region, *after]
    written = "".join(lines)
    return written[:-len(newline)] if unended else written


def _body_span(lines: list[str], name: str) -> tuple[int | None, int | None]:
    """Line range of a `##` section's body (after its heading, before the next heading); a `## x` line in
    the front matter is YAML (a comment), no heading."""
    start = None
    closing = front_matter_end(lines)
    for index, _, heading in headings(lines, 0 if closing is None else closing + 1):
        if heading is not None and len(heading.group(1)) == 2:  # a `#` inside a section is its text
            if start is not None:
                return start, index
            if section_id(heading.group(2)) == name:
                start = index + 1
    return (start, len(lines)) if start is not None else (None, None)
