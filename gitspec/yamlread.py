"""Fast YAML reading for checks: libyaml's parser, YAML 1.2 scalars, positions kept.

Never used to rewrite a file (ruamel's round-trip does that), never expands
aliases without bound, and never turns dates or `yes`/`no` into other types.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.cyaml import CParser
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from gitspec.yamlaliases import checked_alias_uses

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_ALLOWED_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _MAP, _SEQ}

# Plain scalars that YAML 1.1 tools (PyYAML, many editors) read as something
# other than what YAML 1.2 says: the same file would mean two things. (Dates
# too, but gitspec reads them as text on purpose: see the module docstring.)
# YAML 1.1 readers (PyYAML, libyaml) end a line at these; YAML 1.2 readers (ruamel, which build and
# pin write with) take them as text: the same file holds different keys for each.
_SEPARATOR = re.compile("[\x85\u2028\u2029]")
# What a plain or block scalar cannot hold as it is: the separators above, what libyaml's reader refuses
# (controls, U+FEFF inside the text, U+FFFE, U+FFFF, surrogates), and a CR (read as a line break).
# (Only writers ask, so it is compiled when first needed: its ranges cost 3 ms, on every read else.)
_UNWRITABLE_RAW = "[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
_AMBIGUOUS = re.compile(
    r"(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)"  # booleans to YAML 1.1
    r"|="  # YAML 1.1's "value" key, which its safe readers refuse
    r"|[-+]?0[0-9_]+"  # octal to YAML 1.1 (or text: 08), decimal to 1.2
    r"|0o[0-7]+"  # octal to YAML 1.2, text to 1.1
    r"|[-+]?0b[01_]+"  # binary to YAML 1.1, text to 1.2
    r"|[-+]0x[0-9a-fA-F_]+|0x[0-9a-fA-F]*_[0-9a-fA-F_]*"  # hex to YAML 1.1, text to 1.2 (signed, or with _)
    r"|(?=[^_]*_)[-+]?[0-9][0-9_]*(?:\.[0-9_]*(?:[eE][-+][0-9]+)?)?"  # digits with _: a number to YAML 1.1 only
    r"|(?=[^_]*_)\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]\.[0-9]+(?:[eE][-+]?[0-9]+)?"  # a signed float without a leading digit: text to YAML 1.1
    r"|[-+]?[0-9]+[eE][-+]?[0-9]+"  # an exponent without a dot: a string to YAML 1.1
    r"|[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)[eE][0-9]+"  # an exponent without its sign: the same
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"  # sexagesimal to YAML 1.1: an int (12:30)
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"  # or a float
)


_AMBIGUOUS_FIRST = frozenset("yYnNoO=+-.0123456789")


class YamlProblem(Exception):
    """A problem in the YAML text, with its 1-based position."""

    def __init__(self, message: str, line: int, col: int, rule: str) -> None:
        super().__init__(message)
        self.message, self.line, self.col, self.rule = message, line, col, rule


_IMPLICIT = (
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (_FLOAT, r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
             r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ("~", "n", "N", "")),
)
_BY_FIRST: dict[str, list[tuple[str, re.Pattern]]] = {}
for _tag, _pattern, _firsts in _IMPLICIT:
    for _first in _firsts:
        _BY_FIRST.setdefault(_first, []).append((_tag, re.compile(_pattern)))
# The texts an explicit tag takes under YAML 1.2's core schema: `!!bool yes` is refused, not read as false
# (YAML 1.1 readers, and ruamel when build rewrites the file, read it as true).
_CORE = {tag: re.compile(pattern) for tag, pattern, _ in _IMPLICIT}
_CORE_FORMS = {_BOOL: "true or false", _NULL: "null, ~ or nothing", _INT: "digits, 0o17 or 0x1F",
               _FLOAT: "a number such as 1.5, 1.5e+3, .inf or .nan"}


# With a tag written, YAML 1.1 readers build from each YAML 1.2 form the value YAML 1.2 does, but for an
# int with a leading zero: octal to them.
_OCTAL_1_1 = re.compile(r"[-+]?0[0-9]+")


class _Implied(str):
    """A scalar's tag the resolver chose from its text, none being written. It equals the tag, so only the
    ambiguity check tells `no` (false to YAML 1.1) from `!!str no` (text to every reader)."""


_IMPLIED = {tag: _Implied(tag) for tag in (_STR, _INT, _FLOAT, _BOOL, _NULL)}


class _Resolver(BaseResolver):
    """YAML 1.2 core schema: no timestamps, only true/false are booleans."""

    def resolve(self, kind, value, implicit):  # called by libyaml's composer for every node with no tag
        if kind is ScalarNode:
            if implicit[0]:
                for tag, pattern in _BY_FIRST.get(value[:1], ()):
                    if pattern.match(value):
                        return _IMPLIED[tag]
            return _IMPLIED[_STR]
        return _SEQ if kind is SequenceNode else _MAP


class _Composer(CParser, _Resolver):
    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        _Resolver.__init__(self)


@dataclass
class YamlTree:
    """A parsed YAML document: its value, and its node tree for positions."""

    value: Any
    root: Node | None
    line_offset: int = 0
    # plain scalars YAML readers disagree on, each read as YAML 1.2 reads it: findings, not failures
    ambiguous: list[YamlProblem] = field(default_factory=list)
    _keys: dict[int, dict[str, Node]] = field(default_factory=dict, repr=False)
    # (id of a collection, index or key text) -> 0-based (line, col) of the alias written there
    aliases: dict[tuple[int, Any], tuple[int, int]] = field(default_factory=dict, repr=False)
    text: str = field(default="", repr=False)  # what was read, for value_comment

    def locate(self, path: tuple | list) -> tuple[int, int]:
        """1-based (line, col) of the value at `path`, or of its nearest parent; for a value reached
        through an alias, of the alias, where the path is written (not of its anchor, on another path)."""
        node = self.root
        if node is None:
            return 1 + self.line_offset, 1
        for step in path:
            child = self._child(node, step)
            if child is None:
                break
            if (alias := self._alias(node, step)) is not None:
                return alias
            node = child
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def locate_key(self, path: tuple | list, key: str) -> tuple[int, int]:
        """Position of `key` itself inside the mapping at `path` (or of the alias the path goes through)."""
        node = self.root
        for step in path:
            child = self._child(node, step) if node is not None else None
            if child is not None and (alias := self._alias(node, step)) is not None:
                return alias
            node = child
        if isinstance(node, MappingNode):
            for key_node, _ in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == key:
                    mark = key_node.start_mark
                    return mark.line + 1 + self.line_offset, mark.column + 1
        return self.locate(path)


    def value_comment(self, path: tuple | list) -> tuple[int, int] | None:
        """1-based position of the `#` of a comment written where the value at `path` would be, on its
        key's line (`title: #1 priority`: YAML reads a `#` after a space as a comment, so the value is
        null); None for any other value."""
        node = self.root
        for step in path:
            if node is None or self._alias(node, step) is not None:  # (the anchor's line is elsewhere)
                return None
            node = self._child(node, step)
        if not isinstance(node, ScalarNode) or node.value or node.style:  # written, not left empty
            return None
        mark = node.start_mark  # just after the key's colon; libyaml ends a line at a lone CR too
        ends = [at for at in (self.text.find("\n", mark.index), self.text.find("\r", mark.index)) if at != -1]
        rest = self.text[mark.index:min(ends, default=len(self.text))]
        written = rest.lstrip(" \t")
        if not written.startswith("#"):
            return None
        return mark.line + 1 + self.line_offset, mark.column + 1 + len(rest) - len(written)

    def _alias(self, node: Node, step: Any) -> tuple[int, int] | None:
        """1-based position of the alias written at `step` in `node`, if one is."""
        if not self.aliases:  # (most files have none)
            return None
        mark = self.aliases.get((id(node), step if isinstance(node, SequenceNode) else str(step)))
        return None if mark is None else (mark[0] + 1 + self.line_offset, mark[1] + 1)

    def _child(self, node: Node, step: Any) -> Node | None:
        if isinstance(node, MappingNode):
            keys = self._keys.get(id(node))
            if keys is None:  # one dict per mapping, built on first look-up
                keys = self._keys[id(node)] = {k.value: v for k, v in reversed(node.value)
                                               if isinstance(k, ScalarNode)}
            return keys.get(str(step))
        if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            return node.value[step]
        return None


def read_yaml(text: str, line_offset: int = 0) -> YamlTree:
    """Parse one YAML document. Raises YamlProblem for anything gitspec refuses; a plain scalar that
    YAML readers disagree on is read as YAML 1.2 reads it and listed in the tree's `ambiguous`."""
    separator = _SEPARATOR.search(text)
    if separator:
        at = separator.start()
        line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        code = ord(separator.group())
        raise YamlProblem(f"line separator U+{code:04X}: YAML readers disagree whether it ends a line; "
                          f'replace it with a newline, or write it as "\\u{code:04x}" inside double quotes',
                          line + line_offset, col, "yaml-syntax")
    try:
        root = _Composer(text).get_single_node()  # (the reader refuses a character it cannot take at once)
    except yaml.reader.ReaderError as exc:
        line, col = _position(text.encode("utf-8", "surrogatepass")[:exc.position].decode("utf-8", "ignore"))
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)  # (libyaml gives an int)
        raise YamlProblem(f"YAML cannot hold the character U+{code:04X}: remove it, or write it as "
                          f'"\\u{code:04x}" inside double quotes', line + line_offset, col, "yaml-syntax") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if "single document" in str(exc):
            problem = "more than one YAML document in the file"
        raise YamlProblem(f"YAML syntax error: {problem}", line + line_offset, col, "yaml-syntax") from None
    if root is None:
        return YamlTree(None, None, line_offset)
    uses = checked_alias_uses(text, root, line_offset) if "*" in text else []  # most documents have none
    builder = _Builder(line_offset)
    try:
        value = builder.build(root)
    except RecursionError:
        raise YamlProblem("YAML nested too deeply", 1 + line_offset, 1, "yaml-depth") from None
    aliases = {(id(use.parent), use.slot): (use.line, use.column) for use in uses if use.slot is not None}
    return YamlTree(value, root, line_offset, ambiguous=builder.ambiguous, aliases=aliases, text=text)


