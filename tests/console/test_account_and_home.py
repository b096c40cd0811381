"""Real-name information, the home page, self-service account changes and partner renames, on SQLite
and PostgreSQL."""

from __future__ import annotations

from models.audit import AuditOutcome, AuditRecord
from models.members import Account
from models.partners import Partner
from models.safeguards import VerificationPurpose
from tests.callers import Caller, mutate
from tests.factories import create_member, create_verification_code, partner_named, unique
from tests.graphql import GraphQLClient, gid

REAL_NAME = """{ viewer { realNameVerification { type verifiedName certificateNumber status }
  partner { realNameVerification { type verifiedName certificateNumber status verifiedAt } } } }"""
HOME = """{ viewer { home { pendingTasks expiringCoupons pendingInvitations billsAwaitingConfirmation payoutsAwaitingInvoice
  unreadNews } } }"""


async def test_real_name_information_is_masked(as_distributor_admin: Caller, as_distributor_engineer1: Caller) -> None:
    data = (await as_distributor_admin.query(REAL_NAME)).ok()["viewer"]
    company = data["partner"]["realNameVerification"]
    assert (company["type"], company["verifiedName"], company["status"]) == ("ENTERPRISE", "Northwind Distribution", "VERIFIED")
    number = company["certificateNumber"]
    assert "*" in number and len(number) > 4 and number.count("*") == len(number) - 4
    assert data["realNameVerification"] is None  # the main account has none of its own
    own = (await as_distributor_engineer1.query(REAL_NAME)).ok()["viewer"]["realNameVerification"]
    assert own["type"] == "INDIVIDUAL" and own["certificateNumber"].startswith("11") and "*" in own["certificateNumber"]


async def test_another_partners_real_name_is_not_shown(as_distributor_admin: Caller) -> None:
    harbor = await partner_named("Harbor Lane Cloud Services")
    query = "query($id: ID!) { node(id: $id) { ... on Partner { realNameVerification { verifiedName } } } }"
    seen = (await as_distributor_admin.query(query, {"id": gid("Partner", harbor.id)})).ok()["node"]
    assert seen == {"realNameVerification": None}


async def test_home_counts_each_under_its_permission(as_distributor_admin: Caller, as_provider_admin: Caller,
                                                   as_reseller_admin: Caller, as_person_alice: Caller) -> None:
    home = (await as_distributor_admin.query(HOME)).ok()["viewer"]["home"]
    assert all(isinstance(home[key], int) for key in home) and home["unreadNews"] >= 2 and home["pendingTasks"] >= 1
    provider = (await as_provider_admin.query(HOME)).ok()["viewer"]["home"]
    assert provider["payoutsAwaitingInvoice"] >= 0
    # A reseller earns no incentives: those two items are FORBIDDEN, the rest answers.
    reseller = await as_reseller_admin.query(HOME)
    assert set(reseller.codes) == {"FORBIDDEN"} and reseller.data["viewer"]["home"]["billsAwaitingConfirmation"] is None
    assert reseller.data["viewer"]["home"]["pendingTasks"] is not None
    alice = await as_person_alice.query("{ viewer { home { pendingInvitations } } }")
    assert alice.ok()["viewer"]["home"]["pendingInvitations"] == 1


