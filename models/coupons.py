"""Coupon quotas, coupons, usage and operation records (券管理)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field, money_field

if TYPE_CHECKING:
    from models.customers import Customer
    from models.members import Account
    from models.partners import Partner



class CouponKind(DescribedEnum):
    VOUCHER = "VOUCHER", "Voucher (代金券)."
    CASH = "CASH", "Cash coupon (现金券), issued by government-subsidy partners."
    PICKUP = "PICKUP", "Pickup coupon (提货券), issued by government-cloud partners."


class QuotaStatus(DescribedEnum):
    NORMAL = "NORMAL", "Usable: only a normal quota issues coupons."
    ADJUSTING = "ADJUSTING", "Being adjusted by operations."
    FROZEN = "FROZEN", "Frozen."
    INVALID = "INVALID", "No longer valid."


class CouponStatus(DescribedEnum):
    AVAILABLE = "AVAILABLE", "Held by the customer with a remaining balance."
    USED = "USED", "Fully used."
    EXPIRED = "EXPIRED", "Past its validity; the remainder returned to the quota."
    RECLAIMED = "RECLAIMED", "Reclaimed by the issuer; the remainder returned to the quota."


class CouponOperationType(DescribedEnum):
    ISSUE = "ISSUE", "Coupons issued to customers."
    MANUAL_RECLAIM = "MANUAL_RECLAIM", "A coupon reclaimed by the issuer."
    EXPIRY_RECLAIM = "EXPIRY_RECLAIM", "A coupon's remainder returned on expiry."
    DISASSOCIATION_RECLAIM = "DISASSOCIATION_RECLAIM", "A coupon reclaimed because its customer was disassociated."
    SWITCH_RECLAIM = "SWITCH_RECLAIM", "A coupon reclaimed because its customer was switched to a referral association."
    QUOTA_ALLOCATE = "QUOTA_ALLOCATE", "Quota allocated (by operations, or by a distributor to a reseller)."
    QUOTA_RECLAIM = "QUOTA_RECLAIM", "A reseller quota's remainder reclaimed by its distributor."


class OperationResult(DescribedEnum):
    SUCCEEDED = "SUCCEEDED", "The operation succeeded."
    FAILED = "FAILED", "The operation failed."


class CouponQuota(Model):
    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="coupon_quotas", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    kind = fields.CharEnumField(CouponKind, db_index=True)
    total = money_field()
    # Changed only by conditional UPDATE statements, never read-modify-write.
    used = money_field()
    valid_from = fields.DatetimeField()
    valid_until = fields.DatetimeField()
    status = fields.CharEnumField(QuotaStatus, default=QuotaStatus.NORMAL, db_index=True)
    parent_quota: fields.ForeignKeyNullableRelation[CouponQuota] = fields.ForeignKeyField(
        "models.CouponQuota", related_name="child_quotas", null=True, on_delete=fields.RESTRICT, db_index=True
    )
    parent_quota_id: int | None
    granted_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="granted_quotas", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    granted_by_id: int | None
    created_at = created_at_field()

    class Meta:
        table = "coupon_quota"
        ordering = ["id"]


class Coupon(Model):
    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="coupons", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    quota: fields.ForeignKeyRelation[CouponQuota] = fields.ForeignKeyField("models.CouponQuota", related_name="coupons", on_delete=fields.RESTRICT, db_index=True)
    quota_id: int
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField("models.Customer", related_name="coupons", on_delete=fields.RESTRICT, db_index=True)
    customer_id: int
    kind = fields.CharEnumField(CouponKind, db_index=True)
    face_value = money_field()
    used_amount = money_field()
    status = fields.CharEnumField(CouponStatus, default=CouponStatus.AVAILABLE, db_index=True)
    valid_from = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)
    product_limits: fields.JSONField[list[str]] = fields.JSONField(default=list)
    service_limits: fields.JSONField[list[str]] = fields.JSONField(default=list)
    min_order_amount = fields.DecimalField(max_digits=18, decimal_places=2, null=True)
    max_order_ratio = fields.DecimalField(max_digits=5, decimal_places=4, null=True)
    remark = fields.CharField(max_length=500, default="")
    issued_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="issued_coupons", null=True, on_delete=fields.SET_NULL, db_index=True)
    issued_by_id: int | None
    issued_at = fields.DatetimeField(db_index=True)
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "coupon"
        ordering = ["id"]


class CouponUsage(Model):
    id = fields.IntField(primary_key=True)
    coupon: fields.ForeignKeyRelation[Coupon] = fields.ForeignKeyField("models.Coupon", related_name="usage_records", on_delete=fields.CASCADE, db_index=True)
    coupon_id: int
    order_id = fields.CharField(max_length=64)
    amount = money_field()
    used_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "coupon_usage"
        ordering = ["id"]


class CouponOperation(Model):
    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="coupon_operations", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    type = fields.CharEnumField(CouponOperationType, db_index=True)
    operator: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="coupon_operations", null=True, on_delete=fields.SET_NULL, db_index=True)
    operator_id: int | None
    quota: fields.ForeignKeyNullableRelation[CouponQuota] = fields.ForeignKeyField("models.CouponQuota", related_name="operations", null=True, on_delete=fields.SET_NULL, db_index=True)
    quota_id: int | None
    coupon: fields.ForeignKeyNullableRelation[Coupon] = fields.ForeignKeyField("models.Coupon", related_name="operations", null=True, on_delete=fields.SET_NULL, db_index=True)
    coupon_id: int | None
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField("models.Customer", related_name="coupon_operations", null=True, on_delete=fields.SET_NULL, db_index=True)
    customer_id: int | None
    amount = money_field()
    result = fields.CharEnumField(OperationResult, default=OperationResult.SUCCEEDED)
    detail = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "coupon_operation"
        ordering = ["id"]
