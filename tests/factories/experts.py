"""Specialist proposals and expert applications a test owns, on fresh bound members (the demo's stay untouched)."""

from __future__ import annotations

from models.experts import ExpertApplication, ExpertStage, ExpertStageRecord, SpecialistApplication, SpecialistStatus
from models.partners import Partner
from tests.factories.members import create_bound_member
from tests.factories.partners import NORTHWIND, SUMMIT


async def create_specialist(status: SpecialistStatus = SpecialistStatus.SPECIALIST_PENDING,
                            partner: Partner | str = NORTHWIND, **overrides) -> SpecialistApplication:
    """A proposal in `status` for a fresh bound member of `partner` (or `member=`)."""
    member = overrides.pop("member", None) or await create_bound_member(partner)
    return await SpecialistApplication.create(partner_id=member.partner_id, member=member, status=status, **overrides)


async def create_expert_application(stage: ExpertStage = ExpertStage.RESUME_SUBMITTED,
                                    partner: Partner | str = SUMMIT) -> ExpertApplication:
    """An application at `stage` by a fresh approved specialist, with its RESUME_SUBMITTED record."""
    specialist = await create_specialist(SpecialistStatus.SPECIALIST, partner)
    application = await ExpertApplication.create(
        partner_id=specialist.partner_id, specialist_id=specialist.member_id, stage=stage, resume_text="Ten years of cloud operations.")
    await ExpertStageRecord.create(application=application, stage=ExpertStage.RESUME_SUBMITTED, result="Submitted")
    return application
