"""Batch functions behind the per-request loaders: one query per batch, always scoped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise.queryset import QuerySet


async def rows_by_id(queryset: QuerySet[Any], ids: Sequence[int]) -> list[Any]:
    """Rows in the order of `ids`; None where the row does not exist or is not readable."""
    found = {row.id: row for row in await queryset.filter(id__in=list(set(ids)))}
    return [found.get(i) for i in ids]


async def rows_by_key(queryset: QuerySet[Any], field: str, keys: Sequence[Any]) -> list[Any]:
    """One row per key of a unique field (a one-to-one relation), in the order of `keys`."""
    found = {getattr(row, field): row for row in await queryset.filter(**{f"{field}__in": list(set(keys))})}
    return [found.get(k) for k in keys]
