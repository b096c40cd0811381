"""Association management on SQLite and PostgreSQL: account managers and their supervisors, the
association type, disassociation under the cooling rule with its coupon reclaim, the customer's own
requests, and the association records — every refusal with its code and nothing changed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from models.coupons import Coupon, CouponOperation, CouponOperationType, CouponQuota, CouponStatus
from models.customers import (
    AssociationOperation,
    AssociationRecord,
    AssociationType,
    AuthorizationStatus,
    Customer,
    CustomerStatus,
    DisassociationRequest,
    DisassociationRequestStatus,
    OnBehalfAuthorization,
)
from models.members import Account, PresetRole
from models.safeguards import VerificationPurpose
from resolvers.customers.association_services import months_before
from resolvers.customers.authorization_services import OPEN
from tests.callers import Caller, mutate
from tests.customers.support import World, create_customer_account, create_world
from tests.factories import create_coupon, create_customer, create_member, create_verification_code
from tests.graphql import gid, pk_of

RECORDS = """query($filter: AssociationRecordFilter) { viewer { partner { associationRecords(first: 50, filter: $filter) {
  totalCount nodes { operation before after detail customer { id } operator { name } } } } } }"""
BOOK = "{ viewer { partner { customers(first: 50) { nodes { id } } } } }"


async def _snapshot(world: World) -> tuple:
    customer = await Customer.get(id=world.resale.id)
    quota = await CouponQuota.get(id=world.quota.id)
    return (customer.status, customer.association_type, customer.account_manager_id, quota.used,
            await AssociationRecord.filter(customer_id=customer.id).count(),
            await Coupon.filter(customer_id=customer.id, status=CouponStatus.AVAILABLE).count())


async def _coupons(world: World, count: int = 2) -> list[Coupon]:
    """AVAILABLE coupons of 100.00 on the world's customer, charged to its quota as issuing does."""
    coupons = [await create_coupon(world.quota, world.resale, face="100.00", used="30.00") for _ in range(count)]
    await CouponQuota.filter(id=world.quota.id).update(used=Decimal("100.00") * count)
    return coupons


async def test_account_manager_and_supervisor(gql) -> None:
    world = await create_world(gql)
    manager = await create_member(world.partner, PresetRole.ACCOUNT_MANAGER)
    lead = await create_member(world.partner, PresetRole.ACCOUNT_MANAGER_SUPERVISOR)
    plain = await create_member(world.partner)

    assigned = await mutate(world.admin, "customerAccountManagerSet",
                            {"customerId": world.customer_id, "accountManagerId": gid("Account", manager.id)})
    assert assigned.codes == [] and assigned["customer"]["id"] == world.customer_id
    assert (await Customer.get(id=world.resale.id)).account_manager_id == manager.id

    # The supervisor sees the customer once the account manager is put under it.
    lead_caller = Caller(gql, lead.name)
    assert world.customer_id not in str((await lead_caller.query(BOOK)).ok())
    supervised = await mutate(world.admin, "accountManagerSupervisorSet",
                              {"accountManagerId": gid("Account", manager.id), "supervisorId": gid("Account", lead.id)})
    assert supervised.codes == [] and (await Account.get(id=manager.id)).supervisor_id == lead.id
    assert world.customer_id in str((await lead_caller.query(BOOK)).ok())

    before = await _snapshot(world)
    refusals = [
        ("customerAccountManagerSet", {"customerId": world.customer_id, "accountManagerId": gid("Account", plain.id)}, "NOT_ALLOWED"),
        ("customerAccountManagerSet", {"customerId": world.customer_id, "accountManagerId": gid("Account", manager.id)}, "INVALID"),
        ("accountManagerSupervisorSet", {"accountManagerId": gid("Account", plain.id), "supervisorId": gid("Account", lead.id)}, "NOT_ALLOWED"),
        ("accountManagerSupervisorSet", {"accountManagerId": gid("Account", manager.id), "supervisorId": gid("Account", plain.id)}, "NOT_ALLOWED"),
        ("accountManagerSupervisorSet", {"accountManagerId": gid("Account", manager.id), "supervisorId": gid("Account", manager.id)}, "INVALID"),
    ]
    other = await create_world(gql)
    refusals.append(("customerAccountManagerSet", {"customerId": other.customer_id, "accountManagerId": None}, "NOT_FOUND"))
    for field, values, code in refusals:
        answer = await mutate(world.admin, field, values)
        assert answer.codes == [code], (field, values, answer.response.body)
    assert await _snapshot(world) == before and (await Account.get(id=manager.id)).supervisor_id == lead.id

    removed = await mutate(world.admin, "customerAccountManagerSet", {"customerId": world.customer_id, "accountManagerId": None})
    assert removed.codes == [] and (await Customer.get(id=world.resale.id)).account_manager_id is None
    records = (await world.admin.query(RECORDS, {"filter": {"operation": "ACCOUNT_MANAGER_CHANGED"}})).ok()
    changes = [(n["before"], n["after"]) for n in records["viewer"]["partner"]["associationRecords"]["nodes"]]
    assert changes == [(manager.name, ""), ("", manager.name)]  # newest first


