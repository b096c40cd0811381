"""Coupon quotas, coupons, usage and operation records."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

import strawberry

from models import coupons as m
from resolvers.coupons.queries import (
    effective_status,
    effective_status_sql,
    readable_coupons,
    readable_operations,
    readable_quotas,
    readable_usage_records,
)
from resolvers.customers.queries import readable_customers
from resolvers.members.queries import readable_accounts
from resolvers.permissions.catalog import Permission
from schema.customers.types import Customer
from schema.enums import CouponKind, CouponOperationType, CouponStatus, OperationResult, QuotaStatus
from schema.members.types import Account
from schema.permissions.directive import PUBLIC
from schema.relay import ModelNode, children, connection_field, related_field
from schema.scalars import Money, money_field
from schema.selection import reads
from schema.sql_values import money_difference, sql_value


@strawberry.type(description="A coupon quota (额度): the budget coupons are issued from.", directives=[PUBLIC])
class CouponQuota(ModelNode):
    model = m.CouponQuota
    readable = readable_quotas

    kind: CouponKind = strawberry.field(description="The kind of coupon it issues.")
    status: QuotaStatus = strawberry.field(description="Only a NORMAL quota issues coupons.")
    valid_from: datetime = strawberry.field(description="Start of the validity window.")
    valid_until: datetime = strawberry.field(description="End of the validity window; coupons must expire by then.")
    created_at: datetime = strawberry.field(description="When the quota was granted.")

    total = money_field("total", description="The total amount granted.")

    used = money_field("used", description="The amount issued (net of remainders returned by reclaim and expiry).")

    @strawberry.field(description="What can still be issued: total minus used.",
                      metadata={**reads("total", "used"), **money_difference("total", "used")})
    def available(self, root: strawberry.Parent[m.CouponQuota]) -> Money:
        return Money.of(root.total - root.used)

    parent_quota = related_field(Annotated["CouponQuota", strawberry.lazy("schema.coupons.types")], readable_quotas, "parent_quota_id", description="For a reseller quota: the distributor quota it was allocated from.")


@strawberry.type(description="A usage record (使用记录): an order that drew on a coupon.", directives=[PUBLIC])
class CouponUsageRecord(ModelNode):
    model = m.CouponUsage
    readable = readable_usage_records

    order_id: str = strawberry.field(description="The order that used the coupon.")
    used_at: datetime = strawberry.field(description="When it was used.")

    amount = money_field("amount", description="The amount deducted from the coupon.")


@strawberry.type(description="A coupon issued to a customer.", directives=[PUBLIC])
class Coupon(ModelNode):
    model = m.Coupon
    readable = readable_coupons

    kind: CouponKind = strawberry.field(description="Voucher, cash or pickup coupon.")
    valid_from: datetime = strawberry.field(description="Start of validity.")
    expires_at: datetime = strawberry.field(description="End of validity.")
    product_limits: list[str] = strawberry.field(description="Products it may be used for (empty: any).")
    service_limits: list[str] = strawberry.field(description="Cloud services it may be used for (empty: any).")
    max_order_ratio: Decimal | None = strawberry.field(description="Cash and pickup coupons: the largest share of an order it may pay.")
    issued_at: datetime = strawberry.field(description="When it was issued.")

    @strawberry.field(description="Where the coupon stands; one past its expiry is EXPIRED even before the expiry job has returned its remainder.",
                      metadata={**reads("status", "expires_at"),
                                **sql_value(lambda row: effective_status_sql(row.column("status"), row.column("expires_at"), row.bind(row.now)))})
    def status(self, root: strawberry.Parent[m.Coupon]) -> CouponStatus:
        return effective_status(root, datetime.now(UTC))

    @strawberry.field(description="When it was used up, expired or reclaimed; null while AVAILABLE.",
                      metadata={**reads("closed_at", "status", "expires_at"), **sql_value(lambda row: (
                          f"CASE WHEN {row.column('closed_at')} IS NULL AND "
                          f"({effective_status_sql(row.column('status'), row.column('expires_at'), row.bind(row.now))}) = "
                          f"'{m.CouponStatus.EXPIRED.value}' THEN {row.column('expires_at')} ELSE {row.column('closed_at')} END"))})
    def closed_at(self, root: strawberry.Parent[m.Coupon]) -> datetime | None:
        if root.closed_at is None and effective_status(root, datetime.now(UTC)) is m.CouponStatus.EXPIRED:
            return root.expires_at
        return root.closed_at

    face_value = money_field("face_value", description="The face value issued.")

    used_amount = money_field("used_amount", description="How much of the face value orders have used.")

    @strawberry.field(description="What is left: face value minus usage.",
                      metadata={**reads("face_value", "used_amount"), **money_difference("face_value", "used_amount")})
    def balance(self, root: strawberry.Parent[m.Coupon]) -> Money:
        return Money.of(root.face_value - root.used_amount)

    min_order_amount = money_field("min_order_amount", description="Vouchers: the smallest order they apply to.", nullable=True)

    @strawberry.field(description="The issuer's private remark; shown to the issuing partner only.",
                      metadata={**reads("remark", "partner_id"), **sql_value(lambda row: (
                          f"CASE WHEN {row.column('partner_id')} = {row.bind(row.principal.partner_id)} THEN {row.column('remark')} END"))})
    def remark(self, root: strawberry.Parent[m.Coupon], info: strawberry.Info) -> str | None:
        return root.remark if root.partner_id == info.context.principal.partner_id else None

    quota = related_field(CouponQuota, readable_quotas, "quota_id", description="The quota it was issued from.", requires=Permission.COUPON_QUOTA_VIEW)

    customer = related_field(Customer, readable_customers, "customer_id", description="The customer holding it.", requires=Permission.CUSTOMER_VIEW)

    issued_by = related_field(Account, readable_accounts, "issued_by_id", description="Who issued it.")

    usage_records = connection_field(
        CouponUsageRecord,
        description="Orders that used this coupon, oldest first.",
        rows=children(readable_usage_records, "coupon_id"),
        default_order=("used_at",),
        requires=Permission.COUPON_USAGE_VIEW,
    )


@strawberry.type(description="An operation record (操作记录): issue, reclaim or quota movement.", directives=[PUBLIC])
class CouponOperation(ModelNode):
    model = m.CouponOperation
    readable = readable_operations

    type: CouponOperationType = strawberry.field(description="What was done.")
    result: OperationResult = strawberry.field(description="Whether it succeeded.")
    detail: str = strawberry.field(description="More about the operation.")
    created_at: datetime = strawberry.field(description="When it happened.")

    amount = money_field("amount", description="The amount moved.")

    operator = related_field(Account, readable_accounts, "operator_id", description="Who did it.")

    quota = related_field(CouponQuota, readable_quotas, "quota_id", description="The quota concerned.", requires=Permission.COUPON_QUOTA_VIEW)

    coupon = related_field(Coupon, readable_coupons, "coupon_id", description="The coupon concerned.", requires=Permission.COUPON_ISSUED_VIEW)

    customer = related_field(Customer, readable_customers, "customer_id", description="The customer concerned.", requires=Permission.CUSTOMER_VIEW)
