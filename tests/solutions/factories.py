"""Solutions and co-sale listings the tests own (unique names; the demo's rows stay untouched)."""

from __future__ import annotations

from datetime import UTC, datetime

from models.audit import AuditOutcome, AuditRecord
from models.members import Account
from models.partners import Partner
from models.solutions import CoSaleProduct, CoSaleStatus, Solution, SolutionStatus
from tests.factories import partner_named, unique
from tests.graphql import gid as global_id  # noqa: F401 - re-exported: the tests import it from here

NORTHWIND = "Northwind Distribution"
SUMMIT = "Summit Cloud Services"


async def create_solution(status: SolutionStatus = SolutionStatus.DRAFT, partner: Partner | str = NORTHWIND,
                          **overrides) -> Solution:
    if isinstance(partner, str):
        partner = await partner_named(partner)
    fields = {"name": unique("Solution"), "summary": "A test solution.", "industries": ["Retail"], "status": status}
    fields.update(overrides)
    return await Solution.create(partner=partner, **fields)


async def create_co_sale_product(status: CoSaleStatus = CoSaleStatus.REQUESTED, solution: Solution | None = None,
                                 **overrides) -> CoSaleProduct:
    solution = solution or await create_solution(SolutionStatus.PUBLISHED)
    now = datetime.now(UTC)
    fields = {
        "name": unique("Product"), "status": status, "requested_at": now,
        "listed_at": now if status in (CoSaleStatus.LISTED, CoSaleStatus.DELISTED) else None,
        "delisted_at": now if status is CoSaleStatus.DELISTED else None,
    }
    fields.update(overrides)
    return await CoSaleProduct.create(solution=solution, **fields)


async def audit_count(action: str, outcome: AuditOutcome, actor: str | None = None, **filters) -> int:
    if actor is not None:
        filters["actor_id"] = (await Account.get(name=actor)).id
    return await AuditRecord.filter(action=action, outcome=outcome, **filters).count()