async def test_only_admins_manage_associations(gql) -> None:
    world = await create_world(gql)
    manager = Caller(gql, (await create_member(world.partner, PresetRole.ACCOUNT_MANAGER)).name)
    before = await _snapshot(world)
    for field, values in (
        ("customerAssociationTypeSwitch", {"customerId": world.customer_id, "associationType": "REFERRAL"}),
        ("customerDisassociate", {"customerId": world.customer_id, "reason": "x"}),
        ("customerAccountManagerSet", {"customerId": world.customer_id, "accountManagerId": None}),
    ):
        denied = await manager.query(
            f"mutation($input: {field[0].upper()}{field[1:]}Input!) {{ {field}(input: $input) {{ userErrors {{ code }} }} }}",
            {"input": values})
        assert denied.codes == ["FORBIDDEN"], field
    assert await _snapshot(world) == before


async def test_switching_to_referral_reclaims_the_coupons(gql) -> None:
    world = await create_world(gql)
    coupons = await _coupons(world)
    switched = await mutate(world.admin, "customerAssociationTypeSwitch", {"customerId": world.customer_id, "associationType": "REFERRAL"})
    assert switched.codes == [] and switched["customer"]["associationType"] == "REFERRAL"
    assert {c.status for c in await Coupon.filter(id__in=[c.id for c in coupons])} == {CouponStatus.RECLAIMED}
    assert (await CouponQuota.get(id=world.quota.id)).used == Decimal("60.00")  # what was used stays used
    ops = await CouponOperation.filter(customer_id=world.resale.id, type=CouponOperationType.SWITCH_RECLAIM)
    assert sorted(o.amount for o in ops) == [Decimal("70.00")] * 2
    assert (await mutate(world.admin, "customerAssociationTypeSwitch",
                         {"customerId": world.customer_id, "associationType": "REFERRAL"})).codes == ["INVALID"]
    back = await mutate(world.admin, "customerAssociationTypeSwitch", {"customerId": world.customer_id, "associationType": "RESALE"})
    assert back.codes == [] and (await Customer.get(id=world.resale.id)).association_type is AssociationType.RESALE
    kinds = [r.operation for r in await AssociationRecord.filter(customer_id=world.resale.id).order_by("id")]
    assert kinds == [AssociationOperation.TYPE_SWITCHED] * 2


async def test_disassociation_reclaims_every_available_coupon(gql) -> None:
    world = await create_world(gql)
    coupons = await _coupons(world, 3)
    done = await mutate(world.admin, "customerDisassociate", {"customerId": world.customer_id, "reason": "Contract ended."})
    assert done.codes == [] and done["customer"]["status"] == "DISASSOCIATED" and done["customer"]["disassociatedAt"]
    assert {c.status for c in await Coupon.filter(id__in=[c.id for c in coupons])} == {CouponStatus.RECLAIMED}
    assert (await CouponQuota.get(id=world.quota.id)).used == Decimal("90.00")
    reclaims = await CouponOperation.filter(customer_id=world.resale.id, type=CouponOperationType.DISASSOCIATION_RECLAIM)
    assert len(reclaims) == 3
    [record] = await AssociationRecord.filter(customer_id=world.resale.id)
    assert record.operation is AssociationOperation.DISASSOCIATED and "3 coupon(s) reclaimed" in record.detail
    # A disassociated customer takes no more changes and no coupons.
    before = await _snapshot(world)
    again = await mutate(world.admin, "customerDisassociate", {"customerId": world.customer_id, "reason": "again"})
    assert again.codes == ["INVALID_STATE"]
    issued = await mutate(world.admin, "couponIssue", {"quotaId": gid("CouponQuota", world.quota.id),
                                                       "customerIds": [world.customer_id], "faceValue": "10.00"})
    assert issued.codes == ["INVALID_STATE"]
    assert (await world.request()).codes == ["INVALID_STATE"]
    assert await _snapshot(world) == before


