"""The reseller channel through the API, on both databases: a distributor invites, the invitee's admin
accepts or declines, the distributor withdraws or ends the association (its quotas come back).

Juniper and Cobalt are the demo's candidates; a test that changes them puts them back as seeded, so
the read-only tests that share the demo database see it unchanged. Refusal cases use partners of
their own and check that nothing changed in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from gateway.seed.common import reference_now
from gateway.seed.demo_channel import seed_channel
from gateway.seed.demo_context import DemoContext
from gateway.seed.demo_partners import MAIN_ACCOUNTS, PARTNERS
from models.channel import ResellerInvitation, ResellerInvitationStatus
from models.coupons import CouponOperation, CouponQuota, QuotaStatus
from models.coupons import CouponOperationType as Op
from models.members import Account
from models.partners import Partner, PartnerProgram, ProgramCode
from models.partners import PartnerIdentity as I
from models.safeguards import VerificationPurpose
from resolvers.channel import services
from resolvers.channel.queries import check_invitee, readable_reseller_invitations
from resolvers.errors import Refusal
from resolvers.principal import principal_for
from tests.callers import Caller, Mutated, mutate
from tests.coupons.documents import ALLOCATE
from tests.factories import (
    NORTHWIND,
    create_coupon,
    create_customers,
    create_distribution,
    create_issuer,
    create_main_account,
    create_member,
    create_partner,
    create_verification_code,
    days,
    partner_named,
)
from tests.graphql import GraphQLClient, gid, pk_of

PENDING = ResellerInvitationStatus.PENDING
JUNIPER = "Juniper Cloud Partners"
COBALT = "Cobalt Systems Integration"
ERRORS = "userErrors { field message code }"
INVITATION = "id status message distributorName inviteeName endReason respondedAt endedAt"
SELECT = f"invitation {{ {INVITATION} }} {ERRORS}"
ACCEPTED = f"invitation {{ {INVITATION} }} partner {{ name identities }} {ERRORS}"
ENDED = f"reseller {{ name }} invitation {{ {INVITATION} }} reclaimedQuotas {{ id status }} {ERRORS}"

SENT = """query($status: ResellerInvitationStatus) { viewer { partner { resellerInvitations(first: 100, filter: {status: $status}) {
    nodes { id status inviteeName invitee { name } } } resellers(first: 100) { nodes { name } } } } }"""
RECEIVED = """{ viewer { partner { identities receivedResellerInvitations(first: 100) {
    nodes { id status distributorName distributor { name } message } } programs { program joinedBy { name } } } } }"""
PARTNER = """query($id: ID!) { node(id: $id) { ... on Partner { name identities parentDistributor { name }
    programs { program joinedBy { name } } } } }"""
NODE = f"""query($id: ID!) {{ node(id: $id) {{ ... on ResellerInvitation {{ {INVITATION} }} }} }}"""


# --- steps -------------------------------------------------------------------------------------------

async def invite(caller: Caller, invitee: Partner | str, message: str | None = None) -> Mutated:
    invitee_id = invitee if isinstance(invitee, str) else gid("Partner", invitee.id)
    return await mutate(caller, "resellerInvite", {"inviteeId": invitee_id, **({"message": message} if message else {})},
                        select=SELECT)


async def act(caller: Caller, field: str, invitation: str, **extra: Any) -> Mutated:
    return await mutate(caller, field, {"invitationId": invitation, **extra}, select=ACCEPTED if field.endswith("Accept") else SELECT)


async def end(caller: Caller, reseller: Partner, reason: str = "The reseller left the channel.", **extra: Any) -> Mutated:
    return await mutate(caller, "resellerAssociationEnd", {"resellerId": gid("Partner", reseller.id), "reason": reason, **extra},
                        select=ENDED)


def ok(done: Mutated) -> dict[str, Any]:
    assert done.errors == [] and done.codes == [], done.response.body
    return done.payload


async def invited(caller: Caller, invitee: Partner, message: str | None = None) -> str:
    """A new PENDING invitation's global ID."""
    return ok(await invite(caller, invitee, message))["invitation"]["id"]


