"""Markdown documents: front matter and `##` sections, with line numbers.

Only the document structure is read here (generated regions are written by
gitspec.markdownwrite); rendering Markdown belongs to the renderers. Headings
and region markers inside fenced code blocks are text.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from gitspec.hashing import normalise_text

# CommonMark's fences: an opening one's info string has no backtick if it is of backticks; a closing one
# has none, and at least as many of the opening one's character.
FENCE = re.compile(r"^ {0,3}(`{3,}+(?!.*`)|~{3,})")  # (possessive: a long run of backticks is read once)
_CLOSING_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")
# (a closing sequence of `#` follows a space: `## C#` is "C#"). The text is read a character or a whole run
# of spaces at a time, possessively, and a run is left out only when a closing sequence or the line's end
# follows it: a lazy `(.*?)` before `[ \t]*$` rescanned a long run of spaces from each of its spaces.
_HEADING = re.compile(r"^ {0,3}(#{1,2})[ \t]++((?:[^ \t\n]|[ \t]++(?!#*+[ \t]*+$))*+)(?:[ \t]++#++)?+[ \t]*+$")
# what underlines a level-2 setext heading, if the line before it is a paragraph's
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}-+[ \t]*$")
ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")  # any ATX heading's opening sequence, as CommonMark has it
_SLUG = re.compile(r"[^a-z0-9]+")
_COMMENT_START = re.compile(r"^ {0,3}<!--")
# A generated region, as cog marks them: the stamp rides in the opening comment.
BEGIN = "<!-- gitspec:generated "
END = "<!-- gitspec:end -->"
_MARKER = re.compile(r"\A<!-- gitspec:generated (\{.*\}) -->[ \t]*\Z")
# What a user or an editor may leave of a marker (an extra space, text after it): a region still, broken.
MARKER_LIKE = re.compile(r"\A {0,3}<!--\s*gitspec:generated\b")
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
    # level-2 headings underlined with `---` outside generated regions (no sections): their text and first line
    setext: list[tuple[str, int]] = field(default_factory=list)
    # a code block or comment never closed: (what, its line, the `##` heading it hides and that heading's
    # line, or None and None when it hides none but runs to the end of the document, the line that closes it)
    unclosed: tuple[str, int, str | None, int | None, str] | None = None
    stamps: dict[str, dict] = field(default_factory=dict)
    stamp_lines: dict[str, int] = field(default_factory=dict)  # the line of each stamp's marker
    # a generated region gitspec cannot read, by section: (its marker's line, what is wrong and how to mend it)
    broken: dict[str, tuple[int, str]] = field(default_factory=dict)


def slug(heading: str) -> str:
    """`Non-goals` -> `non-goals`, `Success metrics` -> `success-metrics`."""
    return _SLUG.sub("-", heading.lower()).strip("-")


def section_id(heading: str) -> str:
    """A `##` heading's section id: the slug of its text as the page shows it, without its Markdown
    (`## [Users](https://wiki.example/personas)` is `users`, `## R&amp;D` is `r-d`)."""
    return slug(_shown(heading) if "[" in heading or "&" in heading else heading)


def _commonmark():
    """markdown-it as the renderers read a document (CommonMark and tables), made once: making one costs
    twenty times what a heading's parse does."""
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        _PARSER = MarkdownIt("commonmark").enable("table")
    return _PARSER


_PARSER = None


def _shown(heading: str) -> str:
    """A heading's inline Markdown as its text: a link or an image is its text, an entity its character."""
    tokens = _commonmark().parseInline(heading)[0].children or []
    return "".join(" " if token.type in ("softbreak", "hardbreak") else token.content for token in tokens)


