"""Project specialists (项目专员): every transition through GraphQL, every illegal one refused with nothing changed."""

from __future__ import annotations

import asyncio

import pytest

from models.audit import AuditOutcome
from models.experts import SpecialistApplication
from models.experts import SpecialistStatus as S
from models.members import Account, AccountKind
from tests.audit_log import audit_count
from tests.callers import Caller, Mutated, mutate
from tests.experts.documents import SPECIALIST_PAYLOAD
from tests.factories import NORTHWIND, SUMMIT, create_account, create_bound_member, create_specialist
from tests.graphql import gid


async def propose(caller: Caller, member_id: int) -> Mutated:
    return await mutate(caller, "specialistApply", {"memberId": gid("Account", member_id)}, select=SPECIALIST_PAYLOAD)


async def act(caller: Caller, action: str, application: SpecialistApplication | str, **input) -> Mutated:
    """`action` on `application` (a row, or its global ID as the API showed it)."""
    application_id = application if isinstance(application, str) else gid("SpecialistApplication", application.id)
    return await mutate(caller, action, {"id": application_id, **input}, select=SPECIALIST_PAYLOAD)


async def status_of(application: SpecialistApplication) -> S:
    return (await SpecialistApplication.get(id=application.id)).status


async def test_a_proposal_goes_through_review_and_cancellation(as_distributor_admin, as_staff_ecosystem):
    admin, staff = as_distributor_admin, as_staff_ecosystem
    member = await create_bound_member()
    applied = await propose(admin, member.id)
    assert applied["userErrors"] == []
    proposal = applied["specialistApplication"]
    assert proposal["status"] == "SPECIALIST_PENDING" and proposal["member"]["name"] == member.name
    application = await SpecialistApplication.get(member_id=member.id)
    assert application.partner_id == member.partner_id
    assert await audit_count("specialistApply", AuditOutcome.SUCCESS, admin, target=f"SpecialistApplication:{application.id}") == 1

    steps = [
        (staff, "specialistReject", {"reason": "No delivered project yet."}, "SPECIALIST_REJECTED"),
        (admin, "specialistResubmit", {}, "SPECIALIST_PENDING"),
        (staff, "specialistApprove", {}, "SPECIALIST"),
        (admin, "specialistCancelRequest", {"reason": "Moved to pre-sales."}, "CANCEL_PENDING"),
        (admin, "specialistCancelWithdraw", {}, "SPECIALIST"),
        (admin, "specialistCancelRequest", {"reason": "Moved to pre-sales."}, "CANCEL_PENDING"),
        (staff, "specialistCancelReject", {}, "SPECIALIST"),
        (admin, "specialistCancelRequest", {"reason": "Left the company."}, "CANCEL_PENDING"),
        (staff, "specialistCancelApprove", {}, "CANCELLED"),
    ]
    for caller, action, extra, status in steps:
        result = await act(caller, action, proposal["id"], **extra)
        assert result["userErrors"] == [], (action, result.payload)
        assert result["specialistApplication"]["status"] == status
        assert await status_of(application) == S(status)

    final = await SpecialistApplication.get(id=application.id)
    assert final.cancel_reason == "Left the company." and final.rejection_reason == ""
    for action in ("specialistReject", "specialistResubmit", "specialistApprove", "specialistCancelWithdraw",
                   "specialistCancelReject", "specialistCancelApprove"):
        assert await audit_count(action, AuditOutcome.SUCCESS, target=f"SpecialistApplication:{application.id}") == 1
    assert await audit_count("specialistCancelRequest", AuditOutcome.SUCCESS, target=f"SpecialistApplication:{application.id}") == 3

    # A cancelled specialist may be proposed again, as a new proposal.
    again = await propose(admin, member.id)
    assert again["userErrors"] == [] and again["specialistApplication"]["id"] != proposal["id"]


async def test_reasons_are_kept_and_cleared(as_distributor_admin, as_staff_ecosystem):
    application = await create_specialist()
    rejected = await act(as_staff_ecosystem, "specialistReject", application, reason="  Too junior.  ")
    assert rejected["specialistApplication"]["rejectionReason"] == "Too junior."
    resubmitted = await act(as_distributor_admin, "specialistResubmit", application)
    assert resubmitted["specialistApplication"]["rejectionReason"] == ""
    specialist = await create_specialist(S.SPECIALIST)
    requested = await act(as_distributor_admin, "specialistCancelRequest", specialist, reason="Changed teams.")
    assert requested["specialistApplication"]["cancelReason"] == "Changed teams."
    withdrawn = await act(as_distributor_admin, "specialistCancelWithdraw", specialist)
    assert withdrawn["specialistApplication"]["cancelReason"] == ""


