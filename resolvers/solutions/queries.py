"""Solutions and co-sale listings a caller may read."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.solutions import CoSaleProduct, Solution
from resolvers.principal import Principal
from resolvers.scoping import own_partner_rows
from resolvers.permissions.catalog import Permission


def readable_solutions(principal: Principal) -> QuerySet[Solution]:
    return own_partner_rows(principal, Solution.all(), staff_permission=Permission.SOLUTION_VIEW)


def readable_co_sale_products(principal: Principal) -> QuerySet[CoSaleProduct]:
    return own_partner_rows(
        principal, CoSaleProduct.all(), partner_field="solution__partner_id", staff_permission=Permission.SOLUTION_VIEW
    )