def split_markdown(text: str, as_written: bool = False) -> MarkdownParts:
    """The front matter, title and `##` sections of a Markdown document, each section's text
    normalised as it is hashed; `as_written`: with its lines' trailing spaces kept (two of them
    end a line with a hard break), as a renderer reads it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise MarkdownProblem("Markdown document has no YAML front matter (a first line '---')",
                              1, "missing-front-matter")
    end = front_matter_end(lines)
    if end is None:
        raise MarkdownProblem("front matter is not closed by a '---' line", 1, "missing-front-matter")
    parts = MarkdownParts("\n".join(lines[1:end]) + "\n", 2, None, None)
    _read_body(parts, lines, end + 1, _edges if as_written else normalise_text)
    return parts


def _setext_headings(lines: list[str], start: int, generated: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """The level-2 setext headings from line index `start` on, as markdown-it reads them (a `---` line
    under a paragraph; after a list item or a blank line it is a rule): each one's text and first line,
    but those inside the `generated` regions' line spans (a stage's sub-heading, shown as one)."""
    found = []
    for token in _commonmark().parse("\n".join(lines[start:])):
        if token.type == "heading_open" and token.tag == "h2" and token.markup.startswith("-") and token.level == 0:
            line = start + token.map[0] + 1
            if not any(first <= line <= last for first, last in generated):
                found.append((None, line))
        elif token.type == "inline" and found and found[-1][0] is None:
            found[-1] = (" ".join(token.content.split()), found[-1][1])
    return found


def front_matter_end(lines: list[str]) -> int | None:
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
            region = find_region(body, alone)
            if region:
                begin, end, parts.stamps[current] = region
                parts.stamp_lines[current] = body_line + begin
                generated.append((body_line + begin, body_line + end))
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

    hidden: tuple[str, int, str | None, int | None, str] | None = None
    block = None
    generated: list[tuple[int, int]] = []  # the line spans of the generated regions
    underlined = False  # whether a line may underline a setext heading (markdown-it then tells)
    for index, line, heading, block in read_blocks(lines, start):
        underlined = underlined or (block is None and index > start and bool(_SETEXT_UNDERLINE.match(line))
                                    and bool(lines[index - 1].strip()))
        if block is not None and hidden is None:
            covered = _HEADING.match(line)
            if covered and len(covered.group(1)) == 2:
                hidden = (block[0], block[1] + 1, covered.group(2), index + 1, _closer(lines[block[1]]))
        if block is not None and not block[2]:
            hidden = None  # the block closes here: a heading inside it was meant to be there
        if heading is not None and len(heading.group(1)) == 1 and current is not None:
            heading = None  # a `#` heading inside a section is part of its text (the title comes first)
        if heading is not None:
            level, text = len(heading.group(1)), heading.group(2)
            if level == 1:
                if parts.title is None:
                    parts.title, parts.title_line = text, index + 1
                elif parts.loose_line is None:  # a second title is shown nowhere, as any text before `##` is
                    parts.loose_line = index + 1
                continue
            close()
            current, body, alone, body_line = section_id(text), [], [], index + 2
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
            alone.append(is_alone(index, block))
        elif parts.loose_line is None and line.strip() and (block is None or block[0] != "comment"):
            parts.loose_line = index + 1
    close()
    if hidden is None and block is not None and block[2]:  # open at the end: a section added after it would be in it
        hidden = (block[0], block[1] + 1, None, None, _closer(lines[block[1]]))
    parts.unclosed = hidden
    if underlined:
        parts.setext = _setext_headings(lines, start, generated)


def unclosed_message(unclosed: tuple[str, int, str | None, int | None, str]) -> str:
    """What check says, at the line that opened it, of a code block or comment MarkdownParts.unclosed holds."""
    what, _, heading, at, closer = unclosed
    if heading is None:
        return (f"the {what} opened here is never closed, so it runs to the end of the document and a section "
                f"'gitspec build' adds there would be part of it; close it ({closer})")
    return (f"the {what} opened here is never closed, so the heading '## {heading}' at line {at} and everything "
            f"after it are read as part of it; close it ({closer})")


def _closer(opener: str) -> str:
    """The line that closes the code block or comment `opener` opens: a code block's fence, or `-->`."""
    fence = FENCE.match(opener)
    return fence.group(1) if fence else "-->"


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


