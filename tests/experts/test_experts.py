"""Expert applications (专家): a specialist's resume through every stage, each recorded; illegal moves refused."""

from __future__ import annotations

import pytest

from models.audit import AuditOutcome
from models.experts import ExpertApplication, ExpertStageRecord
from models.experts import ExpertStage as E
from models.experts import SpecialistStatus as S
from models.members import Account
from tests.experts.factories import (
    NORTHWIND,
    SUMMIT,
    audit_count,
    create_expert_application,
    create_specialist,
    global_id,
)

FIELDS = """expertApplication { id stage resumeText resumeDocument rejectionReason specialist { name }
    stageRecords(first: 20) { nodes { stage result notes actor { name } } } } userErrors { field message code }"""


def _doc(name: str, input_type: str) -> str:
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {FIELDS} }} }}"


APPLY = _doc("expertApply", "ExpertApplyInput")
ADVANCE = _doc("expertStageAdvance", "ExpertStageAdvanceInput")
REJECT = _doc("expertReject", "ExpertRejectInput")
ADMIN, STAFF = "service.admin", "staff.ecosystem"
RESUME = "Eight years running container platforms for banks; led three data-centre exits."


async def run(gql, caller: str, document: str, **input) -> dict:
    data = (await gql.as_(caller, document, {"input": input})).ok()
    return next(iter(data.values()))


def eid(application: ExpertApplication) -> str:
    return global_id("ExpertApplication", application.id)


async def snapshot(application: ExpertApplication) -> tuple:
    row = await ExpertApplication.get(id=application.id)
    records = await ExpertStageRecord.filter(application_id=application.id).count()
    return row.stage, row.rejection_reason, row.updated_at, records


async def test_a_specialist_is_certified_stage_by_stage(gql):
    specialist = await create_specialist(S.SPECIALIST, SUMMIT)
    applied = await run(gql, ADMIN, APPLY, memberId=global_id("Account", specialist.member_id),
                        resumeText=RESUME, resumeDocument="obs://summit/resumes/new.pdf")
    assert applied["userErrors"] == []
    application = applied["expertApplication"]
    assert application["stage"] == "RESUME_SUBMITTED" and application["resumeDocument"] == "obs://summit/resumes/new.pdf"
    assert application["stageRecords"]["nodes"] == [
        {"stage": "RESUME_SUBMITTED", "result": "Submitted", "notes": "", "actor": {"name": ADMIN}}]
    row = await ExpertApplication.get(specialist_id=specialist.member_id)
    assert row.submitted_by_id == (await Account.get(name=ADMIN)).id and row.partner_id == specialist.partner_id
    assert await audit_count("expertApply", AuditOutcome.SUCCESS, ADMIN, target=f"ExpertApplication:{row.id}") == 1

    for stage in ("CAPABILITY_EXAM", "MATURITY_ASSESSMENT", "DEFENSE", "CERTIFIED"):
        advanced = await run(gql, STAFF, ADVANCE, id=application["id"], result=f"Passed before {stage}", notes=f"On to {stage}.")
        assert advanced["userErrors"] == [] and advanced["expertApplication"]["stage"] == stage
        assert (await ExpertApplication.get(id=row.id)).stage == E(stage)
        assert advanced["expertApplication"]["stageRecords"]["nodes"][-1] == {
            "stage": stage, "result": f"Passed before {stage}", "notes": f"On to {stage}.", "actor": {"name": STAFF}}
    records = await ExpertStageRecord.filter(application_id=row.id).order_by("id")
    assert [r.stage for r in records] == [E.RESUME_SUBMITTED, E.CAPABILITY_EXAM, E.MATURITY_ASSESSMENT, E.DEFENSE, E.CERTIFIED]
    assert all(r.created_at is not None for r in records)
    assert await audit_count("expertStageAdvance", AuditOutcome.SUCCESS, STAFF, target=f"ExpertApplication:{row.id}") == 4

    # The partner reads the same history.
    read = (await gql.as_(ADMIN, "query($id: ID!) { node(id: $id) { ... on ExpertApplication { stage stageRecords { totalCount } } } }",
                          {"id": application["id"]})).ok()["node"]
    assert read == {"stage": "CERTIFIED", "stageRecords": {"totalCount": 5}}


async def test_rejection_at_any_open_stage_is_recorded_with_its_reason(gql):
    for stage in (E.RESUME_SUBMITTED, E.CAPABILITY_EXAM, E.MATURITY_ASSESSMENT, E.DEFENSE):
        application = await create_expert_application(stage)
        rejected = await run(gql, STAFF, REJECT, id=eid(application), reason="Exam score below the pass mark.")
        assert rejected["userErrors"] == []
        assert rejected["expertApplication"]["stage"] == "REJECTED"
        assert rejected["expertApplication"]["rejectionReason"] == "Exam score below the pass mark."
        row = await ExpertApplication.get(id=application.id)
        assert (row.stage, row.rejection_reason) == (E.REJECTED, "Exam score below the pass mark.")
        last = await ExpertStageRecord.filter(application_id=application.id).order_by("-id").first()
        assert (last.stage, last.result, last.notes, last.actor_id) == (
            E.REJECTED, "Rejected", "Exam score below the pass mark.", (await Account.get(name=STAFF)).id)
        assert await audit_count("expertReject", AuditOutcome.SUCCESS, STAFF, target=f"ExpertApplication:{row.id}") == 1


@pytest.mark.parametrize("stage", [E.CERTIFIED, E.REJECTED])
@pytest.mark.parametrize(("document", "action", "extra"), [
    (ADVANCE, "expertStageAdvance", {"result": "Passed"}), (REJECT, "expertReject", {"reason": "Too late."})])