@pytest.mark.parametrize(("offset", "allowed"), [(timedelta(minutes=-1), False), (timedelta(minutes=1), True)])
async def test_the_cooling_rule_boundary(gql, offset: timedelta, allowed: bool) -> None:
    """A request exactly three months minus a minute ago still blocks; three months plus a minute ago
    no longer does. (`offset` moves the request: later is inside the window.)"""
    world = await create_world(gql)
    requested_at = months_before(datetime.now(UTC), 3) - offset
    await DisassociationRequest.create(partner_id=world.partner.id, customer_id=world.resale.id, reason="Leaving.",
                                       status=DisassociationRequestStatus.REJECTED, requested_at=requested_at)
    before = await _snapshot(world)
    for field, values in (("customerAssociationTypeSwitch", {"associationType": "REFERRAL"}),
                          ("customerDisassociate", {"reason": "Cooling check."})):
        answer = await mutate(world.admin, field, {"customerId": world.customer_id, **values})
        if allowed:
            assert answer.codes == [], answer.response.body
        else:
            assert answer.codes == ["NOT_ALLOWED"] and "cooling rule" in answer.payload["userErrors"][0]["message"]
            assert await _snapshot(world) == before


def test_months_before_counts_calendar_months() -> None:
    assert months_before(datetime(2026, 5, 31, 9, 30, tzinfo=UTC), 3) == datetime(2026, 2, 28, 9, 30, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 3) == datetime(2025, 10, 15, tzinfo=UTC)
    assert months_before(datetime(2028, 5, 29, tzinfo=UTC), 3) == datetime(2028, 2, 29, tzinfo=UTC)


async def test_verification_codes_when_the_partner_has_them_on(gql) -> None:
    world = await create_world(gql, codes=True)
    await _coupons(world, 1)
    admin = await world.admin.account()
    before = await _snapshot(world)
    refused = await mutate(world.admin, "customerDisassociate", {"customerId": world.customer_id, "reason": "x"})
    assert refused.codes == ["VERIFICATION_FAILED"] and await _snapshot(world) == before
    wrong_purpose = await create_verification_code(admin, VerificationPurpose.CUSTOMER_ASSOCIATION)
    refused = await mutate(world.admin, "customerDisassociate", {"customerId": world.customer_id, "reason": "x",
                                                                 "verificationCode": wrong_purpose})
    assert refused.codes == ["VERIFICATION_FAILED"] and await _snapshot(world) == before
    switched = await mutate(world.admin, "customerAssociationTypeSwitch", {
        "customerId": world.customer_id, "associationType": "REFERRAL", "verificationCode": wrong_purpose})
    assert switched.codes == []
    done = await mutate(world.admin, "customerDisassociate", {
        "customerId": world.customer_id, "reason": "x",
        "verificationCode": await create_verification_code(admin, VerificationPurpose.CUSTOMER_DISASSOCIATION)})
    assert done.codes == []


