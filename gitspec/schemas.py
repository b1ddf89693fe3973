"""JSON Schemas: where they are, one validator per kind, errors as findings.

Validators are built once per run (building one is the expensive part), and
every error is mapped back to the file, line and column it came from.
"""
from __future__ import annotations

import ast
import json
import math
import re
from collections.abc import Callable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from gitspec.documents import HEADER_KEYS, Document
from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.findings import Finding, error
from gitspec.frontmatter import Placement
from gitspec.kinds import Kind
from gitspec.printable import shown

_UNEXPECTED = re.compile(r"\((.*) (?:was|were) unexpected\)", re.S)
_REQUIRED = re.compile(r"^('.*') is a required property$")
NOT_BLANK = r"\S"  # the shared `text` definition's pattern: some character other than white space
# why a value that should be text is not, by the type YAML gave it
_NOT_TEXT = {bool: "YAML read it as a boolean: quote it to keep it as text",
             int: "YAML read it as a number: quote it to keep it as text",
             float: "YAML read it as a number: quote it to keep it as text",
             type(None): "YAML read it as no value: write the text, in quotes if it is null or ~"}


def builtin_schema_dir() -> Path:
    """Inside the wheel: gitspec/schemas; in a source checkout: ../schemas."""
    package = Path(__file__).resolve().parent
    shipped = package / "schemas"
    return shipped if shipped.is_dir() else package.parent / "schemas"


@lru_cache(maxsize=None)
def load_builtin_schema(name: str) -> dict[str, Any]:
    return read_schema(builtin_schema_dir() / f"{name}.schema.json")


def read_schema(path: Path, named: str | None = None, declared: str = "") -> dict[str, Any]:
    """The schema at `path`; an error names it as `named` (default: the path as it is), then what
    declared it (`declared`: " (kind 'risk', declared by plugin gitspec-risk)"), if given."""
    named = named or str(path)
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GitspecError(f"cannot read schema: {exc.strerror or exc}{declared}", named,
                           exit_code=EXIT_USAGE) from None
    except UnicodeDecodeError as exc:
        raise GitspecError(f"cannot read schema: {exc}{declared}", named, exit_code=EXIT_USAGE) from None
    except json.JSONDecodeError as exc:
        raise GitspecError(f"invalid JSON in schema: {exc.msg}{declared}", named, exc.lineno, exc.colno,
                           EXIT_USAGE) from None
    if not isinstance(schema, dict):
        raise GitspecError(f"a schema must be a JSON object{declared}", named, 1, 1, EXIT_USAGE)
    return schema


