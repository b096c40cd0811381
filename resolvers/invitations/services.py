"""Invitations (邀请成员): invite, resend, revoke, accept, unbind.

Status machine: INVITED -> BOUND | EXPIRED | REVOKED; EXPIRED | UNBOUND | REVOKED -> INVITED
(resend, a new token); BOUND -> UNBOUND. Every transition is a conditional UPDATE on the status
it leaves, so two concurrent requests can never both move the same invitation.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from models.api_keys import ApiKey
from models.invitations import Invitation
from models.invitations import InvitationStatus as Status
from models.invitations import InviteeIdentifierType as IdType
from models.members import Account, AccountKind
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.invitations.queries import addressed_to, readable_invitations
from resolvers.members.org_services import check_email, check_mobile
from resolvers.members.queries import readable_accounts
from resolvers.outbox import Outbox, Secret
from resolvers.principal import Principal
from resolvers.validation import Checks

INVITATION_TTL = timedelta(days=7)
DAILY_LIMIT = 100
ACCOUNT_NAME_LENGTH = (3, 100)
MAX_TOKEN = 100
RESENDABLE = (Status.EXPIRED, Status.UNBOUND, Status.REVOKED)
CONSENT_MESSAGE = "Binding requires the invitee's consent to share account name and qualifications."


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


async def settle_partner_expiry(principal: Principal) -> int:
    return await settle_expiry(partner_id=principal.partner_id)


async def settle_token_expiry(token: str) -> int:
    return await settle_expiry(token_hash=hash_token(token))


async def settle_expiry(**where: Any) -> int:
    """Mark INVITED invitations past their expiry EXPIRED (expiry is applied lazily, on load).

    The schema calls this before a mutation's transaction, so that the new status stays even
    when the mutation itself is refused and rolled back. The token hash is kept: accepting an
    expired token is then told it expired, and a resend replaces the hash.
    """
    return await Invitation.filter(status=Status.INVITED, expires_at__lte=datetime.now(UTC), **where).update(status=Status.EXPIRED)


async def _load(principal: Principal, invitation_id: int) -> Invitation:
    invitation = await readable_invitations(principal).filter(id=invitation_id, partner_id=principal.partner_id).first()
    if invitation is None:
        raise Refusal(Code.NOT_FOUND, "No such invitation.", ["id"])
    if invitation.status is Status.INVITED and invitation.expires_at <= datetime.now(UTC):
        await settle_expiry(id=invitation.id)
        invitation.status = Status.EXPIRED
    return invitation


def _check_identifier(id_type: IdType, identifier: str) -> str:
    checks = Checks()
    field = "inviteeIdentifier"
    if id_type is IdType.EMAIL:
        value = check_email(checks, identifier, field)
    elif id_type is IdType.MOBILE:
        value = check_mobile(checks, identifier, field)
    else:
        value = checks.text(identifier, field, max_length=ACCOUNT_NAME_LENGTH[1])
        if value and (len(value) < ACCOUNT_NAME_LENGTH[0] or any(c.isspace() for c in value)):
            checks.fail(Code.INVALID, f"An account name has {ACCOUNT_NAME_LENGTH[0]} to {ACCOUNT_NAME_LENGTH[1]} characters and no spaces.", field)
    checks.done()
    return value or ""


async def _check_daily_limit(principal: Principal) -> None:
    # Lock the sender's row so concurrent sends by one admin count one after another
    # (PostgreSQL; SQLite runs one write transaction at a time anyway).
    await Account.filter(id=principal.account_id).select_for_update().first()
    day_start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    sent = await Invitation.filter(invited_by_id=principal.account_id, sent_at__gte=day_start).count()
    if sent >= DAILY_LIMIT:
        raise Refusal(Code.LIMIT_EXCEEDED, f"An administrator may send at most {DAILY_LIMIT} invitations a day (UTC).")


async def _check_not_pending(principal: Principal, id_type: IdType, identifier: str, exclude_id: int | None = None) -> None:
    query = Invitation.filter(partner_id=principal.partner_id, identifier_type=id_type, invitee_identifier=identifier,
                              status__in=[Status.INVITED, Status.BOUND])
    if exclude_id is not None:
        query = query.exclude(id=exclude_id)
    if await query.exists():
        raise Refusal(Code.CONFLICT, "This invitee already has a pending or accepted invitation from your partner.", ["inviteeIdentifier"])


def _fresh_send(principal: Principal, token_hash: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"status": Status.INVITED, "token_hash": token_hash, "sent_at": now, "expires_at": now + INVITATION_TTL,
            "invited_by_id": principal.account_id}


def _send_token(outbox: Outbox, invitation: Invitation, token: str) -> None:
    outbox.send(Secret("invitations", "invitation token", invitation.invitee_identifier, f"Invitation:{invitation.id}", token))


async def invite(principal: Principal, *, identifier_type: IdType, invitee_identifier: str, outbox: Outbox) -> Invitation:
    """A new invitation; its token goes to the invitee through the outbox, only its hash is kept."""
    identifier = _check_identifier(identifier_type, invitee_identifier)
    await settle_expiry(partner_id=principal.partner_id, invitee_identifier=identifier)
    await _check_not_pending(principal, identifier_type, identifier)
    await _check_daily_limit(principal)
    token, token_hash = _new_token()
    invitation = await Invitation.create(partner_id=principal.partner_id, invitee_identifier=identifier,
                                         identifier_type=identifier_type, **_fresh_send(principal, token_hash))
    _send_token(outbox, invitation, token)
    return invitation


async def resend(principal: Principal, *, id: int, outbox: Outbox) -> Invitation:
    """EXPIRED, UNBOUND or REVOKED back to INVITED with a new token; the old one stops working."""
    invitation = await _load(principal, id)
    if invitation.status not in RESENDABLE:
        raise Refusal(Code.INVALID_STATE, f"Only an expired, unbound or revoked invitation can be resent; this one is {invitation.status.value}.", ["id"])
    await _check_not_pending(principal, invitation.identifier_type, invitation.invitee_identifier, exclude_id=invitation.id)
    await _check_daily_limit(principal)
    token, token_hash = _new_token()
    changed = await Invitation.filter(id=invitation.id, status=invitation.status).update(
        accepted_account_id=None, accepted_at=None, consent_given=False, **_fresh_send(principal, token_hash))
    if not changed:
        raise Refusal(Code.INVALID_STATE, "The invitation changed meanwhile; try again.", ["id"])
    resent = await Invitation.get(id=invitation.id)
    _send_token(outbox, resent, token)
    return resent


async def revoke(principal: Principal, *, id: int) -> Invitation:
    invitation = await _load(principal, id)
    changed = invitation.status is Status.INVITED and await Invitation.filter(
        id=invitation.id, status=Status.INVITED, expires_at__gt=datetime.now(UTC)).update(status=Status.REVOKED, token_hash=None)
    if not changed:
        raise Refusal(Code.INVALID_STATE, f"Only a pending invitation can be revoked; this one is {invitation.status.value}.", ["id"])
    return await Invitation.get(id=invitation.id)


async def accept(principal: Principal, *, token: str, consent: bool) -> Invitation:
    """The invited personal account accepts: it becomes a bound member of the inviting partner."""
    if not consent:
        raise Refusal(Code.REQUIRED, CONSENT_MESSAGE, ["consent"])
    if not token or len(token) > MAX_TOKEN:
        raise Refusal(Code.NOT_FOUND, "No such invitation.", ["token"])
    account = await Account.get(id=principal.account_id)
    if account.kind is not AccountKind.PERSONAL or account.partner_id is not None:
        raise Refusal(Code.NOT_ALLOWED, "Only a personal account that is not bound to a partner can accept an invitation.")
    token_hash = hash_token(token)
    # Someone else's token tells nothing about that invitation.
    invitation = await Invitation.filter(addressed_to(principal), token_hash=token_hash).first()
    if invitation is None:
        raise Refusal(Code.NOT_FOUND, "No such invitation.", ["token"])
    now = datetime.now(UTC)
    if invitation.status is Status.EXPIRED or invitation.expires_at <= now:
        await settle_expiry(id=invitation.id)
        raise Refusal(Code.INVALID_STATE, "The invitation has expired; ask the partner to resend it.", ["token"])
    # Single use: only the request that clears this very hash binds.
    if not await Invitation.filter(id=invitation.id, status=Status.INVITED, token_hash=token_hash).update(
            status=Status.BOUND, token_hash=None, accepted_account_id=account.id, accepted_at=now, consent_given=True):
        raise Refusal(Code.INVALID_STATE, "The invitation was already used.", ["token"])
    if not await Account.filter(id=account.id, kind=AccountKind.PERSONAL, partner_id=None).update(
            kind=AccountKind.BOUND_MEMBER, partner_id=invitation.partner_id):
        raise Refusal(Code.NOT_ALLOWED, "Your account was bound to a partner meanwhile.")
    return await Invitation.get(id=invitation.id)


async def unbind(principal: Principal, *, member_id: int) -> tuple[Account, Invitation | None]:
    """A bound member leaves the partner: its account is personal again, its invitation UNBOUND."""
    member = await readable_accounts(principal).filter(id=member_id, partner_id=principal.partner_id).first()
    if member is None:
        raise Refusal(Code.NOT_FOUND, "No such member.", ["memberId"])
    if member.kind is not AccountKind.BOUND_MEMBER:
        raise Refusal(Code.NOT_ALLOWED, "Only bound members can be unbound.", ["memberId"])
    if member.id == principal.account_id:
        raise Refusal(Code.NOT_ALLOWED, "You cannot unbind yourself; ask another administrator.", ["memberId"])
    partner_id = principal.partner_id
    if not await Account.filter(id=member.id, partner_id=partner_id, kind=AccountKind.BOUND_MEMBER).update(
            kind=AccountKind.PERSONAL, partner_id=None, supervisor_id=None):
        raise Refusal(Code.INVALID_STATE, "The member was unbound meanwhile.", ["memberId"])
    await member.roles.clear()
    await Account.filter(partner_id=partner_id, supervisor_id=member.id).update(supervisor_id=None)
    # Keys made while a member carry that partner's scopes; they must not come back with a later binding.
    await ApiKey.filter(account_id=member.id, revoked_at__isnull=True).update(revoked_at=datetime.now(UTC))
    bound = Invitation.filter(partner_id=partner_id, accepted_account_id=member.id, status=Status.BOUND)
    invitation_ids = await bound.values_list("id", flat=True)
    await Invitation.filter(id__in=invitation_ids, status=Status.BOUND).update(status=Status.UNBOUND)
    invitation = await Invitation.filter(id__in=invitation_ids).order_by("-id").first()
    return await Account.get(id=member.id), invitation
