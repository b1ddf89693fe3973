"""Markdown documents: front matter and `##` sections, with line numbers.

Only the document structure is read here, and generated regions are written
(a stage's text fitted to sit in one); rendering Markdown belongs to the
renderers. Headings and region markers inside fenced code blocks are text.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from gitspec.hashing import normalise_text
from gitspec.lineendings import LINE, newline_of

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,2})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")  # any ATX heading's opening sequence, as CommonMark has it
_SLUG = re.compile(r"[^a-z0-9]+")
_COMMENT_START = re.compile(r"^ {0,3}<!--")
# A generated region, as cog marks them: the stamp rides in the opening comment.
BEGIN = "<!-- gitspec:generated "
END = "<!-- gitspec:end -->"
_MARKER = re.compile(r"\A<!-- gitspec:generated (\{.*\}) -->[ \t]*\Z")
# What a user or an editor may leave of a marker (an extra space, text after it): a region still, broken.
_MARKER_LIKE = re.compile(r"\A {0,3}<!--\s*gitspec:generated\b")
# A damaged marker of gitspec's: its stamp, a JSON object, still opens it (not a comment that names them)
_DAMAGED_MARKER = re.compile(r"\A {0,3}<!--\s*gitspec:generated\s*\{")


class MarkdownProblem(Exception):
    def __init__(self, message: str, line: int, rule: str) -> None:
        super().__init__(message)
        self.message, self.line, self.rule = message, line, rule


@dataclass
class MarkdownParts:
    front_matter: str
    front_matter_line: int  # 1-based line of the first front-matter line
    title: str | None
    title_line: int | None
    sections: dict[str, str] = field(default_factory=dict)
    section_lines: dict[str, int] = field(default_factory=dict)
    text_lines: dict[str, int] = field(default_factory=dict)  # line of each section text's first line
    # a section's text joined from pieces written around its region: each piece's first line, in the
    # text (0 for the first) and in the file (the markers and blank lines between are not in the text)
    pieces: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # each section's heading as written, as section_titles
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    unnamed: list[tuple[str, int]] = field(default_factory=list)  # `##` headings that give no section id
    loose_line: int | None = None  # the first line of text before any `##` section (it belongs to none)
    # a code block or comment never closed, which hides a `##` heading: (what, its line, the heading, its line)
    unclosed: tuple[str, int, str, int] | None = None
    stamps: dict[str, dict] = field(default_factory=dict)
    stamp_lines: dict[str, int] = field(default_factory=dict)  # the line of each stamp's marker
    # a generated region gitspec cannot read, by section: (its marker's line, what is wrong and how to mend it)
    broken: dict[str, tuple[int, str]] = field(default_factory=dict)


def slug(heading: str) -> str:
    """`Non-goals` -> `non-goals`, `Success metrics` -> `success-metrics`."""
    return _SLUG.sub("-", heading.lower()).strip("-")


def split_markdown(text: str, as_written: bool = False) -> MarkdownParts:
    """The front matter, title and `##` sections of a Markdown document, each section's text
    normalised as it is hashed; `as_written`: with its lines' trailing spaces kept (two of them
    end a line with a hard break), as a renderer reads it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise MarkdownProblem("Markdown document has no YAML front matter (a first line '---')",
                              1, "missing-front-matter")
    end = _front_matter_end(lines)
    if end is None:
        raise MarkdownProblem("front matter is not closed by a '---' line", 1, "missing-front-matter")
    parts = MarkdownParts("\n".join(lines[1:end]) + "\n", 2, None, None)
    _read_body(parts, lines, end + 1, _edges if as_written else normalise_text)
    return parts


def _front_matter_end(lines: list[str]) -> int | None:
    """The index of the line that closes the front matter (`---` or `...`), the first being `---`
    (each line without its ending); None if there is no front matter, or it is not closed."""
    if not lines or lines[0].rstrip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)


def _edges(text: str) -> str:
    """normalise_text without stripping trailing spaces: the text as written, blank edges gone."""
    return text.strip("\n")


