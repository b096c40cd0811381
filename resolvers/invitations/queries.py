"""Invitations a caller may read: its partner's, or those addressed to a personal account."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.invitations import Invitation, InvitationStatus
from models.members import Account
from resolvers.principal import Principal
from resolvers.scoping import own_partner_rows


def effective_status(invitation: Invitation) -> InvitationStatus:
    """Expiry is lazy: an INVITED invitation past its expiry reads as EXPIRED before any write settles it."""
    if invitation.status is InvitationStatus.INVITED and invitation.expires_at <= datetime.now(UTC):
        return InvitationStatus.EXPIRED
    return invitation.status


def status_lookup(status: InvitationStatus | None) -> Q | None:
    """A status filter that agrees with `effective_status`."""
    if status is None:
        return None
    now = datetime.now(UTC)
    if status is InvitationStatus.INVITED:
        return Q(status=InvitationStatus.INVITED, expires_at__gt=now)
    if status is InvitationStatus.EXPIRED:
        return Q(status=InvitationStatus.EXPIRED) | Q(status=InvitationStatus.INVITED, expires_at__lte=now)
    return Q(status=status)


def readable_invitations(principal: Principal) -> QuerySet[Invitation]:
    return own_partner_rows(principal, Invitation.all(), staff_permission="specialist.review")


async def invitations_addressed_to(principal: Principal) -> QuerySet[Invitation]:
    """Pending invitations whose invitee identifier is the caller's name, e-mail or mobile."""
    account = await Account.get(id=principal.account_id)
    identifiers = [v for v in (account.name, account.email, account.mobile) if v]
    return Invitation.filter(
        Q(invitee_identifier__in=identifiers), status=InvitationStatus.INVITED, expires_at__gt=datetime.now(UTC)
    )