async def join(partner: Partner, program: ProgramCode, *, expires_in: float | None = 300, by: Account | None = None) -> None:
    await PartnerProgram.create(partner=partner, program=program, joined_at=days(-30), joined_by=by,
                                expires_at=days(expires_in) if expires_in is not None else None)


async def candidate(*identities: I, region: str = "cn-north-4", programs: tuple[ProgramCode, ...] = (ProgramCode.DISTRIBUTION_PROGRAM,),
                    **overrides: Any) -> tuple[Partner, Account]:
    """A partner of the test's own that Northwind may invite (unless the arguments say otherwise), and its main account."""
    partner = await create_partner(*(identities or (I.RESELLER,)), region=region, **overrides)
    admin = await create_main_account(partner)
    for program in programs:
        await join(partner, program, by=admin)
    return partner, admin


async def distributor(gql: GraphQLClient) -> tuple[Partner, Caller]:
    """Another distributor in Northwind's region, with its main account as a Caller."""
    partner, admin = await candidate(I.DISTRIBUTOR)
    return partner, Caller(gql, admin.name)


async def state(*partners: Partner) -> tuple[Any, ...]:
    """What the channel holds about these partners: their managers and identities, the invitations they sent or received."""
    ids = [p.id for p in partners]
    rows = await Partner.filter(id__in=ids).order_by("id").values_list("id", "parent_distributor_id", "identities")
    invitations = await ResellerInvitation.filter(Q(distributor_id__in=ids) | Q(invitee_id__in=ids)).order_by("id").values_list(
        "id", "status", "responded_by_id", "responded_at", "ended_at", "end_reason")
    return tuple(rows), tuple(invitations)


async def status_of(invitation: str) -> ResellerInvitationStatus:
    return (await ResellerInvitation.get(id=pk_of(invitation))).status


ANSWER = ("status", "responded_by_id", "responded_at", "ended_at", "end_reason")


@contextlib.asynccontextmanager
async def put_back(name: str) -> AsyncIterator[Partner]:
    """A demo partner the test changes, restored as it was afterwards with the invitations it had
    received (those the test made are deleted), for the tests that share the demo database."""
    partner = await partner_named(name)
    earlier = await ResellerInvitation.filter(invitee_id=partner.id).values("id", *ANSWER)
    try:
        yield partner
    finally:
        await Partner.filter(id=partner.id).update(parent_distributor_id=partner.parent_distributor_id, identities=partner.identities)
        await ResellerInvitation.filter(invitee_id=partner.id).exclude(id__in=[row["id"] for row in earlier]).delete()
        for row in earlier:
            await ResellerInvitation.filter(id=row["id"]).update(**{field: row[field] for field in ANSWER})


async def withdraw_pending(caller: Caller, distributor_name: str, invitee: Partner) -> None:
    """Withdraw what the seed left pending from this distributor to `invitee`, so the test invites afresh."""
    for row in await ResellerInvitation.filter(distributor__name=distributor_name, invitee_id=invitee.id, status=PENDING):
        ok(await act(caller, "resellerInvitationWithdraw", gid("ResellerInvitation", row.id)))


# --- the demo's candidates ---------------------------------------------------------------------------

