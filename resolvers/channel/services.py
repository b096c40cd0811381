"""The reseller channel (docs/domain.md §2): a distributor invites a partner to become its reseller,
the invitee's admin accepts or declines, the distributor withdraws an unanswered invitation or ends
an association.

    PENDING → ACCEPTED | DECLINED (the invitee's admin) | WITHDRAWN (the distributor)
    ACCEPTED → ENDED (the distributor ends the association)

Who may become a reseller (`queries.check_invitee`) is checked when the invitation is sent and again
when it is accepted, in the accepting transaction: the invitee may have changed in between. The
association itself is the invitee's `parent_distributor`, set by one conditional UPDATE that only an
unmanaged partner matches, so of two distributors' invitations accepted at once exactly one wins.
"""

from __future__ import annotations

from datetime import UTC, datetime

from models.channel import ResellerInvitation
from models.channel import ResellerInvitationStatus as Status
from models.coupons import CouponQuota
from models.partners import Partner
from models.partners import PartnerIdentity as I
from models.safeguards import VerificationPurpose
from resolvers.channel.queries import NOT_INVITABLE, check_invitee, readable_reseller_invitations, reseller_identities
from resolvers.coupons.quota_services import RECLAIMABLE, take_back
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.partners.queries import readable_partners
from resolvers.principal import Principal
from resolvers.safeguards import require_code
from resolvers.transitions import expect, move
from resolvers.validation import Checks

MAX_TEXT = 500
INVITATION = "invitationId"


def _own_distributor(principal: Principal, acts_on: str) -> int:
    """The caller's partner, which must be a distributor: only a distributor has resellers."""
    partner_id = principal.own_partner(acts_on)
    if I.DISTRIBUTOR not in principal.identities:
        raise Refusal(Code.NOT_ALLOWED, "Only a distributor invites, manages and releases resellers.")
    return partner_id


async def invite(principal: Principal, *, invitee_id: int, message: str | None = None) -> ResellerInvitation:
    """Invite a partner to become the caller's reseller; its admin answers.

    The invitee is usually a partner the distributor cannot read (it is no reseller of it yet), so
    it is looked up directly; a missing one and one it may not invite are the same NOT_FOUND, so
    inviting tells nothing about other partners.
    """
    distributor_id = _own_distributor(principal, "its reseller invitations")
    checks = Checks()
    text = checks.text(message, "message", max_length=MAX_TEXT, required=False)
    checks.done()
    # The invitee's row, locked (PostgreSQL; SQLite writes one transaction at a time): invitations
    # to it and its acceptance take turns, so no second PENDING invitation slips in beside one.
    invitee = await Partner.select_for_update(no_key=True).filter(id=invitee_id).first()
    if invitee is None:
        raise Refusal(Code.NOT_FOUND, NOT_INVITABLE, ["inviteeId"])
    if invitee.id == distributor_id:
        raise Refusal(Code.NOT_ALLOWED, "A distributor cannot invite itself.", ["inviteeId"])
    distributor = await Partner.get(id=distributor_id)
    await check_invitee(distributor, invitee, datetime.now(UTC), field="inviteeId")
    if await ResellerInvitation.filter(distributor_id=distributor_id, invitee_id=invitee.id, status=Status.PENDING).exists():
        raise Refusal(Code.CONFLICT, f"Your invitation to {invitee.name} is still pending.", ["inviteeId"])
    return await ResellerInvitation.create(distributor_id=distributor_id, invitee_id=invitee.id, message=text or "",
                                           invited_by_id=principal.account_id)


async def withdraw(principal: Principal, *, invitation_id: int) -> ResellerInvitation:
    """The distributor takes back an invitation not yet answered."""
    distributor_id = _own_distributor(principal, "its reseller invitations")
    invitation = await readable_reseller_invitations.one(principal, invitation_id, "reseller invitation of yours",
                                                         field=INVITATION, distributor_id=distributor_id)
    return await move(invitation, Status.PENDING, "withdrawn", field=INVITATION, status=Status.WITHDRAWN)


async def _received(principal: Principal, invitation_id: int) -> ResellerInvitation:
    partner_id = principal.own_partner("its reseller invitations")
    return await readable_reseller_invitations.one(principal, invitation_id, "reseller invitation to your partner",
                                                   field=INVITATION, invitee_id=partner_id)


