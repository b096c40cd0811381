"""Append-only audit records (云审计) of every mutation and security event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field

if TYPE_CHECKING:
    from models.members import Account
    from models.partners import Partner



class AuditOutcome(DescribedEnum):
    SUCCESS = "SUCCESS", "The action succeeded."
    USER_ERROR = "USER_ERROR", "The action was refused for a business reason."
    DENIED = "DENIED", "The caller lacked a permission."
    FAILED = "FAILED", "The action failed on the server side."


class AuditRecord(Model):
    id = fields.IntField(primary_key=True)
    actor: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="audit_records", null=True, on_delete=fields.SET_NULL, db_index=True)
    actor_id: int | None
    partner: fields.ForeignKeyNullableRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="audit_records", null=True, on_delete=fields.SET_NULL, db_index=True)
    partner_id: int | None
    roles: fields.JSONField[list[str]] = fields.JSONField(default=list)
    action = fields.CharField(max_length=100, db_index=True)
    target = fields.CharField(max_length=200, default="")
    outcome = fields.CharEnumField(AuditOutcome)
    request_id = fields.CharField(max_length=64, default="")
    # Input as given, with secrets and verification codes redacted before it is stored.
    input: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = created_at_field()

    class Meta:
        table = "audit_record"
        ordering = ["id"]