async def test_juniper_accepts_and_becomes_northwinds_reseller(as_distributor_admin, as_distributor_sysadmin, as_juniper_admin,
                                                               as_staff_operations):
    async with put_back(JUNIPER) as juniper:
        await withdraw_pending(as_distributor_admin, NORTHWIND, juniper)
        sent = ok(await invite(as_distributor_admin, juniper, "Join the Northwind channel."))["invitation"]
        assert (sent["status"], sent["inviteeName"], sent["distributorName"], sent["message"]) == (
            "PENDING", JUNIPER, NORTHWIND, "Join the Northwind channel.")

        listed = (await as_distributor_admin.query(SENT, {"status": "PENDING"})).ok()["viewer"]["partner"]
        mine = {n["id"]: n for n in listed["resellerInvitations"]["nodes"]}[sent["id"]]
        assert (mine["inviteeName"], mine["invitee"]) == (JUNIPER, None)  # not its reseller yet: the name only
        received = (await as_juniper_admin.query(RECEIVED)).ok()["viewer"]["partner"]
        theirs = {n["id"]: n for n in received["receivedResellerInvitations"]["nodes"]}[sent["id"]]
        assert (theirs["status"], theirs["distributorName"], theirs["distributor"]) == ("PENDING", NORTHWIND, None)
        # Partner.programs shows who joined each program: Juniper's main account joined the distribution program.
        assert {"program": "DISTRIBUTION_PROGRAM", "joinedBy": {"name": "juniper.admin"}} in received["programs"]

        accepted = ok(await act(as_juniper_admin, "resellerInvitationAccept", sent["id"]))
        assert accepted["invitation"]["status"] == "ACCEPTED" and accepted["invitation"]["respondedAt"]
        assert accepted["partner"] == {"name": JUNIPER, "identities": ["RESELLER"]}
        row = await Partner.get(id=juniper.id)
        northwind = await partner_named(NORTHWIND)
        assert (row.parent_distributor_id, row.identities) == (northwind.id, ["RESELLER"])
        invitation = await ResellerInvitation.get(id=pk_of(sent["id"]))
        assert invitation.responded_by_id == (await as_juniper_admin.account()).id

        seen = (await as_staff_operations.query(PARTNER, {"id": gid("Partner", juniper.id)})).ok()["node"]
        assert seen["parentDistributor"] == {"name": NORTHWIND}
        assert {"program": "DISTRIBUTION_PROGRAM", "joinedBy": {"name": "juniper.admin"}} in seen["programs"]
        listed = (await as_distributor_admin.query(SENT, {"status": "ACCEPTED"})).ok()["viewer"]["partner"]
        assert JUNIPER in {n["name"] for n in listed["resellers"]["nodes"]}
        mine = {n["id"]: n for n in listed["resellerInvitations"]["nodes"]}[sent["id"]]
        assert mine["invitee"] == {"name": JUNIPER}  # its reseller now: the distributor reads it
        # The distributor reads its reseller's programs, not who in the reseller joined them.
        as_seen_by_distributor = (await as_distributor_admin.query(PARTNER, {"id": gid("Partner", juniper.id)})).ok()["node"]
        assert {"program": "DISTRIBUTION_PROGRAM", "joinedBy": None} in as_seen_by_distributor["programs"]

        # Northwind has verification codes on: ending the association takes one.
        before = await state(juniper)
        assert (await end(as_distributor_sysadmin, juniper)).codes == ["VERIFICATION_FAILED"]
        assert await state(juniper) == before
        code = await create_verification_code(await as_distributor_sysadmin.account(), VerificationPurpose.RESELLER_RELEASE)
        ended = ok(await end(as_distributor_sysadmin, juniper, "Juniper resells under its own contract.", verificationCode=code))
        assert ended["reseller"] == {"name": JUNIPER} and ended["reclaimedQuotas"] == []
        assert (ended["invitation"]["id"], ended["invitation"]["status"], ended["invitation"]["endReason"]) == (
            sent["id"], "ENDED", "Juniper resells under its own contract.")
        assert ended["invitation"]["endedAt"]
        assert (await Partner.get(id=juniper.id)).parent_distributor_id is None
        listed = (await as_distributor_admin.query(SENT)).ok()["viewer"]["partner"]
        assert JUNIPER not in {n["name"] for n in listed["resellers"]["nodes"]}


