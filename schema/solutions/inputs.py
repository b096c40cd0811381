"""Filters and ordering for solutions and co-sale products."""

from __future__ import annotations

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from schema.enums import CoSaleStatus, SolutionStatus
from schema.filters import FilterInput, criteria
from schema.global_ids import node_id
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


@strawberry.input(description="A new solution; it starts as a DRAFT.")
class SolutionCreateInput:
    name: str = strawberry.field(description="Unique among your partner's solutions; 1 to 200 characters.")
    summary: str | None = strawberry.field(default=None, description="A short summary; at most 2000 characters.")
    industries: list[str] | None = strawberry.field(
        default=None, description="Industries the solution serves: at most 20, each 1 to 50 characters.")
    pdm_contact: str | None = strawberry.field(default=None, description="The PDM (solution owner) contact; at most 200 characters.")


@strawberry.input(description="Changes to a DRAFT or PUBLISHED solution; omitted fields stay as they are.")
class SolutionUpdateInput:
    id: relay.GlobalID = node_id("Solution", description="One of your solutions that is not ARCHIVED.")
    name: str | None = strawberry.field(default=None, description="A new name, unique among your partner's solutions.")
    summary: str | None = strawberry.field(default=None, description="A new summary.")
    industries: list[str] | None = strawberry.field(default=None, description="The new full list of industries.")
    pdm_contact: str | None = strawberry.field(default=None, description="A new PDM contact.")


@strawberry.input(description="A DRAFT solution to publish.")
class SolutionPublishInput:
    id: relay.GlobalID = node_id("Solution", description="One of your DRAFT solutions.")


@strawberry.input(description="A solution to withdraw from use.")
class SolutionArchiveInput:
    id: relay.GlobalID = node_id("Solution", description="One of your DRAFT or PUBLISHED solutions.")


@strawberry.input(description="A product of a published solution to offer for co-sale (联合销售商品).")
class CoSaleRequestInput:
    solution_id: relay.GlobalID = node_id("Solution", description="One of your PUBLISHED solutions.")
    name: str = strawberry.field(
        description="The product's name; 1 to 200 characters; not already REQUESTED or LISTED for the solution.")


@strawberry.input(description="A requested co-sale product to list.")
class CoSaleListInput:
    id: relay.GlobalID = node_id("CoSaleProduct", description="A REQUESTED co-sale product of a PUBLISHED solution.")


@strawberry.input(description="A requested co-sale product to reject, and why.")
class CoSaleRejectInput:
    id: relay.GlobalID = node_id("CoSaleProduct", description="A REQUESTED co-sale product.")
    reason: str = strawberry.field(description="Why it is rejected, shown to the partner; 1 to 500 characters.")


@strawberry.input(description="A listed co-sale product to delist.")
class CoSaleDelistInput:
    id: relay.GlobalID = node_id("CoSaleProduct", description="A LISTED co-sale product.")
