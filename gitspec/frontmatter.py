"""A Markdown document's two places for values: its front matter holds header keys and the sections whose
value is no text (a list, a number), its `##` headings the other sections; which key of a kind goes where,
as the kind's schema says, and the keys in the wrong place.

Pure: the schema and the document come from the caller; nothing here validates values.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gitspec.documents import HEADER_KEYS, Document
from gitspec.findings import Finding, error
from gitspec.markdown import slug
from gitspec.printable import shown
from gitspec.slugs import ascii_slug

# The annotation a kind's schema puts on a top-level property a Markdown document writes in its front
# matter (a PRD's `product`), not as a `##` section. An `x-` keyword: JSON Schema validators ignore it.
FRONT_MATTER = "x-front-matter"


@dataclass(frozen=True)
class Placement:
    """Where a kind's keys go in a Markdown document. `front_matter`: the header keys, the properties its
    schema marks, and those no `##` heading can hold: whose type allows no text (a `##` section's value is
    its text), or whose name no heading gives (a heading's id is lower-case: `## Started at` is `started-at`,
    never `startedAt`). `sections`: the properties that are only ever text, under a heading. `either`: those
    that may be text or another value (a `previous` that is null in the first record), under a heading as
    text, in the front matter as any value. A key its schema does not name is in none: the schema says
    whether it is allowed, where it is written."""

    front_matter: frozenset[str]
    sections: frozenset[str]
    headings: dict[str, str]  # a section's heading as the schema's description gives it ("## Non-goals: …")
    either: frozenset[str] = frozenset()

    @classmethod
    def of(cls, schema: dict[str, Any]) -> Placement:
        properties = schema.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        front, either = set(HEADER_KEYS), set()
        for name, sub in properties.items():
            text, other = _allowed(sub) if isinstance(sub, dict) else (True, False)
            if isinstance(sub, dict) and sub.get(FRONT_MATTER) is True or not text or slug(name) != name:
                front.add(name)
            elif other:
                either.add(name)
        sections = frozenset(name for name in properties if name not in front and name not in either)
        return cls(frozenset(front), sections, {name: _heading(name, properties[name]) for name in sections},
                   frozenset(either))

    def may_be_heading(self, key: str) -> bool:
        """Whether a `##` heading may hold the kind's `key` (one its schema does not name too: it says so)."""
        return key not in self.front_matter

    def may_be_front(self, key: str) -> bool:
        """Whether the front matter may hold the kind's `key` (one its schema does not name too)."""
        return key not in self.sections

    def instance(self, document: Document) -> dict[str, Any]:
        """What the kind's schema validates: the header, and the sections each where the kind puts it; a
        section in the wrong place is left out (see `misplaced`), so a required one is missing."""
        return {**document.header, **{key: value for key, value in document.sections.items()
                                      if not self._misplaced(document, key)}}

    def _misplaced(self, document: Document, key: str) -> bool:
        if document.in_front_matter(key):
            return not self.may_be_front(key)
        return not self.may_be_heading(key) and key not in document.front_keys  # (in both: a duplicate-section)

    def misplaced(self, document: Document) -> list[Finding]:
        """A section written as a front-matter key, and a header key written as a `##` heading, each at its line."""
        findings = []
        for key in document.front_keys:
            if not self.may_be_front(key) and document.in_front_matter(key):  # (with a heading too: duplicate-section)
                line, col = document.tree.locate_key((), key)
                findings.append(error(document.path, line, col, _at(document, (
                    f"{shown(key)} in the front matter is a section, not a header key: write it as a "
                    f"'## {self.headings[key]}' heading with its text under it")), "schema"))
        for key, line in document.section_lines.items():
            # a header key is never a section; another front-matter key written twice is a duplicate-section note
            if key in HEADER_KEYS or not self.may_be_heading(key) and key not in document.front_keys:
                what = "a header key" if key in HEADER_KEYS else "a key of the front matter in this kind"
                findings.append(error(document.path, line, 1, _at(document, (
                    f"'## {document.titles.get(key, key)}' cannot be a section: {shown(key)} is {what}; write "
                    f"it in the front matter ({key}: …)")), "schema"))
        return findings


def _allowed(schema: dict[str, Any]) -> tuple[bool, bool]:
    """Whether a property's value may be text, as a `##` section's always is, and whether it may be
    something else (null, a number, a list, a mapping), as far as its schema's `type` says, or those of
    its `anyOf` or `oneOf` branches. A schema that says no type (a $ref, an enum) counts as text: a section,
    as most are."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return kind == "string", kind != "string"
    if isinstance(kind, list):
        return "string" in kind, any(each != "string" for each in kind)
    branches = schema.get("anyOf", schema.get("oneOf"))
    if isinstance(branches, list) and branches and all(isinstance(branch, dict) for branch in branches):
        allowed = [_allowed(branch) for branch in branches]
        return any(text for text, _ in allowed), any(other for _, other in allowed)
    return True, False


def _heading(name: str, schema: Any) -> str:
    """The heading a section is written under: as the schema's description starts ("## Non-goals: …"),
    else its id in words ("success-metrics": "Success metrics")."""
    description = schema.get("description") if isinstance(schema, dict) else None
    if isinstance(description, str) and description.startswith("## "):
        written = description[3:].split(":", 1)[0].strip()
        if ascii_slug(written) == name:
            return written
    return name.replace("-", " ").capitalize()


def _at(document: Document, message: str) -> str:
    """`message` after the document's id, as a schema error names it; a document without an id has none."""
    where = document.address(())
    return f"{where}: {message}" if where else message
