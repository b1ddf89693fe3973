"""A Markdown document's link reference and footnote definitions, which reach all its `##` sections.

Each section is parsed on its own; as on GitHub, a `[label]: url` or `[^note]: text` written
anywhere in the document applies in every section, and footnotes are numbered through the
document. Pure: it holds text and numbers; it never reads or writes a file.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gitspec.render.markdownparse import parse_blocks

Note = tuple[str, str]  # the section a footnote is defined in, and its label


class DocumentDefinitions:
    """The definitions of one document, and the footnotes numbered so far as its sections are converted in order.

    A section's own footnote definition wins in that section (a section a stage writes stays whole);
    a note it cites but does not define is the document's first definition of that label, shown at
    the end of the first section that cites it, which later citing sections link to.
    """

    def __init__(self, sections: Mapping[str, str]) -> None:
        self.references: dict[str, Any] = {}  # markdown-it's env["references"]: the first definition wins
        self.notes: dict[str, tuple[str, str]] = {}  # a label -> its first top-level definition: section, Markdown
        self.own: dict[str, set[str]] = {}  # a section -> the footnote labels it defines
        self.shown: dict[Note, tuple[int, str]] = {}  # a note -> its number and anchor, once a section shows it
        self.count = 0  # notes numbered so far
        self._new: dict[int, Note] = {}  # the notes the last section numbered, by id
        for name, text in sections.items():
            if "]:" in text:  # what every definition holds: spare the parse of the sections without
                self._scan(name, text.replace("\r\n", "\n"))

    def _scan(self, name: str, text: str) -> None:
        env: dict[str, Any] = {}
        lines = text.split("\n")
        for token in parse_blocks(text, env):
            if token.type == "footnote_reference_open":
                label = token.meta["label"]
                self.own.setdefault(name, set()).add(label)
                if token.level == 0 and token.map and label not in self.notes:
                    self.notes[label] = (name, "\n".join(lines[token.map[0]:token.map[1]]))
        for key, value in env.get("references", {}).items():
            self.references.setdefault(key, value)

    def prepare(self, name: str, text: str) -> tuple[str, dict[str, Any]]:
        """Section `name`'s text, with the definitions it cites from other sections that no section has
        shown yet written after it, and the markdown-it env to parse it with."""
        later, shown = self._cited(text, self.own.get(name, set()))
        text += "".join(f"\n\n{self.notes[label][1]}" for label in later)
        # a note shown in an earlier section: its marks here are marks, its text stays there
        footnotes = {"refs": {f":{label}": -1 for label in shown}, "list": {}}
        return text, {**self.links_env(), "footnotes": footnotes}

    def _cited(self, text: str, own: set[str]) -> tuple[list[str], list[str]]:
        """The labels of the notes defined in other sections (not in `own`) that `text` cites: those no
        section has shown yet, with those their definitions cite in turn (written after the text,
        they are read there too), and those shown already, whose text stays where it is."""
        later: list[str] = []
        shown: list[str] = []
        unread = [text]
        while unread:
            citing = unread.pop()
            for label in self.notes:
                if label in own or label in later or label in shown or f"[^{label}]" not in citing:
                    continue
                if (self.notes[label][0], label) in self.shown:
                    shown.append(label)
                else:
                    later.append(label)
                    unread.append(self.notes[label][1])
        return later, shown

    def links_env(self) -> dict[str, Any]:
        """The markdown-it env to parse a section with so that its links read the document's
        `[label]: url` definitions (a fresh one each time: parsing adds to it)."""
        return {"references": dict(self.references)}

    def number(self, name: str, tokens: list[Any], env: dict[str, Any]) -> tuple[list[Any], dict[int, str]]:
        """Number section `name`'s notes through the document: each footnote token's `id` becomes its
        note's number less one. Returns the tokens without the notes cited only in a definition the
        section does not show (left for the section that cites it, as markdown-it would show them
        here, unnumbered in the text and with no link back), and the notes shown in an earlier
        section, by id: their anchor there."""
        own = self.own.get(name, set())
        renumbered: dict[int, int] = {}
        self._new: dict[int, Note] = {}
        elsewhere: dict[int, str] = {}
        reached = _reached(tokens)
        tokens = _without_notes(tokens, reached)
        for local, data in sorted(env.get("footnotes", {}).get("list", {}).items()):
            if local not in reached:
                continue
            label = data.get("label", "")
            note = (name if label in own or label not in self.notes else self.notes[label][0], label)
            if note in self.shown:
                number, elsewhere[number - 1] = self.shown[note]
            else:
                self.count += 1
                number = self.count
                self._new[number - 1] = note
            renumbered[local] = number - 1
        stack = list(tokens)
        while stack:
            token = stack.pop()
            if token.type in ("footnote_ref", "footnote_open", "footnote_anchor") and token.meta["id"] in renumbered:
                token.meta = {**token.meta, "id": renumbered[token.meta["id"]]}
            stack.extend(token.children or ())
        return tokens, elsewhere

    def shown_at(self, anchor: Callable[[int], str]) -> None:
        """Record where the notes the last number() made new are shown: `anchor` gives one's anchor by its id."""
        for note_id, note in self._new.items():
            self.shown[note] = (note_id + 1, anchor(note_id))


def _reached(tokens: list[Any]) -> set[int]:
    """The ids of the notes a section's text cites, and of those their notes cite in turn; not those
    cited only in a definition no mark cites (markdown-it leaves the definition out, but lists them)."""
    cites: dict[int | None, set[int]] = {}
    note = None
    for token in tokens:
        if token.type in ("footnote_open", "footnote_close"):
            note = token.meta["id"] if token.type == "footnote_open" else None
        stack = list(token.children or ())
        while stack:
            child = stack.pop()
            if child.type == "footnote_ref":
                cites.setdefault(note, set()).add(child.meta["id"])
            stack.extend(child.children or ())
    reached: set[int] = set()
    unread = list(cites.get(None, ()))
    while unread:
        cited = unread.pop()
        if cited not in reached:
            reached.add(cited)
            unread.extend(cites.get(cited, ()))
    return reached


def _without_notes(tokens: list[Any], reached: set[int]) -> list[Any]:
    """`tokens` without the notes not `reached` (each from its footnote_open to its footnote_close),
    nor the list of notes when none is left."""
    kept: list[Any] = []
    dropping = False
    for token in tokens:
        if token.type == "footnote_open":
            dropping = token.meta["id"] not in reached
        if not dropping:
            kept.append(token)
        if token.type == "footnote_close":
            dropping = False
    if [token.type for token in kept[-2:]] == ["footnote_block_open", "footnote_block_close"]:
        kept = kept[:-2]
    return kept
