"""What a Mermaid diagram shows, in words: the text alternative of its drawn picture, as in
"Sign up. Flowchart: Sign up → Verify email → Dashboard". An author who wrote Mermaid's own
accessible title and description (`accTitle: …`, `accDescr: …` or `accDescr { … }`) is taken at
their word: those name and describe the diagram, and are never read as part of it.

Pure, and read-only over the source: it reads only what it recognises (a flowchart's nodes and
links, a sequence's messages, an ER diagram's relationships) and never fails on the rest.
"""
from __future__ import annotations

import re

LONGEST = 400  # characters: past this a description ends with "…"; the source is there for the rest
KINDS = {
    "graph": "Flowchart", "flowchart": "Flowchart", "sequenceDiagram": "Sequence diagram",
    "classDiagram": "Class diagram", "stateDiagram": "State diagram", "stateDiagram-v2": "State diagram",
    "erDiagram": "Entity relationship diagram", "journey": "User journey", "gantt": "Gantt chart",
    "pie": "Pie chart", "mindmap": "Mind map", "timeline": "Timeline", "gitGraph": "Git graph",
    "C4Context": "C4 context diagram", "quadrantChart": "Quadrant chart",
}
_FRONT_MATTER = re.compile(r"^\s*---\n(.*?)\n---\s*\n", re.S)
# No pattern here lets two quantifiers share a run of characters (as in "(.*?)\s*$"), and none is searched
# from a run it could start anywhere in: a long line costs its length, not its cube.
_TITLE = re.compile(r"^title:\s*(.+)$", re.M)
# A flowchart node: its id, then its label in one of Mermaid's shapes ([x], (x), ([x]), {x}, ((x)), >x] ...).
_NODE = re.compile(r"""([\w.-]+)\s*(?:(\(\[|\[\(|\(\(|\{\{|\[\[|\[/|\[\\|[\[({>])\s*+("[^"]*"\s*+|.*?)(\]\)|\)\]|\)\)|\}\}|\]\]|/\]|\\\]|[\])}]))?""")
# A flowchart link (-->, ---, -.->, ==>, --o, <-->) with an optional |label|; the spaces around it stay with
# the node groups it splits, which are stripped.
_LINK = re.compile(r"<?(?:-{2,}|-\.+-|={2,})[->ox]?\s*(?:\|([^|]*)\|)?")
_SKIPPED = re.compile(r"^\s*(%%|subgraph\b|end\b|classDef\b|class\b|style\b|linkStyle\b|click\b|direction\b)")
# A message's arrow (->, -->, ->>, -->>, -x, --x, -), --)) with its activation mark (+ or -). It is the first "-"
# of the line's part before its first ":", so matching it never backtracks over a long line.
_ARROW = re.compile(r"-{1,2}(?:>>|[>x)])[+-]?")
_PARTICIPANT = re.compile(r"^\s*(?:participant|actor)\s+(\S+)(?:\s+as\s+(.+))?\s*$")
_ENTITY = re.compile(r"^\s*([\w.-]+)\s*\{")
# Spaces around the cardinalities are optional: gitspec's own data model writes `A||--o{B : "aId"`. Mermaid's
# cardinalities are |o || }o }| on the left and o| || o{ |{ on the right; the first name is taken whole
# (possessive), as `o`, `-` and `.` may be in a name too: else a long line of them is quadratic to refuse.
_RELATION = re.compile(r"^\s*([\w.-]++)\s*[|}][|o](?:--|\.\.)[|o][|{]\s*([\w.-]+)\s*:(.*)$")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.I)  # Mermaid's line break in a label: a space in words
# Mermaid's accessibility statements, which may open a line or follow a ";": a title, to the end of its line;
# a description, to the end of its line or, in braces, over several (to the first "}", as Mermaid reads it,
# or to the end when none closes it).
_ACC_TITLE = re.compile(r"(?:^|;)[ \t]*accTitle[ \t]*:(.*)$", re.M)
_ACC_DESCR = re.compile(r"(?:^|;)[ \t]*accDescr[ \t]*(?::(.*)$|\{([^}]*)\}?)", re.M)


