"""Solutions and co-sale listings: validate, then change state (inside the caller's transaction).

Status changes are UPDATEs conditioned on the status the caller saw, so concurrent calls cannot
both apply. Name rules (one solution name per partner, one open listing per product name) have no
database constraint; the check and the insert run under a row lock on the owning row instead
(FOR NO KEY UPDATE, so other transactions may still insert rows that reference it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.partners import Partner
from models.solutions import CoSaleProduct, CoSaleStatus, Solution, SolutionStatus
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.principal import Principal
from resolvers.solutions.queries import readable_co_sale_products, readable_solutions
from resolvers.transitions import move
from resolvers.validation import Checks

NAME_MAX = 200
SUMMARY_MAX = 2000
PDM_CONTACT_MAX = 200
MAX_INDUSTRIES = 20
INDUSTRY_MAX = 50
REASON_MAX = 500
EDITABLE = (SolutionStatus.DRAFT, SolutionStatus.PUBLISHED)
# A product name has at most one of these per solution.
OPEN_LISTING = (CoSaleStatus.REQUESTED, CoSaleStatus.LISTED)


def _industries(checks: Checks, industries: list[str]) -> list[str]:
    if len(industries) > MAX_INDUSTRIES:
        checks.fail(Code.LIMIT_EXCEEDED, f"At most {MAX_INDUSTRIES} industries.", "industries")
        return []
    cleaned: list[str] = []
    for index, value in enumerate(industries):
        value = value.strip()
        if not value:
            checks.fail(Code.REQUIRED, "An industry must not be empty.", "industries", str(index))
        elif len(value) > INDUSTRY_MAX:
            checks.fail(Code.TOO_LONG, f"An industry is at most {INDUSTRY_MAX} characters.", "industries", str(index))
        else:
            cleaned.append(value)
    return list(dict.fromkeys(cleaned))


async def _refuse_taken_name(partner_id: int, name: str, exclude_id: int | None = None) -> None:
    await Partner.select_for_update(no_key=True).filter(id=partner_id).first()
    rows = Solution.filter(partner_id=partner_id, name=name)
    if exclude_id is not None:
        rows = rows.exclude(id=exclude_id)
    if await rows.exists():
        raise Refusal(Code.CONFLICT, f"Your partner already has a solution named {name!r}.", ["name"])


async def _own_solution(principal: Principal, pk: int, field: str = "id") -> Solution:
    return await readable_solutions.one(principal, pk, "solution", field=field, partner_id=principal.own_partner("its solutions"))


async def _move_solution(solution: Solution, expected: tuple[SolutionStatus, ...], verb: str,
                         **changes: Any) -> Solution:
    return await move(solution, expected, verb, updated_at=datetime.now(UTC), **changes)


async def create_solution(principal: Principal, *, name: str | None, summary: str | None,
                          industries: list[str] | None, pdm_contact: str | None) -> Solution:
    partner_id = principal.own_partner("its solutions")
    checks = Checks()
    name = checks.text(name, "name", max_length=NAME_MAX)
    summary = checks.text(summary, "summary", max_length=SUMMARY_MAX, required=False) or ""
    industries = _industries(checks, industries or [])
    pdm_contact = checks.text(pdm_contact, "pdmContact", max_length=PDM_CONTACT_MAX, required=False) or ""
    checks.done()
    await _refuse_taken_name(partner_id, name)
    return await Solution.create(partner_id=partner_id, name=name, summary=summary, industries=industries,
                                 pdm_contact=pdm_contact, status=SolutionStatus.DRAFT)


async def update_solution(principal: Principal, *, id: int, name: str | None, summary: str | None,
                          industries: list[str] | None, pdm_contact: str | None) -> Solution:
    solution = await _own_solution(principal, id)
    checks = Checks()
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = checks.text(name, "name", max_length=NAME_MAX)
    if summary is not None:
        changes["summary"] = checks.text(summary, "summary", max_length=SUMMARY_MAX, required=False)
    if industries is not None:
        changes["industries"] = _industries(checks, industries)
    if pdm_contact is not None:
        changes["pdm_contact"] = checks.text(pdm_contact, "pdmContact", max_length=PDM_CONTACT_MAX, required=False)
    checks.done()
    if "name" in changes:
        await _refuse_taken_name(solution.partner_id, str(changes["name"]), exclude_id=solution.id)
    return await _move_solution(solution, EDITABLE, "changed", **changes)


async def publish_solution(principal: Principal, *, id: int) -> Solution:
    solution = await _own_solution(principal, id)
    return await _move_solution(solution, (SolutionStatus.DRAFT,), "published", status=SolutionStatus.PUBLISHED)


async def archive_solution(principal: Principal, *, id: int) -> Solution:
    solution = await _own_solution(principal, id)
    return await _move_solution(solution, EDITABLE, "archived", status=SolutionStatus.ARCHIVED)


async def request_co_sale(principal: Principal, *, solution_id: int, name: str | None) -> CoSaleProduct:
    checks = Checks()
    name = checks.text(name, "name", max_length=NAME_MAX)
    checks.done()
    solution = await _own_solution(principal, solution_id, "solutionId")
    if solution.status is not SolutionStatus.PUBLISHED:
        raise Refusal(Code.INVALID_STATE, f"Only a PUBLISHED solution can be offered for co-sale; this one is {solution.status.value}.", ["solutionId"])
    await Solution.select_for_update(no_key=True).filter(id=solution.id).first()
    if await CoSaleProduct.filter(solution_id=solution.id, name=name, status__in=OPEN_LISTING).exists():
        raise Refusal(Code.CONFLICT, f"{name!r} is already requested or listed for this solution.", ["name"])
    return await CoSaleProduct.create(solution_id=solution.id, name=name, status=CoSaleStatus.REQUESTED,
                                      requested_at=datetime.now(UTC))


async def _listing(principal: Principal, pk: int) -> CoSaleProduct:
    return await readable_co_sale_products.one(principal, pk, "co-sale product")


async def _move_listing(listing: CoSaleProduct, expected: CoSaleStatus, new: CoSaleStatus, verb: str,
                        **changes: Any) -> CoSaleProduct:
    return await move(listing, expected, verb, noun="co-sale product", status=new, **changes)


async def list_co_sale(principal: Principal, *, id: int) -> CoSaleProduct:
    listing = await _listing(principal, id)
    if listing.status is CoSaleStatus.REQUESTED:
        solution = await Solution.get(id=listing.solution_id)
        if solution.status is not SolutionStatus.PUBLISHED:
            raise Refusal(Code.INVALID_STATE, f"The solution is {solution.status.value}; only a PUBLISHED solution's products are listed.", ["id"])
    return await _move_listing(listing, CoSaleStatus.REQUESTED, CoSaleStatus.LISTED, "listed", listed_at=datetime.now(UTC))


async def reject_co_sale(principal: Principal, *, id: int, reason: str | None) -> CoSaleProduct:
    checks = Checks()
    reason = checks.text(reason, "reason", max_length=REASON_MAX)
    checks.done()
    listing = await _listing(principal, id)
    return await _move_listing(listing, CoSaleStatus.REQUESTED, CoSaleStatus.REJECTED, "rejected", rejection_reason=reason)


async def delist_co_sale(principal: Principal, *, id: int) -> CoSaleProduct:
    listing = await _listing(principal, id)
    return await _move_listing(listing, CoSaleStatus.LISTED, CoSaleStatus.DELISTED, "delisted", delisted_at=datetime.now(UTC))