ADMIN, STAFF = "distributor.admin", "staff.ecosystem"
ILLEGAL = [
    (ADMIN, "specialistResubmit", S.SPECIALIST_PENDING, {}),
    (ADMIN, "specialistResubmit", S.CANCELLED, {}),
    (STAFF, "specialistApprove", S.SPECIALIST_REJECTED, {}),
    (STAFF, "specialistApprove", S.SPECIALIST, {}),
    (STAFF, "specialistReject", S.SPECIALIST, {"reason": "No."}),
    (ADMIN, "specialistCancelRequest", S.SPECIALIST_PENDING, {"reason": "Left."}),
    (ADMIN, "specialistCancelRequest", S.CANCELLED, {"reason": "Left."}),
    (ADMIN, "specialistCancelWithdraw", S.SPECIALIST, {}),
    (STAFF, "specialistCancelApprove", S.SPECIALIST, {}),
    (STAFF, "specialistCancelReject", S.SPECIALIST_PENDING, {}),
]


@pytest.mark.parametrize(("caller", "action", "status", "extra"), ILLEGAL, ids=lambda v: getattr(v, "value", None))
async def test_illegal_transitions_are_refused_and_change_nothing(gql, caller, action, status, extra):
    application = await create_specialist(status, cancel_reason="Earlier reason." if status is S.CANCELLED else "")
    before = await audit_count(action, AuditOutcome.USER_ERROR, caller)
    result = await act(Caller(gql, caller), action, application, **extra)
    assert result["specialistApplication"] is None
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [("INVALID_STATE", ["id"])]
    after = await SpecialistApplication.get(id=application.id)
    assert (after.status, after.cancel_reason, after.rejection_reason, after.updated_at) == (
        application.status, application.cancel_reason, application.rejection_reason, application.updated_at)
    assert await audit_count(action, AuditOutcome.USER_ERROR, caller) == before + 1


async def test_only_bound_members_without_an_open_proposal_can_be_proposed(as_distributor_admin):
    organisation_member = await create_account(NORTHWIND)
    main = await as_distributor_admin.account()
    for account in (organisation_member, main):
        refused = await propose(as_distributor_admin, account.id)
        assert [e["code"] for e in refused["userErrors"]] == ["NOT_ALLOWED"]
        assert not await SpecialistApplication.filter(member_id=account.id).exists()

    for status in (S.SPECIALIST_PENDING, S.SPECIALIST, S.CANCEL_PENDING):
        open_one = await create_specialist(status)
        refused = await propose(as_distributor_admin, open_one.member_id)
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("CONFLICT", ["memberId"])]
        assert await SpecialistApplication.filter(member_id=open_one.member_id).count() == 1

    # A rejected proposal is not open: a new one may be made, after which the old one cannot be resubmitted.
    rejected = await create_specialist(S.SPECIALIST_REJECTED, rejection_reason="Too junior.")
    fresh = await propose(as_distributor_admin, rejected.member_id)
    assert fresh["userErrors"] == []
    conflict = await act(as_distributor_admin, "specialistResubmit", rejected)
    assert [e["code"] for e in conflict["userErrors"]] == ["CONFLICT"]
    assert await status_of(rejected) is S.SPECIALIST_REJECTED


async def test_another_partners_member_or_proposal_is_not_found(as_distributor_admin, as_service_admin):
    summit_member = await create_bound_member(SUMMIT)
    foreign_member = await propose(as_distributor_admin, summit_member.id)
    assert [(e["code"], e["field"]) for e in foreign_member["userErrors"]] == [("NOT_FOUND", ["memberId"])]
    assert not await SpecialistApplication.filter(member_id=summit_member.id).exists()

    not_an_account = await mutate(as_distributor_admin, "specialistApply", {"memberId": gid("Solution", summit_member.id)},
                                  select=SPECIALIST_PAYLOAD)
    assert [e["code"] for e in not_an_account["userErrors"]] == ["NOT_FOUND"]

    rejected = await create_specialist(S.SPECIALIST_REJECTED)
    specialist = await create_specialist(S.SPECIALIST)
    for action, application, extra in [("specialistResubmit", rejected, {}), ("specialistCancelRequest", specialist, {"reason": "Mine now."})]:
        refused = await act(as_service_admin, action, application, **extra)
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_FOUND", ["id"])]
    assert await status_of(rejected) is S.SPECIALIST_REJECTED and await status_of(specialist) is S.SPECIALIST