def describe(source: str, name: str = "") -> str:
    """`name` (the diagram's title, when it has one), its kind, and what it links (at most LONGEST
    characters), or the description its author wrote (`accDescr`) in full."""
    body = source
    front = _FRONT_MATTER.match(source)
    if front:
        body = source[front.end():]
        title = _TITLE.search(front.group(1))
        name = title.group(1).strip().strip("\"'") if title else name  # the diagram names itself best
    body, acc_title, acc_descr = _accessible(body)
    name = acc_title or name  # (the title written for this purpose, over the one shown)
    lines = [line for line in body.splitlines() if line.strip() and not line.strip().startswith("%%")]
    if lines and ";" in lines[0]:  # statements on the header line ("graph TD; A-->B; B-->C") are statements
        header, rest = lines[0].split(";", 1)
        lines[:1] = [header, rest]
    keyword = (lines[0].split() or [""])[0] if lines else ""
    kind = KINDS.get(keyword, "Diagram")
    parts = acc_descr or {"Flowchart": _flowchart, "Sequence diagram": _sequence,
                          "Entity relationship diagram": _relations}.get(kind, lambda rest: "")(lines[1:])
    parts = " ".join(piece.strip() for piece in _LINE_BREAK.split(parts) if piece.strip())
    text = f"{kind}: {parts}" if parts else kind
    if name and name.casefold() != kind.casefold():
        text = f"{name}. {text}"
    if acc_descr or len(text) <= LONGEST:  # (the author's own description is kept whole)
        return text
    return text[:LONGEST - 1].rstrip() + "…"


def _accessible(body: str) -> tuple[str, str, str]:
    """The body without its accessibility statements, and the title and description they give ("" for
    none; the first of each counts, its white space made single spaces)."""
    title = _ACC_TITLE.search(body)
    descr = _ACC_DESCR.search(body)
    if title is None and descr is None:
        return body, "", ""
    body = _ACC_DESCR.sub("", _ACC_TITLE.sub("", body))
    title_text = " ".join(title.group(1).split()) if title else ""
    descr_text = " ".join((descr.group(1) or descr.group(2) or "").split()) if descr else ""
    return body, title_text, descr_text


def _flowchart(lines: list[str]) -> str:
    """Each chain of links as "A → B (label) → C", chains joined by "; "; nodes with no link listed alone."""
    labels: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    for statement in (s for line in lines for s in line.split(";")):
        if _SKIPPED.match(statement) or not statement.strip():
            continue
        pieces = _LINK.split(statement)  # node groups, with each link's label between them
        groups = [_nodes(piece, labels) for piece in pieces[0::2]]
        for n, edge_label in enumerate(pieces[1::2]):
            edges.extend((a, b, (edge_label or "").strip()) for a in groups[n] for b in groups[n + 1])
    linked = {node for a, b, _ in edges for node in (a, b)}
    chains: list[str] = []
    end = None
    for a, b, label in edges:
        step = f" → {labels[b]}" + (f" ({label})" if label else "")
        if a == end:
            chains[-1] += step
        else:
            chains.append(labels[a] + step)
        end = b
    chains.extend(labels[node] for node in labels if node not in linked)
    return "; ".join(chains)


def _nodes(piece: str, labels: dict[str, str]) -> list[str]:
    """The ids of the nodes in `piece` (`a & b` is two), recording each one's label the first time it is seen."""
    found = []
    for part in piece.split("&"):
        match = _NODE.match(part.strip())
        if not match:
            continue
        node, label = match.group(1), (match.group(3) or "").strip().strip("\"'")
        if label or node not in labels:
            labels[node] = label or labels.get(node, node)
        found.append(node)
    return found


def _sequence(lines: list[str]) -> str:
    """Each message as "A → B: what", with the participants' display names."""
    names: dict[str, str] = {}
    messages = []
    for line in lines:
        participant = _PARTICIPANT.match(line)
        if participant:
            names[participant.group(1)] = (participant.group(2) or "").strip() or participant.group(1)
            continue
        message = _message(line)
        if message:
            a, b, text = message
            messages.append(f"{names.get(a, a)} → {names.get(b, b)}: {text}")
    return "; ".join(messages) or ", ".join(names.values())


def _message(line: str) -> tuple[str, str, str] | None:
    """A message line's sender, receiver and text ("A->>B: hi" is A, B, hi); None for any other line."""
    head, colon, text = line.partition(":")
    dash = head.find("-")
    arrow = _ARROW.match(head, dash) if colon and dash >= 0 else None
    if not arrow:
        return None
    sender, receiver = head[:dash].strip(), head[arrow.end():].strip()
    if not sender or ">" in sender or not receiver:
        return None
    return sender, receiver, text.strip()


def _relations(lines: list[str]) -> str:
    """Each relationship as "CUSTOMER places ORDER"; entities in none of them listed alone."""
    out = []
    related: set[str] = set()
    entities: list[str] = []
    for line in lines:
        relation = _RELATION.match(line)
        entity = _ENTITY.match(line)
        if relation:
            a, b, label = relation.groups()
            label = label.strip().removeprefix('"').removesuffix('"')
            out.append(f"{a} {label} {b}" if label else f"{a} – {b}")
            related.update((a, b))
        elif entity:
            entities.append(entity.group(1))
    return "; ".join(out + [name for name in dict.fromkeys(entities) if name not in related])
