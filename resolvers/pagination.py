"""Cursor pagination over a scoped queryset, sliced in SQL.

Cursors are opaque offsets. They are stable for a fixed ordering, which every
connection has: the requested order plus the primary key as a tie-breaker.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tortoise.fields import DecimalField
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from resolvers import rows
from resolvers.errors import BadUserInput
from resolvers.rows import all_fields

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
    # None when nobody asked for it: the page was read without counting the whole list.
    total: int | None
    start: int
    has_next: bool
    has_previous: bool

    def cursors(self) -> list[str]:
        return [encode_cursor(self.start + i) for i in range(len(self.rows))]


Build = Callable[[dict[str, Any]], Any]


def _identity(row: dict[str, Any]) -> Any:
    return row


def counts_needed(request: PageRequest, total_selected: bool) -> bool:
    """Whether the page needs the size of the whole list.

    Only `totalCount` and paging backwards (`last`, `before`) do; a forward page learns whether
    more follow by reading one row past its end. `first: 0` and an `after` past the end, whose
    page info depends on the total, count too.
    """
    return total_selected or request.last is not None or request.before is not None or request.first == 0


def _forward(request: PageRequest) -> tuple[int, int]:
    """(start offset, page size) of a forward page, before knowing the total."""
    start = decode_cursor(request.after, "after") + 1 if request.after is not None else 0
    return start, request.first if request.first is not None else DEFAULT_PAGE_SIZE


async def paginate(queryset: QuerySet[Any], request: PageRequest, ordering: list[str], *,
                   fields: Sequence[str] | None = None, build: Build = _identity, count: bool = True) -> Page[Any]:
    """One page of `queryset` as `build(row)` of the `fields` columns (all when None)."""
    request.validate()
    fields = tuple(fields) if fields is not None else all_fields(queryset.model)
    ordered = queryset.order_by(*ordering)
    if not counts_needed(request, count):
        start, size = _forward(request)
        found = await rows.select(ordered.offset(start).limit(size + 1), fields)
        if found or start == 0:
            return Page(rows=[build(r) for r in found[:size]], total=None, start=start,
                        has_next=len(found) > size, has_previous=start > 0)
    total = await queryset.count()
    start, end = request.window(total)
    found = await rows.select(ordered.offset(start).limit(end - start), fields) if end > start else []
    return Page(rows=[build(r) for r in found], total=total, start=start, has_next=end < total, has_previous=start > 0)


async def paginate_children(
    queryset: QuerySet[Any], parent_key: str, parent_ids: list[int], request: PageRequest, ordering: list[str], *,
    fields: Sequence[str] | None = None, build: Build = _identity, count: bool = True,
) -> dict[int, Page[Any]]:
    """The same page of children for many parents in one or two statements, whatever their number.

    One statement counts the children per parent (only when the page needs totals); one fetches
    every parent's page at once with ROW_NUMBER() OVER (PARTITION BY parent ORDER BY ...), the
    per-parent limit done in SQL. Each child is `build(row)` of the `fields` columns.
    """
    request.validate()
    if not parent_ids:
        return {}
    fields = tuple(dict.fromkeys([*(fields if fields is not None else all_fields(queryset.model)), parent_key,
                                  *(name.lstrip("-") for name in ordering)]))
    scoped = queryset.filter(**{f"{parent_key}__in": parent_ids})
    if not counts_needed(request, count):
        start, size = _forward(request)
        by_parent = await _windowed_rows(scoped, parent_key, ordering, fields, start, start + size + 1)
        if start == 0 or all(by_parent.get(parent) for parent in parent_ids):
            return {parent: Page(rows=[build(_unnumbered(r)) for r in by_parent.get(parent, [])[:size]], total=None, start=start,
                                 has_next=len(by_parent.get(parent, [])) > size, has_previous=start > 0)
                    for parent in parent_ids}
    counted = await scoped.annotate(_n=Count("id")).group_by(parent_key).values_list(parent_key, "_n")
    totals = dict(counted)
    windows = {parent: request.window(totals.get(parent, 0)) for parent in parent_ids}
    low = min((start for start, end in windows.values() if end > start), default=None)
    high = max((end for start, end in windows.values() if end > start), default=None)
    by_parent = {}
    if low is not None and high is not None:
        wanted = [p for p, (s, e) in windows.items() if e > s]
        by_parent = await _windowed_rows(scoped.filter(**{f"{parent_key}__in": wanted}), parent_key, ordering, fields, low, high)
    pages = {}
    for parent in parent_ids:
        start, end = windows[parent]
        total = totals.get(parent, 0)
        # 1-based row numbers; the SQL range is the union of every parent's window.
        page = [build(_unnumbered(r)) for r in by_parent.get(parent, []) if start < r["_window_number"] <= end]
        pages[parent] = Page(rows=page, total=total, start=start, has_next=end < total, has_previous=start > 0)
    return pages


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
    sqlite = db.capabilities.dialect == "sqlite"

    def sort_key(name: str) -> str:
        column = f'"_w"."{name.lstrip("-")}"'  # the inner query names its columns by attribute
        # SQLite keeps decimals as text: compare them as numbers, as Tortoise's own order_by does.
        if sqlite and isinstance(model._meta.fields_map[name.lstrip("-")], DecimalField):
            column = f"CAST({column} AS REAL)"
        return f'{column} {"DESC" if name.startswith("-") else "ASC"}'

    order = ", ".join(sort_key(name) for name in ordering)
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
