"""On-behalf authorization and ordering on a customer's behalf, on SQLite and PostgreSQL: the partner
asks, the customer grants with a code (and is advised to turn on cloud audit), the partner orders,
the customer cancels; every refusal names its code and changes nothing."""

from __future__ import annotations

import asyncio

from models.audit import AuditOutcome, AuditRecord
from models.customers import AssociationType, AuthorizationStatus, OnBehalfAuthorization, OnBehalfOrder
from models.safeguards import VerificationPurpose
from tests.audit_log import audit_count
from tests.callers import Caller, mutate
from tests.customers.support import World, create_customer_account, create_world
from tests.factories import create_customer, create_member, create_verification_code, unique
from tests.graphql import gid, pk_of

HISTORY = """query($first: Int) { viewer { customerAssociations(first: 10) { nodes { id name partner { name }
  authorizations(first: $first) { nodes { id status scopes cancelReason ordersPlaced ordersAtCancellation
    orders(first: 10) { totalCount nodes { number amount { amount } } } } }
  onBehalfOrders(first: 20) { totalCount nodes { productCode billingMode periodMonths amount { amount } } } } } } }"""
PARTNER_SIDE = """{ viewer { partner { onBehalfAuthorizations(first: 10) { nodes { id status scopes customer { id } }
  totalCount } onBehalfOrders(first: 20) { totalCount nodes { number customer { id } } } } } }"""


async def _counts(world: World) -> tuple[int, int]:
    return (await OnBehalfAuthorization.filter(partner_id=world.partner.id).count(),
            await OnBehalfOrder.filter(partner_id=world.partner.id).count())


async def test_the_walk_request_grant_order_cancel(gql) -> None:
    world = await create_world(gql)
    requested = await world.request(["PLACE_ORDERS", "OPERATE_RESOURCES"])
    assert requested.codes == []
    authorization = requested["authorization"]
    assert (authorization["status"], sorted(authorization["scopes"])) == ("REQUESTED", ["OPERATE_RESOURCES", "PLACE_ORDERS"])

    granted = await world.grant(authorization["id"])
    assert granted.codes == [] and granted["authorization"]["status"] == "AUTHORIZED"
    assert "Cloud Trace Service" in granted["advice"]

    placed = [await world.order(), await world.order(billingMode="ON_DEMAND", periodMonths=None, amount="88.50")]
    assert [p.codes for p in placed] == [[], []]
    assert placed[0]["order"]["number"].startswith("OB") and placed[1]["order"]["periodMonths"] is None

    cancelled = await world.cancel(authorization["id"], "Our own team takes over.")
    assert cancelled.codes == [] and cancelled["authorization"]["status"] == "CANCELLED"
    refused = await world.order()
    assert refused.codes == ["NOT_ALLOWED"] and refused["order"] is None

    # Both sides see the history.
    seen = (await world.customer.query(HISTORY, {"first": 10})).ok()["viewer"]["customerAssociations"]["nodes"]
    [mine] = [a for a in seen if a["id"] == world.customer_id]
    assert mine["partner"]["name"] == world.partner.name
    [history] = mine["authorizations"]["nodes"]
    assert (history["status"], history["cancelReason"], history["ordersPlaced"], history["ordersAtCancellation"]) == (
        "CANCELLED", "Our own team takes over.", 2, 2)
    assert history["orders"]["totalCount"] == 2 and mine["onBehalfOrders"]["totalCount"] == 2
    partner_side = (await world.admin.query(PARTNER_SIDE)).ok()["viewer"]["partner"]
    assert [(a["status"], a["customer"]["id"]) for a in partner_side["onBehalfAuthorizations"]["nodes"]] == [
        ("CANCELLED", world.customer_id)]
    assert partner_side["onBehalfOrders"]["totalCount"] == 2


async def test_the_customer_rejects(gql) -> None:
    world = await create_world(gql)
    authorization_id = (await world.request())["authorization"]["id"]
    rejected = await mutate(world.customer, "customerAuthorizationReject",
                            {"id": authorization_id, "verificationCode": await world.code()})
    assert rejected.codes == [] and rejected["authorization"]["status"] == "REJECTED"
    assert (await world.order()).codes == ["NOT_ALLOWED"]
    # A rejected request is closed: the partner may ask again.
    assert (await world.request()).codes == []


