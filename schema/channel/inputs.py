"""Filters and ordering of reseller invitation lists; the inputs of the reseller-channel mutations."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from schema.enums import ResellerInvitationStatus
from schema.filters import FilterInput, criteria
from schema.global_ids import node_id
from schema.relay import order_input

VERIFICATION_CODE = "The one-time code (verificationCodeRequest) when your partner has verification codes switched on."


@strawberry.input(description="Criteria for reseller invitation lists; all given criteria must match.")
class ResellerInvitationFilter(FilterInput):
    status: ResellerInvitationStatus | None = strawberry.field(default=None, description="Only invitations in this status.")
    sent_after: datetime | None = strawberry.field(default=None, description="Only invitations sent at or after this time.")
    sent_before: datetime | None = strawberry.field(default=None, description="Only invitations sent before this time.")

    def lookups(self) -> list[Q]:
        return criteria(status=self.status, created_at__gte=self.sent_after, created_at__lt=self.sent_before)


ResellerInvitationOrder = order_input("ResellerInvitationOrder", "How to order reseller invitation lists.", {
    "CREATED_AT": ("created_at", "By when they were sent."),
    "RESPONDED_AT": ("responded_at", "By when the invitee answered."),
}, default="CREATED_AT")


@strawberry.input(description="Invite a partner to become your reseller.")
class ResellerInviteInput:
    invitee_id: relay.GlobalID = node_id(
        "Partner", description="The partner to invite: a reseller, or a solution provider whose program has expired, in the "
                               "distribution (reseller) program, in your region, and managed by no distributor.")
    message: str | None = strawberry.field(default=None, description="A message to the invitee's admin; at most 500 characters.")


@strawberry.input(description="A reseller invitation to act on.")
class ResellerInvitationInput:
    invitation_id: relay.GlobalID = node_id("ResellerInvitation", description="A PENDING invitation you sent (to withdraw) "
                                                                              "or your partner received (to accept).")


@strawberry.input(description="Decline a reseller invitation, optionally saying why.")
class ResellerInvitationDeclineInput:
    invitation_id: relay.GlobalID = node_id("ResellerInvitation", description="A PENDING invitation your partner received.")
    reason: str | None = strawberry.field(default=None, description="Why, for the distributor; at most 500 characters.")


@strawberry.input(description="End a reseller's association with your partner.")
class ResellerAssociationEndInput:
    reseller_id: relay.GlobalID = node_id("Partner", description="A reseller your partner manages.")
    reason: str = strawberry.field(description="Why the association ends, for the record; 1 to 500 characters.")
    verification_code: str | None = strawberry.field(default=None, description=VERIFICATION_CODE)