async def test_final_stages_do_not_move(gql, stage, document, action, extra):
    application = await create_expert_application(stage)
    before, audited = await snapshot(application), await audit_count(action, AuditOutcome.USER_ERROR, STAFF)
    refused = await run(gql, STAFF, document, id=eid(application), **extra)
    assert refused["expertApplication"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID_STATE", ["id"])]
    assert await snapshot(application) == before
    assert await audit_count(action, AuditOutcome.USER_ERROR, STAFF) == audited + 1


async def test_only_approved_specialists_apply_once_at_a_time(gql):
    for status in (S.SPECIALIST_PENDING, S.SPECIALIST_REJECTED, S.CANCEL_PENDING, S.CANCELLED):
        proposal = await create_specialist(status, SUMMIT)
        refused = await run(gql, ADMIN, APPLY, memberId=global_id("Account", proposal.member_id), resumeText=RESUME)
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_ALLOWED", ["memberId"])], status
        assert not await ExpertApplication.filter(specialist_id=proposal.member_id).exists()

    in_progress = await create_expert_application(E.DEFENSE)
    certified = await create_expert_application(E.CERTIFIED)
    for application in (in_progress, certified):
        refused = await run(gql, ADMIN, APPLY, memberId=global_id("Account", application.specialist_id), resumeText=RESUME)
        assert [e["code"] for e in refused["userErrors"]] == ["CONFLICT"]
        assert await ExpertApplication.filter(specialist_id=application.specialist_id).count() == 1

    # After a rejection the specialist may try again.
    rejected = await create_expert_application(E.REJECTED)
    again = await run(gql, ADMIN, APPLY, memberId=global_id("Account", rejected.specialist_id), resumeText=RESUME)
    assert again["userErrors"] == [] and again["expertApplication"]["stage"] == "RESUME_SUBMITTED"


async def test_another_partners_specialist_or_application_is_not_found(gql):
    northwind = await create_specialist(S.SPECIALIST, NORTHWIND)
    refused = await run(gql, ADMIN, APPLY, memberId=global_id("Account", northwind.member_id), resumeText=RESUME)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_FOUND", ["memberId"])]
    assert not await ExpertApplication.filter(specialist_id=northwind.member_id).exists()
    wrong_type = await run(gql, STAFF, ADVANCE, id=global_id("SpecialistApplication", northwind.id))
    assert [e["code"] for e in wrong_type["userErrors"]] == ["NOT_FOUND"]


@pytest.mark.parametrize(("input", "field", "code"), [
    ({"resumeText": "  "}, "resumeText", "REQUIRED"),
    ({"resumeText": "x" * 10_001}, "resumeText", "TOO_LONG"),
    ({"resumeText": RESUME, "resumeDocument": "x" * 501}, "resumeDocument", "TOO_LONG"),
])
async def test_resume_limits(gql, input, field, code):
    specialist = await create_specialist(S.SPECIALIST, SUMMIT)
    refused = await run(gql, ADMIN, APPLY, memberId=global_id("Account", specialist.member_id), **input)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [(code, [field])]
    assert not await ExpertApplication.filter(specialist_id=specialist.member_id).exists()


async def test_a_resume_of_exactly_the_limit_is_accepted(gql):
    specialist = await create_specialist(S.SPECIALIST, SUMMIT)
    accepted = await run(gql, ADMIN, APPLY, memberId=global_id("Account", specialist.member_id),
                         resumeText="x" * 10_000, resumeDocument="d" * 500)
    assert accepted["userErrors"] == []


@pytest.mark.parametrize(("document", "input", "field", "code"), [
    (ADVANCE, {"result": "x" * 201}, "result", "TOO_LONG"),
    (ADVANCE, {"notes": "x" * 2001}, "notes", "TOO_LONG"),
    (REJECT, {"reason": ""}, "reason", "REQUIRED"),
    (REJECT, {"reason": "x" * 501}, "reason", "TOO_LONG"),
])
async def test_stage_input_limits(gql, document, input, field, code):
    application = await create_expert_application(E.CAPABILITY_EXAM)
    before = await snapshot(application)
    refused = await run(gql, STAFF, document, id=eid(application), **input)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [(code, [field])]
    assert await snapshot(application) == before


DENIED = [
    ("distributor.finance", APPLY, "expertApply", "expert.apply"),
    ("staff.ecosystem", APPLY, "expertApply", "expert.apply"),
    ("service.admin", ADVANCE, "expertStageAdvance", "expert.review"),
    ("staff.pdm", REJECT, "expertReject", "expert.review"),
]


@pytest.mark.parametrize(("caller", "document", "action", "permission"), DENIED, ids=[f"{d[0]}-{d[2]}" for d in DENIED])
async def test_callers_without_the_permission_are_forbidden(gql, caller, document, action, permission):
    audited = await audit_count(action, AuditOutcome.DENIED, caller)
    if document == APPLY:
        specialist = await create_specialist(S.SPECIALIST, NORTHWIND)
        response = await gql.as_(caller, document, {"input": {
            "memberId": global_id("Account", specialist.member_id), "resumeText": RESUME}})
        assert not await ExpertApplication.filter(specialist_id=specialist.member_id).exists()
    else:
        application = await create_expert_application(E.CAPABILITY_EXAM)
        before = await snapshot(application)
        response = await gql.as_(caller, document, {"input": {"id": eid(application), "reason": "No."}
                                                    if document == REJECT else {"id": eid(application)}})
        assert await snapshot(application) == before
    assert response.data is None
    assert response.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": permission}
    assert await audit_count(action, AuditOutcome.DENIED, caller) == audited + 1
