"""Solutions and co-sale listings a test owns (unique names; the demo's rows stay untouched)."""

from __future__ import annotations

from datetime import UTC, datetime

from models.partners import Partner
from models.solutions import CoSaleProduct, CoSaleStatus, Solution, SolutionStatus
from tests.factories.partners import NORTHWIND, partner_row
from tests.factories.values import unique


async def create_solution(status: SolutionStatus = SolutionStatus.DRAFT, partner: Partner | str = NORTHWIND,
                          **overrides) -> Solution:
    partner = await partner_row(partner)
    fields = {"name": unique("Solution"), "summary": "A test solution.", "industries": ["Retail"], "status": status}
    fields.update(overrides)
    return await Solution.create(partner=partner, **fields)


async def create_co_sale_product(status: CoSaleStatus = CoSaleStatus.REQUESTED, solution: Solution | None = None,
                                 **overrides) -> CoSaleProduct:
    """A listing in `status` (with the timestamps that status implies) on `solution`, by default a
    fresh PUBLISHED solution of Northwind."""
    solution = solution or await create_solution(SolutionStatus.PUBLISHED)
    now = datetime.now(UTC)
    fields = {
        "name": unique("Product"), "status": status, "requested_at": now,
        "listed_at": now if status in (CoSaleStatus.LISTED, CoSaleStatus.DELISTED) else None,
        "delisted_at": now if status is CoSaleStatus.DELISTED else None,
    }
    fields.update(overrides)
    return await CoSaleProduct.create(solution=solution, **fields)