async def test_cobalt_gives_up_solution_provider_to_become_a_reseller(as_distributor_admin, as_distributor_sysadmin, as_cobalt_admin):
    async with put_back(COBALT) as cobalt:
        assert cobalt.identities == ["SOLUTION_PROVIDER"]
        await withdraw_pending(as_distributor_admin, NORTHWIND, cobalt)
        sent = await invited(as_distributor_admin, cobalt)
        accepted = ok(await act(as_cobalt_admin, "resellerInvitationAccept", sent))
        assert accepted["partner"] == {"name": COBALT, "identities": ["RESELLER"]}
        row = await Partner.get(id=cobalt.id)
        assert row.identities == ["RESELLER"] and row.parent_distributor_id == (await partner_named(NORTHWIND)).id
        assert (await as_cobalt_admin.query(RECEIVED)).ok()["viewer"]["partner"]["identities"] == ["RESELLER"]

        code = await create_verification_code(await as_distributor_sysadmin.account(), VerificationPurpose.RESELLER_RELEASE)
        ok(await end(as_distributor_sysadmin, cobalt, verificationCode=code))
        # Released, it stays a reseller: the solution-provider program it had is over.
        assert (await Partner.get(id=cobalt.id)).identities == ["RESELLER"]
        assert await status_of(sent) is ResellerInvitationStatus.ENDED


# --- declining and withdrawing -------------------------------------------------------------------------

async def test_the_invitee_declines_and_the_distributor_withdraws(gql, as_distributor_admin):
    declining, admin = await candidate()
    invitee = Caller(gql, admin.name)
    first = await invited(as_distributor_admin, declining, "Resell with us.")
    declined = ok(await act(invitee, "resellerInvitationDecline", first, reason="We resell for another distributor soon."))
    assert (declined["invitation"]["status"], declined["invitation"]["endReason"]) == ("DECLINED", "We resell for another distributor soon.")
    row = await ResellerInvitation.get(id=pk_of(first))
    assert row.responded_by_id == admin.id and row.responded_at is not None
    seen = (await as_distributor_admin.query(NODE, {"id": first})).ok()["node"]
    assert (seen["status"], seen["endReason"], seen["inviteeName"]) == ("DECLINED", "We resell for another distributor soon.", declining.name)
    before = await state(declining)
    for caller, field in ((invitee, "resellerInvitationDecline"), (invitee, "resellerInvitationAccept"),
                          (as_distributor_admin, "resellerInvitationWithdraw")):
        assert (await act(caller, field, first)).codes == ["INVALID_STATE"], field
    assert await state(declining) == before
    # Declined is answered: the distributor may ask again.
    again = await invited(as_distributor_admin, declining)

    withdrawn = ok(await act(as_distributor_admin, "resellerInvitationWithdraw", again))["invitation"]
    assert withdrawn["status"] == "WITHDRAWN" and withdrawn["respondedAt"] is None
    before = await state(declining)
    for caller, field in ((invitee, "resellerInvitationAccept"), (invitee, "resellerInvitationDecline"),
                          (as_distributor_admin, "resellerInvitationWithdraw")):
        refused = await act(caller, field, again)
        assert refused.codes == ["INVALID_STATE"] and refused["invitation"] is None, field
    assert await state(declining) == before
    assert (await Partner.get(id=declining.id)).parent_distributor_id is None

    reason = (await act(invitee, "resellerInvitationDecline", await invited(as_distributor_admin, declining), reason="x" * 501))
    assert reason.codes == ["TOO_LONG"]


# --- who may be invited ----------------------------------------------------------------------------------

