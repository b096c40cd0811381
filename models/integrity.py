"""The unique constraints, indexes and foreign keys the models declare, the ones a live database
has, and the repair that makes the second hold the first.

Why this exists: Tortoise's SQLite migrations alter a column by rebuilding its table, and the
rebuilt table keeps what a column definition carries (a single-column UNIQUE, REFERENCES) but
loses its composite unique constraints and every index. A lost unique index is a correctness bug,
not a speed bump: without (account, action, key) on `idempotency_record`, concurrent calls with one
idempotency key applied a withdrawal several times. So the live schema is read back after every
migration and whatever the models declare and the database lacks is restored; rows that would break
a unique constraint are removed first, the oldest kept, and each removal is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.fields.relational import ForeignKeyFieldInstance, ManyToManyFieldInstance, OneToOneFieldInstance
from tortoise.models import Model

log = logging.getLogger("models.integrity")


@dataclass(frozen=True, order=True)
class Unique:
    """No two rows share these columns' values (any index over exactly these columns, in any order)."""

    table: str
    columns: tuple[str, ...]

    def __str__(self) -> str:
        return f"unique {self.table} ({', '.join(self.columns)})"


@dataclass(frozen=True, order=True)
class Index:
    """Lookups by these columns, in this order, are indexed."""

    table: str
    columns: tuple[str, ...]

    def __str__(self) -> str:
        return f"index {self.table} ({', '.join(self.columns)})"


@dataclass(frozen=True, order=True)
class ForeignKey:
    table: str
    column: str
    target_table: str
    target_column: str

    def __str__(self) -> str:
        return f"foreign key {self.table}.{self.column} -> {self.target_table}.{self.target_column}"


Constraint = Unique | Index | ForeignKey


@dataclass(frozen=True)
class DeclaredSchema:
    constraints: frozenset[Constraint]
    primary_keys: dict[str, str]  # table -> primary key column (tables with one)


def _unique(table: str, columns: Iterable[str]) -> Unique:
    return Unique(table, tuple(columns))


def declared_schema(models: Iterable[type[Model]]) -> DeclaredSchema:
    """What the models promise: unique fields and unique_together, db_index fields and Meta.indexes,
    foreign keys (many-to-many tables included)."""
    found: set[Constraint] = set()
    primary_keys: dict[str, str] = {}
    for model in models:
        meta = model._meta
        table = meta.db_table
        column = meta.fields_db_projection
        primary_keys[table] = column[meta.pk_attr]
        for name, field in meta.fields_map.items():
            if isinstance(field, ManyToManyFieldInstance):
                through, own, other = field.through, field.backward_key, field.forward_key
                found.add(_unique(through, sorted((own, other))))  # declared from both sides: one spelling
                found.add(ForeignKey(through, own, table, column[meta.pk_attr]))
                related = field.related_model._meta
                found.add(ForeignKey(through, other, related.db_table, related.fields_db_projection[related.pk_attr]))
                continue
            if isinstance(field, (ForeignKeyFieldInstance, OneToOneFieldInstance)):
                if field.db_constraint:
                    target = field.related_model._meta
                    found.add(ForeignKey(table, field.source_field or f"{name}_id", target.db_table,
                                         target.fields_db_projection[field.to_field]))
                continue
            if field.pk or name not in column:
                continue
            if field.unique:
                found.add(_unique(table, (column[name],)))
            elif field.index:
                found.add(Index(table, (column[name],)))
        for names in meta.unique_together or ():
            found.add(_unique(table, (_column_of(meta, n) for n in names)))
        for index in meta.indexes or ():
            fields_of_index: Sequence[str] = index.fields if hasattr(index, "fields") else index
            found.add(Index(table, tuple(_column_of(meta, n) for n in fields_of_index)))
    return DeclaredSchema(frozenset(found), primary_keys)


def _column_of(meta: Any, name: str) -> str:
    field = meta.fields_map[name]
    return getattr(field, "source_field", None) or meta.fields_db_projection[name]