async def test_answers_need_the_customers_own_code(gql) -> None:
    world = await create_world(gql)
    authorization_id = (await world.request())["authorization"]["id"]
    for code in (None, "000000", await create_verification_code(world.customer_account, VerificationPurpose.WITHDRAWAL)):
        answer = await mutate(world.customer, "customerAuthorizationGrant", {"id": authorization_id, "verificationCode": code})
        assert answer.codes == ["VERIFICATION_FAILED"] and answer["authorization"] is None
    assert (await world.authorization_row(authorization_id)).status is AuthorizationStatus.REQUESTED
    granted = await world.grant(authorization_id)
    assert granted.codes == []
    without_code = await mutate(world.customer, "customerAuthorizationCancel", {"id": authorization_id, "reason": "x"})
    assert without_code.codes == ["VERIFICATION_FAILED"]
    assert (await world.authorization_row(authorization_id)).status is AuthorizationStatus.AUTHORIZED


async def test_refusals_change_nothing(gql) -> None:
    world = await create_world(gql)
    referral = await create_customer(world.partner, customer_account=await create_customer_account(),
                                     association_type=AssociationType.REFERRAL)
    no_account = world.others[0]
    stranger = await create_world(gql)
    before = await _counts(world)
    cases = [
        ({"customerId": gid("Customer", referral.id), "scopes": ["PLACE_ORDERS"]}, "NOT_ALLOWED"),
        ({"customerId": gid("Customer", no_account.id), "scopes": ["PLACE_ORDERS"]}, "NOT_ALLOWED"),
        ({"customerId": stranger.customer_id, "scopes": ["PLACE_ORDERS"]}, "NOT_FOUND"),
        ({"customerId": world.customer_id, "scopes": []}, "REQUIRED"),
        ({"customerId": world.customer_id, "scopes": ["PLACE_ORDERS", "PLACE_ORDERS"]}, "INVALID"),
        ({"customerId": world.customer_id, "scopes": ["PLACE_ORDERS"], "message": "x" * 501}, "TOO_LONG"),
    ]
    for values, code in cases:
        answer = await mutate(world.admin, "customerAuthorizationRequest", values)
        assert answer.codes == [code], (values, answer.response.body)
    assert await _counts(world) == before

    first = await world.request()
    assert first.codes == []
    assert (await world.request()).codes == ["CONFLICT"]  # one open request at a time
    authorization_id = first["authorization"]["id"]
    # The partner cannot answer for its customer; another customer cannot see it at all.
    denied = await world.admin.query("mutation($id: ID!) { customerAuthorizationGrant(input: {id: $id}) { userErrors { code } } }",
                                     {"id": authorization_id})
    assert denied.codes == ["FORBIDDEN"]
    foreign = await mutate(stranger.customer, "customerAuthorizationGrant",
                           {"id": authorization_id, "verificationCode": await stranger.code()})
    assert foreign.codes == ["NOT_FOUND"]
    assert (await world.authorization_row(authorization_id)).status is AuthorizationStatus.REQUESTED
    # Only a granted authorization can be cancelled; only a requested one answered.
    assert (await world.cancel(authorization_id)).codes == ["INVALID_STATE"]
    assert (await world.grant(authorization_id)).codes == []
    assert (await world.grant(authorization_id)).codes == ["INVALID_STATE"]
    assert (await mutate(world.customer, "customerAuthorizationCancel",
                         {"id": authorization_id, "reason": "", "verificationCode": await world.code()})).codes == ["REQUIRED"]
    assert (await world.authorization_row(authorization_id)).status is AuthorizationStatus.AUTHORIZED


async def test_order_refusals_change_nothing(gql) -> None:
    world = await create_world(gql)
    assert (await world.order()).codes == ["NOT_ALLOWED"]  # nothing authorized yet
    await world.authorized(["OPERATE_RESOURCES"])
    assert (await world.order()).codes == ["NOT_ALLOWED"]  # the scope does not cover orders

    other = await create_world(gql)
    await other.authorized()
    before = await OnBehalfOrder.filter(partner_id=other.partner.id).count()
    cases = [
        ({"productCode": "OFFI863735941724168192"}, ["NOT_ALLOWED"]),  # store (KooGallery) goods
        ({"productCode": "offi-lower-case"}, ["NOT_ALLOWED"]),
        ({"periodMonths": None}, ["INVALID"]),
        ({"periodMonths": 37}, ["INVALID"]),
        ({"billingMode": "ON_DEMAND"}, ["INVALID"]),  # on demand has no period
        ({"amount": "0"}, ["INVALID"]),
        ({"quantity": 0}, ["INVALID"]),
        ({"productName": ""}, ["REQUIRED"]),
        ({"customerId": world.customer_id}, ["NOT_FOUND"]),  # another partner's customer
    ]
    for overrides, codes in cases:
        answer = await other.order(**overrides)
        assert answer.codes == codes, (overrides, answer.response.body)
    assert await OnBehalfOrder.filter(partner_id=other.partner.id).count() == before
    assert (await other.authorization_row(gid("OnBehalfAuthorization", (await OnBehalfAuthorization.get(
        partner_id=other.partner.id)).id))).orders_placed == 0


