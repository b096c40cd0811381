"""Project specialists and expert applications: validate, then change state (inside the caller's transaction).

Every status change is one UPDATE conditioned on the status the caller saw, so two concurrent
reviews of the same row cannot both apply; the loser is refused with INVALID_STATE.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.experts import ExpertApplication, ExpertStage, ExpertStageRecord, SpecialistApplication, SpecialistStatus
from models.members import Account, AccountKind
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.experts.queries import readable_expert_applications, readable_specialists
from resolvers.members.queries import readable_accounts
from resolvers.principal import Principal
from resolvers.transitions import expect, move
from resolvers.validation import Checks

S = SpecialistStatus
PROPOSAL = "specialist proposal"
# A member holds at most one of these at a time.
OPEN_SPECIALIST = (S.SPECIALIST_PENDING, S.SPECIALIST, S.CANCEL_PENDING)
EXPERT_PATH = (
    ExpertStage.RESUME_SUBMITTED, ExpertStage.CAPABILITY_EXAM, ExpertStage.MATURITY_ASSESSMENT,
    ExpertStage.DEFENSE, ExpertStage.CERTIFIED,
)
FINAL_STAGES = (ExpertStage.CERTIFIED, ExpertStage.REJECTED)
REASON_MAX = 500
RESUME_MAX = 10_000
DOCUMENT_MAX = 500
RESULT_MAX = 200
NOTES_MAX = 2000


def _reason(value: str | None) -> str:
    checks = Checks()
    reason = checks.text(value, "reason", max_length=REASON_MAX)
    checks.done()
    return reason


async def _lock_member(member_id: int) -> None:
    # Serialises proposals and applications for one member: a PostgreSQL row lock that still lets other
    # transactions insert rows referencing the account (NO KEY); SQLite runs write transactions one at a time.
    await Account.select_for_update(no_key=True).filter(id=member_id).first()


async def _partner_member(principal: Principal, member_id: int, field: str) -> Account:
    member = await readable_accounts(principal).filter(id=member_id, partner_id=principal.own_partner("its specialists and expert applications")).first()
    if member is None:
        raise Refusal(Code.NOT_FOUND, "No such member.", [field])
    return member


def _require_bound(member: Account, partner_id: int, field: str) -> None:
    if member.kind is not AccountKind.BOUND_MEMBER or member.partner_id != partner_id:
        raise Refusal(Code.NOT_ALLOWED, "Only bound members (伙伴成员) of the partner can be project specialists.", [field])


async def _refuse_second_open(member_id: int, field: str, exclude_id: int | None = None) -> None:
    rows = SpecialistApplication.filter(member_id=member_id, status__in=OPEN_SPECIALIST)
    if exclude_id is not None:
        rows = rows.exclude(id=exclude_id)
    if await rows.exists():
        raise Refusal(Code.CONFLICT, "The member already has an open specialist proposal.", [field])


async def _specialist(principal: Principal, pk: int, *, partner_side: bool) -> SpecialistApplication:
    mine: dict[str, Any] = {"partner_id": principal.own_partner("its specialists and expert applications")} if partner_side else {}
    return await readable_specialists.one(principal, pk, PROPOSAL, **mine)


def _expect(application: SpecialistApplication, expected: SpecialistStatus, verb: str) -> None:
    expect(application, expected, verb, noun=PROPOSAL)


async def _move(application: SpecialistApplication, expected: SpecialistStatus, new: SpecialistStatus,
                verb: str, **changes: str) -> SpecialistApplication:
    return await move(application, expected, verb, noun=PROPOSAL, status=new, updated_at=datetime.now(UTC), **changes)


async def apply_specialist(principal: Principal, *, member_id: int) -> SpecialistApplication:
    member = await _partner_member(principal, member_id, "memberId")
    _require_bound(member, principal.own_partner("its specialists and expert applications"), "memberId")
    await _lock_member(member.id)
    await _refuse_second_open(member.id, "memberId")
    return await SpecialistApplication.create(partner_id=member.partner_id, member_id=member.id)


async def resubmit_specialist(principal: Principal, *, id: int) -> SpecialistApplication:
    application = await _specialist(principal, id, partner_side=True)
    _expect(application, S.SPECIALIST_REJECTED, "resubmitted")
    member = await Account.get(id=application.member_id)
    _require_bound(member, application.partner_id, "id")
    await _lock_member(member.id)
    await _refuse_second_open(member.id, "id", exclude_id=application.id)
    return await _move(application, S.SPECIALIST_REJECTED, S.SPECIALIST_PENDING, "resubmitted", rejection_reason="")


async def approve_specialist(principal: Principal, *, id: int) -> SpecialistApplication:
    application = await _specialist(principal, id, partner_side=False)
    _expect(application, S.SPECIALIST_PENDING, "approved")
    member = await Account.get(id=application.member_id)
    # The member may have been unbound while the proposal waited.
    _require_bound(member, application.partner_id, "id")
    return await _move(application, S.SPECIALIST_PENDING, S.SPECIALIST, "approved")


async def reject_specialist(principal: Principal, *, id: int, reason: str | None) -> SpecialistApplication:
    reason = _reason(reason)
    application = await _specialist(principal, id, partner_side=False)
    return await _move(application, S.SPECIALIST_PENDING, S.SPECIALIST_REJECTED, "rejected", rejection_reason=reason)


async def request_specialist_cancel(principal: Principal, *, id: int, reason: str | None) -> SpecialistApplication:
    reason = _reason(reason)
    application = await _specialist(principal, id, partner_side=True)
    return await _move(application, S.SPECIALIST, S.CANCEL_PENDING, "cancelled", cancel_reason=reason)


async def withdraw_specialist_cancel(principal: Principal, *, id: int) -> SpecialistApplication:
    application = await _specialist(principal, id, partner_side=True)
    return await _move(application, S.CANCEL_PENDING, S.SPECIALIST, "withdrawn from cancellation", cancel_reason="")


async def approve_specialist_cancel(principal: Principal, *, id: int) -> SpecialistApplication:
    application = await _specialist(principal, id, partner_side=False)
    return await _move(application, S.CANCEL_PENDING, S.CANCELLED, "cancelled")


async def reject_specialist_cancel(principal: Principal, *, id: int) -> SpecialistApplication:
    application = await _specialist(principal, id, partner_side=False)
    return await _move(application, S.CANCEL_PENDING, S.SPECIALIST, "kept", cancel_reason="")


async def apply_expert(principal: Principal, *, member_id: int, resume_text: str | None,
                       resume_document: str | None) -> ExpertApplication:
    checks = Checks()
    resume_text = checks.text(resume_text, "resumeText", max_length=RESUME_MAX)
    resume_document = checks.text(resume_document, "resumeDocument", max_length=DOCUMENT_MAX, required=False) or ""
    checks.done()
    member = await _partner_member(principal, member_id, "memberId")
    await _lock_member(member.id)
    is_specialist = await SpecialistApplication.filter(
        member_id=member.id, partner_id=member.partner_id, status=S.SPECIALIST).exists()
    if not is_specialist:
        raise Refusal(Code.NOT_ALLOWED, "Only approved project specialists can apply to become experts.", ["memberId"])
    if await ExpertApplication.filter(specialist_id=member.id).exclude(stage=ExpertStage.REJECTED).exists():
        raise Refusal(Code.CONFLICT, "The specialist already has an expert application in progress or is certified.", ["memberId"])
    application = await ExpertApplication.create(
        partner_id=member.partner_id, specialist_id=member.id, submitted_by_id=principal.account_id,
        stage=ExpertStage.RESUME_SUBMITTED, resume_text=resume_text, resume_document=resume_document,
    )
    await ExpertStageRecord.create(
        application_id=application.id, stage=ExpertStage.RESUME_SUBMITTED, actor_id=principal.account_id, result="Submitted")
    return application


async def _expert_application(principal: Principal, pk: int) -> ExpertApplication:
    application = await readable_expert_applications(principal).filter(id=pk).first()
    if application is None:
        raise Refusal(Code.NOT_FOUND, "No such expert application.", ["id"])
    if application.stage in FINAL_STAGES:
        raise Refusal(Code.INVALID_STATE, f"The application is already {application.stage.value}.", ["id"])
    return application


async def _record_stage(principal: Principal, application: ExpertApplication, stage: ExpertStage,
                        result: str, notes: str, **changes: str) -> ExpertApplication:
    changed = await ExpertApplication.filter(id=application.id, stage=application.stage).update(
        stage=stage, updated_at=datetime.now(UTC), **changes)
    if not changed:
        raise Refusal(Code.INVALID_STATE, "The application's stage changed meanwhile.", ["id"])
    await ExpertStageRecord.create(
        application_id=application.id, stage=stage, actor_id=principal.account_id, result=result, notes=notes)
    return await ExpertApplication.get(id=application.id)


async def advance_expert(principal: Principal, *, id: int, result: str | None, notes: str | None) -> ExpertApplication:
    checks = Checks()
    result = checks.text(result, "result", max_length=RESULT_MAX, required=False) or ""
    notes = checks.text(notes, "notes", max_length=NOTES_MAX, required=False) or ""
    checks.done()
    application = await _expert_application(principal, id)
    following = EXPERT_PATH[EXPERT_PATH.index(application.stage) + 1]
    return await _record_stage(principal, application, following, result, notes)


async def reject_expert(principal: Principal, *, id: int, reason: str | None) -> ExpertApplication:
    reason = _reason(reason)
    application = await _expert_application(principal, id)
    return await _record_stage(principal, application, ExpertStage.REJECTED, "Rejected", reason, rejection_reason=reason)
