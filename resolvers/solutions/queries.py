"""Solutions and co-sale listings a caller may read."""

from __future__ import annotations

from models.solutions import CoSaleProduct, Solution
from resolvers.permissions.catalog import Permission
from resolvers.scoping import scoped

readable_solutions = scoped(Solution, staff=Permission.SOLUTION_VIEW)
readable_co_sale_products = scoped(CoSaleProduct, tenant="solution__partner_id", staff=Permission.SOLUTION_VIEW)
