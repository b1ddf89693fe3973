"""PostgreSQL DDL from an architecture dataModel: tables, keys, checks and indexes.

Shared by the architecture stage (the `ddl` section) and the code stage (the
first migration), so the two can never disagree. Pure text generation.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any

from gitspec.printable import one_line
from gitspec.stages.inputs import key_fields
from gitspec.stages.naming import snake_case

# Logical field types of architecture.schema.json -> PostgreSQL column types.
# `string` is `text`: PostgreSQL stores both alike and a length limit would be invented.
SQL_TYPES = {
    "uuid": "uuid", "string": "text", "text": "text", "integer": "integer", "bigint": "bigint",
    "decimal": "numeric", "boolean": "boolean", "date": "date", "timestamp": "timestamptz",
    "json": "jsonb", "enum": "text",
}

# PostgreSQL's reserved key words: as table or column names they must be quoted.
_RESERVED = frozenset("""
all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate
collation column concurrently constraint create cross current_catalog current_date current_role
current_schema current_time current_timestamp current_user default deferrable desc distinct do else end
except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into
is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on
only or order outer overlaps placing primary references returning right select session_user similar some
symmetric system_user table tablesample then to trailing true union unique user using variadic verbose
when where window with
""".split())
_PLAIN_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_MAX_IDENT = 63  # PostgreSQL truncates longer names, which could make two of them collide
# SQL defaults for non-text columns that are expressions, not literals.
_SQL_FUNCTION = re.compile(r"^(now\(\)|gen_random_uuid\(\)|current_(date|timestamp))$", re.I)


def fitted(name: str) -> str:
    """`name`, or when PostgreSQL would truncate it (over 63 bytes) its start and a hash of the whole:
    truncation alone would make two long names that begin alike one name."""
    if len(name.encode()) <= _MAX_IDENT:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name.encode()[:_MAX_IDENT - 9].decode(errors='ignore')}_{digest}"


def table_name(entity: str) -> str:
    return fitted(snake_case(entity))


def column_name(field: str) -> str:
    return fitted(snake_case(field))


def quote_ident(name: str) -> str:
    if _PLAIN_IDENT.match(name) and name not in _RESERVED:
        return name
    return '"' + name.replace('"', '""') + '"'


def sql_literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def object_name(*parts: str, taken: set[str]) -> str:
    """A constraint or index name from its parts, at most 63 bytes, unique in `taken` (recorded there)."""
    name = "_".join(parts)
    candidate, number = fitted(name), 2
    while candidate in taken:  # numbered before it is fitted, so that `_2` never makes it too long
        candidate, number = fitted(f"{name}_{number}"), number + 1
    taken.add(candidate)
    return candidate


def primary_keys(entity: dict) -> list[str]:
    return [f["name"] for f in key_fields(entity)]


def column_type(field: dict) -> str:
    """A field's PostgreSQL column type."""
    return SQL_TYPES.get(field.get("type", "text"), "text")


def comparable(sql_type: str | None) -> str | None:
    """The family of types PostgreSQL compares with one another in a foreign key (an integer column may
    reference a bigint key); any other type only with itself."""
    return "integer" if sql_type in ("integer", "bigint") else sql_type


def unwritable_reference(field: dict, by_name: dict[str, dict]) -> str | None:
    """Why no foreign key can be written for a `references` field (the entity it names has no one key
    field of a type PostgreSQL compares with the field's), or None when one can. PostgreSQL refuses any
    written then (a bare `REFERENCES table` stands for its whole primary key), so none is; check reports
    each case (bad-reference, unknown-reference)."""
    target = by_name.get(field["references"]) if isinstance(field["references"], str) else None
    if target is None:
        return "an entity the data model does not have"
    keys = key_fields(target)
    if len(keys) != 1:
        return f"whose primary key has {len(keys)} fields" if keys else "which has no primary key"
    if comparable(column_type(field)) != comparable(column_type(keys[0])):
        return f"whose key {keys[0].get('name')!r} is {column_type(keys[0])}, not {column_type(field)}"
    return None


def foreign_keys(entity: dict, by_name: dict[str, dict]) -> list[dict]:
    """The fields of `entity` written as foreign keys: those whose reference has one key to point at."""
    return [f for f in entity.get("fields") or [] if f.get("references") and not unwritable_reference(f, by_name)]


def _skipped_keys(entities: list[dict], by_name: dict[str, dict]) -> list[str]:
    """A comment for each reference no foreign key is written for, saying why."""
    return [f"-- Skipped: a foreign key from {entity['name']!r}.{field.get('name')!r} to {field['references']!r}, "
            f"{why}." for entity in entities for field in entity.get("fields") or []
            if field.get("references") and (why := unwritable_reference(field, by_name))]


def creation_order(entities: list[dict]) -> list[dict]:
    """Entities ordered so that referenced tables come first where possible (document order otherwise)."""
    by_name = {e["name"]: e for e in entities}
    pending = list(entities)
    ordered: list[dict] = []
    done: set[str] = set()
    while pending:
        ready = next((e for e in pending
                      if all(f["references"] in done or f["references"] == e["name"]
                             for f in foreign_keys(e, by_name))), None)
        # A cycle of references: take the first pending entity; its forward keys become ALTER TABLE.
        chosen = ready or pending[0]
        pending.remove(chosen)
        ordered.append(chosen)
        done.add(chosen["name"])
    return ordered