def _position(before: str) -> tuple[int, int]:
    """The 1-based line and column of the character after `before` (libyaml counts in UTF-8 bytes)."""
    return before.count("\n") + 1, len(before) - before.rfind("\n")


class _Builder:
    """Turns composed nodes into plain JSON-like values, refusing what YAML would silently change
    and noting what YAML readers would read differently."""

    def __init__(self, line_offset: int) -> None:
        self.line_offset = line_offset
        self.built: dict[int, Any] = {}
        self.ambiguous: list[YamlProblem] = []

    def _problem(self, node: Node, message: str, rule: str) -> YamlProblem:
        mark = node.start_mark
        return YamlProblem(message, mark.line + 1 + self.line_offset, mark.column + 1, rule)

    def build(self, node: Node) -> Any:
        key = id(node)
        if key in self.built:  # an alias: share the value, as YAML means
            return self.built[key]
        if node.tag not in _ALLOWED_TAGS:
            raise self._problem(node, f"YAML tag {node.tag!r} is not allowed", "yaml-tag")
        if isinstance(node, ScalarNode):
            value = self._scalar(node)
        elif isinstance(node, SequenceNode):
            value = [self.build(child) for child in node.value]
        else:
            value = self._mapping(node)
        self.built[key] = value
        return value

    def _mapping(self, node: MappingNode) -> dict:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        # `null` and `~`, `true` and `True`, `1` and `0x1`: one key to YAML readers (ruamel, which pin and
        # build rewrite with, refuses the file), though their texts differ
        by_value: dict[Any, str] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self._problem(key_node, "mapping keys must be plain text", "yaml-key")
            name = key_node.value
            if name == "<<" and not key_node.style:
                # YAML 1.1 readers and ruamel (which pin and build write with) merge the mapping it names
                # into this one; YAML 1.2 has no merge keys: the same file would mean two things
                raise self._problem(key_node, "merge keys ('<<') are not supported: write the keys out "
                                              "(or quote '<<' for a key of that name)", "yaml-merge-key")
            if key_node.tag == _STR:  # text, as most keys are: its value is its name; only its look can mislead
                same = name
                self._note_ambiguous(key_node)
            else:  # a key's tag and text are checked as a value's are; its text is the name
                self.build(key_node)
                same = _key_value(key_node)
            if name in result:
                raise self._problem(
                    key_node, f"duplicate key {name!r} (first at line {first_line[name]})", "duplicate-key")
            if same in by_value:
                first = by_value[same]
                raise self._problem(key_node, f"duplicate key {name!r} (the same key as {first!r} to YAML "
                                              f"readers, first at line {first_line[first]}; quote both to keep them "
                                              "apart)", "duplicate-key")
            first_line[name] = key_node.start_mark.line + 1 + self.line_offset
            by_value[same] = name
            result[name] = self.build(value_node)
        return result

    def _note_ambiguous(self, node: ScalarNode) -> None:
        """A plain scalar whose tag was inferred from its form, and which YAML 1.1 readers read otherwise."""
        text = node.value
        # (every form _AMBIGUOUS takes starts with one of these: most text is let through without it)
        if text[:1] in _AMBIGUOUS_FIRST and isinstance(node.tag, _Implied) and not node.style \
                and _AMBIGUOUS.fullmatch(text):
            self.ambiguous.append(self._problem(
                node, f"unquoted {node.value!r} means different things to different YAML readers; quote it",
                "ambiguous-scalar"))

    def _scalar(self, node: ScalarNode) -> Any:
        text, tag = node.value, node.tag
        if isinstance(tag, _Implied):  # (inferred from its form: a valid one)
            self._note_ambiguous(node)
        elif tag == _INT and _OCTAL_1_1.fullmatch(text):
            self.ambiguous.append(self._problem(
                node, f"!!int {text!r} is octal to YAML 1.1 readers and decimal to YAML 1.2; drop the leading zero",
                "ambiguous-scalar"))
        if tag != _STR and not isinstance(tag, _Implied) and not _CORE[tag].fullmatch(text):
            name = tag.rsplit(":", 1)[-1]
            raise self._problem(node, f"!!{name} {text!r} is not valid YAML 1.2, where a !!{name} is "
                                      f"{_CORE_FORMS[tag]}: fix the value or drop the tag", "yaml-tag")
        return _resolved(text, tag)


