"""Expert applications (专家): a specialist's resume through every stage, each recorded; illegal moves refused."""

from __future__ import annotations

import pytest

from models.audit import AuditOutcome
from models.experts import ExpertApplication, ExpertStageRecord
from models.experts import ExpertStage as E
from models.experts import SpecialistStatus as S
from tests.audit_log import audit_count
from tests.callers import Caller, Mutated, mutate
from tests.experts.documents import EXPERT_PAYLOAD, EXPERT_STAGES
from tests.factories import NORTHWIND, SUMMIT, create_expert_application, create_specialist
from tests.graphql import gid

RESUME = "Eight years running container platforms for banks; led three data-centre exits."


async def apply(caller: Caller, member_id: int, **input) -> Mutated:
    return await mutate(caller, "expertApply", {"memberId": gid("Account", member_id), **input}, select=EXPERT_PAYLOAD)


async def review(caller: Caller, action: str, application: ExpertApplication | str, **input) -> Mutated:
    """`action` on `application` (a row, or its global ID as the API showed it)."""
    application_id = application if isinstance(application, str) else gid("ExpertApplication", application.id)
    return await mutate(caller, action, {"id": application_id, **input}, select=EXPERT_PAYLOAD)


async def snapshot(application: ExpertApplication) -> tuple:
    row = await ExpertApplication.get(id=application.id)
    records = await ExpertStageRecord.filter(application_id=application.id).count()
    return row.stage, row.rejection_reason, row.updated_at, records


async def test_a_specialist_is_certified_stage_by_stage(as_service_admin, as_staff_ecosystem):
    admin, staff = as_service_admin, as_staff_ecosystem
    specialist = await create_specialist(S.SPECIALIST, SUMMIT)
    applied = await apply(admin, specialist.member_id, resumeText=RESUME, resumeDocument="obs://summit/resumes/new.pdf")
    assert applied["userErrors"] == []
    application = applied["expertApplication"]
    assert application["stage"] == "RESUME_SUBMITTED" and application["resumeDocument"] == "obs://summit/resumes/new.pdf"
    assert application["stageRecords"]["nodes"] == [
        {"stage": "RESUME_SUBMITTED", "result": "Submitted", "notes": "", "actor": {"name": admin.name}}]
    row = await ExpertApplication.get(specialist_id=specialist.member_id)
    assert row.submitted_by_id == (await admin.account()).id and row.partner_id == specialist.partner_id
    assert await audit_count("expertApply", AuditOutcome.SUCCESS, admin, target=f"ExpertApplication:{row.id}") == 1

    for stage in ("CAPABILITY_EXAM", "MATURITY_ASSESSMENT", "DEFENSE", "CERTIFIED"):
        advanced = await review(staff, "expertStageAdvance", application["id"], result=f"Passed before {stage}", notes=f"On to {stage}.")
        assert advanced["userErrors"] == [] and advanced["expertApplication"]["stage"] == stage
        assert (await ExpertApplication.get(id=row.id)).stage == E(stage)
        assert advanced["expertApplication"]["stageRecords"]["nodes"][-1] == {
            "stage": stage, "result": f"Passed before {stage}", "notes": f"On to {stage}.", "actor": {"name": staff.name}}
    records = await ExpertStageRecord.filter(application_id=row.id).order_by("id")
    assert [r.stage for r in records] == [E.RESUME_SUBMITTED, E.CAPABILITY_EXAM, E.MATURITY_ASSESSMENT, E.DEFENSE, E.CERTIFIED]
    assert all(r.created_at is not None for r in records)
    assert await audit_count("expertStageAdvance", AuditOutcome.SUCCESS, staff, target=f"ExpertApplication:{row.id}") == 4

    # The partner reads the same history.
    read = (await admin.query(EXPERT_STAGES, {"id": application["id"]})).ok()["node"]
    assert read == {"stage": "CERTIFIED", "stageRecords": {"totalCount": 5}}


async def test_rejection_at_any_open_stage_is_recorded_with_its_reason(as_staff_ecosystem):
    for stage in (E.RESUME_SUBMITTED, E.CAPABILITY_EXAM, E.MATURITY_ASSESSMENT, E.DEFENSE):
        application = await create_expert_application(stage)
        rejected = await review(as_staff_ecosystem, "expertReject", application, reason="Exam score below the pass mark.")
        assert rejected["userErrors"] == []
        assert rejected["expertApplication"]["stage"] == "REJECTED"
        assert rejected["expertApplication"]["rejectionReason"] == "Exam score below the pass mark."
        row = await ExpertApplication.get(id=application.id)
        assert (row.stage, row.rejection_reason) == (E.REJECTED, "Exam score below the pass mark.")
        last = await ExpertStageRecord.filter(application_id=application.id).order_by("-id").first()
        assert (last.stage, last.result, last.notes, last.actor_id) == (
            E.REJECTED, "Rejected", "Exam score below the pass mark.", (await as_staff_ecosystem.account()).id)
        assert await audit_count("expertReject", AuditOutcome.SUCCESS, as_staff_ecosystem, target=f"ExpertApplication:{row.id}") == 1


