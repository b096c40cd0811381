"""Keyset (seek) pagination over a scoped queryset, in SQL.

Every connection has a total order: the requested order plus the primary key as a tie-breaker.
A cursor names an item by its values of that order's keys (and the order it belongs to), so a
page after it is "the rows beyond these values", not "the rows past offset n": rows inserted or
deleted while a client pages never make it skip or repeat an item. Cursors are opaque to clients
(base64 of a small JSON document), validated, and refused with BAD_USER_INPUT when malformed or
taken from another order.

NULLs sort as each database sorts them (PostgreSQL: above every value; SQLite: below), and the
"beyond" conditions follow the same rule, so a nullable order key pages like any other.

`hasPreviousPage` on a forward page (and `hasNextPage` on a backward one) says whether the page
starts at a cursor, as the Relay specification allows: the item named by `after` was there.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Generic, TypeVar

from tortoise import fields as tortoise_fields
from tortoise.expressions import Q
from tortoise.fields import DecimalField
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from resolvers import rows
from resolvers.errors import BadUserInput
from resolvers.rows import all_fields

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CURSOR_VERSION = 2

RowT = TypeVar("RowT")


@dataclass(frozen=True, slots=True)
class SortKey:
    name: str
    descending: bool


def sort_keys(ordering: Sequence[str]) -> tuple[SortKey, ...]:
    """The order's keys, each once (its first mention decides its direction)."""
    seen: dict[str, SortKey] = {}
    for name in ordering:
        bare = name.lstrip("-")
        seen.setdefault(bare, SortKey(bare, name.startswith("-")))
    return tuple(seen.values())


def order_sql(model: Any, ordering: Sequence[str], alias: str, dialect: str) -> str:
    """An ORDER BY list over `alias`'s columns (named by attribute), for SQL written around a
    scoped read. SQLite keeps decimals as text: they compare as numbers, as Tortoise's own
    order_by makes them."""
    def one(name: str) -> str:
        bare = name.lstrip("-")
        column = f'"{alias}"."{bare}"'
        if dialect == "sqlite" and isinstance(model._meta.fields_map[bare], DecimalField):
            column = f"CAST({column} AS NUMERIC)"
        return f'{column} {"DESC" if name.startswith("-") else "ASC"}'

    return ", ".join(one(name) for name in ordering)


def order_tag(model: Any, keys: Sequence[SortKey]) -> str:
    """Which list order a cursor belongs to (the table and its keys), short and opaque."""
    text = f"{model._meta.db_table}|{','.join(('-' if k.descending else '') + k.name for k in keys)}"
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_cursor(model: Any, keys: Sequence[SortKey], row: dict[str, Any]) -> str:
    document = [CURSOR_VERSION, order_tag(model, keys), [_plain(row[k.name]) for k in keys]]
    # Compact and in UTF-8, as the compiled read path writes it in SQL (schema/compiled/compiler.py).
    return base64.urlsafe_b64encode(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()).decode()


def _typed(model: Any, name: str, value: Any) -> Any:
    """A cursor's value for the key `name` as the model field's Python value; ValueError if it cannot be one."""
    field_ = model._meta.fields_map[name]
    if value is None:
        if not field_.null:
            raise ValueError(name)
        return None
    if isinstance(field_, tortoise_fields.DatetimeField):
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError(name)
        return parsed
    if isinstance(field_, tortoise_fields.DateField):
        return date.fromisoformat(value)
    if isinstance(field_, DecimalField):
        number = Decimal(value)
        if not number.is_finite():
            raise ValueError(name)
        return number
    enum_type = getattr(field_, "enum_type", None)
    if enum_type is not None:
        return enum_type(value)
    expected = field_.field_type
    if expected is bool:
        if not isinstance(value, bool):
            raise ValueError(name)
    elif expected is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(name)
    elif expected is str:
        if not isinstance(value, str):
            raise ValueError(name)
    else:  # an order key of another kind would need its own rule here
        raise ValueError(name)
    return value