async def test_invitations_the_rules_refuse_change_nothing(gql, as_distributor_admin):
    northwind = await partner_named(NORTHWIND)
    other, _ = await distributor(gql)
    cases: list[tuple[str, Partner | str, str]] = [
        ("another region", (await candidate(region="cn-south-1"))[0], "NOT_FOUND"),
        ("not in the reseller program", (await candidate(programs=()))[0], "NOT_FOUND"),
        ("in the Yanxuan program only", (await candidate(programs=(ProgramCode.YANXUAN_RESALE_PROGRAM,)))[0], "NOT_FOUND"),
        ("managed by another distributor", (await candidate(parent_distributor=other))[0], "NOT_FOUND"),
        ("already yours", await partner_named("Harbor Lane Cloud Services"), "CONFLICT"),
        ("an active solution provider", (await candidate(I.SOLUTION_PROVIDER, programs=(
            ProgramCode.DISTRIBUTION_PROGRAM, ProgramCode.SOLUTION_PROVIDER_PROGRAM)))[0], "NOT_FOUND"),
        ("a solution provider that never had the program", (await candidate(I.SOLUTION_PROVIDER))[0], "NOT_FOUND"),
        ("a demo solution provider elsewhere", await partner_named("Lattice Solutions"), "NOT_FOUND"),
        ("a service partner", (await candidate(I.SERVICE_PARTNER))[0], "NOT_FOUND"),
        ("a distributor", other, "NOT_FOUND"),
        ("itself", northwind, "NOT_ALLOWED"),
        ("no such partner", gid("Partner", 2**31 - 1), "NOT_FOUND"),
        ("not a partner's ID", gid("Account", 1), "NOT_FOUND"),
    ]
    expired, _ = await candidate(programs=())
    await join(expired, ProgramCode.DISTRIBUTION_PROGRAM, expires_in=-1)
    cases.append(("its reseller program expired", expired, "NOT_FOUND"))
    partners = [p for _, p, _ in cases if isinstance(p, Partner)]
    before = await state(*partners)
    missing = (await invite(as_distributor_admin, gid("Partner", 2**31 - 1))).payload["userErrors"][0]["message"]
    for what, invitee, code in cases:
        refused = await invite(as_distributor_admin, invitee)
        assert refused.errors == [] and refused.codes == [code], (what, refused.response.body)
        assert refused["invitation"] is None and refused.payload["userErrors"][0]["field"] == ["inviteeId"], what
        if code == "NOT_FOUND" and isinstance(invitee, Partner):
            # Nothing about a partner the distributor may not invite: the answer for a missing ID.
            assert refused.payload["userErrors"][0]["message"] == missing, what
    assert await state(*partners) == before

    fine, _ = await candidate()
    assert (await invite(as_distributor_admin, fine, "x" * 501)).codes == ["TOO_LONG"]
    first = await invited(as_distributor_admin, fine)
    before = await state(fine)
    assert (await invite(as_distributor_admin, fine)).codes == ["CONFLICT"]  # one PENDING invitation at a time
    assert await state(fine) == before
    # Another distributor may invite it as well: the first acceptance decides.
    other_admin = await Account.get(partner_id=other.id)
    await invited(Caller(gql, other_admin.name), fine)
    assert await ResellerInvitation.filter(invitee_id=fine.id, status=PENDING).count() == 2
    assert await status_of(first) is PENDING


