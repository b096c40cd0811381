"""Project specialists (项目专员): every transition through GraphQL, every illegal one refused with nothing changed."""

from __future__ import annotations

import asyncio

import pytest

from models.audit import AuditOutcome
from models.experts import SpecialistApplication
from models.experts import SpecialistStatus as S
from models.members import Account, AccountKind
from tests.experts.factories import (
    NORTHWIND,
    SUMMIT,
    audit_count,
    create_bound_member,
    create_specialist,
    global_id,
)
from tests.factories import create_account, partner_named

FIELDS = "specialistApplication { id status cancelReason rejectionReason member { name } } userErrors { field message code }"


def _doc(name: str, input_type: str) -> str:
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {FIELDS} }} }}"


APPLY = _doc("specialistApply", "SpecialistApplyInput")
RESUBMIT = _doc("specialistResubmit", "SpecialistResubmitInput")
APPROVE = _doc("specialistApprove", "SpecialistApproveInput")
REJECT = _doc("specialistReject", "SpecialistRejectInput")
CANCEL_REQUEST = _doc("specialistCancelRequest", "SpecialistCancelRequestInput")
CANCEL_WITHDRAW = _doc("specialistCancelWithdraw", "SpecialistCancelWithdrawInput")
CANCEL_APPROVE = _doc("specialistCancelApprove", "SpecialistCancelApproveInput")
CANCEL_REJECT = _doc("specialistCancelReject", "SpecialistCancelRejectInput")
ADMIN, STAFF = "distributor.admin", "staff.ecosystem"


async def run(gql, caller: str, document: str, **input) -> dict:
    data = (await gql.as_(caller, document, {"input": input})).ok()
    return next(iter(data.values()))


def sid(application: SpecialistApplication) -> str:
    return global_id("SpecialistApplication", application.id)


async def status_of(application: SpecialistApplication) -> S:
    return (await SpecialistApplication.get(id=application.id)).status


async def test_a_proposal_goes_through_review_and_cancellation(gql):
    member = await create_bound_member()
    applied = await run(gql, ADMIN, APPLY, memberId=global_id("Account", member.id))
    assert applied["userErrors"] == []
    proposal = applied["specialistApplication"]
    assert proposal["status"] == "SPECIALIST_PENDING" and proposal["member"]["name"] == member.name
    application = await SpecialistApplication.get(member_id=member.id)
    assert application.partner_id == member.partner_id
    assert await audit_count("specialistApply", AuditOutcome.SUCCESS, ADMIN, target=f"SpecialistApplication:{application.id}") == 1

    steps = [
        (STAFF, REJECT, {"reason": "No delivered project yet."}, "SPECIALIST_REJECTED"),
        (ADMIN, RESUBMIT, {}, "SPECIALIST_PENDING"),
        (STAFF, APPROVE, {}, "SPECIALIST"),
        (ADMIN, CANCEL_REQUEST, {"reason": "Moved to pre-sales."}, "CANCEL_PENDING"),
        (ADMIN, CANCEL_WITHDRAW, {}, "SPECIALIST"),
        (ADMIN, CANCEL_REQUEST, {"reason": "Moved to pre-sales."}, "CANCEL_PENDING"),
        (STAFF, CANCEL_REJECT, {}, "SPECIALIST"),
        (ADMIN, CANCEL_REQUEST, {"reason": "Left the company."}, "CANCEL_PENDING"),
        (STAFF, CANCEL_APPROVE, {}, "CANCELLED"),
    ]
    for caller, document, extra, status in steps:
        result = await run(gql, caller, document, id=proposal["id"], **extra)
        assert result["userErrors"] == [], (document, result)
        assert result["specialistApplication"]["status"] == status
        assert await status_of(application) == S(status)

    final = await SpecialistApplication.get(id=application.id)
    assert final.cancel_reason == "Left the company." and final.rejection_reason == ""
    for action in ("specialistReject", "specialistResubmit", "specialistApprove", "specialistCancelWithdraw",
                   "specialistCancelReject", "specialistCancelApprove"):
        assert await audit_count(action, AuditOutcome.SUCCESS, target=f"SpecialistApplication:{application.id}") == 1
    assert await audit_count("specialistCancelRequest", AuditOutcome.SUCCESS, target=f"SpecialistApplication:{application.id}") == 3

    # A cancelled specialist may be proposed again, as a new proposal.
    again = await run(gql, ADMIN, APPLY, memberId=global_id("Account", member.id))
    assert again["userErrors"] == [] and again["specialistApplication"]["id"] != proposal["id"]