def _column(field: dict, single_pk: bool) -> str:
    column = column_name(field["name"])
    parts = [quote_ident(column), column_type(field)]
    if field.get("primaryKey") and single_pk:
        parts.append("PRIMARY KEY")
    elif field.get("required") or field.get("primaryKey"):
        parts.append("NOT NULL")
    if field.get("unique") and not (field.get("primaryKey") and single_pk):
        parts.append("UNIQUE")
    if "default" in field:
        default = field["default"]
        raw = (isinstance(default, str) and field.get("type") not in ("string", "text", "enum")
               and _SQL_FUNCTION.match(default))
        parts.append(f"DEFAULT {default if raw else sql_literal(default)}")
    if field.get("type") == "enum" and field.get("values"):
        values = ", ".join(sql_literal(v) for v in field["values"])
        parts.append(f"CHECK ({quote_ident(column)} IN ({values}))")
    return " ".join(parts)


def _foreign_key(table: str, field: dict, by_name: dict[str, dict], taken: set[str]) -> str:
    column = column_name(field["name"])
    name = object_name(table, column, "fkey", taken=taken)
    [key] = primary_keys(by_name[field["references"]])  # one, as foreign_keys keeps only such references
    return (f"CONSTRAINT {quote_ident(name)} FOREIGN KEY ({quote_ident(column)}) "
            f"REFERENCES {quote_ident(table_name(field['references']))} ({quote_ident(column_name(key))})")


def _create_table(entity: dict, by_name: dict[str, dict], created: set[str],
                  taken: set[str]) -> tuple[str, list[str]]:
    """CREATE TABLE for `entity`, and ALTER TABLE statements for keys to tables not created yet."""
    table = table_name(entity["name"])
    keys = primary_keys(entity)
    lines = [_column(f, len(keys) == 1) for f in entity.get("fields") or []]
    if len(keys) > 1:
        lines.append(f"PRIMARY KEY ({', '.join(quote_ident(column_name(k)) for k in keys)})")
    deferred = []
    for field in foreign_keys(entity, by_name):
        constraint = _foreign_key(table, field, by_name, taken)
        if field["references"] in created or field["references"] == entity["name"]:
            lines.append(constraint)
        else:
            deferred.append(f"ALTER TABLE {quote_ident(table)} ADD {constraint};")
    description = one_line(" ".join(str(entity.get("description") or "").split()))  # a NUL as its escape
    head = f"-- {entity['name']}: {description}\n" if description else f"-- {entity['name']}\n"
    body = ",\n".join(f"    {line}" for line in lines)
    return f"{head}CREATE TABLE {quote_ident(table)} (\n{body}\n);", deferred


def _where(condition: str, fields: list[dict]) -> str:
    """Field names in a partial-index condition become column names; quoted strings stay as written."""
    names = {f["name"]: quote_ident(column_name(f["name"])) for f in fields}
    pieces = re.split(r"('(?:[^']|'')*')", condition)
    for i in range(0, len(pieces), 2):
        pieces[i] = re.sub(r"\b[A-Za-z_][A-Za-z0-9_]*\b", lambda m: names.get(m.group(0), m.group(0)), pieces[i])
    return "".join(pieces)


def _index(table: str, columns: list[str], taken: set[str], *, name: str | None = None,
           unique_index: bool = False, where: str | None = None) -> str:
    index = object_name(name, taken=taken) if name else object_name(table, *columns, "idx", taken=taken)
    kind = "UNIQUE INDEX" if unique_index else "INDEX"
    cols = ", ".join(quote_ident(c) for c in columns)
    tail = f" WHERE {where}" if where else ""
    return f"CREATE {kind} {quote_ident(index)} ON {quote_ident(table)} ({cols}){tail};"


def _indexes(entity: dict, by_name: dict[str, dict], declared: list[dict], taken: set[str]) -> list[str]:
    """The entity's declared indexes, then one per foreign-key column no declared index leads with."""
    table = table_name(entity["name"])
    fields = entity.get("fields") or []
    statements, leading = [], set()
    for index in declared:
        columns = [column_name(f) for f in index.get("fields") or []]
        if not columns:
            continue
        leading.add(columns[0])
        where = _where(index["where"], fields) if index.get("where") else None
        statements.append(_index(table, columns, taken, name=index.get("name"),
                                 unique_index=bool(index.get("unique")), where=where))
    for field in foreign_keys(entity, by_name):
        column = column_name(field["name"])
        if column not in leading:  # a B-tree index serves lookups on its leading column
            statements.append(_index(table, [column], taken))
    return statements


def ddl(data_model: dict, source: str = "architecture#dataModel") -> str:
    """The whole schema as PostgreSQL statements, in an order PostgreSQL accepts."""
    entities = [e for e in data_model.get("entities") or [] if isinstance(e, dict) and e.get("name")]
    by_name = {e["name"]: e for e in entities}
    declared: dict[str, list[dict]] = {}
    orphans = []
    for index in data_model.get("indexes") or []:
        if index.get("entity") in by_name:
            declared.setdefault(index["entity"], []).append(index)
        else:
            orphans.append(f"-- Skipped: an index on unknown entity {index.get('entity')!r}.")
    taken: set[str] = set()
    created: set[str] = set()
    blocks, deferred = [f"-- Generated by gitspec from {source}. Edit the data model, not this file."], []
    for entity in creation_order(entities):
        table, later = _create_table(entity, by_name, created, taken)
        created.add(entity["name"])
        deferred += later
        blocks.append("\n".join([table, *_indexes(entity, by_name, declared.get(entity["name"], []), taken)]))
    if deferred:
        blocks.append("-- Foreign keys to tables created later (reference cycles).\n" + "\n".join(deferred))
    skipped = orphans + _skipped_keys(entities, by_name)
    if skipped:
        blocks.append("\n".join(skipped))
    return "\n\n".join(blocks) + "\n"