async def test_who_may_act_on_an_invitation(gql, as_distributor_admin, as_reseller_admin, as_finance_specialist, as_staff_operations,
                                            as_staff_finance, as_customer_acme, as_person_alice):
    invitee, admin = await candidate()
    sent = await invited(as_distributor_admin, invitee)
    before = await state(invitee)

    # Only distributors invite: the permission is theirs (and not every member's), and the service checks the identity too.
    for caller in (as_reseller_admin, as_finance_specialist):
        assert (await invite(caller, invitee)).response.codes == ["FORBIDDEN"], caller.name
    reseller = await principal_for((await as_reseller_admin.account()).id)
    with pytest.raises(Refusal) as refused:
        await services.invite(reseller, invitee_id=invitee.id, message=None)
    assert refused.value.code == "NOT_ALLOWED"

    # Only the invitee's admins answer; other partners' admins do not find it; the distributor cannot answer its own.
    member = Caller(gql, (await create_member(invitee)).name)
    for caller in (member, as_distributor_admin):
        for field in ("resellerInvitationAccept", "resellerInvitationDecline"):
            assert (await act(caller, field, sent)).response.codes == ["FORBIDDEN"], (caller.name, field)
    stranger = Caller(gql, (await candidate())[1].name)
    for field in ("resellerInvitationAccept", "resellerInvitationDecline"):
        assert (await act(stranger, field, sent)).codes == ["NOT_FOUND"], field
    # Another distributor cannot withdraw Northwind's invitation; the invitee cannot withdraw it either.
    _, other = await distributor(gql)
    assert (await act(other, "resellerInvitationWithdraw", sent)).codes == ["NOT_FOUND"]
    assert (await act(Caller(gql, admin.name), "resellerInvitationWithdraw", sent)).response.codes == ["FORBIDDEN"]
    # Ending an association is for the distributor's admins.
    assert (await end(as_finance_specialist, await partner_named("Harbor Lane Cloud Services"))).response.codes == ["FORBIDDEN"]
    assert await state(invitee) == before

    # Both sides' admins read it; nobody else does (a member without the permissions cannot even ask).
    for caller in (as_distributor_admin, Caller(gql, admin.name)):
        assert (await caller.query(NODE, {"id": sent})).ok()["node"]["id"] == sent, caller.name
    for caller in (member, as_reseller_admin, stranger, other, as_staff_finance, as_customer_acme, as_person_alice):
        assert (await caller.query(NODE, {"id": sent})).data["node"] is None, caller.name
    # The scoped read itself: both partners' members, operations staff (reseller.view); not other staff, customers, persons.
    for caller, reads in ((member, True), (as_staff_operations, True), (as_staff_finance, False), (as_customer_acme, False),
                          (as_person_alice, False), (as_reseller_admin, False)):
        principal = principal_for((await caller.account()).id)
        assert await readable_reseller_invitations(await principal).filter(id=pk_of(sent)).exists() is reads, caller.name


# --- accepting -----------------------------------------------------------------------------------------

async def test_accepting_checks_the_rules_again(gql, as_distributor_admin):
    invitee, admin = await candidate()
    answering = Caller(gql, admin.name)
    sent = await invited(as_distributor_admin, invitee)
    # The invitee's reseller program expired after the invitation went out.
    await PartnerProgram.filter(partner_id=invitee.id).update(expires_at=days(-1))
    before = await state(invitee)
    refused = await act(answering, "resellerInvitationAccept", sent)
    assert refused.codes == ["NOT_ALLOWED"] and refused["invitation"] is None
    assert await state(invitee) == before and await status_of(sent) is PENDING
    await PartnerProgram.filter(partner_id=invitee.id).update(expires_at=days(300))

    # Managed meanwhile by another distributor: the invitation stays PENDING and can no longer be accepted.
    other, other_admin = await distributor(gql)
    theirs = await invited(other_admin, invitee)
    ok(await act(answering, "resellerInvitationAccept", theirs))
    before = await state(invitee)
    assert (await act(answering, "resellerInvitationAccept", sent)).codes == ["CONFLICT"]
    assert (await act(answering, "resellerInvitationAccept", theirs)).codes == ["INVALID_STATE"]  # twice
    assert await state(invitee) == before
    assert (await Partner.get(id=invitee.id)).parent_distributor_id == other.id and await status_of(sent) is PENDING
    # The answer left to give is no; the distributor may still withdraw.
    ok(await act(answering, "resellerInvitationDecline", sent))

    # A solution provider that renewed its program before accepting stays one.
    provider, provider_admin = await candidate(I.SOLUTION_PROVIDER)
    await join(provider, ProgramCode.SOLUTION_PROVIDER_PROGRAM, expires_in=-5)
    offer = await invited(as_distributor_admin, provider)
    await PartnerProgram.filter(partner_id=provider.id, program=ProgramCode.SOLUTION_PROVIDER_PROGRAM).update(expires_at=days(360))
    before = await state(provider)
    assert (await act(Caller(gql, provider_admin.name), "resellerInvitationAccept", offer)).codes == ["NOT_ALLOWED"]
    assert await state(provider) == before


