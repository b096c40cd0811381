"""Invitations a caller may read: its partner's, or those addressed to a personal account."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.invitations import Invitation, InvitationStatus
from models.members import Account
from resolvers.principal import Principal
from resolvers.scoping import own_partner_rows


def readable_invitations(principal: Principal) -> QuerySet[Invitation]:
    return own_partner_rows(principal, Invitation.all(), staff_permission="specialist.review")


async def invitations_addressed_to(principal: Principal) -> QuerySet[Invitation]:
    """Pending invitations whose invitee identifier is the caller's name, e-mail or mobile."""
    account = await Account.get(id=principal.account_id)
    identifiers = [v for v in (account.name, account.email, account.mobile) if v]
    return Invitation.filter(
        Q(invitee_identifier__in=identifiers), status=InvitationStatus.INVITED
    )
