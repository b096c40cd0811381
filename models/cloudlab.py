"""Cloud-lab benefit applications (云实验) for bound members, and the lab points they credit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field

if TYPE_CHECKING:
    from models.members import Account
    from models.partners import Partner



class CloudLabStatus(DescribedEnum):
    SUBMITTED = "SUBMITTED", "Submitted; waiting for the platform's review."
    APPROVED = "APPROVED", "Approved; the benefit is yet to be issued."
    BENEFIT_ISSUED = "BENEFIT_ISSUED", "Lab points credited to every beneficiary."
    REJECTED = "REJECTED", "Rejected, with a reason."


class CloudLabApplication(Model):
    """A partner's application for cloud-lab benefits (云实验) for its bound members."""

    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="cloud_lab_applications", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    status = fields.CharEnumField(CloudLabStatus, default=CloudLabStatus.SUBMITTED, db_index=True)
    purpose = fields.CharField(max_length=500)
    points_per_member = fields.IntField()
    applied_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="cloud_lab_applications", null=True, on_delete=fields.SET_NULL, db_index=True)
    applied_by_id: int | None
    reviewed_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="reviewed_cloud_lab_applications", null=True, on_delete=fields.SET_NULL, db_index=True)
    reviewed_by_id: int | None
    rejection_reason = fields.CharField(max_length=500, default="")
    reviewed_at = fields.DatetimeField(null=True)
    issued_at = fields.DatetimeField(null=True)
    created_at = created_at_field()

    class Meta:
        table = "cloud_lab_application"
        ordering = ["id"]


class CloudLabBeneficiary(Model):
    """A bound member an application asks lab points for, and the points credited once issued."""

    id = fields.IntField(primary_key=True)
    application: fields.ForeignKeyRelation[CloudLabApplication] = fields.ForeignKeyField("models.CloudLabApplication", related_name="beneficiaries", on_delete=fields.CASCADE, db_index=True)
    application_id: int
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField("models.Account", related_name="cloud_lab_benefits", on_delete=fields.CASCADE, db_index=True)
    account_id: int
    points_credited = fields.IntField(default=0)

    class Meta:
        table = "cloud_lab_beneficiary"
        ordering = ["id"]
        unique_together = (("application", "account"),)
