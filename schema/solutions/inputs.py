"""Filters and ordering for solutions and co-sale products."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q

from schema.enums import CoSaleStatus, SolutionStatus
from schema.filters import FilterInput, criteria
from schema.relay import order_input


@strawberry.input(description="Criteria for solution lists.")
class SolutionFilter(FilterInput):
    status: SolutionStatus | None = strawberry.field(default=None, description="Only solutions in this status.")
    search: str | None = strawberry.field(default=None, description="Name contains this text (case-insensitive).")

    def lookups(self) -> list[Q]:
        return criteria(status=self.status, name__icontains=self.search or None)


@strawberry.input(description="Criteria for co-sale product lists.")
class CoSaleProductFilter(FilterInput):
    status: CoSaleStatus | None = strawberry.field(default=None, description="Only listings in this status.")

    def lookups(self) -> list[Q]:
        return criteria(status=self.status)


SolutionOrder = order_input(
    "SolutionOrder", "How to order solutions.",
    {"NAME": ("name", "By name."), "CREATED_AT": ("created_at", "By creation time."), "UPDATED_AT": ("updated_at", "By last change.")},
    default="NAME",
)