# One NaN for every key that reads as NaN: a dict finds it by identity, as it could not by equality.
_NAN = float("nan")


def _resolved(text: str, tag: str) -> Any:
    """The value of a scalar's `text` under its resolved `tag`; ValueError if it is not one."""
    if tag == _STR:
        return text
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return text.lower() == "true"
    if tag == _INT:
        return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
    lowered = text.lower()
    if lowered.endswith(".inf") or lowered == ".nan":
        return float(lowered.replace(".", ""))
    return float(text)


def _key_value(node: ScalarNode) -> Any:
    """What a key is to YAML readers: its value (`~` and `null` are both None; True equals 1 in the Python
    readers, ruamel among them), or its text if that is not a valid value."""
    try:
        value = _resolved(node.value, node.tag)
    except ValueError:
        return node.value
    return _NAN if value != value else value


def plain_value(text: str) -> Any:
    """What `text`, written as a plain scalar, holds to this reader: the text, a number, a boolean or None."""
    tag = _Resolver().resolve(ScalarNode, text, (True, False))
    at = yaml.error.Mark("", 0, 0, 0, None, None)  # (a finding's position, which the caller does not ask for)
    return _Builder(0)._scalar(ScalarNode(tag, text, at, at))


def needs_escapes(text: str) -> bool:
    """Whether `text` holds a character that reads back as written only escaped (`"\\u2028"`), inside
    double quotes: in a plain or block scalar, this reader refuses it or reads it otherwise."""
    return re.search(_UNWRITABLE_RAW, text) is not None  # re's own cache keeps it compiled


def plain_is_safe(text: str) -> bool:
    """Whether `text` written as a plain (unquoted) scalar reads back as this same string."""
    if not text or text != text.strip() or _AMBIGUOUS.fullmatch(text):
        return False
    return not any(pattern.match(text) for _, pattern in _BY_FIRST.get(text[:1], ()))
