"""Cursor pagination over a scoped queryset, sliced in SQL.

Cursors are opaque offsets. They are stable for a fixed ordering, which every
connection has: the requested order plus the primary key as a tie-breaker.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

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
