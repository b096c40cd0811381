"""The one rule every read starts from: rows of the caller's own partner.

Platform staff read across partners only where their role holds the view permission;
callers without a partner read no partner rows at all.
"""

from __future__ import annotations

from typing import TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from resolvers.principal import Principal

M = TypeVar("M", bound=Model)


def no_rows(queryset: QuerySet[M]) -> QuerySet[M]:
    """The same query matching nothing (Tortoise turns an empty `IN` into `1=0`), so callers can
    still filter, order and page it; QuerySet has no `none()`."""
    return queryset.filter(pk__in=[])


def own_partner_rows(
    principal: Principal,
    queryset: QuerySet[M],
    *,
    partner_field: str = "partner_id",
    staff_permission: str | None = None,
) -> QuerySet[M]:
    if principal.is_staff:
        if staff_permission is None or principal.has(staff_permission):
            return queryset
        return no_rows(queryset)
    if principal.partner_id is None:
        return no_rows(queryset)
    return queryset.filter(**{partner_field: principal.partner_id})


def managed_customer_rows(principal: Principal, queryset: QuerySet[M], manager_field: str) -> QuerySet[M]:
    """Account managers see only the rows of customers they (or those they supervise) manage."""
    if principal.customer_manager_ids is None:
        return queryset
    return queryset.filter(**{f"{manager_field}__in": list(principal.customer_manager_ids)})