async def test_two_invitations_accepted_at_once_make_one_reseller(gql):
    for _ in range(3):
        invitee, admin = await candidate()
        (one, one_admin), (other, other_admin) = await distributor(gql), await distributor(gql)
        offers = {one.id: await invited(one_admin, invitee), other.id: await invited(other_admin, invitee)}
        answers = await asyncio.gather(*(act(Caller(gql, admin.name), "resellerInvitationAccept", offer) for offer in offers.values()))
        winners = [distributor_id for (distributor_id, _), answer in zip(offers.items(), answers, strict=True) if answer.codes == []]
        losers = [answer for answer in answers if answer.codes != []]
        assert len(winners) == 1 and len(losers) == 1, [a.response.body for a in answers]
        assert losers[0].codes == ["CONFLICT"] and losers[0]["invitation"] is None
        assert (await Partner.get(id=invitee.id)).parent_distributor_id == winners[0]
        statuses = {d: await status_of(offer) for d, offer in offers.items()}
        assert statuses == {d: ResellerInvitationStatus.ACCEPTED if d == winners[0] else PENDING for d in offers}


# --- ending an association -------------------------------------------------------------------------------

async def test_ending_an_association_takes_the_allocated_quotas_back(gql):
    owner = await create_issuer(I.DISTRIBUTOR, total="10000.00")
    await join(owner.partner, ProgramCode.DISTRIBUTION_PROGRAM)
    distributor_admin = Caller(gql, owner.name)
    invitee, admin = await candidate()
    sent = await invited(distributor_admin, invitee)
    ok(await act(Caller(gql, admin.name), "resellerInvitationAccept", sent))

    children = []
    for amount in ("1000.00", "500.00", "200.00"):
        allocated = (await distributor_admin.query(ALLOCATE, {"input": {"quotaId": owner.quota_id, "allocations": [
            {"resellerId": gid("Partner", invitee.id), "amount": amount}]}})).ok()["couponQuotaAllocate"]
        assert allocated["userErrors"] == []
        children.append(await CouponQuota.get(id=pk_of(allocated["quotas"][0]["id"])))
    issued, frozen, adjusting = children
    [customer] = await create_customers(invitee, 1)
    await create_coupon(issued, customer, face="300.00")
    await CouponQuota.filter(id=frozen.id).update(status=QuotaStatus.FROZEN)
    await CouponQuota.filter(id=adjusting.id).update(status=QuotaStatus.ADJUSTING)  # not reclaimable: it stays
    assert (await CouponQuota.get(id=owner.quota.id)).used == Decimal("1700.00")

    before = await state(invitee)
    for reason, code in (("", "REQUIRED"), ("x" * 501, "TOO_LONG")):
        assert (await end(distributor_admin, invitee, reason)).codes == [code]
    assert await state(invitee) == before

    ended = ok(await end(distributor_admin, invitee, "The reseller stopped trading."))
    assert ended["invitation"]["status"] == "ENDED" and ended["invitation"]["endReason"] == "The reseller stopped trading."
    assert [q["id"] for q in ended["reclaimedQuotas"]] == [gid("CouponQuota", issued.id), gid("CouponQuota", frozen.id)]
    assert {q["status"] for q in ended["reclaimedQuotas"]} == {"INVALID"}
    rows = {q.id: q for q in await CouponQuota.filter(id__in=[c.id for c in children])}
    assert (rows[issued.id].status, rows[issued.id].total, rows[issued.id].used) == (QuotaStatus.INVALID, Decimal("300.00"), Decimal("300.00"))
    assert (rows[frozen.id].status, rows[frozen.id].total) == (QuotaStatus.INVALID, Decimal("0.00"))
    assert (rows[adjusting.id].status, rows[adjusting.id].total) == (QuotaStatus.ADJUSTING, Decimal("200.00"))
    # The distributor's quota got back what the reseller had not issued: 700 + 500.
    assert (await CouponQuota.get(id=owner.quota.id)).used == Decimal("500.00")
    records = await CouponOperation.filter(type=Op.QUOTA_RECLAIM, quota_id__in=[c.id for c in children]).order_by("quota_id")
    assert [(r.quota_id, r.amount, r.partner_id, r.operator_id) for r in records] == [
        (issued.id, Decimal("700.00"), owner.partner.id, owner.account.id), (frozen.id, Decimal("500.00"), owner.partner.id, owner.account.id)]
    row = await ResellerInvitation.get(id=pk_of(sent))
    assert row.status is ResellerInvitationStatus.ENDED and row.ended_at is not None
    assert (await Partner.get(id=invitee.id)).parent_distributor_id is None

    before = await state(invitee)
    assert (await end(distributor_admin, invitee)).codes == ["NOT_FOUND"]  # no longer its reseller
    assert await state(invitee) == before
    # Released, it may be invited again.
    assert await invited(distributor_admin, invitee)