def is_alone(index: int, block: tuple[str, int, bool] | None) -> bool:
    """Whether line `index`, in `block` as read_blocks gives it, is a comment opened and closed on it: only
    such a line can be a region's marker, never one shown in a code block or inside a longer comment."""
    return block == ("comment", index, False)


def find_region(lines: list[str], alone: list[bool]) -> tuple[int, int, dict] | None:
    """A section's generated region among its body `lines`: the index of its marker, of its end
    marker, and its stamp; None if it has none (or a marker whose stamp cannot be read)."""
    begin = next((i for i, line in enumerate(lines) if alone[i] and _MARKER.match(line)), None)
    if begin is None:
        return None
    stamp = _stamp(_MARKER.match(lines[begin]).group(1))
    end = next((i for i in range(begin + 1, len(lines)) if alone[i] and lines[i].rstrip(" \t") == END), None)
    return None if stamp is None or end is None else (begin, end, stamp)


def _broken_region(lines: list[str], alone: list[bool]) -> tuple[int, str] | None:
    """For a section in which find_region finds none: the index of a line that marks a region gitspec cannot
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


def headings(lines: list[str], start: int = 0):
    """Each line from `start` with its `#`/`##` heading match, or None: always None inside a fenced
    code block or an HTML comment (`## x` inside `<!-- -->` is hidden, as on GitHub)."""
    for index, line, heading, _ in read_blocks(lines, start):
        yield index, line, heading


def read_blocks(lines: list[str], start: int = 0):
    """As headings, with the block the line is part of, or None: ("code block" or "comment", the
    index of the block's first line, whether the block goes on after this line)."""
    fence: str | None = None
    block: tuple[str, int] | None = None  # the open code block or comment
    confirmed: set[int] | None = None  # the `#`/`##` headings markdown-it reads, once an indented one is met
    for index in range(start, len(lines)):
        line = lines[index]
        heading, closes = None, False
        if block is not None and block[0] == "comment":
            closes = "-->" in line
        elif fence is None and _COMMENT_START.match(line):  # CommonMark's HTML block of kind 2
            block = ("comment", index)
            closes = "-->" in line[line.index("<!--") + 4:]
        else:
            opened = FENCE.match(line)
            if fence is not None:
                closes = closes_fence(line, fence)
            elif opened:
                fence, block = opened.group(1), ("code block", index)
            else:
                heading = _HEADING.match(line)
                if heading is not None and line[0] == " ":  # indented: a heading unless in a list item or HTML
                    confirmed = _atx_headings(lines, start) if confirmed is None else confirmed
                    heading = heading if index in confirmed else None
        yield index, line, heading, None if block is None else (*block, not closes)
        if closes:
            fence = block = None


def _atx_headings(lines: list[str], start: int) -> set[int]:
    """The indexes of the lines from `start` on that markdown-it reads as a `#` or `##` heading of the
    document itself: an indented `  ## x` is one, unless it goes on a list item or sits in an HTML block."""
    return {start + token.map[0] for token in _commonmark().parse("\n".join(lines[start:]))
            if token.type == "heading_open" and token.level == 0 and token.tag in ("h1", "h2")
            and token.markup.startswith("#")}


def closes_fence(line: str, fence: str) -> bool:
    """Whether `line` closes a code block opened by `fence` (its backticks or tildes)."""
    closing = _CLOSING_FENCE.match(line)
    return closing is not None and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence)


def code_block_lines(lines: list[str]) -> set[int]:
    """The 1-based numbers of the lines in fenced code blocks, their fences included."""
    return {index + 1 for index, _, _, block in read_blocks(lines) if block is not None and block[0] == "code block"}


def section_titles(text: str) -> dict[str, str]:
    """Each `##` section's slug and its heading as written (renderers show the heading, not the slug)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    titles: dict[str, str] = {}
    closing = front_matter_end(lines)
    for _, _, heading in headings(lines, 0 if closing is None else closing + 1):
        if heading is not None and len(heading.group(1)) == 2:
            titles.setdefault(section_id(heading.group(2)), heading.group(2).strip())
    return titles