def decode_cursor(cursor: str, argument: str, model: Any, keys: Sequence[SortKey]) -> list[Any]:
    """The key values a cursor names, typed; BAD_USER_INPUT for anything but a cursor of this order."""
    try:
        document = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not (isinstance(document, list) and len(document) == 3 and document[0] == CURSOR_VERSION):
            raise ValueError("shape")
        _, tag, values = document
        if tag != order_tag(model, keys):
            raise BadUserInput(f"`{argument}` is a cursor of another list or order: page with the same `orderBy`.", argument=argument)
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError("values")
        return [_typed(model, key.name, value) for key, value in zip(keys, values, strict=True)]
    except (ValueError, TypeError, LookupError, InvalidOperation, binascii.Error, RecursionError) as exc:
        # json.JSONDecodeError and UnicodeDecodeError are ValueErrors.
        raise BadUserInput(f"`{argument}` is not a valid cursor.", argument=argument) from exc


def _nulls_high(model: Any) -> bool:
    """Whether the database sorts NULL above every value (PostgreSQL) or below (SQLite)."""
    return model._meta.db.capabilities.dialect == "postgres"


def _where(lookup: str, value: Any) -> Q:
    return Q(**{lookup: value})


def beyond(model: Any, keys: Sequence[SortKey], values: Sequence[Any], *, forward: bool) -> Q:
    """The rows strictly after (`forward`) or before the position `values` in the keys' order."""
    nulls_high = _nulls_high(model)
    fields_map = model._meta.fields_map
    clauses: list[Q] = []
    equal: list[Q] = []
    for key, value in zip(keys, values, strict=True):
        # "Beyond" on this key means a larger value when it runs ascending in the direction we page.
        larger = key.descending != forward
        nullable = fields_map[key.name].null
        # NULLs are beyond every value when they sort at the end we are heading to.
        nulls_beyond = nullable and larger == nulls_high
        step: Q | None
        if value is None:
            step = None if nulls_beyond else _where(f"{key.name}__isnull", False)
            same = _where(f"{key.name}__isnull", True)
        else:
            step = _where(f"{key.name}__{'gt' if larger else 'lt'}", value)
            if nulls_beyond:
                step = Q(step, _where(f"{key.name}__isnull", True), join_type="OR")
            same = _where(key.name, value)
        if step is not None:
            clauses.append(Q(*equal, step) if equal else step)
        equal.append(same)
    return Q(*clauses, join_type="OR") if clauses else Q(id__in=[])


