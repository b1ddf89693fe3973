"""Splicing a YAML rewrite into the text it rewrote: only the lines of the keys whose values changed.

ruamel re-emits a whole document (quoting `n`, writing `~` as `null`, respacing
flow lists, indenting as most of the document does); this keeps the user's own text for every key the
rewrite left with the same value. Pure text in, text out; never changes what the
rewrite holds: whatever it cannot splice exactly, it takes whole from the rewrite.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.hashing import value_hash
from gitspec.lineendings import newline_of
from gitspec.yamlgaps import comments
from gitspec.yamlread import YamlProblem, read_yaml

_LINE = re.compile(r".*?(?:\r\n|[\r\n\x85\u2028\u2029])|.+\Z", re.S)
# lines [start, end) of the old text replaced by lines [start, end) of the new, moved right by `shift` columns
_Change = tuple[int, int, int, int, int]


def splice(old: str, new: str, what: str, changing: Collection[str]) -> str:
    """`old` with the lines of each top-level key whose value `new` changed taken from `new` (inside a
    mapping that both write in block style, only the lines of its changed keys, indented as `old`
    indents their siblings), in `old`'s line endings; directives, `---`, and what follows `...` stay as
    written. The result holds the same data as `new` and every comment of `old`. Where a splice would
    not, it is `new` whole, unless that drops a comment: then GitspecError names the first one `what`
    would drop. Only the top-level keys `changing` may change: GitspecError names any other that would."""
    import yaml

    newline = newline_of(old)
    old_text = _Text.of(old)
    try:
        new_text = _Text.of(new)
    except YamlProblem as exc:  # (ruamel wrote what gitspec reads otherwise)
        raise GitspecError(f"{what} would write YAML that gitspec cannot read back ({exc.message}); "
                           "the file is left as it was", exit_code=EXIT_USAGE) from None
    _refuse_changing(old_text, new_text, changing, what)
    for depth in (1, 0):  # where ruamel moved a comment across a kept key's lines, splice less finely
        changes = _changes(old_text, new_text, old_text.tree.root, new_text.tree.root, old_text.tree.value,
                           new_text.tree.value, old_text.body, new_text.body, depth, 0)
        if changes is None:  # not a block mapping whose kept keys stayed in order: only the whole rewrite says it
            break
        candidate = old_text.replaced(changes, new_text, newline)
        try:
            spliced = _Text.of(candidate)
        except (YamlProblem, yaml.YAMLError):  # an indentation the shift could not mend: splice less finely
            continue
        if Counter(spliced.comments) == Counter(old_text.comments) and \
                value_hash(spliced.tree.value) == value_hash(new_text.tree.value):  # no comment lost, none twice
            return _ended_as(old, candidate, newline, new_text)
    _refuse_dropping(old_text, new_text, what)
    whole = new.replace("\r\n", "\n").replace("\n", newline)  # the whole rewrite (ruamel keeps a comment's CR)
    return _ended_as(old, whole, newline, new_text)


def _ended_as(old: str, text: str, newline: str, new: _Text) -> str:
    """`text` without its final line break when `old` had none, as long as it then holds the same (a block
    scalar ending the file would lose its own)."""
    if old.endswith(("\n", "\r", "\x85", "\u2028", "\u2029")) or not text.endswith(newline):
        return text
    ended = text[:-len(newline)]
    return ended if value_hash(read_yaml(ended).value) == value_hash(new.tree.value) else text


@dataclass
class _Text:
    """A YAML text's lines, its parse, the lines its content (tokens) ends on, its comment lines, and
    the lines of its top-level mapping (see _mapping_lines)."""

    lines: list[str]
    tree: Any
    ends: list[int]
    comments: list[str]
    body: tuple[int, int]

    @classmethod
    def of(cls, text: str) -> _Text:
        lines = _LINE.findall(text)
        ends = _content_lines(text)
        tree = read_yaml(text)
        # (comments: end-of-line ones too, which ruamel may move or drop)
        return cls(lines, tree, ends, [comment.text for comment in comments(text)], _mapping_lines(tree, len(lines)))

    def content_end(self, before: int) -> int:
        """The last line holding content before line `before`."""
        return self.ends[bisect.bisect_left(self.ends, before) - 1]

    def replaced(self, changes: list[_Change], new: _Text, newline: str) -> str:
        """This text with each change's lines taken from `new`, in `newline` line endings."""
        out, at = [], 0
        for start, end, new_start, new_end, shift in sorted(changes):
            middle = "".join(_shifted(line, shift) for line in new.lines[new_start:new_end]).replace("\r\n", "\n")
            out += [*self.lines[at:start], middle.replace("\n", newline)]
            at = end
        return "".join(out + self.lines[at:])


def _mapping_lines(tree: Any, count: int) -> tuple[int, int]:
    """The lines of the top-level mapping: from its first key to its end (`...` or the end of the text).
    Directives, `---` and comments above it, and what follows `...`, are no key's: they stay as written."""
    root = tree.root
    if root is None:
        return 0, count
    mark = root.end_mark
    return root.start_mark.line, min(count, mark.line + (1 if mark.column else 0))


def _shifted(line: str, shift: int) -> str:
    """`line` moved right by `shift` columns (left, when negative, by as many of its leading spaces)."""
    if not line.strip():  # a blank line in a block scalar must stay blank
        return line
    if shift >= 0:
        return " " * shift + line
    return line[min(-shift, len(line) - len(line.lstrip(" "))):]