async def test_only_members_with_the_permission_order(gql) -> None:
    world = await create_world(gql)
    await world.authorized()
    finance = Caller(gql, (await create_member(world.partner, *[])).name)
    denied = await finance.query("mutation($input: CustomerOrderPlaceInput!) { customerOrderPlace(input: $input) { "
                                 "userErrors { code } } }", {"input": {
                                     "customerId": world.customer_id, "productCode": "x", "productName": "x",
                                     "billingMode": "ON_DEMAND", "amount": "1.00"}})
    assert denied.codes == ["FORBIDDEN"]
    assert await OnBehalfOrder.filter(partner_id=world.partner.id).count() == 0


async def test_one_idempotency_key_orders_once(gql) -> None:
    world = await create_world(gql)
    await world.authorized()
    key = unique("order")
    answers = await asyncio.gather(*(world.order(idempotencyKey=key) for _ in range(5)))
    numbers = {a["order"]["number"] for a in answers}
    assert len(numbers) == 1 and all(a.codes == [] for a in answers)
    assert await OnBehalfOrder.filter(partner_id=world.partner.id).count() == 1
    row = await OnBehalfAuthorization.get(partner_id=world.partner.id)
    assert row.orders_placed == 1


async def test_orders_racing_a_cancellation(gql) -> None:
    """20 orders and the customer's cancellation at once: every order that committed is counted in
    the cancellation, none was placed after it."""
    world = await create_world(gql)
    authorization_id = await world.authorized()
    code = await world.code()
    cancel = mutate(world.customer, "customerAuthorizationCancel", {"id": authorization_id, "reason": "Stop.", "verificationCode": code})
    answers = await asyncio.gather(*(world.order(amount=f"{i + 1}.00") for i in range(10)), cancel,
                                   *(world.order(amount=f"{i + 11}.00") for i in range(10)))
    cancelled = answers[10]
    assert cancelled.codes == []
    orders = [a for i, a in enumerate(answers) if i != 10]
    accepted = [a for a in orders if a.codes == []]
    assert all(a.codes == ["NOT_ALLOWED"] for a in orders if a.codes)
    row = await world.authorization_row(authorization_id)
    placed = await OnBehalfOrder.filter(authorization_id=row.id)
    assert row.status is AuthorizationStatus.CANCELLED and row.cancelled_at is not None
    assert len(placed) == len(accepted) == row.orders_placed == row.orders_at_cancellation
    assert all(o.placed_at <= row.cancelled_at for o in placed)
    assert (await world.order()).codes == ["NOT_ALLOWED"]
    assert await OnBehalfOrder.filter(authorization_id=row.id).count() == len(accepted)
    assert pk_of(authorization_id) == row.id


async def test_every_step_is_audited_with_its_actor(gql) -> None:
    world = await create_world(gql)
    authorization_id = await world.authorized()
    assert (await world.order()).codes == []
    assert (await mutate(world.customer, "customerAuthorizationCancel",
                         {"id": authorization_id, "reason": "x", "verificationCode": "000000"})).codes == ["VERIFICATION_FAILED"]
    target = f"OnBehalfAuthorization:{pk_of(authorization_id)}"
    assert await audit_count("customerAuthorizationRequest", AuditOutcome.SUCCESS, world.admin, target=target) == 1
    assert await audit_count("customerAuthorizationGrant", AuditOutcome.SUCCESS, world.customer, target=target) == 1
    assert await audit_count("customerOrderPlace", AuditOutcome.SUCCESS, world.admin) == 1
    assert await audit_count("customerAuthorizationCancel", AuditOutcome.USER_ERROR, world.customer) == 1
    # The code itself is never stored.
    [record] = await AuditRecord.filter(action="customerAuthorizationCancel", actor_id=world.customer_account.id)
    assert "000000" not in str(record.input)