class SchemaSet:
    """Every kind's schema, resolvable by `$id`, each read when a document of its kind is first checked:
    a plugin kind whose schema cannot be loaded stops nothing until then.

    Two validators per kind: jsonschema-rs answers "valid?" quickly (nearly
    every document is); only an invalid document is validated again with
    python-jsonschema and a `referencing` registry, whose errors carry the
    schema keyword and value needed to point at the exact key or value.
    """

    def __init__(self, kinds: dict[str, Kind], named: Callable[[Path], str] = str,
                 owners: dict[str, str] | None = None) -> None:
        """`named(path)` is how an error names a schema file (see gitspec.herepaths.workspace_name);
        `owners` how it names the plugin that declared each kind (`plugin gitspec-foo (entry point foo)`)."""
        self.kinds = kinds
        self._named = named
        self._owners = owners or {}
        self._schemas: dict[str, dict[str, Any]] = {}
        self._fast: dict[str, Any] = {}
        self._detailed: dict[str, Any] = {}
        self._placements: dict[str, Placement] = {}

    def validator(self, kind: str) -> Any:
        """The kind's validator; a schema that cannot be loaded is a GitspecError naming its file."""
        return self._fast_validator(kind)

    def _declared(self, kind: str) -> str:
        owner = self._owners.get(kind)
        return f" (kind '{kind}', declared by {owner})" if owner else ""

    def _schema(self, kind: str) -> dict[str, Any]:
        if kind not in self._schemas:
            path = self.kinds[kind].schema
            self._schemas[kind] = read_schema(path, self._named(path), self._declared(kind))
        return self._schemas[kind]

    @cached_property
    def _shared(self) -> list[dict[str, Any]]:
        """The schemas a `$ref` may name: gitspec's shared definitions and each kind's that can be read
        (one that cannot is reported when its own kind is checked)."""
        readable = []
        for kind in self.kinds:
            try:
                readable.append(self._schema(kind))
            except GitspecError:
                continue
        return [load_builtin_schema("common"), *readable]

    @cached_property
    def _fast_registry(self) -> Any:
        import jsonschema_rs

        resources = [(s["$id"], s) for s in self._shared if isinstance(s.get("$id"), str)]
        try:
            return jsonschema_rs.Registry(resources)
        except Exception:  # jsonschema-rs raises its own types for bad resources
            pass
        # One schema that cannot be loaded (a $ref to nowhere, a bad $id) must stop only what reads its kind,
        # where the error names the schema and its plugin: the registry keeps those that load together.
        kept: list = []
        while more := next((r for r in resources if r not in kept and _loads(jsonschema_rs, [*kept, r])), None):
            kept.append(more)  # the first that loads with those kept: one at a time, as two may clash
        return jsonschema_rs.Registry(kept)

    def _fast_validator(self, kind: str) -> Any:
        if kind not in self._fast:
            import jsonschema_rs

            schema = self._schema(kind)
            try:
                jsonschema_rs.meta.validate(schema)
                self._fast[kind] = jsonschema_rs.validator_for(schema, registry=self._fast_registry, offline=True)
            except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as exc:
                message = str(exc).splitlines()[0]
                raise GitspecError(f"schema of kind '{kind}' is not a valid JSON Schema: {message}"
                                   f"{self._declared(kind)}", self._named(self.kinds[kind].schema),
                                   exit_code=EXIT_USAGE) from None
        return self._fast[kind]

    def _detailed_validator(self, kind: str) -> Any:
        if kind not in self._detailed:
            from jsonschema import Draft202012Validator
            from referencing import Registry, Resource

            resources = [(s["$id"], Resource.from_contents(s)) for s in self._shared if isinstance(s.get("$id"), str)]
            registry = Registry().with_resources(resources)
            self._detailed[kind] = Draft202012Validator(self._schema(kind), registry=registry)
        return self._detailed[kind]

    def properties(self, kind: str) -> list[str]:
        header = load_builtin_schema("common")["$defs"]["header"]["properties"]
        return [*header, *self._schema(kind).get("properties", {})]

    def placement(self, kind: str) -> Placement:
        """Which of the kind's keys a Markdown document writes in its front matter, which as `##` sections."""
        if kind not in self._placements:
            self._placements[kind] = Placement.of(self._schema(kind))
        return self._placements[kind]

    def check(self, document: Document) -> list[Finding]:
        if document.format == "markdown":  # a key in the wrong place is left out of the instance, and said
            placement = self.placement(document.kind)
            return placement.misplaced(document) + self._check(document, placement.instance(document))
        return self._check(document, document.instance())

    def _check(self, document: Document, instance: dict[str, Any]) -> list[Finding]:
        if self._fast_validator(document.kind).is_valid(instance):
            return []
        from jsonschema.exceptions import best_match

        findings = []
        try:
            for err in self._detailed_validator(document.kind).iter_errors(instance):
                if err.context:
                    err = best_match(err.context)
                findings.extend(_findings(document, err, self))
        except RecursionError:  # jsonschema recurses once per level of nesting
            return [error(document.path, 1, 1, f"{document.kind}: nested too deeply to be checked against its schema",
                          "schema")]
        # The validators may disagree: on .inf and .nan, which jsonschema-rs reads as null (JSON has no
        # such numbers) and python-jsonschema as numbers, and when only jsonschema-rs finds anything,
        # which must never pass silently.
        if findings and not _holds_non_finite(instance):
            return findings
        placed = {(f.line, f.col) for f in findings}
        try:
            fast = list(self._fast_validator(document.kind).iter_errors(instance))
        except ValueError:  # jsonschema-rs: nested too deeply, which the findings say already
            if findings:
                return findings
            raise
        for err in fast:
            value = _value_at(instance, err.instance_path)
            line, col = document.locate(tuple(err.instance_path))
            if (not findings or _non_finite(value)) and (line, col) not in placed:
                placed.add((line, col))
                findings.append(error(document.path, line, col, _at(document, tuple(err.instance_path),
                                                                     _fast_message(err, value)), "schema"))
        return findings


def _findings(document: Document, err: Any, schemas: SchemaSet) -> list[Finding]:
    path = tuple(err.absolute_path)
    if err.validator in ("additionalProperties", "unevaluatedProperties"):
        return [_unknown_key(document, path, key, *_meant(document, path, key, err, schemas))
                for key in _unexpected(err)]
    if err.validator == "required":
        # one error per missing key; its message names the key ('x' is a required property)
        named = _REQUIRED.match(err.message)
        missing = [ast.literal_eval(named.group(1))] if named else [
            key for key in err.validator_value if key not in err.instance]
        line, col = document.locate(path)
        # a Markdown document's own keys are its `##` sections, but those the front matter may hold
        headed = schemas.placement(document.kind).sections if document.format == "markdown" and not path else ()
        return [error(document.path, line, col, _at(document, path, f"missing required "
                      f"{'section' if key in headed else 'key'} '{key}'"), "schema")
                for key in missing]
    line, col = document.locate(path)
    message = _message(err)
    not_text = _NOT_TEXT.get(type(err.instance))
    if err.validator == "type" and err.validator_value == "string" and not_text and not document.stamp_of(path):
        comment = document.value_comment(path) if err.instance is None else None
        if comment:  # `title: #1 priority`: the text is a comment, shown at its `#`
            line, col = comment
            not_text = "YAML read it as no value: '#' after a space begins a comment; quote the text"
        message += f" ({not_text})"
    elif err.validator == "pattern" and err.validator_value == NOT_BLANK and isinstance(err.instance, str):
        message = f"{shown(err.instance)} is blank: write some text (white space alone is none)"
    elif err.validator in ("maxLength", "minLength") and isinstance(err.instance, str):
        bound = "at most" if err.validator == "maxLength" else "at least"
        count = err.validator_value
        message += f" ({bound} {count} character{'' if count == 1 else 's'}; it has {len(err.instance)})"
    return [error(document.path, line, col, _at(document, path, message), "schema")]


