"""Coupon quotas, coupons and usage."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Coupon quotas, coupons and usage.")
class CouponMutations:
    pass
