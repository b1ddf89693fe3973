"""Documents: bytes in, a header, sections and positions out.

Pure: no file system access. Everything gitspec refuses to read raises
DocumentProblem carrying the 1-based line and column, never a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gitspec.addresses import format_address
from gitspec.hashing import value_hash
from gitspec.markdown import MarkdownProblem, split_markdown, unclosed_message
from gitspec.printable import shown
from gitspec.yamlread import YamlProblem, YamlTree, read_yaml

HEADER_KEYS = ("kind", "id", "title", "status", "owners", "approvals", "generated", "pinned")
MARKDOWN_SUFFIXES = (".md",)


class DocumentProblem(Exception):
    """What is wrong with a document's text: raised when it cannot be read at all, else kept in
    `Document.notes` (an error, unless `warning`)."""

    def __init__(self, message: str, line: int, col: int, rule: str, warning: bool = False) -> None:
        super().__init__(message)
        self.message, self.line, self.col, self.rule, self.warning = message, line, col, rule, warning


@dataclass
class Document:
    path: str  # workspace-relative, with '/'
    format: str  # "yaml" or "markdown"
    header: dict[str, Any]
    sections: dict[str, Any]
    tree: YamlTree  # positions of the YAML (the whole file, or the front matter)
    section_lines: dict[str, int] = field(default_factory=dict)
    notes: list[DocumentProblem] = field(default_factory=list)
    text_lines: dict[str, int] = field(default_factory=dict)  # Markdown: the line each section's text starts on
    titles: dict[str, str] = field(default_factory=dict)  # Markdown: each section's heading as written
    pieces: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)  # Markdown: see MarkdownParts
    # Markdown: each section whose generated region cannot be read, with why ("line 9: its end marker ...")
    broken: dict[str, str] = field(default_factory=dict)
    stamp_lines: dict[str, int] = field(default_factory=dict)  # Markdown: the line of each region's marker
    # Markdown: each front-matter key that is no header key, in the file's order. Such a key is a section,
    # as in YAML (a tasks document's `items`, a PRD's `product`), written as YAML where the file has it.
    front_keys: tuple[str, ...] = ()

    def in_front_matter(self, section: str) -> bool:
        """Whether a Markdown document holds `section` in its front matter (and not under a `##` heading):
        a rewrite writes it there, and its value is YAML's, not Markdown text."""
        return section in self.front_keys and section not in self.section_lines

    def markdown_texts(self) -> dict[str, str]:
        """A Markdown document's sections written under `##` headings, the Markdown text its links,
        pictures and mentions are read from; none of a YAML document, nor a front-matter value (YAML's)."""
        if self.format != "markdown":
            return {}
        return {name: text for name, text in self.sections.items() if name in self.section_lines}

    def text_line(self, section: str, offset: int) -> int:
        """The file's line of line `offset` (0 for the first) of Markdown section `section`'s text."""
        start, line = 0, self.text_lines.get(section, 1)
        for piece_start, piece_line in self.pieces.get(section, ()):
            if piece_start <= offset:  # text written around a region: the markers are not in the text
                start, line = piece_start, piece_line
        return line + offset - start

    @property
    def kind(self) -> Any:
        return self.header.get("kind")

    @property
    def id(self) -> Any:
        return self.header.get("id")

    def instance(self) -> dict[str, Any]:
        """What the kind's schema validates in a YAML document: header keys and sections together (a Markdown
        document's leaves out a key in the wrong place: see gitspec.frontmatter.Placement)."""
        return {**self.header, **self.sections}

    def locate(self, path: tuple | list) -> tuple[int, int]:
        """1-based (line, col) of the value at `path` in the instance."""
        if self.format == "markdown" and path and path[0] in self.section_lines:
            return self.section_lines[path[0]], 1
        if self.stamp_of(path):
            return self.stamp_lines[path[1]], 1
        return self.tree.locate(path)

    def locate_key(self, path: tuple | list, key: str) -> tuple[int, int]:
        if self.format == "markdown" and not path and key in self.section_lines:
            return self.section_lines[key], 1
        if self.stamp_of((*path, key)):
            return self.stamp_lines[key if len(path) == 1 else path[1]], 1
        return self.tree.locate_key(path, key)

    def value_comment(self, path: tuple | list) -> tuple[int, int] | None:
        """Where the `#` is of a comment written in place of the value at `path` (see YamlTree.value_comment)."""
        if self.format == "markdown" and path and path[0] in self.section_lines or self.stamp_of(path):
            return None
        return self.tree.value_comment(path)

    def stamp_of(self, path: tuple | list) -> str | None:
        """The section whose Markdown region marker holds the value at `path` (`generated/summary/...`)
        in the instance, which the front matter does not hold; None for any other path."""
        if len(path) >= 2 and path[0] == "generated" and path[1] in self.stamp_lines:
            return path[1]
        return None

    def address(self, path: tuple | list) -> str:
        """`id#section/rest`; for a document without an id, `section/rest`, or "" for the whole of it."""
        if self.id is None:
            return format_address("", tuple(path)).removeprefix("#")
        return format_address(str(self.id), tuple(path))

    def section_hashes(self) -> dict[str, str]:
        return {name: value_hash(value) for name, value in self.sections.items()}


