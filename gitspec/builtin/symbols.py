"""Built-in plugin: the ids each shipped kind defines and the references it makes.

Extraction is defensive: it also runs on documents that failed their schema,
so that one typo does not turn every reference to the file into an error.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from gitspec.addresses import ADDRESS
from gitspec.hookspecs import hookimpl

if TYPE_CHECKING:  # documents.py imports the YAML parser, symbols.py its records: not needed to register the plugin
    from gitspec.documents import Document
    from gitspec.symbols import Definition, Reference

# kind -> (section, namespace) of the items whose `id` each kind defines.
DEFINES = {
    "product": (("features", "feature"), ("personas", "persona"), ("journeys", "journey")),
    "ui": (("screens", "screen"), ("flows", "flow")),
    "requirements": (("items", "requirement"),),
    "tasks": (("items", "task"),),
}

# kind -> (section, field, namespaces, relation) of references held by items.
ITEM_REFERENCES = {
    "product": (("journeys", "persona", ("persona",), "persona"),
                ("journeys", "features", ("feature",), "features")),
    "ui": (("screens", "journey", ("journey",), "journey"),
           ("flows", "journey", ("journey",), "journey"),
           ("flows", "steps", ("screen",), "steps")),
    "requirements": (("items", "parent", ("requirement",), "parent"),
                     ("items", "links", ("requirement",), "links")),
    "tasks": (("items", "requirements", ("requirement",), "requirements"),
              ("items", "dependsOn", ("task",), "dependsOn")),
    "code": (("files", "source", ("address",), "source"),),
    "evidence": (("cases", "requirements", ("requirement",), "requirements"),),
}


@hookimpl
def gitspec_document_symbols(document: Document) -> list[Definition | Reference]:
    from gitspec.symbols import Definition

    doc_id = document.id
    if not isinstance(doc_id, str):
        return []
    line, col = document.locate(("id",))
    symbols: list[Definition | Reference] = [Definition(doc_id, "document", document.path, line, col)]
    kind = document.kind if isinstance(document.kind, str) else ""  # a list or mapping is an unknown kind
    for section, namespace in DEFINES.get(kind, ()):
        for index, item in _items(document, section):
            if isinstance(item.get("id"), str):
                line, col = document.locate((section, index, "id"))
                symbols.append(Definition(item["id"], namespace, document.path, line, col))
    for section, field, namespaces, relation in ITEM_REFERENCES.get(kind, ()):
        for index, item in _items(document, section):
            source = item.get("id") if isinstance(item.get("id"), str) else doc_id
            symbols += _references(document, (section, index, field), item.get(field), namespaces,
                                   source, relation)
    symbols += _document_references(document, doc_id)
    if document.format == "markdown":
        symbols += _picture_references(document, doc_id)
    return symbols


def _document_references(document: Document, doc_id: str) -> list[Reference]:
    from gitspec.symbols import Reference

    kind = document.kind
    out: list[Reference] = []
    if kind == "evidence":
        out += _references(document, ("requirements",), document.sections.get("requirements"), ("requirement",),
                           doc_id, "requirements")
        out += _references(document, ("previous",), document.sections.get("previous"), ("document",), doc_id,
                           "previous")
    elif kind == "evolution":
        for version in ("v1", "v2", "v3"):
            value = document.sections.get(version)
            features = value.get("features") if isinstance(value, dict) else None
            if isinstance(features, dict):
                for change in ("new", "deprecated"):
                    out += _references(document, (version, "features", change), features.get(change),
                                       ("feature",), doc_id, "features")
    elif kind == "prd":
        out += _references(document, ("product",), _front_matter_value(document, "product"), ("document",), doc_id,
                           "product")
    if kind == "prd":
        out += _mentions(document, doc_id)
    return out


def _mentions(document: Document, doc_id: str) -> list[Reference]:
    """Each `REQ-…` a PRD's Requirements section shows (gitspec.mentions: not one in a link's address or
    a hidden comment), where it is written: in a YAML PRD, at the section's value."""
    from gitspec.mentions import requirement_mentions
    from gitspec.symbols import Reference

    markdown = document.format == "markdown"
    text = (document.markdown_texts() if markdown else document.sections).get("requirements")
    if not isinstance(text, str):
        return []
    at = None if markdown else document.locate(("requirements",))
    return [Reference(mention, ("requirement",), doc_id, "mentions", document.path,
                      *(at or (document.text_line("requirements", offset), col)))
            for mention, offset, col in requirement_mentions(text)]


def _picture_references(document: Document, doc_id: str) -> list[Reference]:
    """The workspace files a Markdown document shows as pictures (`check` says when one cannot be
    shown): every place one is written, if the render shows it (not a picture in a heading)."""
    texts = document.markdown_texts()
    if not any("![" in text for text in texts.values()):
        return []  # most show none: spare check the import of the render tree
    from gitspec.render.localimages import image_path, image_references
    from gitspec.render.markdowntree import markdown_blocks
    from gitspec.render.model import Image
    from gitspec.render.shown import shown_in
    from gitspec.symbols import Reference

    out = []
    for name, text in texts.items():
        written = image_references(text)
        if not written:
            continue
        blocks = markdown_blocks(text, source=document.path)
        pictures = {item.path for item in shown_in(blocks) if isinstance(item, Image)}
        for src, offset, col in written:
            path = image_path(document.path, src)
            if path in pictures:
                out.append(Reference(path, ("picture",), doc_id, "shows", document.path,
                                     document.text_line(name, offset), col))
    return out


def _front_matter_value(document: Document, key: str) -> Any:
    """The value of a key the kind keeps in a Markdown document's front matter (a PRD's `product`): the text
    of a `## Product` heading names no document (check reports the heading). A YAML document's top-level key."""
    if document.format == "markdown" and key in document.section_lines:
        return None
    return document.sections.get(key)


def _items(document: Document, section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = document.sections.get(section)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def _references(document: Document, path: tuple, value: Any, namespaces: tuple[str, ...], source: str,
                relation: str) -> list[Reference]:
    """References from a field holding one id or a list of ids; addresses are told apart."""
    from gitspec.symbols import Reference

    targets = [(path, value)] if not isinstance(value, list) else [((*path, i), v) for i, v in enumerate(value)]
    out = []
    for where, target in targets:
        if not isinstance(target, str):
            continue
        line, col = document.locate(where)
        kinds = ("address",) if ADDRESS.match(target) else namespaces
        out.append(Reference(target, kinds, source, relation, document.path, line, col))
    return out
