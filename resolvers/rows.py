"""Read chosen columns of a scoped queryset as plain dicts, without hydrating models.

Hot read paths (connections and their nested pages) ask only for the columns the GraphQL
selection needs; the values come back converted exactly as Tortoise converts them for a model
(enums, datetimes, JSON, SQLite decimals), keyed by the model's attribute names, so whatever
reads a model attribute reads the same value from the dict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from tortoise.queryset import QuerySet

Converter = Callable[[Any], Any] | None


def all_fields(model: Any) -> tuple[str, ...]:
    """Every column of the model, by attribute name (foreign keys as `<name>_id`)."""
    return tuple(model._meta.fields_db_projection)


def known_fields(model: Any, fields: Iterable[str]) -> tuple[str, ...]:
    """`fields` that are columns of the model, in a stable order, `id` first."""
    projection = model._meta.fields_db_projection
    wanted = set(fields) | {"id"}
    return tuple(sorted((f for f in wanted if f in projection), key=lambda f: (f != "id", f)))


def converters(model: Any, fields: Sequence[str]) -> list[tuple[str, Converter]]:
    """How to turn each selected column's database value into the model attribute's value.

    Read from the model's meta at the time of the call: which fields the driver already converts
    ("native") depends on the open database (a decimal is native on PostgreSQL, text on SQLite).
    """
    meta = model._meta
    kinds: dict[str, Converter] = {}
    for _, name, _field in meta.db_native_fields:
        kinds[name] = None
    for _, name, field in meta.db_default_fields:
        kinds[name] = field.field_type
    for _, name, field in meta.db_complex_fields:
        kinds[name] = field.to_python_value
    return [(name, kinds.get(name)) for name in fields]


def convert(records: Iterable[dict[str, Any]], table: list[tuple[str, Converter]]) -> list[dict[str, Any]]:
    rows = []
    for record in records:
        row = {}
        for name, to_python in table:
            value = record[name]
            if to_python is not None and value is not None:
                value = to_python(value)
            row[name] = value
        rows.append(row)
    return rows


def compiled(queryset: QuerySet[Any], fields: Sequence[str], *, ordered: bool = True) -> tuple[str, list[Any], Any]:
    """The SQL, parameters and connection of `queryset` selecting only `fields` (aliased by name).

    `ordered=False` drops the model's default ordering: a row source that its reader orders itself
    (a subquery) should not sort every row first, which also keeps SQLite from flattening it.
    """
    queryset = queryset.only(*fields)
    queryset._choose_db_if_not_chosen()
    queryset._make_query()
    if not ordered:
        queryset.query._orderbys = []
    sql, params = queryset.query.get_parameterized_sql()
    return sql, list(params), queryset._db


async def select(queryset: QuerySet[Any], fields: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of `queryset` (its filters, ordering, offset and limit) as dicts of `fields`."""
    sql, params, db = compiled(queryset, fields)
    return convert(await db.execute_query_dict(sql, params), converters(queryset.model, fields))