def _refuse_changing(old: _Text, new: _Text, changing: Collection[str], what: str) -> None:
    """Every top-level key but those `changing` holds in `new` what it holds in `old`: else (ruamel reading
    a scalar of the user's otherwise than gitspec does, say) GitspecError names the first that does not."""
    before, after = old.tree.value, new.tree.value
    if not isinstance(before, dict) or not isinstance(after, dict):
        return
    for key in dict.fromkeys([*before, *after]):
        if key in changing or (key in before and key in after and value_hash(before[key]) == value_hash(after[key])):
            continue
        line, col = old.tree.locate_key((), key) if key in before else (None, None)
        raise GitspecError(f"{what} would also change '{key}', which it must leave as written; the file is left "
                           f"as it was (quoting the values in '{key}' may help)", line=line, col=col,
                           exit_code=EXIT_USAGE)


def _refuse_dropping(old: _Text, new: _Text, what: str) -> None:
    """The whole rewrite is written only if it keeps every comment (ruamel drops some, as one after `...`)."""
    dropped = Counter(old.comments) - Counter(new.comments)
    if dropped:
        first = next(c for c in comments("".join(old.lines)) if c.text in dropped)
        raise GitspecError(f"{what} would drop the comment '{first.text}' (ruamel drops one inside a [...] or "
                           "{...} value): move it to a line of its own and run again", line=first.line + 1,
                           exit_code=EXIT_USAGE)


def _changes(old: _Text, new: _Text, old_node: Any, new_node: Any, old_value: dict, new_value: dict,
             old_span: tuple[int, int], new_span: tuple[int, int], depth: int, shift: int) -> list[_Change] | None:
    """The (old start, old end, new start, new end, shift) line ranges to replace so that the mapping
    `old_node`, on lines `old_span` of `old`, holds what `new_node` does (looking `depth` mappings further
    in for what changed; `new`'s lines moved right by `shift` to sit at `old_node`'s indentation); None
    when that takes the whole of it."""
    from yaml.nodes import MappingNode

    if not isinstance(old_node, MappingNode) or not isinstance(new_node, MappingNode) or \
            old_node.flow_style or new_node.flow_style:
        return None
    old_keys, new_keys = _keys(old_node), _keys(new_node)
    kept = [k for k in old_keys if k in new_keys]
    if [k for k in new_keys if k in old_keys] != kept:
        return None
    changes: list[_Change] = []
    anchors = []  # keys whose own lines stay (some of their inner ones may not)
    for key in kept:
        if value_hash(old_value[key]) == value_hash(new_value[key]):
            anchors.append(key)
            continue
        inner = _nested(old, new, old_keys, new_keys, key, old_value, new_value, old_span, new_span, depth - 1) \
            if depth else None
        if inner is not None:
            anchors.append(key)
            changes += inner
    for before, after in zip([None, *anchors], [*anchors, None]):
        if _between(old_keys, before, after) or _between(new_keys, before, after):
            changes.append((*_region(old, old_keys, before, after, old_span),
                            *_region(new, new_keys, before, after, new_span), shift))
    return changes


def _nested(old: _Text, new: _Text, old_keys: dict, new_keys: dict, key: str, old_value: dict, new_value: dict,
            old_span: tuple[int, int], new_span: tuple[int, int], depth: int) -> list[_Change] | None:
    """The changes inside `key`'s value, when it is a block mapping on the lines below the key in both."""
    (old_line, old_node), (new_line, new_node) = old_keys[key], new_keys[key]
    if old_node.start_mark.line <= old_line or new_node.start_mark.line <= new_line:
        return None  # on the key's own line (an anchor, a flow value) or elsewhere (an alias)
    if not isinstance(old_value[key], dict) or not isinstance(new_value[key], dict):
        return None
    if not old_node.value or not new_node.value:
        return None
    # the rewrite indents as most of the document does; where this mapping is indented otherwise (or by a step
    # ruamel cannot write), the new lines move to the old keys' column
    shift = old_node.value[0][0].start_mark.column - new_node.value[0][0].start_mark.column
    return _changes(old, new, old_node, new_node, old_value[key], new_value[key],
                    (old_line + 1, old.content_end(_next_line(old_keys, key, old_span)) + 1),
                    (new_line + 1, new.content_end(_next_line(new_keys, key, new_span)) + 1), depth, shift)


def _keys(node: Any) -> dict[str, tuple[int, Any]]:
    """Each key of a mapping node, in order: the 0-based line it is on and its value's node."""
    return {key.value: (key.start_mark.line, value) for key, value in node.value}


def _between(keys: dict, before: str | None, after: str | None) -> bool:
    """Whether there is a key between `before` and `after` (None: the mapping's start or end)."""
    names = list(keys)
    start = names.index(before) + 1 if before is not None else 0
    end = names.index(after) if after is not None else len(names)
    return end > start


def _next_line(keys: dict, key: str, span: tuple[int, int]) -> int:
    """The line of the key after `key`, or the end of the mapping's span."""
    names = list(keys)
    at = names.index(key) + 1
    return keys[names[at]][0] if at < len(names) else span[1]


def _region(text: _Text, keys: dict, before: str | None, after: str | None, span: tuple[int, int]) -> tuple[int, int]:
    """The lines after key `before`'s last line of content up to key `after`'s first line."""
    end = keys[after][0] if after is not None else span[1]
    if before is None:
        return span[0], end
    return text.content_end(_next_line(keys, before, span)) + 1, end


def _content_lines(text: str) -> list[int]:
    """The lines that YAML tokens (keys, values, indicators) end on, sorted."""
    import yaml

    ends = set()
    for token in yaml.scan(text, Loader=yaml.CSafeLoader):
        if not isinstance(token, (yaml.BlockEndToken, yaml.StreamEndToken)):
            mark = token.end_mark  # a block scalar ends at the start of the line after it
            ends.add(mark.line if mark.column or mark.line == token.start_mark.line else mark.line - 1)
    return sorted(ends)
