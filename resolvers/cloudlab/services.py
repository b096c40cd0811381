"""Cloud-lab benefit applications (云实验):

    SUBMITTED → APPROVED → BENEFIT_ISSUED, SUBMITTED → REJECTED (staff, with a reason)

A partner admin applies for lab points for bound members (personal accounts bound to the partner,
active); one application per partner is pending (submitted or approved) at a time. Issuing credits
each beneficiary's points in the same transaction as the status change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from tortoise.expressions import F

from models.cloudlab import CloudLabApplication, CloudLabBeneficiary, CloudLabStatus
from models.members import Account, AccountKind, AccountStatus
from models.partners import Partner
from resolvers.cloudlab.queries import readable_cloud_lab_applications
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.principal import Principal
from resolvers.transitions import move
from resolvers.validation import Checks

MAX_MEMBERS = 50
MAX_POINTS = 10_000
PENDING = (CloudLabStatus.SUBMITTED, CloudLabStatus.APPROVED)


async def apply(principal: Principal, *, member_ids: Sequence[int], purpose: str, points_per_member: int) -> CloudLabApplication:
    partner_id = principal.own_partner("its cloud-lab applications")
    checks = Checks()
    why = checks.text(purpose, "purpose", max_length=500)
    if not 1 <= len(member_ids) <= MAX_MEMBERS:
        checks.fail(Code.INVALID, f"Name 1 to {MAX_MEMBERS} members.", "memberIds")
    elif len(set(member_ids)) != len(member_ids):
        checks.fail(Code.INVALID, "Each member at most once.", "memberIds")
    if not 1 <= points_per_member <= MAX_POINTS:
        checks.fail(Code.INVALID, f"Ask for 1 to {MAX_POINTS} points per member.", "pointsPerMember")
    checks.done()
    members = {a.id: a for a in await Account.filter(id__in=list(member_ids), partner_id=partner_id)}
    for index, member_id in enumerate(member_ids):
        member = members.get(member_id)
        if member is None:
            checks.fail(Code.NOT_FOUND, "No such member of your partner.", "memberIds", str(index))
        elif member.kind is not AccountKind.BOUND_MEMBER:
            checks.fail(Code.NOT_ALLOWED, "Cloud-lab benefits go to bound members (their own personal accounts) only.",
                        "memberIds", str(index))
        elif member.status is not AccountStatus.ACTIVE:
            checks.fail(Code.INVALID_STATE, "The member is disabled.", "memberIds", str(index))
    checks.done()
    # The partner's row is where two applications at once meet: one pending application at a time.
    await Partner.filter(id=partner_id).update(verification_code_enabled=F("verification_code_enabled"))
    if await CloudLabApplication.filter(partner_id=partner_id, status__in=PENDING).exists():
        raise Refusal(Code.CONFLICT, "Your partner's previous application is still pending.", ["memberIds"])
    application = await CloudLabApplication.create(partner_id=partner_id, purpose=why, points_per_member=points_per_member,
                                                   applied_by_id=principal.account_id)
    await CloudLabBeneficiary.bulk_create([CloudLabBeneficiary(application_id=application.id, account_id=member_id)
                                           for member_id in member_ids])
    return application


async def approve(principal: Principal, *, id: int) -> CloudLabApplication:
    application = await readable_cloud_lab_applications.one(principal, id, "cloud-lab application")
    return await move(application, CloudLabStatus.SUBMITTED, "approved", noun="cloud-lab application",
                      status=CloudLabStatus.APPROVED, reviewed_by_id=principal.account_id, reviewed_at=datetime.now(UTC))


async def reject(principal: Principal, *, id: int, reason: str) -> CloudLabApplication:
    checks = Checks()
    why = checks.text(reason, "reason", max_length=500)
    checks.done()
    application = await readable_cloud_lab_applications.one(principal, id, "cloud-lab application")
    return await move(application, CloudLabStatus.SUBMITTED, "rejected", noun="cloud-lab application",
                      status=CloudLabStatus.REJECTED, rejection_reason=why, reviewed_by_id=principal.account_id,
                      reviewed_at=datetime.now(UTC))


async def issue(principal: Principal, *, id: int) -> CloudLabApplication:
    """Credit every beneficiary's lab points, once: the status moves with them."""
    application = await readable_cloud_lab_applications.one(principal, id, "cloud-lab application")
    issued = await move(application, CloudLabStatus.APPROVED, "issued", noun="cloud-lab application",
                        status=CloudLabStatus.BENEFIT_ISSUED, issued_at=datetime.now(UTC))
    await CloudLabBeneficiary.filter(application_id=application.id).update(points_credited=application.points_per_member)
    return issued