@dataclass(frozen=True)
class LiveIndex:
    table: str
    columns: tuple[str, ...]
    unique: bool


@dataclass(frozen=True)
class LiveSchema:
    indexes: tuple[LiveIndex, ...]
    foreign_keys: frozenset[ForeignKey]

    def has(self, constraint: Constraint) -> bool:
        if isinstance(constraint, ForeignKey):
            return constraint in self.foreign_keys
        for index in self.indexes:
            if index.table != constraint.table:
                continue
            if isinstance(constraint, Unique) and index.unique and sorted(index.columns) == sorted(constraint.columns):
                return True
            # Any index that starts with the declared columns serves their lookups.
            if isinstance(constraint, Index) and index.columns[: len(constraint.columns)] == constraint.columns:
                return True
        return False


def dialect(client: BaseDBAsyncClient) -> str:
    return client.capabilities.dialect


async def live_schema(client: BaseDBAsyncClient) -> LiveSchema:
    """Read from the database itself: SQLite's pragmas, PostgreSQL's catalogs (partial indexes and
    primary keys do not count)."""
    if dialect(client) == "sqlite":
        return await _live_sqlite(client)
    return await _live_postgres(client)


async def _live_sqlite(client: BaseDBAsyncClient) -> LiveSchema:
    indexes: list[LiveIndex] = []
    foreign_keys: set[ForeignKey] = set()
    tables = await client.execute_query_dict(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    for table in (row["name"] for row in tables):
        for index in await client.execute_query_dict(f'PRAGMA index_list("{table}")'):
            if index["partial"] or index["origin"] == "pk":
                continue
            info = await client.execute_query_dict(f'PRAGMA index_info("{index["name"]}")')
            columns = tuple(row["name"] for row in sorted(info, key=lambda row: row["seqno"]))
            indexes.append(LiveIndex(table, columns, bool(index["unique"])))
        for key in await client.execute_query_dict(f'PRAGMA foreign_key_list("{table}")'):
            foreign_keys.add(ForeignKey(table, key["from"], key["table"], key["to"]))
    return LiveSchema(tuple(indexes), frozenset(foreign_keys))


_PG_INDEXES = """
SELECT t.relname AS table_name, i.indisunique AS is_unique,
       ARRAY(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.position) AS columns
FROM pg_index i
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND NOT i.indisprimary AND i.indpred IS NULL
"""
_PG_FOREIGN_KEYS = """
SELECT t.relname AS table_name, a.attname AS column_name, ft.relname AS target_table, fa.attname AS target_column
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_class ft ON ft.oid = c.confrelid
JOIN pg_namespace n ON n.oid = c.connamespace
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
WHERE c.contype = 'f' AND n.nspname = current_schema()
"""


async def _live_postgres(client: BaseDBAsyncClient) -> LiveSchema:
    indexes = tuple(LiveIndex(row["table_name"], tuple(row["columns"]), row["is_unique"])
                    for row in await client.execute_query_dict(_PG_INDEXES))
    foreign_keys = frozenset(ForeignKey(row["table_name"], row["column_name"], row["target_table"], row["target_column"])
                             for row in await client.execute_query_dict(_PG_FOREIGN_KEYS))
    return LiveSchema(indexes, foreign_keys)


async def missing_constraints(client: BaseDBAsyncClient, declared: DeclaredSchema) -> list[Constraint]:
    live = await live_schema(client)
    return sorted((c for c in declared.constraints if not live.has(c)), key=lambda c: (type(c).__name__, c))


class SchemaDrift(RuntimeError):
    """The database lacks something the repair cannot add in place."""


async def restore_declared_schema(client: BaseDBAsyncClient, models: Iterable[type[Model]]) -> list[str]:
    """Add every declared unique constraint and index the database lacks (removing the rows that
    would break a unique one first); what was done, for the log. Idempotent."""
    declared = declared_schema(models)
    done: list[str] = []
    missing = await missing_constraints(client, declared)
    # Unique indexes first: they also serve the plain indexes that start with the same columns.
    for constraint in sorted(missing, key=lambda c: not isinstance(c, Unique)):
        if isinstance(constraint, ForeignKey):
            raise SchemaDrift(f"The database lacks the {constraint}; rebuild the table from the models.")
        if (await live_schema(client)).has(constraint):
            continue  # an index restored a moment ago serves it
        if isinstance(constraint, Unique):
            done += await _remove_duplicates(client, declared, constraint)
        kind = "UNIQUE INDEX" if isinstance(constraint, Unique) else "INDEX"
        name = f"{'uidx' if isinstance(constraint, Unique) else 'ix'}_{constraint.table}_{'_'.join(constraint.columns)}"
        columns = ", ".join(f'"{c}"' for c in constraint.columns)
        await client.execute_script(f'CREATE {kind} IF NOT EXISTS "{name[:63]}" ON "{constraint.table}" ({columns})')
        done.append(f"restored the {constraint}")
    if missing:
        # Routine after a SQLite table rebuild, so one line; removed duplicates were logged one by one.
        log.info("restored %d unique constraint(s) and %d index(es) the database lacked",
                 sum(isinstance(c, Unique) for c in missing), sum(isinstance(c, Index) for c in missing))
    return done


async def _remove_duplicates(client: BaseDBAsyncClient, declared: DeclaredSchema, unique: Unique) -> list[str]:
    """Keep the oldest row of each group that shares the unique columns, point references to the
    removed rows at it, and delete the rest."""
    table, columns = unique.table, unique.columns
    row_id = declared.primary_keys.get(table) or ("rowid" if dialect(client) == "sqlite" else None)
    if row_id is None:
        return []  # only PostgreSQL many-to-many tables lack one, and PostgreSQL keeps their constraint
    quoted = ", ".join(f'"{c}"' for c in columns)
    not_null = " AND ".join(f'"{c}" IS NOT NULL' for c in columns)  # NULLs never clash in a unique index
    duplicates = await client.execute_query_dict(
        f'SELECT * FROM (SELECT "{row_id}" AS removed, MIN("{row_id}") OVER (PARTITION BY {quoted}) AS kept, {quoted} '
        f'FROM "{table}" WHERE {not_null}) AS grouped WHERE removed <> kept ORDER BY removed')
    done = []
    for duplicate in duplicates:
        removed, kept = duplicate["removed"], duplicate["kept"]
        await _repoint_references(client, declared, table, removed, kept)
        await client.execute_query(f'DELETE FROM "{table}" WHERE "{row_id}" = {int(removed)}')
        values = ", ".join(f"{c}={duplicate[c]!r}" for c in columns)
        message = f"removed {table} #{removed} ({values}): a duplicate of #{kept}, which was kept"
        log.warning("%s", message)
        done.append(message)
    return done


async def _repoint_references(client: BaseDBAsyncClient, declared: DeclaredSchema, table: str, removed: int, kept: int) -> None:
    for key in sorted(c for c in declared.constraints if isinstance(c, ForeignKey) and c.target_table == table):
        child, column = key.table, key.column
        # A referencing row that would duplicate one already pointing at the kept row goes instead.
        for unique in (c for c in declared.constraints if isinstance(c, Unique) and c.table == child and column in c.columns):
            same = " AND ".join(f'other."{c}" = "{child}"."{c}"' for c in unique.columns if c != column) or "1 = 1"
            await client.execute_query(
                f'DELETE FROM "{child}" WHERE "{column}" = {int(removed)} AND EXISTS '
                f'(SELECT 1 FROM "{child}" AS other WHERE other."{column}" = {int(kept)} AND {same})')
        await client.execute_query(f'UPDATE "{child}" SET "{column}" = {int(kept)} WHERE "{column}" = {int(removed)}')
