"""Filters and ordering for quotas, coupons and operation records; the inputs of the coupon mutations."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from resolvers.coupons.queries import status_condition
from schema.enums import CouponKind, CouponOperationType, CouponStatus, OperationResult, QuotaStatus
from schema.filters import FilterInput, criteria
from schema.global_ids import node_id
from schema.relay import order_input
from schema.safeguards.fields import VERIFICATION_CODE


@strawberry.input(description="Criteria for quota lists.")
class CouponQuotaFilter(FilterInput):
    kind: CouponKind | None = strawberry.field(default=None, description="Only quotas of this kind.")
    status: QuotaStatus | None = strawberry.field(default=None, description="Only quotas in this status.")

    def lookups(self) -> list[Q]:
        return criteria(kind=self.kind, status=self.status)


@strawberry.input(description="Criteria for coupon lists.")
class CouponFilter(FilterInput):
    kind: CouponKind | None = strawberry.field(default=None, description="Only coupons of this kind.")
    status: CouponStatus | None = strawberry.field(
        default=None, description="Only coupons in this status (as the `status` field shows it: AVAILABLE ones past expiry count as EXPIRED).")
    customer_id: relay.GlobalID | None = node_id("Customer", default=None, description="Only coupons held by this customer.")
    quota_id: relay.GlobalID | None = node_id("CouponQuota", default=None, description="Only coupons issued from this quota.")
    issued_after: datetime | None = strawberry.field(default=None, description="Only coupons issued at or after this time.")
    issued_before: datetime | None = strawberry.field(default=None, description="Only coupons issued before this time.")
    expires_before: datetime | None = strawberry.field(default=None, description="Only coupons expiring before this time.")

    def lookups(self) -> list[Q]:
        status = [status_condition(self.status, datetime.now(UTC))] if self.status is not None else []
        return status + criteria(
            kind=self.kind,
            customer_id=self.pk("customer_id"),
            quota_id=self.pk("quota_id"),
            issued_at__gte=self.issued_after, issued_at__lt=self.issued_before,
            expires_at__lt=self.expires_before,
        )


@strawberry.input(description="Criteria for coupon operation records (操作记录).")
class CouponOperationFilter(FilterInput):
    type: CouponOperationType | None = strawberry.field(default=None, description="Only records of this type.")
    result: OperationResult | None = strawberry.field(default=None, description="Only records with this result.")
    quota_id: relay.GlobalID | None = node_id("CouponQuota", default=None, description="Only records about this quota.")
    coupon_id: relay.GlobalID | None = node_id("Coupon", default=None, description="Only records about this coupon.")
    customer_id: relay.GlobalID | None = node_id("Customer", default=None, description="Only records about this customer.")
    after: datetime | None = strawberry.field(default=None, description="Only records at or after this time.")
    before: datetime | None = strawberry.field(default=None, description="Only records before this time.")

    def lookups(self) -> list[Q]:
        return criteria(
            type=self.type, result=self.result,
            quota_id=self.pk("quota_id"),
            coupon_id=self.pk("coupon_id"),
            customer_id=self.pk("customer_id"),
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


IDEMPOTENCY_KEY = "Your unique key for this operation (1 to 100 characters): a repeat with the same key and input returns the first result and changes nothing."


@strawberry.input(description="A coupon quota for a partner (operations staff).")
class CouponQuotaGrantInput:
    partner_id: relay.GlobalID = node_id("Partner", description="The partner receiving the quota.")
    kind: CouponKind = strawberry.field(description="The kind of coupon it issues; one the partner's identities issue.")
    total: Decimal = strawberry.field(description="The amount granted: above 0, at most two decimals.")
    valid_from: datetime = strawberry.field(description="Start of the validity window.")
    valid_until: datetime = strawberry.field(description="End of the validity window: after `validFrom` and in the future.")
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


@strawberry.input(description="How much quota one reseller receives.")
class ResellerAllocationInput:
    reseller_id: relay.GlobalID = node_id("Partner", description="A reseller you manage.")
    amount: Decimal = strawberry.field(description="The amount: above 0, at most two decimals.")


@strawberry.input(description="Allocate part of one of your voucher quotas to resellers you manage.")
class CouponQuotaAllocateInput:
    quota_id: relay.GlobalID = node_id("CouponQuota", description="Your NORMAL voucher quota to allocate from.")
    allocations: list[ResellerAllocationInput] = strawberry.field(description="1 to 100 resellers, each once, with their amounts; all succeed or none.")
    valid_from: datetime | None = strawberry.field(default=None, description="Start of the reseller quotas' validity; default and earliest: the source quota's.")
    valid_until: datetime | None = strawberry.field(default=None, description="End of the reseller quotas' validity; default and latest: the source quota's.")
    verification_code: str | None = strawberry.field(default=None, description=VERIFICATION_CODE)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


@strawberry.input(description="Take a reseller quota's whole unissued balance back.")
class CouponQuotaReclaimInput:
    quota_id: relay.GlobalID = node_id("CouponQuota", description="A reseller quota you allocated.")
    verification_code: str | None = strawberry.field(default=None, description=VERIFICATION_CODE)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


@strawberry.input(description="Issue one coupon to each of up to 100 resale customers from one quota.")
class CouponIssueInput:
    quota_id: relay.GlobalID = node_id("CouponQuota", description="Your NORMAL quota, inside its validity window; its kind is the coupons' kind.")
    customer_ids: list[relay.GlobalID] = node_id("Customer", description="1 to 100 distinct resale customers of yours (government partners: whitelisted ones).")
    face_value: Decimal = strawberry.field(description="Each coupon's face value: above 0, at most two decimals; the quota must cover it times the customers.")
    valid_from: datetime | None = strawberry.field(default=None, description="Start of validity; default: the quota's. Must lie inside the quota's window.")
    expires_at: datetime | None = strawberry.field(default=None, description="Expiry; default: the end of the quota's window. In the future, after `validFrom`, inside the quota's window.")
    product_limits: list[str] | None = strawberry.field(default=None, description="Products it may be used for (at most 10, each at most 100 characters); none: any.")
    service_limits: list[str] | None = strawberry.field(default=None, description="Cloud services it may be used for (at most 10, each at most 100 characters); none: any.")
    min_order_amount: Decimal | None = strawberry.field(default=None, description="Vouchers only: the smallest order it applies to.")
    max_order_ratio: Decimal | None = strawberry.field(default=None, description="Cash and pickup coupons only: the largest share of an order it may pay (above 0, at most 1).")
    remark: str | None = strawberry.field(default=None, description="Your private note, at most 500 characters; never shown to others.")
    verification_code: str | None = strawberry.field(default=None, description=VERIFICATION_CODE)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


@strawberry.input(description="Reclaim an AVAILABLE coupon: its whole remaining balance returns to its quota.")
class CouponReclaimInput:
    coupon_id: relay.GlobalID = node_id("Coupon", description="A coupon your partner issued.")
    verification_code: str | None = strawberry.field(default=None, description=VERIFICATION_CODE)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


@strawberry.input(description="An order's deduction from a coupon (the billing side).")
class CouponUsageRecordInput:
    coupon_id: relay.GlobalID = node_id("Coupon", description="An AVAILABLE coupon within its validity.")
    order_id: str = strawberry.field(description="The order, 1 to 64 characters; an order uses a coupon once.")
    amount: Decimal = strawberry.field(description="The amount deducted: above 0, at most two decimals, at most the coupon's balance.")
