"""Cursor pagination over a scoped queryset, sliced in SQL.

Cursors are opaque offsets. They are stable for a fixed ordering, which every
connection has: the requested order plus the primary key as a tie-breaker.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tortoise.fields import DecimalField
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from resolvers.errors import BadUserInput

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_PREFIX = "cursor:"

RowT = TypeVar("RowT")


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str, argument: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not raw.startswith(_PREFIX):
            raise ValueError
        offset = int(raw.removeprefix(_PREFIX))
        if offset < 0:
            raise ValueError
    except ValueError as exc:  # binascii.Error and UnicodeDecodeError are ValueErrors
        raise BadUserInput(f"`{argument}` is not a valid cursor.", argument=argument) from exc
    return offset


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

    def window(self, total: int) -> tuple[int, int]:
        """The [start, end) offsets of the requested page within `total` rows."""
        self.validate()
        start = decode_cursor(self.after, "after") + 1 if self.after is not None else 0
        end = decode_cursor(self.before, "before") if self.before is not None else total
        start, end = min(start, total), max(min(end, total), 0)
        end = max(end, start)
        if self.last is not None:
            start = max(start, end - self.last)
        else:
            end = min(end, start + (self.first if self.first is not None else DEFAULT_PAGE_SIZE))
        return start, end


@dataclass(frozen=True, slots=True)
class Page(Generic[RowT]):
    rows: list[RowT]
    total: int
    start: int
    has_next: bool
    has_previous: bool

    def cursors(self) -> list[str]:
        return [encode_cursor(self.start + i) for i in range(len(self.rows))]


async def paginate(queryset: QuerySet[Any], request: PageRequest, ordering: list[str]) -> Page[Any]:
    request.validate()
    total = await queryset.count()
    start, end = request.window(total)
    rows = await queryset.order_by(*ordering).offset(start).limit(end - start) if end > start else []
    return Page(rows=list(rows), total=total, start=start, has_next=end < total, has_previous=start > 0)


async def paginate_children(
    queryset: QuerySet[Any], parent_key: str, parent_ids: list[int], request: PageRequest, ordering: list[str],
) -> dict[int, Page[Any]]:
    """The same page of children for many parents in two statements, whatever their number.

    One statement counts the children per parent; one fetches every parent's page at once with
    ROW_NUMBER() OVER (PARTITION BY parent ORDER BY ...), the per-parent limit done in SQL.
    """
    request.validate()
    if not parent_ids:
        return {}
    scoped = queryset.filter(**{f"{parent_key}__in": parent_ids})
    counted = await scoped.annotate(_n=Count("id")).group_by(parent_key).values_list(parent_key, "_n")
    totals = {parent: n for parent, n in counted}
    windows = {parent: request.window(totals.get(parent, 0)) for parent in parent_ids}
    low = min((start for start, end in windows.values() if end > start), default=None)
    high = max((end for start, end in windows.values() if end > start), default=None)
    rows_by_parent: dict[int, list[Any]] = {parent: [] for parent in parent_ids}
    if low is not None:
        for row in await _windowed_rows(scoped.filter(**{f"{parent_key}__in": [p for p, (s, e) in windows.items() if e > s]}),
                                        parent_key, ordering, low, high):
            start, end = windows[getattr(row, parent_key)]
            if start < row._window_number <= end:  # 1-based row numbers; the SQL range is the union
                rows_by_parent[getattr(row, parent_key)].append(row)
    pages = {}
    for parent in parent_ids:
        start, end = windows[parent]
        total = totals.get(parent, 0)
        pages[parent] = Page(rows=rows_by_parent[parent], total=total, start=start, has_next=end < total, has_previous=start > 0)
    return pages


async def _windowed_rows(queryset: QuerySet[Any], parent_key: str, ordering: list[str], low: int, high: int) -> list[Any]:
    model = queryset.model
    # The scoped query's own SQL (its joins, filters and parameters) is the inner query; Tortoise
    # has no window functions, so the numbering is wrapped around it.
    queryset._choose_db_if_not_chosen()
    queryset._make_query()
    inner, params = queryset.query.get_parameterized_sql()
    projection = model._meta.fields_db_projection
    sqlite = queryset._db.capabilities.dialect == "sqlite"

    def sort_key(name: str) -> str:
        column = f'"_w"."{projection[name.lstrip("-")]}"'
        # SQLite keeps decimals as text: compare them as numbers, as Tortoise's own order_by does.
        if sqlite and isinstance(model._meta.fields_map[name.lstrip("-")], DecimalField):
            column = f"CAST({column} AS REAL)"
        return f'{column} {"DESC" if name.startswith("-") else "ASC"}'

    order = ", ".join(sort_key(name) for name in ordering)
    parent_column = projection[parent_key]
    sql = (
        f'SELECT * FROM (SELECT "_w".*, ROW_NUMBER() OVER (PARTITION BY "_w"."{parent_column}" ORDER BY {order}) '
        f'AS "_window_number" FROM ({inner}) AS "_w") AS "_r" '
        f'WHERE "_r"."_window_number" > {int(low)} AND "_r"."_window_number" <= {int(high)}'
    )
    rows = []
    for record in await queryset._db.execute_query_dict(sql, params):
        number = record.pop("_window_number")
        row = model._init_from_db(**record)
        row._window_number = number
        rows.append(row)
    return rows