async def test_reasons_are_kept_and_cleared(gql):
    application = await create_specialist()
    rejected = await run(gql, STAFF, REJECT, id=sid(application), reason="  Too junior.  ")
    assert rejected["specialistApplication"]["rejectionReason"] == "Too junior."
    resubmitted = await run(gql, ADMIN, RESUBMIT, id=sid(application))
    assert resubmitted["specialistApplication"]["rejectionReason"] == ""
    specialist = await create_specialist(S.SPECIALIST)
    requested = await run(gql, ADMIN, CANCEL_REQUEST, id=sid(specialist), reason="Changed teams.")
    assert requested["specialistApplication"]["cancelReason"] == "Changed teams."
    withdrawn = await run(gql, ADMIN, CANCEL_WITHDRAW, id=sid(specialist))
    assert withdrawn["specialistApplication"]["cancelReason"] == ""


ILLEGAL = [
    (ADMIN, RESUBMIT, "specialistResubmit", S.SPECIALIST_PENDING, {}),
    (ADMIN, RESUBMIT, "specialistResubmit", S.CANCELLED, {}),
    (STAFF, APPROVE, "specialistApprove", S.SPECIALIST_REJECTED, {}),
    (STAFF, APPROVE, "specialistApprove", S.SPECIALIST, {}),
    (STAFF, REJECT, "specialistReject", S.SPECIALIST, {"reason": "No."}),
    (ADMIN, CANCEL_REQUEST, "specialistCancelRequest", S.SPECIALIST_PENDING, {"reason": "Left."}),
    (ADMIN, CANCEL_REQUEST, "specialistCancelRequest", S.CANCELLED, {"reason": "Left."}),
    (ADMIN, CANCEL_WITHDRAW, "specialistCancelWithdraw", S.SPECIALIST, {}),
    (STAFF, CANCEL_APPROVE, "specialistCancelApprove", S.SPECIALIST, {}),
    (STAFF, CANCEL_REJECT, "specialistCancelReject", S.SPECIALIST_PENDING, {}),
]


@pytest.mark.parametrize(("caller", "document", "action", "status", "extra"), ILLEGAL, ids=lambda v: getattr(v, "value", None))
async def test_illegal_transitions_are_refused_and_change_nothing(gql, caller, document, action, status, extra):
    application = await create_specialist(status, cancel_reason="Earlier reason." if status is S.CANCELLED else "")
    before = await audit_count(action, AuditOutcome.USER_ERROR, caller)
    result = await run(gql, caller, document, id=sid(application), **extra)
    assert result["specialistApplication"] is None
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [("INVALID_STATE", ["id"])]
    after = await SpecialistApplication.get(id=application.id)
    assert (after.status, after.cancel_reason, after.rejection_reason, after.updated_at) == (
        application.status, application.cancel_reason, application.rejection_reason, application.updated_at)
    assert await audit_count(action, AuditOutcome.USER_ERROR, caller) == before + 1


async def test_only_bound_members_without_an_open_proposal_can_be_proposed(gql):
    northwind = await partner_named(NORTHWIND)
    organisation_member = await create_account(northwind)
    main = await Account.get(name=ADMIN)
    for account in (organisation_member, main):
        refused = await run(gql, ADMIN, APPLY, memberId=global_id("Account", account.id))
        assert [e["code"] for e in refused["userErrors"]] == ["NOT_ALLOWED"]
        assert not await SpecialistApplication.filter(member_id=account.id).exists()

    for status in (S.SPECIALIST_PENDING, S.SPECIALIST, S.CANCEL_PENDING):
        open_one = await create_specialist(status)
        refused = await run(gql, ADMIN, APPLY, memberId=global_id("Account", open_one.member_id))
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("CONFLICT", ["memberId"])]
        assert await SpecialistApplication.filter(member_id=open_one.member_id).count() == 1

    # A rejected proposal is not open: a new one may be made, after which the old one cannot be resubmitted.
    rejected = await create_specialist(S.SPECIALIST_REJECTED, rejection_reason="Too junior.")
    fresh = await run(gql, ADMIN, APPLY, memberId=global_id("Account", rejected.member_id))
    assert fresh["userErrors"] == []
    conflict = await run(gql, ADMIN, RESUBMIT, id=sid(rejected))
    assert [e["code"] for e in conflict["userErrors"]] == ["CONFLICT"]
    assert await status_of(rejected) is S.SPECIALIST_REJECTED


async def test_another_partners_member_or_proposal_is_not_found(gql):
    summit_member = await create_bound_member(SUMMIT)
    foreign_member = await run(gql, ADMIN, APPLY, memberId=global_id("Account", summit_member.id))
    assert [(e["code"], e["field"]) for e in foreign_member["userErrors"]] == [("NOT_FOUND", ["memberId"])]
    assert not await SpecialistApplication.filter(member_id=summit_member.id).exists()

    not_an_account = await run(gql, ADMIN, APPLY, memberId=global_id("Solution", summit_member.id))
    assert [e["code"] for e in not_an_account["userErrors"]] == ["NOT_FOUND"]

    rejected = await create_specialist(S.SPECIALIST_REJECTED)
    specialist = await create_specialist(S.SPECIALIST)
    for document, application, extra in [(RESUBMIT, rejected, {}), (CANCEL_REQUEST, specialist, {"reason": "Mine now."})]:
        refused = await run(gql, "service.admin", document, id=sid(application), **extra)
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_FOUND", ["id"])]
    assert await status_of(rejected) is S.SPECIALIST_REJECTED and await status_of(specialist) is S.SPECIALIST


