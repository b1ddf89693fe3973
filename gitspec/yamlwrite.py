"""Rewriting YAML documents: ruamel round-trip, so comments, key order and quoting survive.

Pure text in, text out. Every value written is read back with gitspec's own
reader and must hash the same, so a rewrite can never change what it wrote.
"""
from __future__ import annotations

import io
import math
from typing import Any

from gitspec.errors import GitspecError
from gitspec.hashing import value_hash
from gitspec.yamlindent import Indentation, indentation
from gitspec.yamlread import needs_escapes, plain_is_safe, read_yaml
from gitspec.yamlsplice import splice


def _yaml(like: str | None = None):
    """ruamel's round-trip YAML for writing, as gitspec reads, indented as `like` is (ruamel's defaults
    without one): the lines it rewrites then sit at the user's columns."""
    from ruamel.yaml import YAML
    from ruamel.yaml.emitter import RoundTripEmitter
    from ruamel.yaml.representer import RoundTripRepresenter

    from gitspec.yamlplain import Written, represent_written

    class Representer(RoundTripRepresenter):
        def ignore_aliases(self, data: Any) -> bool:
            """An anchor the document was written with is kept; none is made up for a value that
            merely appears twice (generated values are written out in full, as the cache holds them)."""
            anchor = getattr(data, "anchor", None)
            return getattr(anchor, "value", None) is None

    def text(representer, value: str):
        if needs_escapes(value):  # (a block scalar cannot escape: a line break is then "\n")
            return representer.represent_scalar("tag:yaml.org,2002:str", value, style='"')
        if "\n" in value:
            return representer.represent_scalar("tag:yaml.org,2002:str", value, style="|")
        style = None if plain_is_safe(value) else '"'
        return representer.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def number(representer, value: float):
        if math.isnan(value):
            written = ".nan"
        elif math.isinf(value):
            written = ".inf" if value > 0 else "-.inf"
        else:
            written = repr(value)
            mantissa, _, exponent = written.partition("e")
            if exponent and "." not in mantissa:  # '1e-05' is text to YAML 1.1 readers
                written = f"{mantissa}.0e{exponent}"
        return representer.represent_scalar("tag:yaml.org,2002:float", written)

    Representer.add_representer(str, text)
    Representer.add_representer(float, number)
    Representer.add_representer(Written, represent_written)  # a scalar of the user's, as they wrote it
    class Emitter(RoundTripEmitter):
        # U+0085, U+2028 and U+2029 as "\u2028", which gitspec's own messages advise, not YAML's own "\L"
        ESCAPE_REPLACEMENTS = {k: v for k, v in RoundTripEmitter.ESCAPE_REPLACEMENTS.items()
                               if k not in "\x85\u2028\u2029"}

    yaml = YAML(typ="rt")
    yaml.Representer = Representer
    yaml.Emitter = Emitter
    yaml.width = 4096
    step = Indentation() if like is None else indentation(like)
    yaml.indent(mapping=step.mapping, sequence=step.sequence, offset=step.offset)
    return yaml


def update_document(text: str | None, header: dict[str, Any], sections: dict[str, Any],
                    stamps: dict[str, dict], unpinned: tuple[str, ...] = ()) -> str:
    """`text` with `sections` set and their stamps recorded; a new document when `text` is None.
    Only the lines of the sections and stamps whose values change are rewritten, in `text`'s line
    endings: every other line keeps the user's text, down to its quoting and spacing."""
    yaml = _yaml(text)
    if text is None:
        from ruamel.yaml.comments import CommentedMap

        data = CommentedMap(header)
    else:
        data = _load(text)
        for name in ("generated", *sections):  # else one line of every stamp, and its comments gone
            if getattr(data.get(name), "fa", None) is not None and data[name].fa.flow_style():
                _unflow(data, name, text)
    generated = data.get("generated")
    if not isinstance(generated, dict):
        generated = {}
        position = list(data).index("title") + 1 if "title" in data else len(data)
        data.insert(position, "generated", generated)
    if text is not None:
        from gitspec.yamlanchors import keep_anchors

        sections = keep_anchors(data, sections, text)
    for name, value in sections.items():
        _replace(data, name, value)
    for name, stamp in stamps.items():
        _replace(generated, name, stamp)
    _unpin(data, unpinned)
    out = io.StringIO()
    yaml.dump(data, out)
    written = out.getvalue()
    _verify(written, sections)
    return written if text is None else \
        splice(text, written, "regenerating " + ", ".join(sections), {*sections, "generated", "pinned"})


def unpin(text: str, sections: tuple[str, ...]) -> str:
    """`text` with `sections` dropped from its `pinned` header list as a build that regenerates them drops
    them (a Markdown document's front matter, whose regions are written apart from it)."""
    yaml = _yaml(text)
    data = _load(text)
    _unpin(data, sections)
    out = io.StringIO()
    yaml.dump(data, out)
    return splice(text, out.getvalue(), "unpinning " + ", ".join(sections), {"pinned"})


def _unpin(data: Any, sections: tuple[str, ...]) -> None:
    from gitspec.yamlcomments import delete_keeping_comments, remove_keeping_comments

    pinned = data.get("pinned")
    if isinstance(pinned, list):
        if all(name in sections for name in pinned):
            delete_keeping_comments(data, "pinned")
        else:
            remove_keeping_comments(data, "pinned", sections)  # in place: the list keeps its style


def set_pinned(text: str, section: str, pinned: bool) -> str:
    """Add or remove `section` in the document's `pinned` header list. Only the lines around that list
    are rewritten: every other line keeps the user's text, down to its quoting and spacing."""
    return splice(text, _pinned_rewrite(text, section, pinned), f"pinning {section}", {"pinned"})


