"""Customer insight (企业百科): prospects registered (报备客户) from an enterprise search."""

from __future__ import annotations

from models.customers import Customer, CustomerStatus, Prospect
from resolvers.customers.queries import readable_enterprises
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.principal import Principal
from resolvers.validation import Checks


async def register_prospect(principal: Principal, *, enterprise_id: int, note: str | None = None) -> Prospect:
    """Register an enterprise as the partner's prospect; not one it already serves, and once."""
    partner_id = principal.own_partner("its prospects")
    checks = Checks()
    text = checks.text(note, "note", max_length=500, required=False) or ""
    checks.done()
    enterprise = await readable_enterprises.one(principal, enterprise_id, "enterprise", field="enterpriseId")
    if await Customer.filter(partner_id=partner_id, enterprise_id=enterprise.id, status=CustomerStatus.ASSOCIATED).exists():
        raise Refusal(Code.CONFLICT, "This enterprise is already your customer.", ["enterpriseId"])
    if await Prospect.filter(partner_id=partner_id, enterprise_id=enterprise.id).exists():
        raise Refusal(Code.CONFLICT, "Your partner registered this enterprise as a prospect already.", ["enterpriseId"])
    # Two registrations racing past that check meet the unique (partner, enterprise) index: the loser
    # is answered CONFLICT by the unit of work.
    return await Prospect.create(partner_id=partner_id, enterprise_id=enterprise.id, note=text,
                                 registered_by_id=principal.account_id)
