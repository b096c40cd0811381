"""Coupon quotas, coupons, usage and operation records."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from models import coupons as m
from resolvers.coupons.queries import readable_coupons, readable_operations, readable_quotas, readable_usage_records
from resolvers.customers.queries import readable_customers
from resolvers.members.queries import readable_accounts
from schema.customers.types import Customer
from schema.enums import CouponKind, CouponOperationType, CouponStatus, OperationResult, QuotaStatus
from schema.members.types import Account
from schema.permissions.directive import PUBLIC, permission_field
from schema.relay import ModelNode, connection_field
from schema.scalars import Money


@strawberry.type(description="A coupon quota (额度): the budget coupons are issued from.", directives=[PUBLIC])
class CouponQuota(ModelNode):
    model = m.CouponQuota
    readable = staticmethod(readable_quotas)

    kind: CouponKind = strawberry.field(description="The kind of coupon it issues.")
    status: QuotaStatus = strawberry.field(description="Only a NORMAL quota issues coupons.")
    valid_from: datetime = strawberry.field(description="Start of the validity window.")
    valid_until: datetime = strawberry.field(description="End of the validity window; coupons must expire by then.")
    created_at: datetime = strawberry.field(description="When the quota was granted.")

    @strawberry.field(description="The total amount granted.")
    def total(self, root: strawberry.Parent[m.CouponQuota]) -> Money:
        return Money.of(root.total)

    @strawberry.field(description="The amount issued (net of remainders returned by reclaim and expiry).")
    def used(self, root: strawberry.Parent[m.CouponQuota]) -> Money:
        return Money.of(root.used)

    @strawberry.field(description="What can still be issued: total minus used.")
    def available(self, root: strawberry.Parent[m.CouponQuota]) -> Money:
        return Money.of(root.total - root.used)

    @strawberry.field(description="For a reseller quota: the distributor quota it was allocated from.")
    async def parent_quota(self, root: strawberry.Parent[m.CouponQuota], info: strawberry.Info) -> CouponQuota | None:
        return await info.context.load(readable_quotas, root.parent_quota_id)


@strawberry.type(description="A usage record (使用记录): an order that drew on a coupon.", directives=[PUBLIC])
class CouponUsageRecord(ModelNode):
    model = m.CouponUsage
    readable = staticmethod(readable_usage_records)

    order_id: str = strawberry.field(description="The order that used the coupon.")
    used_at: datetime = strawberry.field(description="When it was used.")

    @strawberry.field(description="The amount deducted from the coupon.")
    def amount(self, root: strawberry.Parent[m.CouponUsage]) -> Money:
        return Money.of(root.amount)


@strawberry.type(description="A coupon issued to a customer.", directives=[PUBLIC])
class Coupon(ModelNode):
    model = m.Coupon
    readable = staticmethod(readable_coupons)

    kind: CouponKind = strawberry.field(description="Voucher, cash or pickup coupon.")
    status: CouponStatus = strawberry.field(description="Where the coupon stands.")
    valid_from: datetime = strawberry.field(description="Start of validity.")
    expires_at: datetime = strawberry.field(description="End of validity.")
    product_limits: list[str] = strawberry.field(description="Products it may be used for (empty: any).")
    service_limits: list[str] = strawberry.field(description="Cloud services it may be used for (empty: any).")
    max_order_ratio: Decimal | None = strawberry.field(description="Cash and pickup coupons: the largest share of an order it may pay.")
    issued_at: datetime = strawberry.field(description="When it was issued.")
    closed_at: datetime | None = strawberry.field(description="When it was used up, expired or reclaimed.")

    @strawberry.field(description="The face value issued.")
    def face_value(self, root: strawberry.Parent[m.Coupon]) -> Money:
        return Money.of(root.face_value)

    @strawberry.field(description="How much of the face value orders have used.")
    def used_amount(self, root: strawberry.Parent[m.Coupon]) -> Money:
        return Money.of(root.used_amount)

    @strawberry.field(description="What is left: face value minus usage.")
    def balance(self, root: strawberry.Parent[m.Coupon]) -> Money:
        return Money.of(root.face_value - root.used_amount)

    @strawberry.field(description="Vouchers: the smallest order they apply to.")
    def min_order_amount(self, root: strawberry.Parent[m.Coupon]) -> Money | None:
        return Money.of(root.min_order_amount)

    @strawberry.field(description="The issuer's private remark; shown to the issuing partner only.")
    def remark(self, root: strawberry.Parent[m.Coupon], info: strawberry.Info) -> str | None:
        return root.remark if root.partner_id == info.context.principal.partner_id else None

    @permission_field("coupon.quota.view", description="The quota it was issued from.")
    async def quota(self, root: strawberry.Parent[m.Coupon], info: strawberry.Info) -> CouponQuota | None:
        return await info.context.load(readable_quotas, root.quota_id)

    @permission_field("customer.view", description="The customer holding it.")
    async def customer(self, root: strawberry.Parent[m.Coupon], info: strawberry.Info) -> Customer | None:
        return await info.context.load(readable_customers, root.customer_id)

    @strawberry.field(description="Who issued it.")
    async def issued_by(self, root: strawberry.Parent[m.Coupon], info: strawberry.Info) -> Account | None:
        return await info.context.load(readable_accounts, root.issued_by_id)

    usage_records = connection_field(
        CouponUsageRecord,
        description="Orders that used this coupon, oldest first.",
        rows=lambda root, info: readable_usage_records(info.context.principal).filter(coupon_id=root.id),
        default_order=("used_at",),
        permission=("coupon.usage.view",),
    )


@strawberry.type(description="An operation record (操作记录): issue, reclaim or quota movement.", directives=[PUBLIC])
class CouponOperation(ModelNode):
    model = m.CouponOperation
    readable = staticmethod(readable_operations)

    type: CouponOperationType = strawberry.field(description="What was done.")
    result: OperationResult = strawberry.field(description="Whether it succeeded.")
    detail: str = strawberry.field(description="More about the operation.")
    created_at: datetime = strawberry.field(description="When it happened.")

    @strawberry.field(description="The amount moved.")
    def amount(self, root: strawberry.Parent[m.CouponOperation]) -> Money:
        return Money.of(root.amount)

    @strawberry.field(description="Who did it.")
    async def operator(self, root: strawberry.Parent[m.CouponOperation], info: strawberry.Info) -> Account | None:
        return await info.context.load(readable_accounts, root.operator_id)

    @permission_field("coupon.quota.view", description="The quota concerned.")
    async def quota(self, root: strawberry.Parent[m.CouponOperation], info: strawberry.Info) -> CouponQuota | None:
        return await info.context.load(readable_quotas, root.quota_id)

    @permission_field("coupon.issued.view", description="The coupon concerned.")
    async def coupon(self, root: strawberry.Parent[m.CouponOperation], info: strawberry.Info) -> Coupon | None:
        return await info.context.load(readable_coupons, root.coupon_id)

    @permission_field("customer.view", description="The customer concerned.")
    async def customer(self, root: strawberry.Parent[m.CouponOperation], info: strawberry.Info) -> Customer | None:
        return await info.context.load(readable_customers, root.customer_id)
