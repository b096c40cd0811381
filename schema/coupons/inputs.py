"""Filters and ordering for quotas, coupons and operation records."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from schema.enums import CouponKind, CouponOperationType, CouponStatus, OperationResult, QuotaStatus
from schema.filters import FilterInput, criteria, node_pk
from schema.relay import order_input


@strawberry.input(description="Criteria for quota lists.")
class CouponQuotaFilter(FilterInput):
    kind: CouponKind | None = strawberry.field(default=None, description="Only quotas of this kind.")
    status: QuotaStatus | None = strawberry.field(default=None, description="Only quotas in this status.")

    def lookups(self) -> list[Q]:
        return criteria(kind=self.kind, status=self.status)


@strawberry.input(description="Criteria for coupon lists.")
class CouponFilter(FilterInput):
    kind: CouponKind | None = strawberry.field(default=None, description="Only coupons of this kind.")
    status: CouponStatus | None = strawberry.field(default=None, description="Only coupons in this status.")
    customer_id: relay.GlobalID | None = strawberry.field(default=None, description="Only coupons held by this customer.")
    quota_id: relay.GlobalID | None = strawberry.field(default=None, description="Only coupons issued from this quota.")
    issued_after: datetime | None = strawberry.field(default=None, description="Only coupons issued at or after this time.")
    issued_before: datetime | None = strawberry.field(default=None, description="Only coupons issued before this time.")
    expires_before: datetime | None = strawberry.field(default=None, description="Only coupons expiring before this time.")

    def lookups(self) -> list[Q]:
        return criteria(
            kind=self.kind, status=self.status,
            customer_id=node_pk(self.customer_id, "Customer", "customerId"),
            quota_id=node_pk(self.quota_id, "CouponQuota", "quotaId"),
            issued_at__gte=self.issued_after, issued_at__lt=self.issued_before,
            expires_at__lt=self.expires_before,
        )


@strawberry.input(description="Criteria for coupon operation records (操作记录).")
class CouponOperationFilter(FilterInput):
    type: CouponOperationType | None = strawberry.field(default=None, description="Only records of this type.")
    result: OperationResult | None = strawberry.field(default=None, description="Only records with this result.")
    quota_id: relay.GlobalID | None = strawberry.field(default=None, description="Only records about this quota.")
    coupon_id: relay.GlobalID | None = strawberry.field(default=None, description="Only records about this coupon.")
    customer_id: relay.GlobalID | None = strawberry.field(default=None, description="Only records about this customer.")
    after: datetime | None = strawberry.field(default=None, description="Only records at or after this time.")
    before: datetime | None = strawberry.field(default=None, description="Only records before this time.")

    def lookups(self) -> list[Q]:
        return criteria(
            type=self.type, result=self.result,
            quota_id=node_pk(self.quota_id, "CouponQuota", "quotaId"),
            coupon_id=node_pk(self.coupon_id, "Coupon", "couponId"),
            customer_id=node_pk(self.customer_id, "Customer", "customerId"),
            created_at__gte=self.after, created_at__lt=self.before,
        )


CouponQuotaOrder = order_input(
    "CouponQuotaOrder", "How to order quotas.",
    {"CREATED_AT": ("created_at", "By grant time."), "VALID_UNTIL": ("valid_until", "By end of validity."), "TOTAL": ("total", "By total amount.")},
    default="CREATED_AT",
)
CouponOrder = order_input(
    "CouponOrder", "How to order coupons.",
    {"ISSUED_AT": ("issued_at", "By issue time."), "EXPIRES_AT": ("expires_at", "By expiry."), "FACE_VALUE": ("face_value", "By face value.")},
    default="ISSUED_AT",
)
CouponOperationOrder = order_input(
    "CouponOperationOrder", "How to order operation records.",
    {"CREATED_AT": ("created_at", "By time."), "AMOUNT": ("amount", "By amount.")},
    default="CREATED_AT",
)
