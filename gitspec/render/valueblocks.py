"""A YAML section's value as render blocks: items with anchors, tables, lists, code, diagrams, swatches.

Pure and generic over kinds: it looks at the shape of the data, with a few
named special cases (colour palettes, diagrams, code). It never emits markup:
strings stay plain text, and a string becomes a link only when it is meant as
a reference to a known id or section: the schema declares it one (a Reference),
or it is written as an address (`prd#goals`) or as an item id (`REQ-001`). A
word that only spells a document's id (`design`, `code`) stays text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from gitspec.addresses import parse_address
from gitspec.render.anchors import key_anchor, unique
from gitspec.render.datakeys import DataKey, Reference
from gitspec.render.model import (
    Badge, Block, Code, Diagram, Heading, Inline, Label, Link, ListBlock, Paragraph, Table, Text, labels,
)
from gitspec.render.scalars import is_scalar, scalar_text, short_list
from gitspec.render.yamlshown import dump_yaml, flow_text, nested_deeper

# A diagram's first line is a Mermaid header: a diagram type, with only what Mermaid allows after it
# (a flowchart's direction, a pie's `showData` and title), so prose that opens with a word such as
# "graph" or "pie" is never taken for one. It may follow front matter (---\ntitle: ...\n---) and
# %% comment lines.
MERMAID_HEADER = (r"(?:graph|flowchart(?:-elk)?)(?:[ \t]+(?:TB|TD|BT|RL|LR))?"
                  r"|pie(?:[ \t]+showData)?(?:[ \t]+title[ \t].*)?"
                  r"|gitGraph(?:[ \t]+(?:LR|TB|BT))?:?|xychart-beta(?:[ \t]+(?:horizontal|vertical))?"
                  r"|sequenceDiagram|classDiagram(?:-v2)?|stateDiagram(?:-v2)?|erDiagram|journey|gantt|mindmap"
                  r"|timeline|requirementDiagram|kanban|quadrantChart|C4(?:Context|Container|Component|Dynamic|Deployment)"
                  r"|(?:sankey|block|packet|architecture|radar)-beta")
MERMAID_START = re.compile(r"\s*(?:---\n(?:.*\n)*?---[ \t]*\n)?(?:[ \t]*%%.*\n\s*)*"
                           rf"(?:{MERMAID_HEADER})[ \t]*(?:;.*|%%.*)?(?:\n|$)")  # (`graph TD; A-->B;`: statements may follow a ";")
CODE_SECTIONS = {"ddl": "sql", "css": "css", "tail": ""}  # strings shown as code (an evidence tail: test output)
FILE_KEYS = ("content", "code")  # a multi-line string under these is a file's text: code, in the sibling `language`
DUMPED_SECTIONS = ("openapi", "tokens")  # large machine documents shown as YAML
FIELDS_HEADER = labels("Field", "Value")  # the header of a mapping's table of scalar fields
RECORD_COLUMNS = 8  # named records with more fields than this in all are not made a table
PROSE_KEYS = ("statement", "description", "summary", "text", "body", "promise", "rationale")
LABELLED_PROSE = ("promise", "rationale")  # shown after a bold label, not as the item's own text
TITLE_KEYS = ("title", "name", "label", "headline")
NAME_KEYS = (*TITLE_KEYS, "path")  # what names an item without an id: its heading (a file by its path)
DEEPEST_LEVEL = 32  # a collection nested deeper is one line of text: renderers recurse once per level
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_INLINE_ID = re.compile(r"^[A-Za-z0-9][\w.:-]{0,60}$")
_ITEM_ID = re.compile(r"^[A-Z][A-Z0-9]*-[0-9]+$")  # an item id's form (the shared schema's itemId): REQ-001
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


# Words a key spells in lower or camel case that read as initialisms: `baseUrl` is "Base URL", `css` "CSS";
# gitspec's own section and field names among them (`erDiagram`, `ddl`, `openapi`, a feature's `rice`).
INITIALISMS = {word.lower(): word for word in (
    "API", "APIs", "CDN", "CI", "CLI", "CSS", "CSV", "CTA", "CTAs", "DDL", "DNS", "ER", "FAQ", "HTML", "HTTP",
    "HTTPS", "ID", "IDs", "JSON", "JWT", "KPI", "KPIs", "OpenAPI", "PDF", "QA", "RICE", "SDK", "SEO", "SLA", "SLAs",
    "SLO", "SLOs", "SQL", "SSO", "TLS", "UI", "URI", "URL", "URLs", "UX", "XML", "YAML")}
_WORD = re.compile(r"[A-Za-z]+")
# The same two for a key beyond ASCII, by Unicode's classes (UAX #29's letters, with their marks): `idée`
# is one word, not "Id" and "ée" ("IDée"), and a Chinese or Japanese character ends one (`api設定`), as
# a digit does.
_UNICODE_CAMEL = r"(?<=[\p{Ll}\p{Nd}]\p{M}*)(?=[\p{Lu}\p{Lt}])"
_UNICODE_WORD = r"\p{Word_Break=ALetter}[\p{Word_Break=ALetter}\p{Word_Break=Extend}\p{Word_Break=Format}]*"


def humanize(key: str) -> str:
    """`dataModel` -> `Data model`, `non-goals` -> `Non-goals`, `apiBaseUrl` -> `API base URL`; a free-form
    map's key (a DataKey: `SCR-001`, `GITHUB_SHA`) as written. A field name spelled in ASCII letters is
    read as English words (initialisms and all), so its words are a Label; one in another script is not."""
    if isinstance(key, DataKey):
        return str(key)
    words = _words(str(key))
    return Label(words) if words.isascii() else words


@lru_cache(maxsize=4096)
def _words(key: str) -> str:
    camel, word = (_CAMEL, _WORD) if key.isascii() else _unicode_patterns()
    words = camel.sub(" ", key).replace("_", " ")
    words = words[:1].upper() + words[1:].lower() if words else ""
    return word.sub(lambda found: INITIALISMS.get(found.group().lower(), found.group()), words)


@lru_cache(maxsize=1)
def _unicode_patterns() -> tuple:
    import regex  # the standard re has no Unicode classes; only a key beyond ASCII pays its import (20 ms)

    return regex.compile(_UNICODE_CAMEL), regex.compile(_UNICODE_WORD)


class ValueBlocks:
    """Turns values into blocks for one page. `targets` maps ids to `doc:` link targets;
    `item_badges` adds badges (e.g. a requirement's verdict) before an item's fields."""

    def __init__(self, targets: dict[str, str], item_badges: dict[str, tuple[Badge, ...]] | None = None) -> None:
        self.targets = targets
        self.item_badges = item_badges or {}
        self.anchors: set[str] = set()

    def anchor(self, wanted: str) -> str:
        return unique(key_anchor(wanted), self.anchors)

    # --- sections -----------------------------------------------------------

    def section(self, kind: str, name: str, value: Any) -> tuple[Block, ...]:
        if kind == "design" and name == "color" and isinstance(value, dict):
            from gitspec.render.colourblocks import colour_blocks

            return tuple(colour_blocks(value))
        if name in DUMPED_SECTIONS and isinstance(value, (dict, list)):
            if nested_deeper(value, DEEPEST_LEVEL):  # yaml.dump recurses too
                return (Code(flow_text(value), ""),)
            return (Code(dump_yaml(value), "yaml"),)
        if isinstance(value, str) and name in CODE_SECTIONS:
            return (Code(value, CODE_SECTIONS[name]),)
        return tuple(self.value(value, 3, name))

    def value(self, value: Any, level: int, key: str = "") -> list[Block]:
        if isinstance(value, (list, dict)) and value and level >= DEEPEST_LEVEL:
            return [Code(flow_text(value), "")]
        if isinstance(value, str):
            return self.string(value, key)
        if isinstance(value, list):
            return self.sequence(value, level)
        if isinstance(value, dict):
            if is_record_map(value):
                return [self.record_table(value)]
            return self.mapping(value, level)
        return [Paragraph((Text(scalar_text(value)),))]

    def string(self, text: str, key: str = "", owner: str = "") -> list[Block]:
        """`owner` names what a diagram under a `mermaid` key belongs to (a flow's name): its caption."""
        if is_diagram(key, text):
            return [Diagram(text.strip("\n"), "mermaid", owner if key == "mermaid" else humanize(key))]
        if key in CODE_SECTIONS:
            return [Code(text, CODE_SECTIONS[key])]
        reference = isinstance(text, Reference)
        return [Paragraph((self.inline(part, reference),)) for part in _PARAGRAPH_BREAK.split(text.strip()) if part]

    def inline(self, text: str, reference: bool = False) -> Inline:
        """The text, a link when it names a known id (as a `reference`, or written as an item id) or
        the address of a known section (`prd#goals`, `architecture#apiContract/paths`: to that section)."""
        name = link_name(text, reference)
        target = self.targets.get(name) if name is not None else None
        return Link(text, target) if target else Text(text)

    def scalar(self, value: Any) -> Inline:
        """A scalar as a list entry or a cell shows it: a link when `inline` makes one."""
        return self.inline(scalar_text(value), isinstance(value, Reference))

    def sequence(self, items: list, level: int) -> list[Block]:
        if not items:
            return [Paragraph((Text(Label("(none)"), "em"),))]
        if all(isinstance(item, dict) and "id" in item for item in items):
            blocks: list[Block] = []
            for item in items:
                blocks.extend(self.item(item, level))
            return blocks
        if all(isinstance(item, dict) and all(cell_worthy(k, v) for k, v in item.items()) for item in items):
            return [self.table(items)]
        if all(is_scalar(item) for item in items):
            return [ListBlock(tuple((Paragraph((self.scalar(item),)),) for item in items))]
        if all(isinstance(item, dict) and item_name(item)[1] for item in items):
            return [block for item in items for block in self.named(item, level)]
        # A list adds no heading: a mapping in it puts its headings at `level`, one below the one above
        # it; anything else counts one deeper, so a list of lists ends at DEEPEST_LEVEL.
        return [ListBlock(tuple(tuple(self.value(item, level if isinstance(item, dict) else level + 1))
                                for item in items))]

    def named(self, item: dict, level: int) -> list[Block]:
        """An item without an id but with a name (a file's path, an entity's name): a heading
        naming it, then its other fields under it."""
        keys, name = item_name(item)
        blocks: list[Block] = [Heading(min(level, 6), name, self.anchor(name))]
        return blocks + self.mapping({k: v for k, v in item.items() if k not in keys}, level + 1, name)

    def mapping(self, value: dict, level: int, owner: str = "") -> list[Block]:
        """`owner` names the item the mapping holds the fields of, when that item has a heading."""
        owner = owner or next((str(value[k]) for k in TITLE_KEYS if is_scalar(value.get(k)) and value.get(k)), "")
        scalars = {k: v for k, v in value.items() if cell_worthy(k, v)}
        blocks: list[Block] = []
        if scalars:
            blocks.append(Table(FIELDS_HEADER, tuple((cell_of(humanize(k)), self.cell(v))
                                                          for k, v in scalars.items())))
        for key, nested in value.items():
            if key in scalars:
                continue
            if is_diagram(key, nested):  # a figure with its caption: no heading above it
                blocks.extend(self.string(nested, _key_text(key), owner))
                continue
            blocks.append(Heading(min(level, 6), humanize(key), self.anchor(str(key))))
            if is_file_text(key, nested):
                language = value.get("language")
                blocks.append(Code(nested, scalar_text(language) if is_scalar(language) else ""))
            else:
                blocks.extend(self.value(nested, level + 1, _key_text(key)))
        return blocks

    def item(self, item: dict, level: int) -> list[Block]:
        """An item with an id: a heading to link to, its prose, then its other fields."""
        item_id = str(item["id"])
        title = next((str(item[k]) for k in TITLE_KEYS if is_scalar(item.get(k)) and item.get(k)), "")
        blocks: list[Block] = [Heading(min(level, 6), f"{item_id} {title}".strip(), self.anchor(item_id))]
        badges = self.item_badges.get(item_id)
        if badges:
            blocks.append(Paragraph(badges))
        rest = {k: v for k, v in item.items() if k != "id" and not (k in TITLE_KEYS and str(v) == title)}
        target = self.targets.get(item_id)
        if isinstance(item["id"], Reference) and target and "#" not in target:
            rest = {"id": item["id"], **rest}  # an entry naming a document (the assembly's): its fields link to it
        for key in PROSE_KEYS:
            if isinstance(rest.get(key), str):
                if key in LABELLED_PROSE:
                    blocks.append(Paragraph((Text(Label(f"{humanize(key)}: "), "strong"), Text(rest.pop(key)))))
                else:
                    blocks.extend(self.string(rest.pop(key), key))
        lists = {k: v for k, v in rest.items() if isinstance(v, list) and v and not short_list(v)
                 and all(is_scalar(x) for x in v)}
        for key, values in lists.items():
            rest.pop(key)
            blocks.append(Paragraph((Text(humanize(key), "strong"),)))
            blocks.append(ListBlock(tuple((Paragraph((self.scalar(x),)),) for x in values)))
        if rest:
            blocks.extend(self.mapping(rest, level + 1, title or item_id))
        return blocks

    def table(self, rows: list[dict]) -> Table:
        columns: list[str] = []
        for row in rows:
            columns.extend(k for k in row if k not in columns)
        return Table(tuple(humanize(c) for c in columns),
                     tuple(tuple(self.cell(row.get(c)) for c in columns) for row in rows))

    def record_table(self, records: dict) -> Table:
        """Named records of a few scalar fields each (an OpenAPI schema's properties): a row each."""
        columns: list[str] = []
        for record in records.values():
            columns.extend(k for k in record if k not in columns)
        return Table((Label("Name"), *(humanize(c) for c in columns)),
                     tuple((cell_of(str(name)), *(self.cell(record.get(c)) for c in columns))
                           for name, record in records.items()))

    def cell(self, value: Any) -> tuple[Inline, ...]:
        if isinstance(value, list):
            return joined(self.scalar(item) for item in value)
        return (self.scalar(value),) if value is not None else ()


def _key_text(key: Any) -> str:
    """A mapping's key as text, a DataKey kept one (YAML keys may be numbers)."""
    return key if isinstance(key, str) else str(key)


def link_name(text: str, reference: bool = True) -> str | None:
    """What `ValueBlocks.inline` looks `text` up as among the targets: the text itself when it may be
    an id (one written as an item id's, `REQ-001`, unless it is a `reference`), the section it
    addresses (`prd#goals/0` → `prd#goals`), or None: never a link."""
    if _INLINE_ID.match(text) and (reference or _ITEM_ID.match(text)):
        return text
    address = parse_address(text) if "#" in text else None
    return f"{address.doc}#{address.section}" if address else None


def link_names(value: Any) -> set[str | None]:
    """What a scalar may be looked up as wherever it is shown: whole (in a cell or a list), and
    each of its paragraphs (as prose), as if it were a reference (what a page's key must cover).
    With None when some of them can never be a link."""
    text = scalar_text(value)
    names = {link_name(text)}
    stripped = text.strip()
    if stripped != text or "\n" in stripped:
        names.update(link_name(part) for part in _PARAGRAPH_BREAK.split(stripped) if part)
    return names


def mapping_of(value: Any) -> dict:
    """`value` if it is a mapping, else empty: a part of the wrong type (which the check reports) reads as absent."""
    return value if isinstance(value, dict) else {}


def listed(value: Any) -> list:
    """`value` if it is a list, else empty: a part of the wrong type (which the check reports) reads as absent."""
    return value if isinstance(value, list) else []


def item_name(item: dict) -> tuple[tuple[str, ...], str]:
    """The keys naming an item and its name: its title or name, or its path (an endpoint's after its
    method: "GET /records"); ((), "") when it has none."""
    key = next((k for k in NAME_KEYS if is_scalar(item.get(k)) and scalar_text(item.get(k)).strip()), None)
    if key is None:
        return (), ""
    if key == "path" and is_scalar(item.get("method")) and item.get("method"):
        return ("method", "path"), f"{scalar_text(item['method'])} {scalar_text(item['path'])}"
    return (key,), scalar_text(item[key])


def is_record_map(value: dict) -> bool:
    """Two or more named records, each a mapping of table-worthy fields, with few fields in all."""
    if len(value) < 2 or not all(isinstance(v, dict) and v for v in value.values()):
        return False
    columns = {k for record in value.values() for k in record}
    return len(columns) <= RECORD_COLUMNS and all(cell_worthy(k, v) for record in value.values()
                                                   for k, v in record.items())


def cell_worthy(key: Any, value: Any) -> bool:
    """A value shown in a table cell: a scalar or a short list, but never a file's text or a diagram."""
    return (is_scalar(value) or short_list(value)) and not is_file_text(key, value) and not is_diagram(key, value)


def is_diagram(key: Any, value: Any) -> bool:
    """Mermaid source: the text under a `mermaid` key, or lines whose first is a Mermaid diagram's header."""
    return isinstance(value, str) and (key == "mermaid" or ("\n" in value.strip() and bool(MERMAID_START.match(value))))


def is_file_text(key: Any, value: Any) -> bool:
    return key in FILE_KEYS and isinstance(value, str) and "\n" in value.strip()


def joined(inlines) -> tuple[Inline, ...]:
    """Inlines separated by commas, as a list of ids reads in a cell."""
    out: list[Inline] = []
    for n, inline in enumerate(inlines):
        if n:
            out.append(Text(", "))
        out.append(inline)
    return tuple(out)


def cell_of(text: str) -> tuple[Inline, ...]:
    return (Text(text),)
