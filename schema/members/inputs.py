"""Filters and ordering for account lists."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q

from schema.enums import AccountKind, AccountStatus, PresetRole
from schema.filters import FilterInput, criteria
from schema.relay import order_input


@strawberry.input(description="Criteria for member lists; all given criteria must match.")
class MemberFilter(FilterInput):
    status: AccountStatus | None = strawberry.field(default=None, description="Only accounts in this status.")
    kind: AccountKind | None = strawberry.field(default=None, description="Only accounts of this kind.")
    role: PresetRole | None = strawberry.field(default=None, description="Only members holding this preset role.")
    search: str | None = strawberry.field(default=None, description="Name or display name contains this text (case-insensitive).")

    def lookups(self) -> list[Q]:
        found = criteria(status=self.status, kind=self.kind, roles__preset=self.role)
        if self.search:
            found.append(Q(name__icontains=self.search) | Q(display_name__icontains=self.search))
        return found


MemberOrder = order_input(
    "MemberOrder",
    "How to order member lists.",
    {
        "NAME": ("name", "By sign-in name."),
        "DISPLAY_NAME": ("display_name", "By display name."),
        "CREATED_AT": ("created_at", "By creation time."),
    },
    default="NAME",
)
