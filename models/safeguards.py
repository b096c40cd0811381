"""Safeguards of sensitive operations: one-time verification codes and idempotency keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field

if TYPE_CHECKING:
    from models.members import Account



class VerificationPurpose(DescribedEnum):
    WITHDRAWAL = "WITHDRAWAL", "Withdraw money from the account."
    FUND_ALLOCATION = "FUND_ALLOCATION", "Allocate funds to a reseller."
    COUPON_ISSUE = "COUPON_ISSUE", "Issue coupons."
    COUPON_RECLAIM = "COUPON_RECLAIM", "Reclaim a coupon."
    QUOTA_ALLOCATION = "QUOTA_ALLOCATION", "Allocate coupon quota to resellers."
    QUOTA_RECLAIM = "QUOTA_RECLAIM", "Reclaim coupon quota from a reseller."
    CUSTOMER_DISASSOCIATION = "CUSTOMER_DISASSOCIATION", "Disassociate a customer."
    CUSTOMER_ASSOCIATION = "CUSTOMER_ASSOCIATION", "Change a customer's account manager or association type."
    CUSTOMER_AUTHORIZATION = "CUSTOMER_AUTHORIZATION", "Grant, reject or cancel an on-behalf authorization (customers)."
    CONTACT_CHANGE = "CONTACT_CHANGE", "Change your own e-mail or mobile (always confirmed with a code)."
    RESELLER_RELEASE = "RESELLER_RELEASE", "End a reseller's association with its distributor."
    INCENTIVE_PAYOUT = "INCENTIVE_PAYOUT", "Apply for an incentive payout."
    YANXUAN_PRICE_ADJUST = "YANXUAN_PRICE_ADJUST", "Adjust a Yanxuan order's unit price."


class VerificationCode(Model):
    """A one-time code for one account and purpose, kept only as a hash."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField("models.Account", related_name="verification_codes", on_delete=fields.CASCADE, db_index=True)
    account_id: int
    purpose = fields.CharEnumField(VerificationPurpose)
    code_hash = fields.CharField(max_length=64)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    created_at = created_at_field()

    class Meta:
        table = "verification_code"
        ordering = ["id"]


class IdempotencyRecord(Model):
    """The first result of a money mutation under a caller key, replayed on a repeat."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField("models.Account", related_name="idempotency_records", on_delete=fields.CASCADE, db_index=True)
    account_id: int
    action = fields.CharField(max_length=100)
    key = fields.CharField(max_length=100)
    # A hash of the input: the same key with different input is a client bug, refused as CONFLICT.
    input_hash = fields.CharField(max_length=64)
    # What the first call produced (e.g. "Withdrawal:12"), enough to answer the repeat.
    result_ref = fields.CharField(max_length=2000, default="")
    created_at = created_at_field()

    class Meta:
        table = "idempotency_record"
        unique_together = (("account", "action", "key"),)