def _read_body(parts: MarkdownParts, lines: list[str], start: int, tidy: Callable[[str], str]) -> None:
    current: str | None = None
    body: list[str] = []
    alone: list[bool] = []  # for each body line, whether it is a comment of its own
    body_line = 0  # the line of body[0]

    def close() -> None:
        # Not before the first section, nor under a heading that gives no id, nor a section's second
        # copy (each reported): the first copy is the section, as `build` finds it to write it.
        if current and current not in parts.sections:
            text = tidy("\n".join(body))
            lead = _first_text(body, 0)  # normalising drops the blank lines before it
            region = _region(body, alone)
            if region:
                begin, end, parts.stamps[current] = region
                parts.stamp_lines[current] = body_line + begin
                # Text written around the region is a hand edit of the section: it is part of the
                # section's text, which then no longer matches the stamp (a blank line stands for
                # each marker, which ended a paragraph or list as a comment does).
                spans = ((0, begin), (begin + 1, end), (end + 1, len(body)))
                pieces = [(piece, _first_text(body, first)) for first, last in spans
                          if (piece := tidy("\n".join(body[first:last])))]
                text = "\n\n".join(piece for piece, _ in pieces)
                lead = pieces[0][1] if pieces else _first_text(body, begin + 1)  # after the marker line
                if len(pieces) > 1:
                    parts.pieces[current] = tuple(_piece_starts(pieces, body_line))
            else:
                broken = _broken_region(body, alone)
                if broken:
                    parts.broken[current] = (body_line + broken[0], broken[1])
            parts.sections[current] = text
            parts.text_lines[current] = body_line + lead

    hidden: tuple[str, int, str, int] | None = None
    for index, line, heading, block in _read(lines, start):
        if block is not None and hidden is None:
            covered = _HEADING.match(line)
            if covered and len(covered.group(1)) == 2:
                hidden = (block[0], block[1] + 1, covered.group(2), index + 1)
        if block is not None and not block[2]:
            hidden = None  # the block closes here: a heading inside it was meant to be there
        if heading is not None and len(heading.group(1)) == 1 and current is not None:
            heading = None  # a `#` heading inside a section is part of its text (the title comes first)
        if heading is not None:
            level, text = len(heading.group(1)), heading.group(2)
            if level == 1:
                if parts.title is None:
                    parts.title, parts.title_line = text, index + 1
                continue
            close()
            current, body, alone, body_line = slug(text), [], [], index + 2
            if not current:
                parts.unnamed.append((text, index + 1))
                continue
            if current in parts.sections or current in parts.section_lines:
                parts.duplicates.append((current, index + 1))
            parts.section_lines.setdefault(current, index + 1)
            parts.titles.setdefault(current, text.strip())
            continue
        if current is not None:
            body.append(line)
            alone.append(_alone(index, block))
        elif parts.loose_line is None and line.strip() and (block is None or block[0] != "comment"):
            parts.loose_line = index + 1
    close()
    parts.unclosed = hidden


def _piece_starts(pieces: list[tuple[str, int]], body_line: int):
    """Each piece's first line in the text the pieces make, joined by a blank line, and in the file."""
    at = 0
    for piece, lead in pieces:
        yield at, body_line + lead
        at += piece.count("\n") + 2


def _first_text(lines: list[str], start: int) -> int:
    """The index of the first line from `start` that is not blank, as normalise_text sees blank
    (spaces and tabs only), or len(lines) when none is."""
    return next((i for i in range(start, len(lines)) if lines[i].strip(" \t")), len(lines))


def _alone(index: int, block: tuple[str, int, bool] | None) -> bool:
    """Whether line `index`, in `block` as _read gives it, is a comment opened and closed on it: only
    such a line can be a region's marker, never one shown in a code block or inside a longer comment."""
    return block == ("comment", index, False)


def _region(lines: list[str], alone: list[bool]) -> tuple[int, int, dict] | None:
    """A section's generated region among its body `lines`: the index of its marker, of its end
    marker, and its stamp; None if it has none (or a marker whose stamp cannot be read)."""
    begin = next((i for i, line in enumerate(lines) if alone[i] and _MARKER.match(line)), None)
    if begin is None:
        return None
    stamp = _stamp(_MARKER.match(lines[begin]).group(1))
    end = next((i for i in range(begin + 1, len(lines)) if alone[i] and lines[i].rstrip(" \t") == END), None)
    return None if stamp is None or end is None else (begin, end, stamp)


def _broken_region(lines: list[str], alone: list[bool]) -> tuple[int, str] | None:
    """For a section in which _region finds none: the index of a line that marks a region gitspec cannot
    read, and what is wrong with it; None if there is no such line (the section is the user's own text)."""
    for index, line in enumerate(lines):
        if not (alone[index] and _DAMAGED_MARKER.match(line)):
            continue
        marker = _MARKER.match(line)
        if marker is None:
            return index, (f"its marker is not written as gitspec writes it ('{BEGIN}{{...}} -->', alone on "
                           "its line); restore it")
        if _stamp(marker.group(1)) is None:
            return index, "the stamp in its marker is not a JSON object; restore it"
        return index, f"its end marker '{END}' is missing; put it back on its own line after the generated text"
    for index, line in enumerate(lines):  # no marker at all, but an end: the marker with the stamp is gone
        if alone[index] and line.rstrip(" \t") == END:
            return index, (f"its end marker has no marker with the stamp before it ('{BEGIN}{{...}} -->'); "
                           "restore it from git")
    return None


def _stamp(text: str) -> dict | None:
    import json

    try:
        stamp = json.loads(text)
    except ValueError:
        return None
    return stamp if isinstance(stamp, dict) else None