@pytest.mark.parametrize("stage", [E.CERTIFIED, E.REJECTED])
@pytest.mark.parametrize(("action", "extra"), [("expertStageAdvance", {"result": "Passed"}), ("expertReject", {"reason": "Too late."})])
async def test_final_stages_do_not_move(as_staff_ecosystem, stage, action, extra):
    application = await create_expert_application(stage)
    before, audited = await snapshot(application), await audit_count(action, AuditOutcome.USER_ERROR, as_staff_ecosystem)
    refused = await review(as_staff_ecosystem, action, application, **extra)
    assert refused["expertApplication"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID_STATE", ["id"])]
    assert await snapshot(application) == before
    assert await audit_count(action, AuditOutcome.USER_ERROR, as_staff_ecosystem) == audited + 1


async def test_only_approved_specialists_apply_once_at_a_time(as_service_admin):
    for status in (S.SPECIALIST_PENDING, S.SPECIALIST_REJECTED, S.CANCEL_PENDING, S.CANCELLED):
        proposal = await create_specialist(status, SUMMIT)
        refused = await apply(as_service_admin, proposal.member_id, resumeText=RESUME)
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_ALLOWED", ["memberId"])], status
        assert not await ExpertApplication.filter(specialist_id=proposal.member_id).exists()

    in_progress = await create_expert_application(E.DEFENSE)
    certified = await create_expert_application(E.CERTIFIED)
    for application in (in_progress, certified):
        refused = await apply(as_service_admin, application.specialist_id, resumeText=RESUME)
        assert [e["code"] for e in refused["userErrors"]] == ["CONFLICT"]
        assert await ExpertApplication.filter(specialist_id=application.specialist_id).count() == 1

    # After a rejection the specialist may try again.
    rejected = await create_expert_application(E.REJECTED)
    again = await apply(as_service_admin, rejected.specialist_id, resumeText=RESUME)
    assert again["userErrors"] == [] and again["expertApplication"]["stage"] == "RESUME_SUBMITTED"


async def test_another_partners_specialist_or_application_is_not_found(as_service_admin, as_staff_ecosystem):
    northwind = await create_specialist(S.SPECIALIST, NORTHWIND)
    refused = await apply(as_service_admin, northwind.member_id, resumeText=RESUME)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_FOUND", ["memberId"])]
    assert not await ExpertApplication.filter(specialist_id=northwind.member_id).exists()
    wrong_type = await review(as_staff_ecosystem, "expertStageAdvance", gid("SpecialistApplication", northwind.id))
    assert [e["code"] for e in wrong_type["userErrors"]] == ["NOT_FOUND"]


@pytest.mark.parametrize(("input", "field", "code"), [
    ({"resumeText": "  "}, "resumeText", "REQUIRED"),
    ({"resumeText": "x" * 10_001}, "resumeText", "TOO_LONG"),
    ({"resumeText": RESUME, "resumeDocument": "x" * 501}, "resumeDocument", "TOO_LONG"),
])
async def test_resume_limits(as_service_admin, input, field, code):
    specialist = await create_specialist(S.SPECIALIST, SUMMIT)
    refused = await apply(as_service_admin, specialist.member_id, **input)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [(code, [field])]
    assert not await ExpertApplication.filter(specialist_id=specialist.member_id).exists()


async def test_a_resume_of_exactly_the_limit_is_accepted(as_service_admin):
    specialist = await create_specialist(S.SPECIALIST, SUMMIT)
    accepted = await apply(as_service_admin, specialist.member_id, resumeText="x" * 10_000, resumeDocument="d" * 500)
    assert accepted["userErrors"] == []


@pytest.mark.parametrize(("action", "input", "field", "code"), [
    ("expertStageAdvance", {"result": "x" * 201}, "result", "TOO_LONG"),
    ("expertStageAdvance", {"notes": "x" * 2001}, "notes", "TOO_LONG"),
    ("expertReject", {"reason": ""}, "reason", "REQUIRED"),
    ("expertReject", {"reason": "x" * 501}, "reason", "TOO_LONG"),
])
async def test_stage_input_limits(as_staff_ecosystem, action, input, field, code):
    application = await create_expert_application(E.CAPABILITY_EXAM)
    before = await snapshot(application)
    refused = await review(as_staff_ecosystem, action, application, **input)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [(code, [field])]
    assert await snapshot(application) == before


DENIED = [
    ("distributor.finance", "expertApply", "expert.apply"),
    ("staff.ecosystem", "expertApply", "expert.apply"),
    ("service.admin", "expertStageAdvance", "expert.review"),
    ("staff.pdm", "expertReject", "expert.review"),
]


@pytest.mark.parametrize(("caller", "action", "permission"), DENIED, ids=[f"{d[0]}-{d[1]}" for d in DENIED])
async def test_callers_without_the_permission_are_forbidden(gql, caller, action, permission):
    audited = await audit_count(action, AuditOutcome.DENIED, caller)
    if action == "expertApply":
        specialist = await create_specialist(S.SPECIALIST, NORTHWIND)
        denied = await apply(Caller(gql, caller), specialist.member_id, resumeText=RESUME)
        assert not await ExpertApplication.filter(specialist_id=specialist.member_id).exists()
    else:
        application = await create_expert_application(E.CAPABILITY_EXAM)
        before = await snapshot(application)
        denied = await review(Caller(gql, caller), action, application, **({"reason": "No."} if action == "expertReject" else {}))
        assert await snapshot(application) == before
    assert denied.response.data is None
    assert denied.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": permission}
    assert await audit_count(action, AuditOutcome.DENIED, caller) == audited + 1
