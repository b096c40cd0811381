"""Customers associated with a partner (子客户)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field
from models.partners import RealNameStatus

if TYPE_CHECKING:
    from models.members import Account
    from models.partners import Partner



class AssociationType(DescribedEnum):
    RESALE = "RESALE", "Resale customer: the partner sells to it and may issue coupons."
    REFERRAL = "REFERRAL", "Referral customer: the partner referred it."


class Customer(Model):
    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="customers", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    name = fields.CharField(max_length=200)
    association_type = fields.CharEnumField(AssociationType, db_index=True)
    account_manager: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="managed_customers", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    account_manager_id: int | None
    real_name_status = fields.CharEnumField(RealNameStatus, default=RealNameStatus.UNVERIFIED)
    # Government partners may only issue coupons to whitelisted customers.
    whitelisted = fields.BooleanField(default=False)
    associated_at = fields.DatetimeField()
    created_at = created_at_field()

    class Meta:
        table = "customer"
        ordering = ["id"]