def _at(document: Document, path: tuple, message: str) -> str:
    """`message` after the address it is about: none for the whole of a document without an id (its
    file and line name it), never "None"."""
    section = document.stamp_of(path)
    if section is not None:  # a Markdown region's stamp: JSON in its marker, written by gitspec
        address = document.address((section,))
        inside = "/".join(str(part) for part in path[2:])
        return (f"{address}: the stamp in its generated-region marker is not as gitspec writes it "
                f"({f'{inside}: ' if inside else ''}{message}); restore it, or run 'gitspec build --force "
                f"{address}' to write the section anew")
    where = document.address(path)
    return f"{where}: {message}" if where else message


def _message(err: Any) -> str:
    """jsonschema's message, with the value it starts with spelt as YAML spells it and cut short."""
    named = repr(err.instance)
    if err.message.startswith(named):
        return shown(err.instance) + err.message[len(named):]
    return err.message


def _fast_message(err: Any, value: Any) -> str:
    """jsonschema-rs's message; for .inf, -.inf or .nan, which it reads as null (JSON has no such
    numbers) while python-jsonschema takes them as numbers, one that names the value as written."""
    if _non_finite(value):
        return f"{shown(value)} is not allowed: a number must be finite (JSON has no infinity or NaN)"
    return _message(err)


def _non_finite(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


def _holds_non_finite(instance: Any) -> bool:
    """Whether .inf, -.inf or .nan is anywhere in the instance (walked without recursing: it may nest deeply)."""
    pending = [instance]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif _non_finite(value):
            return True
    return False


def _value_at(instance: Any, path: Any) -> Any:
    """The value at a JSON path (keys and indexes) in the instance, None when there is none."""
    for part in path:
        try:
            instance = instance[part]
        except (KeyError, IndexError, TypeError):
            return None
    return instance


def _unexpected(err: Any) -> list[str]:
    match = _UNEXPECTED.search(err.message)
    if match:
        try:
            return [str(key) for key in ast.literal_eval(f"[{match.group(1)}]")]
        except (ValueError, SyntaxError):
            pass
    return [key for key in err.instance if key not in err.schema.get("properties", {})]


def _meant(document: Document, path: tuple, key: str, err: Any, schemas: SchemaSet) -> tuple[list[str], list[str]]:
    """The keys an unknown `key` may have been meant as: in a Markdown document, one a `##` heading may
    hold for a heading, one the front matter may hold for a key of the front matter; and, for a heading,
    the keys only the front matter can hold (`## Started at` for `startedAt`, which no heading gives)."""
    if path:
        return list(err.schema.get("properties", {})), []
    known = schemas.properties(document.kind)
    if document.format != "markdown":
        return known, []
    placement = schemas.placement(document.kind)
    if key in document.section_lines:
        return [name for name in known if placement.may_be_heading(name)], \
            [name for name in known if not placement.may_be_heading(name) and name not in HEADER_KEYS]
    return [name for name in known if placement.may_be_front(name)], []


def _unknown_key(document: Document, path: tuple, key: str, known: list[str], front_only: list[str]) -> Finding:
    import difflib  # only when a key is wrong: not worth importing on every check

    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean {shown(close[0])}?)" if close else ""
    meant = difflib.get_close_matches(key, front_only, n=1) if not close else []
    if meant:  # no heading can be it: say where it goes
        hint = (f" (did you mean {shown(meant[0])}? no heading can hold it: write it in the front matter, "
                f"{meant[0]}: …)")
    line, col = document.locate_key(path, key)
    what = "section" if document.format == "markdown" and key in document.section_lines else "key"
    return error(document.path, line, col, _at(document, path, f"unknown {what} {shown(key)}{hint}"), "schema")


def _loads(jsonschema_rs: Any, resources: list) -> bool:
    """Whether jsonschema-rs makes a registry of these resources."""
    try:
        jsonschema_rs.Registry(resources)
    except Exception:  # its own error types, for a resource it cannot load
        return False
    return True