def reverse(ordering: Sequence[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def validate(self) -> None:
        for name in ("first", "last"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
                raise BadUserInput(f"`{name}` must be between 0 and {MAX_PAGE_SIZE}.", argument=name)
        if self.first is not None and self.last is not None:
            raise BadUserInput("Pass `first` or `last`, not both.", argument="last")

    @property
    def backward(self) -> bool:
        return self.last is not None

    @property
    def size(self) -> int:
        if self.last is not None:
            return self.last
        return self.first if self.first is not None else DEFAULT_PAGE_SIZE

    def bounded(self, queryset: QuerySet[Any], keys: Sequence[SortKey]) -> QuerySet[Any]:
        """`queryset` narrowed to the rows between the `after` and `before` cursors."""
        model = queryset.model
        if self.after is not None:
            queryset = queryset.filter(beyond(model, keys, decode_cursor(self.after, "after", model, keys), forward=True))
        if self.before is not None:
            queryset = queryset.filter(beyond(model, keys, decode_cursor(self.before, "before", model, keys), forward=False))
        return queryset

    def page(self, found: list[dict[str, Any]], total: int | None, build: Build, model: Any,
             keys: Sequence[SortKey]) -> Page[Any]:
        """The page from up to `size + 1` rows read in the direction of travel (the extra row tells
        whether more lie that way)."""
        more = len(found) > self.size
        found = found[:self.size]
        if self.backward:
            found.reverse()
        # Cursors first: a caller's row builder may mask a value in place, and a cursor needs the real one.
        cursors = [encode_cursor(model, keys, r) for r in found]
        return Page(rows=[build(r) for r in found], total=total,
                    has_next=more if not self.backward else self.before is not None,
                    has_previous=more if self.backward else self.after is not None,
                    cursors=cursors)


@dataclass(frozen=True, slots=True)
class Page(Generic[RowT]):
    rows: list[RowT]
    # None when nobody asked for it: the page was read without counting the whole list.
    total: int | None
    has_next: bool
    has_previous: bool
    cursors: list[str] = field(default_factory=list)

    @classmethod
    def empty(cls) -> Page[Any]:
        return cls(rows=[], total=0, has_next=False, has_previous=False)


Build = Callable[[dict[str, Any]], Any]


def _identity(row: dict[str, Any]) -> Any:
    return row


def _with_keys(fields: Sequence[str], keys: Sequence[SortKey]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*fields, *(k.name for k in keys)]))


async def paginate(queryset: QuerySet[Any], request: PageRequest, ordering: list[str], *,
                   fields: Sequence[str] | None = None, build: Build = _identity, count: bool = True) -> Page[Any]:
    """One page of `queryset` as `build(row)` of the `fields` columns (all when None); the whole
    list is counted only when `count` (totalCount was selected)."""
    request.validate()
    model = queryset.model
    keys = sort_keys(ordering)
    columns = _with_keys(fields if fields is not None else all_fields(model), keys)
    order = [("-" if k.descending else "") + k.name for k in keys]
    travel = reverse(order) if request.backward else order
    found = await rows.select(request.bounded(queryset, keys).order_by(*travel).limit(request.size + 1), columns)
    total = await queryset.count() if count else None
    return request.page(found, total, build, model, keys)


async def paginate_children(
    queryset: QuerySet[Any], parent_key: str, parent_ids: list[int], request: PageRequest, ordering: list[str], *,
    fields: Sequence[str] | None = None, build: Build = _identity, count: bool = True,
) -> dict[int, Page[Any]]:
    """The same page of children for many parents in one or two statements, whatever their number.

    One statement fetches every parent's page at once with ROW_NUMBER() OVER (PARTITION BY parent
    ORDER BY ...), the per-parent limit done in SQL; one more counts the children per parent, only
    when totalCount was selected (`count`).
    """
    request.validate()
    if not parent_ids:
        return {}
    model = queryset.model
    keys = sort_keys(ordering)
    columns = _with_keys((*(fields if fields is not None else all_fields(model)), parent_key), keys)
    scoped = queryset.filter(**{f"{parent_key}__in": parent_ids})
    order = [("-" if k.descending else "") + k.name for k in keys]
    travel = reverse(order) if request.backward else order
    by_parent = await _windowed_rows(request.bounded(scoped, keys), parent_key, travel, columns, 0, request.size + 1)
    totals: dict[Any, int] = {}
    if count:
        totals = dict(await scoped.annotate(_n=Count("id")).group_by(parent_key).values_list(parent_key, "_n"))
    return {parent: request.page([_unnumbered(r) for r in by_parent.get(parent, [])], totals.get(parent, 0) if count else None,
                                 build, model, keys)
            for parent in parent_ids}


def _unnumbered(row: dict[str, Any]) -> dict[str, Any]:
    del row["_window_number"]
    return row


async def _windowed_rows(queryset: QuerySet[Any], parent_key: str, ordering: list[str], fields: Sequence[str],
                         low: int, high: int) -> dict[Any, list[dict[str, Any]]]:
    """Rows numbered (low, high] within their parent, grouped by parent, in order; each with its
    `_window_number` while grouped."""
    model = queryset.model
    # The scoped query's own SQL (its joins, filters and parameters) is the inner query; Tortoise
    # has no window functions, so the numbering is wrapped around it.
    inner, params, db = rows.compiled(queryset, fields)
    order = order_sql(model, ordering, "_w", db.capabilities.dialect)
    sql = (
        f'SELECT * FROM (SELECT "_w".*, ROW_NUMBER() OVER (PARTITION BY "_w"."{parent_key}" ORDER BY {order}) '
        f'AS "_window_number" FROM ({inner}) AS "_w") AS "_r" '
        f'WHERE "_r"."_window_number" > {int(low)} AND "_r"."_window_number" <= {int(high)} '
        f'ORDER BY "_r"."{parent_key}", "_r"."_window_number"'
    )
    table = [*rows.converters(model, fields), ("_window_number", None)]
    grouped: dict[Any, list[dict[str, Any]]] = {}
    for row in rows.convert(await db.execute_query_dict(sql, params), table):
        grouped.setdefault(row[parent_key], []).append(row)
    return grouped