def _pinned_rewrite(text: str, section: str, pinned: bool) -> str:
    """The whole document with `section` added to or removed from `pinned`, as ruamel writes it: the list
    changed in place, so that it keeps its style and comments, as build's unpinning keeps them."""
    from gitspec.yamlcomments import append_keeping_comments, replace_keeping_comments

    yaml = _yaml(text)
    data = _load(text)
    listed = data.get("pinned")
    if not pinned:
        _unpin(data, (section,))  # every time it is listed: listed twice, it is still pinned once one is gone
    elif "pinned" not in data:
        position = list(data).index("generated") + 1 if "generated" in data else len(data)
        data.insert(position, "pinned", [section])
    elif not isinstance(listed, list):  # `pinned:` with nothing under it yet
        replace_keeping_comments(data, "pinned", [section])
    elif section not in listed:
        append_keeping_comments(data, "pinned", section)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _unflow(data: Any, name: str, text: str) -> None:
    """Write the flow collection `data[name]`, and every collection in it, in block style, with the comments
    inside it in `text` (which ruamel drops from a flow collection) and the one ending its last line kept as
    lines of their own above it."""
    from gitspec.yamlcomments import put_above, take_line_comment
    from gitspec.yamlgaps import comments

    node = next(value for key, value in read_yaml(text).root.value if key.value == name)
    inside = [c.text for c in comments(text) if node.start_mark.index < c.index < node.end_mark.index]
    after = take_line_comment(data, name)  # else left at its flow column, far right of `name:`
    _block_style(data[name])
    if inside or after:
        put_above(data, name, inside + ([after] if after else []))


def _block_style(value: Any) -> None:
    """`value` and every collection in it written in block style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, (CommentedMap, CommentedSeq)):
        value.fa.set_block_style()
        for item in value.values() if isinstance(value, CommentedMap) else value:
            _block_style(item)


def _load(text: str) -> Any:
    """`text` read for a round-trip rewrite, each plain scalar as the text it is written as (ruamel's own
    reading of `-0o17` or `2026-01-01   10:00` writes back otherwise); what ruamel still cannot read is a
    GitspecError at its line (the caller names the file), never a crash after other files were written."""
    from ruamel.yaml.error import MarkedYAMLError

    from gitspec.yamlplain import reader

    readable = _ruamel_readable(text)
    try:
        return reader().load(readable)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "unreadable YAML"
        raise GitspecError(f"gitspec cannot rewrite this YAML ({problem}); write it another way",
                           line=mark.line + 1 if mark else None, col=mark.column + 1 if mark else None) from None


def _ruamel_readable(text: str) -> str:
    """`text` as ruamel's scanner can read it, meaning the same. YAML allows a tab as a separator (before a
    comment, after `key:`, on a blank line) and inside a plain scalar, and libyaml reads them; ruamel refuses
    both. A separating tab becomes a space (one column to both); a plain scalar holding a tab is written
    double-quoted, on the same lines. Tabs in comments and other scalars stay."""
    if "\t" not in text:
        return text
    import yaml

    out, at = [], 0
    for token in yaml.scan(text, Loader=yaml.CSafeLoader):  # (marks count characters, as str does)
        start, end = token.start_mark.index, token.end_mark.index
        if start < at:  # a zero-width token (a block or key start) before the last one ended
            continue
        out.append(_untabbed(text[at:start]))
        if isinstance(token, yaml.ScalarToken) and token.plain and "\t" in text[start:end]:
            out.append(_quoted(token.value, text[start:end]))
        else:
            out.append(text[start:end])
        at = end
    readable = "".join(out) + _untabbed(text[at:])
    if value_hash(read_yaml(readable).value) != value_hash(read_yaml(text).value):
        raise RuntimeError("making YAML's tabs readable to ruamel changed what it holds")
    return readable


def _untabbed(between: str) -> str:
    """Whitespace and comments between two tokens, with the tabs outside the comments made spaces."""
    lines = between.splitlines(keepends=True)
    return "".join(line[:line.find("#")].replace("\t", " ") + line[line.find("#"):] if "#" in line
                   else line.replace("\t", " ") for line in lines)


def _quoted(value: str, written: str) -> str:
    """`value` double-quoted on as many lines as the plain scalar `written` took: an escaped line break
    ends each line but the last, which holds the closing quote at its old indentation."""
    import json

    lines = written.splitlines(keepends=True)
    quoted = json.dumps(value, ensure_ascii=False)  # JSON's string escapes are YAML's double-quoted ones
    quoted = quoted.translate({0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"})  # line breaks to YAML
    if len(lines) == 1:
        return quoted
    breaks = [line[len(line.rstrip("\r\n\x85\u2028\u2029")):] for line in lines[:-1]]
    indent = " " * (len(lines[-1]) - len(lines[-1].lstrip(" \t")))
    return quoted[:-1] + "".join("\\" + newline + indent for newline in breaks) + '"'


def _replace(data: Any, name: str, value: Any) -> None:
    """`data[name] = value`, keeping the user's comments in and around what it replaces."""
    from ruamel.yaml.comments import CommentedMap

    from gitspec.yamlcomments import replace_keeping_comments

    if isinstance(data, CommentedMap):
        replace_keeping_comments(data, name, value)
    else:  # a mapping made by this rewrite: no comments yet
        data[name] = value


def _verify(text: str, sections: dict[str, Any]) -> None:
    from gitspec.yamlplain import as_read

    value = read_yaml(text).value
    for name, expected in sections.items():  # (a value kept for its anchor is the user's own text)
        if value_hash(value.get(name)) != value_hash(as_read(expected)):
            raise RuntimeError(f"YAML rewrite changed section '{name}'; refusing to write it")