async def test_a_reseller_associated_without_an_invitation_can_be_released(gql):
    distribution = await create_distribution(resellers=2)
    reseller, kept = distribution.resellers
    ended = ok(await end(Caller(gql, distribution.name), reseller))
    assert ended["invitation"] is None and ended["reclaimedQuotas"] == []
    assert (await Partner.get(id=reseller.id)).parent_distributor_id is None
    assert (await Partner.get(id=kept.id)).parent_distributor_id == distribution.distributor.partner.id
    # Someone else's reseller is not found.
    _, other = await distributor(gql)
    before = await state(kept)
    assert (await end(other, kept)).codes == ["NOT_FOUND"]
    assert await state(kept) == before


# --- the demo data -----------------------------------------------------------------------------------------

class _RolledBack(Exception):
    pass


async def test_the_demo_invitations_agree_with_who_manages_whom(demo_db):
    """seed_channel on the demo partners (in a transaction rolled back after, so the shared database
    stays as it was): every status once at least, an ACCEPTED invitation per reseller Northwind
    manages, PENDING ones the rules would let it send today, and dates in order."""
    ctx = DemoContext(now=reference_now(None))
    ctx.partners = {handle: await Partner.get(name=name) for handle, name, *_ in PARTNERS}
    ctx.accounts = {name: await Account.get(name=name) for name, _ in MAIN_ACCOUNTS.values()}
    northwind = ctx.partners["distributor"]
    with pytest.raises(_RolledBack):
        async with in_transaction():
            first = await ResellerInvitation.all().order_by("-id").values_list("id", flat=True)
            await seed_channel(ctx)
            rows = await ResellerInvitation.filter(id__gt=first[0] if first else 0).order_by("id")
            assert {row.status for row in rows} == set(ResellerInvitationStatus)
            demo = [p.id for p in ctx.partners.values()]
            managed = {p.id for p in await Partner.filter(parent_distributor_id=northwind.id, id__in=demo)}
            accepted = [row.invitee_id for row in rows if row.status is ResellerInvitationStatus.ACCEPTED]
            assert sorted(accepted) == sorted(managed)
            for row in rows:
                assert row.distributor_id == northwind.id and row.invited_by_id == ctx.accounts["distributor.admin"].id
                invitee = await Partner.get(id=row.invitee_id)
                if row.status is PENDING:
                    await check_invitee(northwind, invitee, ctx.now, field="inviteeId")
                answered = row.status in {ResellerInvitationStatus.ACCEPTED, ResellerInvitationStatus.DECLINED,
                                          ResellerInvitationStatus.ENDED}
                assert (row.responded_at is not None) is answered and (row.responded_by_id is not None) is answered
                assert (row.ended_at is not None) is (row.status is ResellerInvitationStatus.ENDED)
                assert row.created_at <= (row.responded_at or row.created_at) <= (row.ended_at or row.responded_at or row.created_at)
            raise _RolledBack
