"""The reseller channel: a distributor's invitations to partners to become its resellers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field

if TYPE_CHECKING:
    from models.members import Account
    from models.partners import Partner



class ResellerInvitationStatus(DescribedEnum):
    PENDING = "PENDING", "Sent; waiting for the invitee's admin."
    ACCEPTED = "ACCEPTED", "Accepted: the invitee is the distributor's reseller."
    DECLINED = "DECLINED", "Declined by the invitee's admin."
    WITHDRAWN = "WITHDRAWN", "Withdrawn by the distributor before an answer."
    ENDED = "ENDED", "Accepted, and the distributor has since ended the association."


class ResellerInvitation(Model):
    """A distributor's invitation to a partner to become its reseller."""

    id = fields.IntField(primary_key=True)
    distributor: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="sent_reseller_invitations", on_delete=fields.CASCADE, db_index=True)
    distributor_id: int
    invitee: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField("models.Partner", related_name="received_reseller_invitations", on_delete=fields.CASCADE, db_index=True)
    invitee_id: int
    status = fields.CharEnumField(ResellerInvitationStatus, default=ResellerInvitationStatus.PENDING, db_index=True)
    message = fields.CharField(max_length=500, default="")
    invited_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="sent_reseller_invitations", null=True, on_delete=fields.SET_NULL, db_index=True)
    invited_by_id: int | None
    responded_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="answered_reseller_invitations", null=True, on_delete=fields.SET_NULL, db_index=True)
    responded_by_id: int | None
    responded_at = fields.DatetimeField(null=True)
    ended_at = fields.DatetimeField(null=True)
    end_reason = fields.CharField(max_length=500, default="")
    created_at = created_at_field()

    class Meta:
        table = "reseller_invitation"
        ordering = ["id"]