async def test_the_customers_own_request_reaches_the_admin(gql) -> None:
    world = await create_world(gql)
    asked = await mutate(world.customer, "customerDisassociationRequest", {"customerId": world.customer_id, "reason": "Cheaper elsewhere."})
    assert asked.codes == [] and asked["request"]["status"] == "PENDING"
    assert (await mutate(world.customer, "customerDisassociationRequest",
                         {"customerId": world.customer_id, "reason": "again"})).codes == ["CONFLICT"]
    # The partner cannot ask for its customer; it handles the request.
    denied = await world.admin.query('mutation { customerDisassociationRequest(input: {customerId: "x", reason: "x"}) '
                                     "{ userErrors { code } } }")
    assert denied.codes == ["FORBIDDEN"]
    pending = (await world.admin.query("{ viewer { partner { disassociationRequests(first: 5, filter: {status: PENDING}) "
                                       "{ nodes { id reason customer { id } } } } } }")).ok()
    [shown] = pending["viewer"]["partner"]["disassociationRequests"]["nodes"]
    assert (shown["reason"], shown["customer"]["id"]) == ("Cheaper elsewhere.", world.customer_id)

    # Within the cooling window the partner cannot disassociate on its own initiative...
    assert (await mutate(world.admin, "customerDisassociate", {"customerId": world.customer_id, "reason": "x"})).codes == ["NOT_ALLOWED"]
    # ...declining needs a reason, and then the customer sees the answer.
    assert (await mutate(world.admin, "customerDisassociationRequestHandle", {"id": shown["id"], "approve": False})).codes == ["REQUIRED"]
    declined = await mutate(world.admin, "customerDisassociationRequestHandle",
                            {"id": shown["id"], "approve": False, "response": "Let us talk first."})
    assert declined.codes == [] and declined["request"]["status"] == "REJECTED"
    assert (await mutate(world.admin, "customerDisassociationRequestHandle", {"id": shown["id"], "approve": True})).codes == ["INVALID_STATE"]

    asked = await mutate(world.customer, "customerDisassociationRequest", {"customerId": world.customer_id, "reason": "Still leaving."})
    coupons = await _coupons(world, 1)
    approved = await mutate(world.admin, "customerDisassociationRequestHandle", {"id": asked["request"]["id"], "approve": True})
    assert approved.codes == [] and approved["request"]["status"] == "APPROVED"
    assert (await Customer.get(id=world.resale.id)).status is CustomerStatus.DISASSOCIATED
    assert (await Coupon.get(id=coupons[0].id)).status is CouponStatus.RECLAIMED
    seen = (await world.customer.query("{ viewer { customerAssociations(first: 5) { nodes { id status disassociationRequests(first: 5) "
                                       "{ nodes { status response } } } } } }")).ok()
    [mine] = [n for n in seen["viewer"]["customerAssociations"]["nodes"] if n["id"] == world.customer_id]
    assert mine["status"] == "DISASSOCIATED"
    assert [(r["status"], r["response"]) for r in mine["disassociationRequests"]["nodes"]] == [
        ("APPROVED", ""), ("REJECTED", "Let us talk first.")]
    operations = [r.operation for r in await AssociationRecord.filter(customer_id=world.resale.id).order_by("id")]
    assert operations == [AssociationOperation.DISASSOCIATION_REQUESTED, AssociationOperation.DISASSOCIATION_REJECTED,
                          AssociationOperation.DISASSOCIATION_REQUESTED, AssociationOperation.DISASSOCIATED]


async def test_association_records_filter(gql) -> None:
    world = await create_world(gql)
    await mutate(world.admin, "customerAssociationTypeSwitch", {"customerId": world.customer_id, "associationType": "REFERRAL"})
    await mutate(world.admin, "customerDisassociate", {"customerId": gid("Customer", world.others[0].id), "reason": "Gone."})
    everything = (await world.admin.query(RECORDS)).ok()["viewer"]["partner"]["associationRecords"]
    assert everything["totalCount"] == 2
    only = (await world.admin.query(RECORDS, {"filter": {"customerId": world.customer_id}})).ok()
    [node] = only["viewer"]["partner"]["associationRecords"]["nodes"]
    assert (node["operation"], node["before"], node["after"]) == ("TYPE_SWITCHED", "RESALE", "REFERRAL")
    later = datetime.now(UTC) + timedelta(minutes=5)
    none = (await world.admin.query(RECORDS, {"filter": {"since": later.isoformat()}})).ok()
    assert none["viewer"]["partner"]["associationRecords"]["totalCount"] == 0
    unpaged = await world.admin.query("{ viewer { partner { associationRecords { totalCount } } } }")
    assert unpaged.codes == ["BAD_USER_INPUT"]  # a history is read a page at a time


