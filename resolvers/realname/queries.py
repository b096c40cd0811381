"""Real-name verification (实名认证): the caller's partner's and its own, certificate numbers masked."""

from __future__ import annotations

from models.realname import RealNameVerification
from resolvers.principal import Principal


def mask_certificate_number(number: str) -> str:
    """The first and last two characters; the rest never leaves the gateway."""
    if len(number) <= 4:
        return "*" * len(number)
    return f"{number[:2]}{'*' * (len(number) - 4)}{number[-2:]}"


async def partner_verification(principal: Principal, partner_id: int) -> RealNameVerification | None:
    """The partner's own verification: a member reads its partner's, nobody another partner's."""
    if partner_id != principal.partner_id:
        return None
    return await RealNameVerification.filter(partner_id=partner_id).order_by("-id").first()


async def own_verification(principal: Principal) -> RealNameVerification | None:
    return await RealNameVerification.filter(account_id=principal.account_id).order_by("-id").first()
