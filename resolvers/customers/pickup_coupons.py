"""Pickup coupons (提货券) a partner's own customers hold from government-cloud partners: a partner that
does not issue pickup coupons may see them, view only, matched through the customers' own accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.expressions import Subquery

from models.coupons import Coupon, CouponKind, CouponStatus
from models.customers import Customer, CustomerStatus
from resolvers.coupons.queries import effective_status, status_condition
from resolvers.principal import Principal

MAX_HELD = 100


@dataclass(frozen=True, slots=True)
class HeldCoupon:
    coupon: Coupon
    status: CouponStatus
    issuer_name: str
    customer: Customer


async def held_pickup_coupons(principal: Principal, partner_id: int, *, status: CouponStatus | None,
                              first: int) -> list[HeldCoupon]:
    """The pickup coupons held by the partner's associated customers (an account manager's: its book),
    soonest to expire first; never coupons the partner issued itself."""
    mine = Customer.filter(partner_id=partner_id, status=CustomerStatus.ASSOCIATED, customer_account_id__isnull=False)
    if principal.customer_manager_ids is not None:
        mine = mine.filter(account_manager_id__in=list(principal.customer_manager_ids))
    own = {c.customer_account_id: c for c in await mine}
    if not own:
        return []
    now = datetime.now(UTC)
    coupons = Coupon.filter(
        kind=CouponKind.PICKUP,
        customer_id__in=Subquery(Customer.filter(customer_account_id__in=list(own)).values("id")),
    ).exclude(partner_id=partner_id)
    if status is not None:
        coupons = coupons.filter(status_condition(status, now))
    rows = await coupons.order_by("expires_at", "id").limit(first).select_related("partner", "customer")
    return [HeldCoupon(coupon=c, status=effective_status(c, now), issuer_name=c.partner.name,
                       customer=own[c.customer.customer_account_id]) for c in rows]