async def test_staff_review_every_partners_proposals_but_do_not_propose(as_staff_ecosystem):
    summit = await create_specialist(partner=SUMMIT)
    approved = await act(as_staff_ecosystem, "specialistApprove", summit)
    assert approved["userErrors"] == [] and await status_of(summit) is S.SPECIALIST
    # staff.ecosystem holds specialist.apply to view proposals; proposing is a partner's own act.
    member = await create_bound_member()
    refused = await propose(as_staff_ecosystem, member.id)
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_ALLOWED"]
    assert not await SpecialistApplication.filter(member_id=member.id).exists()


async def test_a_member_unbound_while_pending_cannot_be_approved(as_staff_ecosystem):
    application = await create_specialist()
    await Account.filter(id=application.member_id).update(kind=AccountKind.PERSONAL, partner_id=None)
    refused = await act(as_staff_ecosystem, "specialistApprove", application)
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_ALLOWED"]
    assert await status_of(application) is S.SPECIALIST_PENDING


@pytest.mark.parametrize(("action", "status", "reason"), [
    ("specialistReject", S.SPECIALIST_PENDING, ""), ("specialistReject", S.SPECIALIST_PENDING, "x" * 501),
    ("specialistCancelRequest", S.SPECIALIST, "   "), ("specialistCancelRequest", S.SPECIALIST, "x" * 501),
])
async def test_reasons_are_required_and_bounded(as_distributor_admin, as_staff_ecosystem, action, status, reason):
    application = await create_specialist(status)
    caller = as_staff_ecosystem if action == "specialistReject" else as_distributor_admin
    refused = await act(caller, action, application, reason=reason)
    expected = "TOO_LONG" if len(reason) > 500 else "REQUIRED"
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [(expected, ["reason"])]
    assert await status_of(application) is status


DENIED = [
    ("provider.sa", "specialistApply", "specialist.apply", None),
    ("distributor.sa", "specialistResubmit", "specialist.apply", S.SPECIALIST_REJECTED),
    ("distributor.admin", "specialistApprove", "specialist.review", S.SPECIALIST_PENDING),
    ("distributor.admin", "specialistReject", "specialist.review", S.SPECIALIST_PENDING),
    ("distributor.sa", "specialistCancelRequest", "specialist.cancel", S.SPECIALIST),
    ("staff.ecosystem", "specialistCancelWithdraw", "specialist.cancel", S.CANCEL_PENDING),
    ("service.admin", "specialistCancelApprove", "specialist.review", S.CANCEL_PENDING),
    ("staff.pdm", "specialistCancelReject", "specialist.review", S.CANCEL_PENDING),
]


@pytest.mark.parametrize(("caller", "action", "permission", "status"), DENIED, ids=[d[1] for d in DENIED])
async def test_callers_without_the_permission_are_forbidden(gql, caller, action, permission, status):
    before = await audit_count(action, AuditOutcome.DENIED, caller)
    if status is None:
        member = await create_bound_member("Lattice Solutions")
        denied = await propose(Caller(gql, caller), member.id)
        assert not await SpecialistApplication.filter(member_id=member.id).exists()
    else:
        application = await create_specialist(status)
        extra = {"reason": "Because."} if action in ("specialistReject", "specialistCancelRequest") else {}
        denied = await act(Caller(gql, caller), action, application, **extra)
        assert await status_of(application) is status
    assert denied.response.data is None
    assert denied.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": permission}
    assert await audit_count(action, AuditOutcome.DENIED, caller) == before + 1


async def test_concurrent_proposals_for_one_member_make_one(as_distributor_admin):
    member = await create_bound_member()
    results = await asyncio.gather(*[propose(as_distributor_admin, member.id) for _ in range(4)])
    codes = sorted(e["code"] for r in results for e in r["userErrors"])
    assert codes == ["CONFLICT"] * 3
    assert await SpecialistApplication.filter(member_id=member.id).count() == 1


async def test_concurrent_approval_and_rejection_apply_once(as_staff_ecosystem):
    application = await create_specialist()
    approved, rejected = await asyncio.gather(
        act(as_staff_ecosystem, "specialistApprove", application), act(as_staff_ecosystem, "specialistReject", application, reason="No."))
    outcomes = [r["userErrors"] for r in (approved, rejected)]
    assert sorted(len(errors) for errors in outcomes) == [0, 1]
    assert [e["code"] for errors in outcomes for e in errors] == ["INVALID_STATE"]
    expected = S.SPECIALIST if not approved["userErrors"] else S.SPECIALIST_REJECTED
    assert await status_of(application) is expected
