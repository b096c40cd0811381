"""Cloud lab (云实验) on SQLite and PostgreSQL: a partner admin applies for bound members, one pending
application at a time; operations approve or reject (the reason visible), then issue: each
beneficiary is credited its points once; the overview counts by status and points issued."""

from __future__ import annotations

import asyncio

from models.cloudlab import CloudLabApplication, CloudLabBeneficiary, CloudLabStatus
from models.partners import PartnerIdentity as I
from tests.callers import Caller, mutate
from tests.factories import create_account, create_bound_member, create_main_account, create_partner, create_person
from tests.graphql import GraphQLClient, gid, pk_of

OVERVIEW = """{ viewer { partner { cloudLabOverview { byStatus { status count } pointsIssued membersBenefited }
  cloudLabApplications(first: 10) { nodes { id status rejectionReason beneficiaries { nodes { pointsCredited account { name } } } } } } } }"""
POINTS = "{ viewer { labPoints } }"


async def _path_partner(gql: GraphQLClient) -> tuple[Caller, list[str], object]:
    partner = await create_partner(I.SOFTWARE_PARTNER)
    admin = Caller(gql, (await create_main_account(partner)).name)
    members = [await create_bound_member(partner) for _ in range(3)]
    return admin, [m.name for m in members], partner


async def _ids(names: list[str]) -> list[str]:
    from models.members import Account
    return [gid("Account", (await Account.get(name=n)).id) for n in names]


async def test_apply_review_issue(gql: GraphQLClient, as_staff_operations: Caller) -> None:
    admin, members, partner = await _path_partner(gql)
    applied = await mutate(admin, "cloudLabApply", {"memberIds": await _ids(members[:2]), "purpose": "Migration labs.",
                                                    "pointsPerMember": 400})
    assert applied.codes == [] and applied["application"]["status"] == "SUBMITTED"
    application_id = applied["application"]["id"]
    # One pending application at a time, also when two are sent at once.
    rest = await _ids(members[2:])
    again = await asyncio.gather(*(mutate(admin, "cloudLabApply", {"memberIds": rest, "purpose": "More.", "pointsPerMember": 100})
                                   for _ in range(3)))
    assert [a.codes for a in again] == [["CONFLICT"]] * 3
    assert (await mutate(as_staff_operations, "cloudLabIssue", {"id": application_id})).codes == ["INVALID_STATE"]
    assert (await mutate(as_staff_operations, "cloudLabApprove", {"id": application_id})).codes == []
    assert (await mutate(as_staff_operations, "cloudLabApprove", {"id": application_id})).codes == ["INVALID_STATE"]
    issued = await asyncio.gather(*(mutate(as_staff_operations, "cloudLabIssue", {"id": application_id}) for _ in range(3)))
    assert sorted(tuple(a.codes) for a in issued) == [(), ("INVALID_STATE",), ("INVALID_STATE",)]
    assert (await Caller(gql, members[0]).query(POINTS)).ok()["viewer"]["labPoints"] == 400
    assert (await Caller(gql, members[2]).query(POINTS)).ok()["viewer"]["labPoints"] == 0

    # Next one is rejected with a reason the partner reads.
    second = (await mutate(admin, "cloudLabApply", {"memberIds": await _ids(members[2:]), "purpose": "More.",
                                                    "pointsPerMember": 9000}))["application"]["id"]
    assert (await mutate(as_staff_operations, "cloudLabReject", {"id": second, "reason": ""})).codes == ["REQUIRED"]
    assert (await mutate(as_staff_operations, "cloudLabReject", {"id": second, "reason": "Too many points."})).codes == []
    seen = (await admin.query(OVERVIEW)).ok()["viewer"]["partner"]
    counts = {row["status"]: row["count"] for row in seen["cloudLabOverview"]["byStatus"]}
    assert counts == {"SUBMITTED": 0, "APPROVED": 0, "BENEFIT_ISSUED": 1, "REJECTED": 1}
    assert (seen["cloudLabOverview"]["pointsIssued"], seen["cloudLabOverview"]["membersBenefited"]) == (800, 2)
    reasons = {a["id"]: a["rejectionReason"] for a in seen["cloudLabApplications"]["nodes"]}
    assert reasons[second] == "Too many points."
    assert await CloudLabApplication.filter(partner_id=partner.id).count() == 2


async def test_refusals_change_nothing(gql: GraphQLClient) -> None:
    admin, members, partner = await _path_partner(gql)
    organisation_member = await create_account(partner)
    stranger = await create_bound_member(await create_partner(I.SOFTWARE_PARTNER))
    person = await create_person()
    cases = [
        ({"memberIds": [gid("Account", organisation_member.id)]}, "NOT_ALLOWED"),  # not a bound member
        ({"memberIds": [gid("Account", stranger.id)]}, "NOT_FOUND"),
        ({"memberIds": [gid("Account", person.id)]}, "NOT_FOUND"),
        ({"memberIds": []}, "INVALID"),
        ({"memberIds": await _ids(members[:1]) * 2}, "INVALID"),
        ({"memberIds": await _ids(members[:1]), "pointsPerMember": 0}, "INVALID"),
        ({"memberIds": await _ids(members[:1]), "purpose": ""}, "REQUIRED"),
    ]
    for values, code in cases:
        answer = await mutate(admin, "cloudLabApply", {"purpose": "Labs.", "pointsPerMember": 10, **values})
        assert answer.codes == [code], (values, answer.response.body)
    assert await CloudLabApplication.filter(partner_id=partner.id).count() == 0
    assert await CloudLabBeneficiary.filter(application__partner_id=partner.id).count() == 0


async def test_who_may(gql: GraphQLClient, as_distributor_admin: Caller, as_staff_finance: Caller) -> None:
    admin, members, _ = await _path_partner(gql)
    apply = 'mutation($ids: [ID!]!) { cloudLabApply(input: {memberIds: $ids, purpose: "x", pointsPerMember: 1}) { userErrors { code } } }'
    # A bound member is no admin; a distributor is no path partner; finance staff do not review labs.
    assert (await Caller(gql, members[0]).query(apply, {"ids": await _ids(members[:1])})).codes == ["FORBIDDEN"]
    assert (await as_distributor_admin.query(apply, {"ids": await _ids(members[:1])})).codes == ["FORBIDDEN"]
    applied = await mutate(admin, "cloudLabApply", {"memberIds": await _ids(members[:1]), "purpose": "x", "pointsPerMember": 1})
    denied = await as_staff_finance.query('mutation($id: ID!) { cloudLabApprove(input: {id: $id}) { userErrors { code } } }',
                                          {"id": applied["application"]["id"]})
    assert denied.codes == ["FORBIDDEN"]
    assert (await CloudLabApplication.get(id=pk_of(applied["application"]["id"]))).status is CloudLabStatus.SUBMITTED


async def test_two_first_applications_at_once(gql: GraphQLClient) -> None:
    admin, members, partner = await _path_partner(gql)
    ids = await _ids(members)
    answers = await asyncio.gather(*(mutate(admin, "cloudLabApply", {"memberIds": ids, "purpose": "Labs.", "pointsPerMember": 5})
                                     for _ in range(5)))
    assert sorted(tuple(a.codes) for a in answers) == [()] + [("CONFLICT",)] * 4
    assert await CloudLabApplication.filter(partner_id=partner.id).count() == 1
