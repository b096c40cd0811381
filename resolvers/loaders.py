"""Batch functions behind the per-request loaders: one query per batch, always scoped."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tortoise.queryset import QuerySet

from resolvers import rows


async def rows_by_id(queryset: QuerySet[Any], ids: Sequence[int]) -> list[Any]:
    """Rows in the order of `ids`; None where the row does not exist or is not readable."""
    found = {row.id: row for row in await queryset.filter(id__in=list(set(ids)))}
    return [found.get(i) for i in ids]


async def rows_by_key(queryset: QuerySet[Any], field: str, keys: Sequence[Any],
                      fields: Sequence[str] | None = None, build: Callable[[dict[str, Any]], Any] | None = None) -> list[Any]:
    """One row per key of a unique field (a one-to-one relation), in the order of `keys`.

    Models by default; with `fields`, `build(row)` of just those columns (`field` among them).
    """
    queryset = queryset.filter(**{f"{field}__in": list(set(keys))})
    if fields is None:
        found = {getattr(row, field): row for row in await queryset}
    else:
        found = {row[field]: row for row in await rows.select(queryset, fields)}
        if build is not None:
            found = {key: build(row) for key, row in found.items()}
    return [found.get(k) for k in keys]


async def rows_grouped(queryset: QuerySet[Any], field: str, keys: Sequence[Any]) -> list[list[Any]]:
    """All rows per key of a non-unique field (a one-to-many list), in the order of `keys`."""
    grouped: dict[Any, list[Any]] = {k: [] for k in keys}
    for row in await queryset.filter(**{f"{field}__in": list(set(keys))}):
        grouped[getattr(row, field)].append(row)
    return [grouped[k] for k in keys]


async def roles_by_account(account_ids: Sequence[int]) -> list[list[Any]]:
    """Each account's roles: one statement for the memberships, one for the roles."""
    from models.members import Account, Role

    pairs = await Account.filter(id__in=list(set(account_ids)), roles__id__isnull=False).values_list("id", "roles__id")
    roles = {role.id: role for role in await Role.filter(id__in=list({role_id for _, role_id in pairs}))}
    grouped: dict[int, list[Any]] = {a: [] for a in account_ids}
    for account_id, role_id in pairs:
        grouped[account_id].append(roles[role_id])
    return [sorted(grouped[a], key=lambda r: r.id) for a in account_ids]
