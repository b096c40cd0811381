"""Invitations a caller may read: its partner's, or those addressed to a personal account."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pypika_tortoise.terms import Function as SqlFunction
from tortoise.expressions import Q, Subquery
from tortoise.functions import Function, Lower
from tortoise.queryset import QuerySet

from models.invitations import Invitation, InvitationStatus
from models.invitations import InviteeIdentifierType as IdType
from models.members import Account
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.scoping import scoped


def effective_status(invitation: Invitation) -> InvitationStatus:
    """Expiry is lazy: an INVITED invitation past its expiry reads as EXPIRED before any write settles it."""
    if invitation.status is InvitationStatus.INVITED and invitation.expires_at <= datetime.now(UTC):
        return InvitationStatus.EXPIRED
    return invitation.status


def effective_status_sql(status: str, expires_at: str, now: str) -> str:
    """`effective_status` in SQL, on the row's `status` and `expires_at` expressions and the bound `now`."""
    return (f"CASE WHEN {status} = '{InvitationStatus.INVITED.value}' AND {expires_at} <= {now} "
            f"THEN '{InvitationStatus.EXPIRED.value}' ELSE {status} END")


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


class _SqlReplace(SqlFunction):
    def __init__(self, term: Any, old: str, new: str, alias: str | None = None) -> None:
        super().__init__("REPLACE", term, old, new, alias=alias)


class _Replace(Function):
    database_func = _SqlReplace


def addressed_to(principal: Principal) -> Q:
    """Invitations addressed to the caller: by account name, e-mail (kept lower-cased) or mobile
    (kept without spaces, or as the account has it). The one rule for reading and accepting them."""
    own = Account.filter(id=principal.account_id)
    email = own.exclude(email="").annotate(value=Lower("email")).values("value")
    mobile = own.exclude(mobile="")
    return (Q(identifier_type=IdType.ACCOUNT_NAME, invitee_identifier=principal.account_name)
            | Q(identifier_type=IdType.EMAIL, invitee_identifier__in=Subquery(email))
            | Q(identifier_type=IdType.MOBILE, invitee_identifier__in=Subquery(mobile.values("mobile")))
            | Q(identifier_type=IdType.MOBILE,
                invitee_identifier__in=Subquery(mobile.annotate(value=_Replace("mobile", " ", "")).values("value"))))


# A partner's invitations to its members, and those addressed to the caller whatever their status.
readable_invitations = scoped(Invitation, staff=Permission.PARTNER_ACCOUNT_VIEW, also=addressed_to)


def invitations_addressed_to(principal: Principal) -> QuerySet[Invitation]:
    """Pending invitations addressed to the caller (any kind of account)."""
    return Invitation.filter(addressed_to(principal), status=InvitationStatus.INVITED, expires_at__gt=datetime.now(UTC))
