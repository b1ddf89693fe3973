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
from gitspec.printable import shown
from gitspec.slugs import ascii_slug

# The annotation a kind's schema puts on a top-level property a Markdown document writes in its front
# matter (a PRD's `product`), not as a `##` section. An `x-` keyword: JSON Schema validators ignore it.
FRONT_MATTER = "x-front-matter"


@dataclass(frozen=True)
class Placement:
    """Where a kind's keys go in a Markdown document: `front_matter` (the header keys, the properties its
    schema marks, and those whose type allows no text), `sections` (every other property its schema names). A key its schema does not name
    is in neither: the schema says whether it is allowed, where it is written."""

    front_matter: frozenset[str]
    sections: frozenset[str]
    headings: dict[str, str]  # a section's heading as the schema's description gives it ("## Non-goals: …")

    @classmethod
    def of(cls, schema: dict[str, Any]) -> Placement:
        properties = schema.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        marked = {name for name, sub in properties.items()
                  if isinstance(sub, dict) and (sub.get(FRONT_MATTER) is True or not _may_be_text(sub))}
        front = frozenset({*HEADER_KEYS, *marked})
        sections = frozenset(name for name in properties if name not in front)
        return cls(front, sections, {name: _heading(name, properties[name]) for name in sections})

    def instance(self, document: Document) -> dict[str, Any]:
        """What the kind's schema validates: the header, and the sections each where the kind puts it; a
        section in the wrong place is left out (see `misplaced`), so a required one is missing."""
        return {**document.header, **{key: value for key, value in document.sections.items()
                                      if not self._misplaced(document, key)}}

    def _misplaced(self, document: Document, key: str) -> bool:
        if document.in_front_matter(key):
            return key in self.sections
        return key in self.front_matter and key not in document.front_keys  # (in both: a duplicate-section)

    def misplaced(self, document: Document) -> list[Finding]:
        """A section written as a front-matter key, and a header key written as a `##` heading, each at its line."""
        findings = []
        for key in document.front_keys:
            if key in self.sections and document.in_front_matter(key):  # (with its heading too: a duplicate-section)
                line, col = document.tree.locate_key((), key)
                findings.append(error(document.path, line, col, _at(document, (
                    f"{shown(key)} in the front matter is a section, not a header key: write it as a "
                    f"'## {self.headings[key]}' heading with its text under it")), "schema"))
        for key, line in document.section_lines.items():
            # a header key is never a section; another front-matter key written twice is a duplicate-section note
            if key in HEADER_KEYS or key in self.front_matter and key not in document.front_keys:
                what = "a header key" if key in HEADER_KEYS else "a key of the front matter in this kind"
                findings.append(error(document.path, line, 1, _at(document, (
                    f"'## {document.titles.get(key, key)}' cannot be a section: {shown(key)} is {what}; write "
                    f"it in the front matter ({key}: …)")), "schema"))
        return findings


def _may_be_text(schema: dict[str, Any]) -> bool:
    """Whether a property's value may be text, as a `##` section's always is: not when its schema's `type`
    allows no string (an integer, a list, a mapping: such a key can only be written in the front matter)."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return kind == "string"
    if isinstance(kind, list):
        return "string" in kind
    return True  # no type said (a $ref, an anyOf...): a section, as most are


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
