"""Invitations written straight to the table, for states the API takes days to reach (expired, lapsed)."""

from __future__ import annotations

from models.invitations import Invitation, InvitationStatus, InviteeIdentifierType
from models.partners import Partner
from tests.factories.values import days


async def create_invitation(partner: Partner | int, invitee_identifier: str, **overrides) -> Invitation:
    """An e-mail invitation from `partner` (or its id) sent now, INVITED for seven days, unless
    `overrides` say otherwise."""
    fields = {"identifier_type": InviteeIdentifierType.EMAIL, "status": InvitationStatus.INVITED,
              "sent_at": days(0), "expires_at": days(7)}
    fields.update(overrides)
    owner = {"partner": partner} if isinstance(partner, Partner) else {"partner_id": partner}
    return await Invitation.create(**owner, invitee_identifier=invitee_identifier, **fields)
