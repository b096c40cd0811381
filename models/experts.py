"""Project specialists (项目专员) and expert applications (专家)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field

if TYPE_CHECKING:
    from models.members import Account
    from models.partners import Partner



class SpecialistStatus(DescribedEnum):
    SPECIALIST_PENDING = "SPECIALIST_PENDING", "Proposed as specialist, awaiting staff review."
    SPECIALIST = "SPECIALIST", "An approved project specialist."
    SPECIALIST_REJECTED = "SPECIALIST_REJECTED", "The proposal was rejected; it may be resubmitted."
    CANCEL_PENDING = "CANCEL_PENDING", "An administrator asked to cancel the specialist; awaiting review."
    CANCELLED = "CANCELLED", "No longer a specialist."


class ExpertStage(DescribedEnum):
    RESUME_SUBMITTED = "RESUME_SUBMITTED", "The resume was submitted via the ecosystem manager."
    CAPABILITY_EXAM = "CAPABILITY_EXAM", "Taking the capability exam."
    MATURITY_ASSESSMENT = "MATURITY_ASSESSMENT", "Under maturity assessment."
    DEFENSE = "DEFENSE", "Defending before the panel."
    CERTIFIED = "CERTIFIED", "Certified expert."
    REJECTED = "REJECTED", "Rejected at some stage, with a reason."


class SpecialistApplication(Model):
    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="specialists", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    member: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField("models.Account", related_name="specialist_applications", on_delete=fields.CASCADE, db_index=True)
    member_id: int
    status = fields.CharEnumField(SpecialistStatus, default=SpecialistStatus.SPECIALIST_PENDING, db_index=True)
    cancel_reason = fields.CharField(max_length=500, default="")
    rejection_reason = fields.CharField(max_length=500, default="")
    created_at = created_at_field()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "specialist_application"
        ordering = ["id"]


class ExpertApplication(Model):
    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="expert_applications", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    specialist: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField("models.Account", related_name="expert_applications", on_delete=fields.CASCADE, db_index=True)
    specialist_id: int
    submitted_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="submitted_expert_applications", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    submitted_by_id: int | None
    stage = fields.CharEnumField(ExpertStage, default=ExpertStage.RESUME_SUBMITTED, db_index=True)
    resume_text = fields.TextField()
    resume_document = fields.CharField(max_length=500, default="")
    rejection_reason = fields.CharField(max_length=500, default="")
    created_at = created_at_field()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "expert_application"
        ordering = ["id"]


class ExpertStageRecord(Model):
    id = fields.IntField(primary_key=True)
    application: fields.ForeignKeyRelation[ExpertApplication] = fields.ForeignKeyField("models.ExpertApplication", related_name="stage_records", on_delete=fields.CASCADE, db_index=True)
    application_id: int
    stage = fields.CharEnumField(ExpertStage)
    actor: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="expert_stage_records", null=True, on_delete=fields.SET_NULL, db_index=True)
    actor_id: int | None
    result = fields.CharField(max_length=200, default="")
    notes = fields.CharField(max_length=2000, default="")
    created_at = created_at_field()

    class Meta:
        table = "expert_stage_record"
        ordering = ["id"]
