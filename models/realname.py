"""Real-name verification (实名认证) of partner companies and accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field
from models.partners import RealNameStatus

if TYPE_CHECKING:
    from models.members import Account
    from models.partners import Partner



class RealNameType(DescribedEnum):
    ENTERPRISE = "ENTERPRISE", "Enterprise real-name verification (企业实名认证)."
    INDIVIDUAL = "INDIVIDUAL", "Individual real-name verification (个人实名认证)."


class RealNameVerification(Model):
    """The real-name verification (实名认证) of a partner company or of one account."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyNullableRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="real_name_verifications", null=True, on_delete=fields.CASCADE, db_index=True)
    partner_id: int | None
    account: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="real_name_verifications", null=True, on_delete=fields.CASCADE, db_index=True)
    account_id: int | None
    type = fields.CharEnumField(RealNameType)
    verified_name = fields.CharField(max_length=200)
    # Kept whole for the platform; the API shows it masked.
    certificate_number = fields.CharField(max_length=32)
    status = fields.CharEnumField(RealNameStatus, default=RealNameStatus.VERIFIED)
    verified_at = fields.DatetimeField(null=True)
    created_at = created_at_field()

    class Meta:
        table = "real_name_verification"
        ordering = ["id"]