def region_text(text: str) -> str:
    """A stage's Markdown `text` as a generated region holds it, so that it cannot change the document
    around it: normalised as it is hashed; its headings shifted down so that the highest is `###` (a
    `##` line would start a new section), their order of depth kept (up to `######`); a line that
    would be read as a region's marker escaped (`\\<!--`), shown as the text it is; and a code block or
    comment left open closed at its end (it would hide the region's end and the sections after it)."""
    lines = normalise_text(text).split("\n")
    headings: list[tuple[int, int]] = []  # (line, level)
    block = None
    for index, line, _, block in _read(lines):
        found = _ATX.match(line) if block is None else None
        if found:
            headings.append((index, len(found.group(2))))
        elif _alone(index, block) and (_MARKER_LIKE.match(line) or line.rstrip(" \t") == END):
            indent = len(line) - len(line.lstrip(" "))
            lines[index] = line[:indent] + "\\" + line[indent:]
    shift = max(0, 3 - min((level for _, level in headings), default=3))
    for index, level in headings if shift else ():
        indent = _ATX.match(lines[index]).group(1)
        lines[index] = indent + "#" * min(level + shift, 6) + lines[index][len(indent) + level:]
    if block is not None and block[2]:  # still open at the end
        opener = lines[block[1]]
        fence = _FENCE.match(opener)
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
    region = _region(body, [_alone(index, block) for index, _, _, block in _read(body)])
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
    from gitspec.errors import GitspecError
    from gitspec.yamlread import read_yaml
    from gitspec.yamlwrite import unpin

    lines = LINE.findall(text)  # each with its own ending, as split_markdown reads them
    end = _front_matter_end([line.rstrip("\r\n") for line in lines])
    if end is None:
        return text
    front = "".join(lines[1:end])  # in its own line endings, which the YAML writer keeps
    header = read_yaml(front).value
    listed = header.get("pinned") if isinstance(header, dict) else None
    if not isinstance(listed, list) or not set(names) & set(item for item in listed if isinstance(item, str)):
        return text
    try:
        new_front = unpin(front, names)
    except GitspecError as exc:  # at a line of the front matter, which starts on the file's second
        exc.line = exc.line + 1 if exc.line else exc.line
        raise
    return "".join([lines[0], new_front, *lines[end:]])


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


def _headings(lines: list[str], start: int = 0):
    """Each line from `start` with its `#`/`##` heading match, or None: always None inside a fenced
    code block or an HTML comment (`## x` inside `<!-- -->` is hidden, as on GitHub)."""
    for index, line, heading, _ in _read(lines, start):
        yield index, line, heading


def _read(lines: list[str], start: int = 0):
    """As _headings, with the block the line is part of, or None: ("code block" or "comment", the
    index of the block's first line, whether the block goes on after this line)."""
    fence: str | None = None
    block: tuple[str, int] | None = None  # the open code block or comment
    for index in range(start, len(lines)):
        line = lines[index]
        heading, closes = None, False
        if block is not None and block[0] == "comment":
            closes = "-->" in line
        elif fence is None and _COMMENT_START.match(line):  # CommonMark's HTML block of kind 2
            block = ("comment", index)
            closes = "-->" in line[line.index("<!--") + 4:]
        else:
            opened = _FENCE.match(line)
            if fence is None and opened:
                fence = opened.group(1)[0] * len(opened.group(1))
                block = ("code block", index)
            elif fence is not None and line.strip().startswith(fence):
                closes = True
            elif fence is None:
                heading = _HEADING.match(line)
        yield index, line, heading, None if block is None else (*block, not closes)
        if closes:
            fence = block = None


def code_block_lines(lines: list[str]) -> set[int]:
    """The 1-based numbers of the lines in fenced code blocks, their fences included."""
    return {index + 1 for index, _, _, block in _read(lines) if block is not None and block[0] == "code block"}


def _body_span(lines: list[str], name: str) -> tuple[int | None, int | None]:
    """Line range of a `##` section's body (after its heading, before the next heading); a `## x` line in
    the front matter is YAML (a comment), no heading."""
    start = None
    closing = _front_matter_end(lines)
    for index, _, heading in _headings(lines, 0 if closing is None else closing + 1):
        if heading is not None and len(heading.group(1)) == 2:  # a `#` inside a section is its text
            if start is not None:
                return start, index
            if slug(heading.group(2)) == name:
                start = index + 1
    return (start, len(lines)) if start is not None else (None, None)


def section_titles(text: str) -> dict[str, str]:
    """Each `##` section's slug and its heading as written (renderers show the heading, not the slug)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    titles: dict[str, str] = {}
    closing = _front_matter_end(lines)
    for _, _, heading in _headings(lines, 0 if closing is None else closing + 1):
        if heading is not None and len(heading.group(1)) == 2:
            titles.setdefault(slug(heading.group(2)), heading.group(2).strip())
    return titles