async def accept(principal: Principal, *, invitation_id: int) -> tuple[ResellerInvitation, Partner]:
    """The invitee's admin accepts: its partner becomes the distributor's reseller (a solution
    provider gives up SOLUTION_PROVIDER for RESELLER). Other invitations to it stay PENDING, and
    can no longer be accepted."""
    invitation = await _received(principal, invitation_id)
    expect(invitation, Status.PENDING, "accepted", field=INVITATION)
    distributor = await Partner.get(id=invitation.distributor_id)
    if I.DISTRIBUTOR.value not in distributor.identities:
        raise Refusal(Code.NOT_ALLOWED, f"{distributor.name} is no longer a distributor.", [INVITATION])
    invitee = await Partner.get(id=invitation.invitee_id)
    now = datetime.now(UTC)
    await check_invitee(distributor, invitee, now, field=INVITATION, accepting=True)
    invitation = await move(invitation, Status.PENDING, "accepted", field=INVITATION, status=Status.ACCEPTED,
                            responded_by_id=principal.account_id, responded_at=now)
    # Only an unmanaged partner matches. Of two invitations accepted at once, the later UPDATE
    # waits for the earlier (PostgreSQL's row lock; SQLite's single writer), then matches nothing.
    joined = await Partner.filter(id=invitee.id, parent_distributor_id__isnull=True).update(
        parent_distributor_id=distributor.id, identities=reseller_identities(invitee.identities))
    if not joined:
        raise Refusal(Code.CONFLICT, "Your partner became another distributor's reseller meanwhile; nothing was changed.",
                      [INVITATION])
    return invitation, await Partner.get(id=invitee.id)


async def decline(principal: Principal, *, invitation_id: int, reason: str | None = None) -> ResellerInvitation:
    """The invitee's admin declines, optionally saying why (the distributor reads it as `endReason`)."""
    checks = Checks()
    text = checks.text(reason, "reason", max_length=MAX_TEXT, required=False)
    checks.done()
    invitation = await _received(principal, invitation_id)
    return await move(invitation, Status.PENDING, "declined", field=INVITATION, status=Status.DECLINED,
                      responded_by_id=principal.account_id, responded_at=datetime.now(UTC), end_reason=text or "")


async def end_association(principal: Principal, *, reseller_id: int, reason: str,
                          verification_code: str | None = None) -> tuple[Partner, ResellerInvitation | None, list[CouponQuota]]:
    """The distributor releases a reseller it manages: every reseller quota it allocated comes back
    as a reclaim takes it back (funds stay where they are), the reseller is managed by no one, and
    the invitation it accepted is ENDED. Takes the verification code when the distributor has them
    on. The reseller keeps RESELLER: it may be invited again, by this or another distributor.
    """
    distributor_id = _own_distributor(principal, "its resellers")
    checks = Checks()
    text = checks.text(reason, "reason", max_length=MAX_TEXT)
    checks.done()
    reseller = await readable_partners.one(principal, reseller_id, "reseller you manage", field="resellerId",
                                           parent_distributor_id=distributor_id)
    await require_code(principal, VerificationPurpose.RESELLER_RELEASE, verification_code)
    # One conditional UPDATE, holding the reseller's row until commit: of two calls at once, one ends it.
    if not await Partner.filter(id=reseller.id, parent_distributor_id=distributor_id).update(parent_distributor_id=None):
        raise Refusal(Code.INVALID_STATE, f"{reseller.name} is no longer your reseller; nothing was changed.", ["resellerId"])
    reclaimed = []
    allocated = CouponQuota.filter(partner_id=reseller.id, parent_quota__partner_id=distributor_id, status__in=RECLAIMABLE)
    for quota in await allocated.order_by("id"):
        taken = await take_back(quota, distributor_id=distributor_id, operator_id=principal.account_id,
                                detail="Unissued balance of {remaining} reclaimed when the reseller association ended.")
        if taken is not None:
            reclaimed.append(quota.id)
    invitation = await ResellerInvitation.filter(distributor_id=distributor_id, invitee_id=reseller.id,
                                                 status=Status.ACCEPTED).order_by("-id").first()
    if invitation is not None:  # resellers associated before invitations existed have none
        invitation = await move(invitation, Status.ACCEPTED, "ended", field="resellerId", status=Status.ENDED,
                                ended_at=datetime.now(UTC), end_reason=text)
    quotas = await CouponQuota.filter(id__in=reclaimed).order_by("id") if reclaimed else []
    return await Partner.get(id=reseller.id), invitation, list(quotas)
