"""Rows the specialist and expert tests own: fresh bound members and their proposals (the demo's stay untouched)."""

from __future__ import annotations

from models.audit import AuditOutcome, AuditRecord
from models.experts import ExpertApplication, ExpertStage, ExpertStageRecord, SpecialistApplication, SpecialistStatus
from models.members import Account, AccountKind
from models.partners import Partner
from tests.factories import create_account, partner_named
from tests.graphql import gid as global_id  # noqa: F401 - re-exported: the tests import it from here

NORTHWIND = "Northwind Distribution"
SUMMIT = "Summit Cloud Services"


async def create_bound_member(partner: Partner | str = NORTHWIND) -> Account:
    if isinstance(partner, str):
        partner = await partner_named(partner)
    return await create_account(partner, kind=AccountKind.BOUND_MEMBER)


async def create_specialist(status: SpecialistStatus = SpecialistStatus.SPECIALIST_PENDING,
                            partner: Partner | str = NORTHWIND, **overrides) -> SpecialistApplication:
    member = overrides.pop("member", None) or await create_bound_member(partner)
    return await SpecialistApplication.create(partner_id=member.partner_id, member=member, status=status, **overrides)


async def create_expert_application(stage: ExpertStage = ExpertStage.RESUME_SUBMITTED,
                                    partner: Partner | str = SUMMIT) -> ExpertApplication:
    specialist = await create_specialist(SpecialistStatus.SPECIALIST, partner)
    application = await ExpertApplication.create(
        partner_id=specialist.partner_id, specialist_id=specialist.member_id, stage=stage, resume_text="Ten years of cloud operations.")
    await ExpertStageRecord.create(application=application, stage=ExpertStage.RESUME_SUBMITTED, result="Submitted")
    return application


async def audit_count(action: str, outcome: AuditOutcome, actor: str | None = None, **filters) -> int:
    if actor is not None:
        filters["actor_id"] = (await Account.get(name=actor)).id
    return await AuditRecord.filter(action=action, outcome=outcome, **filters).count()
