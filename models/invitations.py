"""Invitations that bind personal accounts to a partner (邀请成员)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field

if TYPE_CHECKING:
    from models.members import Account
    from models.partners import Partner



class InvitationStatus(DescribedEnum):
    INVITED = "INVITED", "Sent and waiting for the invitee."
    BOUND = "BOUND", "Accepted: the invitee is a bound member."
    EXPIRED = "EXPIRED", "Not accepted within 7 days."
    REVOKED = "REVOKED", "Revoked by an administrator before acceptance."
    UNBOUND = "UNBOUND", "The bound member was unbound by an administrator."


class InviteeIdentifierType(DescribedEnum):
    EMAIL = "EMAIL", "The invitee is identified by e-mail address."
    MOBILE = "MOBILE", "The invitee is identified by mobile number."
    ACCOUNT_NAME = "ACCOUNT_NAME", "The invitee is identified by cloud account name."


class Invitation(Model):
    id = fields.IntField(primary_key=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="invitations", on_delete=fields.CASCADE, db_index=True)
    partner_id: int
    invited_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="sent_invitations", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    invited_by_id: int | None
    invitee_identifier = fields.CharField(max_length=254)
    identifier_type = fields.CharEnumField(InviteeIdentifierType)
    status = fields.CharEnumField(InvitationStatus, default=InvitationStatus.INVITED, db_index=True)
    # Only a hash of the single-use token is kept; the token itself is shown once.
    token_hash = fields.CharField(max_length=64, null=True, unique=True)
    sent_at = fields.DatetimeField(db_index=True)
    expires_at = fields.DatetimeField()
    accepted_account: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="accepted_invitations", null=True, on_delete=fields.SET_NULL, db_index=True
    )
    accepted_account_id: int | None
    accepted_at = fields.DatetimeField(null=True)
    consent_given = fields.BooleanField(default=False)
    created_at = created_at_field()

    class Meta:
        table = "invitation"
        ordering = ["id"]