def decode(data: bytes) -> str:
    """UTF-8 text of a document, refusing empty, binary and mis-encoded files."""
    if not data.strip():
        raise DocumentProblem("empty file", 1, 1, "empty-file")
    if b"\0" in data[:8192]:
        raise DocumentProblem("binary file, not a YAML or Markdown document", 1, 1, "binary-file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DocumentProblem(f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", line, col,
                              "invalid-utf8") from None


def parse_document(path: str, data: bytes) -> Document:
    text = decode(data)
    try:
        if path.endswith(MARKDOWN_SUFFIXES):
            return _markdown_document(path, text)
        return _yaml_document(path, text)
    except YamlProblem as exc:
        raise DocumentProblem(exc.message, exc.line, exc.col, exc.rule) from None
    except MarkdownProblem as exc:
        raise DocumentProblem(exc.message, exc.line, 1, exc.rule) from None


def _mapping(tree: YamlTree, what: str) -> dict[str, Any]:
    if tree.value is None:
        raise DocumentProblem(f"{what} is empty (only comments or blank lines)", 1 + tree.line_offset, 1,
                              "empty-file")
    if not isinstance(tree.value, dict):
        line, col = tree.locate(())
        found = "a list" if isinstance(tree.value, list) else f"a single value ({type(tree.value).__name__})"
        raise DocumentProblem(f"{what} must be a mapping of keys to values, not {found}", line, col,
                              "not-a-mapping")
    return tree.value


def _ambiguous(tree: YamlTree) -> list[DocumentProblem]:
    """The document is read all the same: such a value is an error to fix, not a reason to leave it out."""
    return [DocumentProblem(p.message, p.line, p.col, p.rule) for p in tree.ambiguous]


def _yaml_document(path: str, text: str) -> Document:
    tree = read_yaml(text)
    value = _mapping(tree, "document")
    header = {k: v for k, v in value.items() if k in HEADER_KEYS}
    sections = {k: v for k, v in value.items() if k not in HEADER_KEYS}
    return Document(path, "yaml", header, sections, tree, notes=_ambiguous(tree))


def _markdown_document(path: str, text: str) -> Document:
    parts = split_markdown(text)
    tree = read_yaml(parts.front_matter, line_offset=parts.front_matter_line - 1)
    front = _mapping(tree, "front matter")
    header = {key: value for key, value in front.items() if key in HEADER_KEYS}
    front_keys = tuple(key for key in front if key not in HEADER_KEYS)
    # A key both in the front matter and under a heading is a duplicate-section (below): the heading's text,
    # which the page shows, is the section.
    sections = {**{key: front[key] for key in front_keys if key not in parts.sections}, **parts.sections}
    written = header.get("generated", {})
    if parts.stamps and isinstance(written, dict):  # stamps of generated regions live in their marker comments
        header["generated"] = {**written, **parts.stamps}
        _pins_from_stamps(header, parts.stamps)
    if "title" not in header and parts.title is not None:
        header["title"] = parts.title
    notes = _ambiguous(tree)
    notes += [DocumentProblem(f"section {shown(name)} appears twice", line, 1, "duplicate-section")
              for name, line in parts.duplicates]
    notes += [DocumentProblem(f"heading {shown(text)} gives no section id (one is made of its letters a-z and "
                              "digits); add some, e.g. '## Goals (目標)'", line, 1, "unnamed-section")
              for text, line in parts.unnamed]
    if parts.loose_line is not None:
        notes.append(DocumentProblem("text before the first '## ' heading belongs to no section and is not "
                                     "shown; move it under a heading", parts.loose_line, 1, "text-outside-sections",
                                     warning=True))
    notes += [DocumentProblem(f"{shown(text)} underlined with '---' is a heading on the page but no section; "
                              f"write it as '## {text}'", line, 1, "setext-heading") for text, line in parts.setext]
    if parts.unclosed is not None:
        notes.append(DocumentProblem(unclosed_message(parts.unclosed), parts.unclosed[1], 1, "unclosed-block"))
    for name, (line, problem) in parts.broken.items():
        address = f"{header['id']}#{name}" if isinstance(header.get("id"), str) else name
        notes.append(DocumentProblem(f"the generated region of section {shown(name)} cannot be read: {problem}, "
                                     f"or run 'gitspec build --force {address}' to write the section anew",
                                     line, 1, "broken-region"))
    clash = [k for k in parts.sections if k in front_keys]  # (a header key is no section at all: see frontmatter.py)
    notes += [DocumentProblem(f"section {shown(k)} has the same id as a front-matter key", parts.section_lines[k],
                              1, "duplicate-section") for k in clash]
    broken = {name: f"line {line}: {problem}" for name, (line, problem) in parts.broken.items()}
    return Document(path, "markdown", header, sections, tree, parts.section_lines, notes,
                    text_lines=parts.text_lines, titles=parts.titles, pieces=parts.pieces, broken=broken,
                    stamp_lines=parts.stamp_lines, front_keys=front_keys)


def _pins_from_stamps(header: dict[str, Any], stamps: dict[str, dict]) -> None:
    """A Markdown region is pinned by `"pinned": true` in its own stamp (`gitspec pin` writes it there,
    so only the marker line changes); readers see it in the `pinned` header list, as in YAML."""
    listed = header.get("pinned")
    if listed is not None and not isinstance(listed, list):
        return  # a malformed front-matter list: the schema reports it
    pinned = [name for name, stamp in stamps.items() if stamp.get("pinned") is True]
    if pinned:
        header["pinned"] = [*(listed or []), *(name for name in pinned if name not in (listed or []))]