async def test_disassociation_racing_twenty_coupon_issues(gql) -> None:
    """Whatever order they commit in: no AVAILABLE coupon on a disassociated customer, and the quota's
    used amount equals what its coupons hold."""
    world = await create_world(gql, total="100000.00")
    quota_id = gid("CouponQuota", world.quota.id)

    def issue():
        return mutate(world.admin, "couponIssue", {"quotaId": quota_id, "customerIds": [world.customer_id], "faceValue": "10.00"})

    answers = await asyncio.gather(*(issue() for _ in range(10)),
                                   mutate(world.admin, "customerDisassociate", {"customerId": world.customer_id, "reason": "Race."}),
                                   *(issue() for _ in range(10)))
    assert answers[10].codes == []
    issued = [a for i, a in enumerate(answers) if i != 10]
    assert all(a.codes in ([], ["INVALID_STATE"]) for a in issued), [a.codes for a in issued]
    assert await Coupon.filter(customer_id=world.resale.id, status=CouponStatus.AVAILABLE).count() == 0
    coupons = await Coupon.filter(quota_id=world.quota.id)
    held = sum((c.used_amount if c.status is not CouponStatus.AVAILABLE else c.face_value for c in coupons), Decimal("0.00"))
    assert (await CouponQuota.get(id=world.quota.id)).used == held == Decimal("0.00")
    assert len(coupons) == sum(1 for a in issued if a.codes == [])
    assert pk_of(world.customer_id) == world.resale.id


async def test_an_association_change_cancels_open_authorizations(gql) -> None:
    """Switched to referral or disassociated, a customer's requested and granted authorizations are
    CANCELLED at once (the orders counted): the partner orders no more, the customer grants nothing."""
    world = await create_world(gql)
    granted = await world.authorized()
    assert (await world.order()).codes == []
    switched = await mutate(world.admin, "customerAssociationTypeSwitch", {"customerId": world.customer_id, "associationType": "REFERRAL"})
    assert switched.codes == []
    row = await world.authorization_row(granted)
    assert (row.status, row.orders_at_cancellation) == (AuthorizationStatus.CANCELLED, 1)
    assert (await world.order()).codes == ["NOT_ALLOWED"]
    assert (await world.request()).codes == ["NOT_ALLOWED"]

    other = await create_world(gql)
    requested = (await other.request())["authorization"]["id"]
    assert (await mutate(other.admin, "customerDisassociate", {"customerId": other.customer_id, "reason": "x" * 500})).codes == []
    assert (await other.authorization_row(requested)).status is AuthorizationStatus.CANCELLED
    assert (await other.grant(requested)).codes == ["INVALID_STATE"]
    [record] = await AssociationRecord.filter(customer_id=other.resale.id)
    assert record.detail.startswith("0 coupon(s) reclaimed, 1 authorization(s) cancelled.") and len(record.detail) == 500


async def test_authorization_requests_racing_disassociations(gql) -> None:
    """20 customers, each asked for an authorization while being disassociated: a disassociation
    that answered success stays, and no open authorization is left on a disassociated customer."""
    world = await create_world(gql, others=0)
    customers = [world.resale] + [await create_customer(world.partner, customer_account=await create_customer_account())
                                  for _ in range(19)]
    calls = []
    for customer in customers:
        customer_id = gid("Customer", customer.id)
        calls.append(mutate(world.admin, "customerAuthorizationRequest", {"customerId": customer_id, "scopes": ["PLACE_ORDERS"]}))
        calls.append(mutate(world.admin, "customerDisassociate", {"customerId": customer_id, "reason": "Race."}))
    answers = await asyncio.gather(*calls)
    for customer, requested, ended in zip(customers, answers[::2], answers[1::2], strict=True):
        assert ended.codes == [], ended.response.body
        assert requested.codes in ([], ["INVALID_STATE"]), requested.response.body
        row = await Customer.get(id=customer.id)
        assert row.status is CustomerStatus.DISASSOCIATED
        assert not await OnBehalfAuthorization.filter(customer_id=customer.id, status__in=OPEN).exists()
