"""Invitations that bind personal accounts to a partner."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import invitations as m
from resolvers.invitations.queries import effective_status, effective_status_sql, readable_invitations
from resolvers.members.queries import readable_accounts
from schema.enums import InvitationStatus, InviteeIdentifierType
from schema.members.types import Account
from schema.permissions.directive import PUBLIC
from schema.relay import ModelNode, related_field
from schema.selection import reads
from schema.sql_values import sql_value


@strawberry.type(description="An invitation to bind a personal account to the partner (邀请成员).", directives=[PUBLIC])
class Invitation(ModelNode):
    model = m.Invitation
    readable = readable_invitations

    invitee_identifier: str = strawberry.field(description="The e-mail, mobile or account name invited.")
    identifier_type: InviteeIdentifierType = strawberry.field(description="Which kind of identifier `inviteeIdentifier` is.")
    sent_at: datetime = strawberry.field(description="When it was (last) sent.")
    expires_at: datetime = strawberry.field(description="When it stops being acceptable: 7 days after sending.")
    accepted_at: datetime | None = strawberry.field(description="When the invitee accepted.")
    consent_given: bool = strawberry.field(description="Whether the invitee consented to share account name and qualifications.")

    @strawberry.field(description="Where the invitation stands; an unanswered one past `expiresAt` is EXPIRED.",
                      metadata={**reads("status", "expires_at"), **sql_value(
                          lambda row: effective_status_sql(row.column("status"), row.column("expires_at"), row.bind(row.now)))})
    def status(self, root: strawberry.Parent[m.Invitation]) -> InvitationStatus:
        return effective_status(root)

    invited_by = related_field(Account, readable_accounts, "invited_by_id", description="The administrator who sent it.")

    accepted_account = related_field(Account, readable_accounts, "accepted_account_id", description="The account that accepted it, once bound.")
