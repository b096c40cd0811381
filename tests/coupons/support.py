"""What the coupon tests read back from the database to see that a refusal changed nothing."""

from __future__ import annotations

from decimal import Decimal

from models.coupons import Coupon, CouponQuota


async def quota_used(quota: CouponQuota) -> Decimal:
    return (await CouponQuota.get(id=quota.id)).used


async def coupon_count(quota: CouponQuota) -> int:
    return await Coupon.filter(quota_id=quota.id).count()