async def test_staff_review_every_partners_proposals_but_do_not_propose(gql):
    summit = await create_specialist(partner=SUMMIT)
    approved = await run(gql, STAFF, APPROVE, id=sid(summit))
    assert approved["userErrors"] == [] and await status_of(summit) is S.SPECIALIST
    # staff.ecosystem holds specialist.apply to view proposals; proposing is a partner's own act.
    member = await create_bound_member()
    refused = await run(gql, STAFF, APPLY, memberId=global_id("Account", member.id))
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_ALLOWED"]
    assert not await SpecialistApplication.filter(member_id=member.id).exists()


async def test_a_member_unbound_while_pending_cannot_be_approved(gql):
    application = await create_specialist()
    await Account.filter(id=application.member_id).update(kind=AccountKind.PERSONAL, partner_id=None)
    refused = await run(gql, STAFF, APPROVE, id=sid(application))
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_ALLOWED"]
    assert await status_of(application) is S.SPECIALIST_PENDING


@pytest.mark.parametrize(("document", "status", "reason"), [
    (REJECT, S.SPECIALIST_PENDING, ""), (REJECT, S.SPECIALIST_PENDING, "x" * 501),
    (CANCEL_REQUEST, S.SPECIALIST, "   "), (CANCEL_REQUEST, S.SPECIALIST, "x" * 501),
])
async def test_reasons_are_required_and_bounded(gql, document, status, reason):
    application = await create_specialist(status)
    caller = STAFF if document == REJECT else ADMIN
    refused = await run(gql, caller, document, id=sid(application), reason=reason)
    expected = "TOO_LONG" if len(reason) > 500 else "REQUIRED"
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [(expected, ["reason"])]
    assert await status_of(application) is status


DENIED = [
    ("provider.sa", APPLY, "specialistApply", "specialist.apply", None),
    ("distributor.sa", RESUBMIT, "specialistResubmit", "specialist.apply", S.SPECIALIST_REJECTED),
    ("distributor.admin", APPROVE, "specialistApprove", "specialist.review", S.SPECIALIST_PENDING),
    ("distributor.admin", REJECT, "specialistReject", "specialist.review", S.SPECIALIST_PENDING),
    ("distributor.sa", CANCEL_REQUEST, "specialistCancelRequest", "specialist.cancel", S.SPECIALIST),
    ("staff.ecosystem", CANCEL_WITHDRAW, "specialistCancelWithdraw", "specialist.cancel", S.CANCEL_PENDING),
    ("service.admin", CANCEL_APPROVE, "specialistCancelApprove", "specialist.review", S.CANCEL_PENDING),
    ("staff.pdm", CANCEL_REJECT, "specialistCancelReject", "specialist.review", S.CANCEL_PENDING),
]


@pytest.mark.parametrize(("caller", "document", "action", "permission", "status"), DENIED, ids=[d[2] for d in DENIED])
async def test_callers_without_the_permission_are_forbidden(gql, caller, document, action, permission, status):
    before = await audit_count(action, AuditOutcome.DENIED, caller)
    if status is None:
        member = await create_bound_member("Lattice Solutions")
        response = await gql.as_(caller, document, {"input": {"memberId": global_id("Account", member.id)}})
        assert not await SpecialistApplication.filter(member_id=member.id).exists()
    else:
        application = await create_specialist(status)
        extra = {"reason": "Because."} if document in (REJECT, CANCEL_REQUEST) else {}
        response = await gql.as_(caller, document, {"input": {"id": sid(application), **extra}})
        assert await status_of(application) is status
    assert response.data is None
    assert response.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": permission}
    assert await audit_count(action, AuditOutcome.DENIED, caller) == before + 1


async def test_concurrent_proposals_for_one_member_make_one(gql):
    member = await create_bound_member()
    results = await asyncio.gather(*[
        run(gql, ADMIN, APPLY, memberId=global_id("Account", member.id)) for _ in range(4)])
    codes = sorted(e["code"] for r in results for e in r["userErrors"])
    assert codes == ["CONFLICT"] * 3
    assert await SpecialistApplication.filter(member_id=member.id).count() == 1


async def test_concurrent_approval_and_rejection_apply_once(gql):
    application = await create_specialist()
    approved, rejected = await asyncio.gather(
        run(gql, STAFF, APPROVE, id=sid(application)), run(gql, STAFF, REJECT, id=sid(application), reason="No."))
    outcomes = [r["userErrors"] for r in (approved, rejected)]
    assert sorted(len(errors) for errors in outcomes) == [0, 1]
    assert [e["code"] for errors in outcomes for e in errors] == ["INVALID_STATE"]
    expected = S.SPECIALIST if not approved["userErrors"] else S.SPECIALIST_REJECTED
    assert await status_of(application) is expected