async def test_self_service(gql: GraphQLClient) -> None:
    member = await create_member("Northwind Distribution", mobile="+86 138 0000 0001")
    caller = Caller(gql, member.name)
    changed = await mutate(caller, "accountUpdate", {"displayName": "New Name"})
    assert changed.codes == [] and (await Account.get(id=member.id)).display_name == "New Name"
    # A new e-mail takes a code too: invitations are addressed to e-mails, nobody claims one by typing it.
    refused = await mutate(caller, "accountUpdate", {"email": "someone.else@example.com"})
    assert refused.codes == ["VERIFICATION_FAILED"] and (await Account.get(id=member.id)).email != "someone.else@example.com"
    code = await create_verification_code(member, VerificationPurpose.CONTACT_CHANGE)
    assert (await mutate(caller, "accountUpdate", {"email": "new@example.com", "verificationCode": code})).codes == []
    # A new mobile takes a CONTACT_CHANGE code, whatever the partner's switch; the same mobile does not.
    refused = await mutate(caller, "accountUpdate", {"mobile": "+86 139 0000 0002"})
    assert refused.codes == ["VERIFICATION_FAILED"] and (await Account.get(id=member.id)).mobile == "+86 138 0000 0001"
    wrong = await create_verification_code(member, VerificationPurpose.WITHDRAWAL)
    assert (await mutate(caller, "accountUpdate", {"mobile": "+86 139 0000 0002", "verificationCode": wrong})).codes == [
        "VERIFICATION_FAILED"]
    code = await create_verification_code(member, VerificationPurpose.CONTACT_CHANGE)
    done = await mutate(caller, "accountUpdate", {"mobile": "+86 139 0000 0002", "verificationCode": code})
    assert done.codes == [] and (await Account.get(id=member.id)).mobile == "+8613900000002"
    assert (await mutate(caller, "accountUpdate", {"mobile": "+86 139 0000 0002"})).codes == []  # unchanged: no code
    before = await Account.get(id=member.id)
    for values, code_ in (({"email": "not-an-email"}, "INVALID"), ({"displayName": "x" * 201}, "TOO_LONG"),
                          ({"mobile": "abc"}, "INVALID")):
        assert (await mutate(caller, "accountUpdate", values)).codes == [code_], values
    after = await Account.get(id=member.id)
    assert (after.display_name, after.email, after.mobile) == (before.display_name, before.email, before.mobile)


async def test_the_ecosystem_manager_renames(gql: GraphQLClient, as_staff_ecosystem: Caller, as_staff_finance: Caller,
                                              as_distributor_admin: Caller) -> None:
    from tests.factories import create_partner

    partner = await create_partner()
    old, new = partner.name, unique("Renamed Partner")
    renamed = await mutate(as_staff_ecosystem, "partnerRename", {"id": gid("Partner", partner.id), "name": f"  {new}  "})
    assert renamed.codes == [] and renamed["partner"]["name"] == new and renamed["previousName"] == old
    record = await AuditRecord.get(action="partnerRename", outcome=AuditOutcome.SUCCESS, target=f"Partner:{partner.id}")
    assert record.input["previousName"] == old and record.input["name"].strip() == new
    for values, code in (({"name": "Northwind Distribution"}, "CONFLICT"), ({"name": "NORTHWIND distribution"}, "CONFLICT"),
                         ({"name": new}, "INVALID"), ({"name": ""}, "REQUIRED")):
        answer = await mutate(as_staff_ecosystem, "partnerRename", {"id": gid("Partner", partner.id), **values})
        assert answer.codes == [code], values
    assert (await Partner.get(id=partner.id)).name == new
    for caller in (as_staff_finance, as_distributor_admin):
        denied = await caller.query('mutation($id: ID!) { partnerRename(input: {id: $id, name: "x"}) { userErrors { code } } }',
                                    {"id": gid("Partner", partner.id)})
        assert denied.codes == ["FORBIDDEN"]


async def test_renames_differing_in_case_at_once(gql: GraphQLClient, as_staff_ecosystem: Caller) -> None:
    import asyncio

    from tests.factories import create_partner

    first, second = await create_partner(), await create_partner()
    name = unique("Twin Name")
    answers = await asyncio.gather(
        mutate(as_staff_ecosystem, "partnerRename", {"id": gid("Partner", first.id), "name": name.upper()}),
        mutate(as_staff_ecosystem, "partnerRename", {"id": gid("Partner", second.id), "name": name.lower()}))
    assert sorted(tuple(a.codes) for a in answers) == [(), ("CONFLICT",)]
    names = {p.name.casefold() for p in await Partner.filter(id__in=[first.id, second.id])}
    assert len(names) == 2


async def test_names_compare_case_folded(as_staff_ecosystem: Caller) -> None:
    from tests.factories import create_partner

    taken = await create_partner(name=unique("Ärger Ωmega"))
    other = await create_partner()
    answer = await mutate(as_staff_ecosystem, "partnerRename", {"id": gid("Partner", other.id), "name": taken.name.lower()})
    assert answer.codes == ["CONFLICT"]
