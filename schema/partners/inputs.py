"""Filters and ordering for partner lists."""

from __future__ import annotations

from typing import Any

import strawberry
from tortoise.expressions import Q, RawSQL

from schema.enums import PartnerIdentity
from schema.filters import FilterInput, criteria
from schema.relay import order_input


@strawberry.input(description="Criteria for partner lists; all given criteria must match.")
class PartnerFilter(FilterInput):
    identity: PartnerIdentity | None = strawberry.field(default=None, description="Only partners holding this identity.")
    region: str | None = strawberry.field(default=None, description="Only partners in this region.")
    search: str | None = strawberry.field(default=None, description="Name contains this text (case-insensitive).")

    def lookups(self) -> list[Q]:
        return criteria(region=self.region, name__icontains=self.search or None)

    def apply(self, queryset: Any) -> Any:
        queryset = super().apply(queryset)
        if self.identity is None:
            return queryset
        # Identities are a JSON list; its text form holds each value quoted, on SQLite and PostgreSQL alike.
        return queryset.annotate(identities_text=RawSQL("CAST(identities AS TEXT)")).filter(
            identities_text__contains=f'"{self.identity.value}"'
        )


PartnerOrder = order_input(
    "PartnerOrder", "How to order partners.",
    {"NAME": ("name", "By name."), "CREATED_AT": ("created_at", "By onboarding time."), "REGION": ("region", "By region.")},
    default="NAME",
)
