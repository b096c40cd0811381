"""Filters and ordering for customers."""

from __future__ import annotations

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from schema.enums import AssociationType
from schema.filters import FilterInput, criteria
from schema.global_ids import node_id
from schema.relay import order_input


@strawberry.input(description="Criteria for customer lists.")
class CustomerFilter(FilterInput):
    association_type: AssociationType | None = strawberry.field(default=None, description="Only customers associated this way.")
    account_manager_id: relay.GlobalID | None = node_id("Account", default=None, description="Only customers of this account manager.")
    search: str | None = strawberry.field(default=None, description="Name contains this text (case-insensitive).")

    def lookups(self) -> list[Q]:
        return criteria(
            association_type=self.association_type,
            account_manager_id=self.pk("account_manager_id"),
            name__icontains=self.search or None,
        )


CustomerOrder = order_input(
    "CustomerOrder", "How to order customers.",
    {"NAME": ("name", "By name."), "ASSOCIATED_AT": ("associated_at", "By association time.")},
    default="NAME",
)
