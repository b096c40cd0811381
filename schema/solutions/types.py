"""Solutions and their co-sale listings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from models import solutions as m
from resolvers.solutions.queries import readable_co_sale_products, readable_solutions
from schema.enums import CoSaleStatus, SolutionStatus
from schema.permissions.directive import PUBLIC
from schema.relay import ModelNode, children, connection_field, related_field
from schema.solutions.inputs import CoSaleProductFilter


@strawberry.type(description="A product of a solution offered for co-sale (联合销售商品).", directives=[PUBLIC])
class CoSaleProduct(ModelNode):
    model = m.CoSaleProduct
    readable = readable_co_sale_products

    name: str = strawberry.field(description="The product's name.")
    status: CoSaleStatus = strawberry.field(description="The listing status.")
    rejection_reason: str = strawberry.field(description="Why the PDM rejected the listing, if it did.")
    requested_at: datetime = strawberry.field(description="When the partner requested the listing.")
    listed_at: datetime | None = strawberry.field(description="When the PDM listed it.")
    delisted_at: datetime | None = strawberry.field(description="When it was delisted.")

    solution = related_field(Annotated["Solution", strawberry.lazy("schema.solutions.types")], readable_solutions, "solution_id", description="The solution this product belongs to.")


@strawberry.type(description="A partner's solution (方案).", directives=[PUBLIC])
class Solution(ModelNode):
    model = m.Solution
    readable = readable_solutions

    name: str = strawberry.field(description="The solution's name.")
    summary: str = strawberry.field(description="A short summary.")
    industries: list[str] = strawberry.field(description="Industries the solution serves.")
    status: SolutionStatus = strawberry.field(description="Publication status.")
    pdm_contact: str = strawberry.field(description="The PDM (solution owner) contact.")
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    co_sale_products = connection_field(
        CoSaleProduct,
        description="The co-sale listings of this solution and their status.",
        rows=children(readable_co_sale_products, "solution_id"),
        filter_type=CoSaleProductFilter,
    )
