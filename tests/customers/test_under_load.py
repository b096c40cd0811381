"""The customer business under load, against a live `serve` on SQLite with two worker processes and
on PostgreSQL:

- 100 orders on the customer's behalf race the customer's cancellation: every order that was
  accepted committed before the cancellation and is counted in it; none is accepted after it;
- 100 `couponIssue` calls to one customer race its disassociation: no AVAILABLE coupon is left on
  the disassociated customer and the quota's used amount is what its coupons hold.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from tests.live_server import LiveCaller, LiveServer, live_server
from tests.postgres import fresh_postgres_database
from tests.safeguards.test_idempotency_under_load import switch_codes

CALLS = 100
ACME = """{ viewer { customerAssociations(first: 10) { nodes { id partner { name }
  authorizations(first: 10, filter: {status: AUTHORIZED}) { nodes { id ordersPlaced } } } } } }"""
AUTHORIZATION = """query($id: ID!) { node(id: $id) { ... on OnBehalfAuthorization { status cancelledAt ordersPlaced
  ordersAtCancellation orders(first: 100) { totalCount nodes { number placedAt } } } } }"""
ORDER = """mutation($input: CustomerOrderPlaceInput!) { customerOrderPlace(input: $input) {
  order { number placedAt } userErrors { field code } } }"""
CANCEL = """mutation($input: CustomerAuthorizationCancelInput!) { customerAuthorizationCancel(input: $input) {
  authorization { status cancelledAt } userErrors { field code } } }"""
BOOK = """{ viewer { partner { couponQuotas { nodes { id kind status total { amount } used { amount } } } } } }"""
ISSUE = """mutation($input: CouponIssueInput!) { couponIssue(input: $input) { coupons { id } userErrors { code } } }"""
DISASSOCIATE = """mutation($input: CustomerDisassociateInput!) { customerDisassociate(input: $input) {
  customer { status } userErrors { code } } }"""
USED = """query($id: ID!) { node(id: $id) { ... on CouponQuota { used { amount } } } }"""
COUPONS = """query($quota: ID!, $after: String) { viewer { partner { coupons(first: 100, after: $after, filter: {quotaId: $quota}) {
  pageInfo { hasNextPage endCursor } nodes { status faceValue { amount } usedAmount { amount } customer { id } } } } } }"""


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def orders_race_a_cancellation(acme: LiveCaller, manager: LiveCaller) -> None:
    associations = (await acme.send(ACME))["viewer"]["customerAssociations"]["nodes"]
    [(customer_id, authorization)] = [(a["id"], a["authorizations"]["nodes"][0]) for a in associations
                                      if a["partner"]["name"] == "Northwind Distribution"]
    code = await acme.code("CUSTOMER_AUTHORIZATION")
    order = {"customerId": customer_id, "productCode": "hws.ecs.s7", "productName": "ECS s7", "billingMode": "ON_DEMAND",
             "amount": "10.00"}

    async def cancel_midway() -> dict[str, Any]:
        await asyncio.sleep(0.05)
        return await acme.send(CANCEL, {"input": {"id": authorization["id"], "reason": "Load test.", "verificationCode": code}})

    answers = await asyncio.gather(cancel_midway(), *(manager.send(ORDER, {"input": order}) for _ in range(CALLS)))
    cancelled = answers[0]["customerAuthorizationCancel"]
    assert cancelled["userErrors"] == [] and cancelled["authorization"]["status"] == "CANCELLED"
    placed = [a["customerOrderPlace"] for a in answers[1:]]
    accepted = [p["order"] for p in placed if p["order"]]
    assert all(p["userErrors"] == [{"field": ["customerId"], "code": "NOT_ALLOWED"}] for p in placed if not p["order"])
    after = (await acme.send(AUTHORIZATION, {"id": authorization["id"]}))["node"]
    new = after["ordersPlaced"] - authorization["ordersPlaced"]
    assert after["status"] == "CANCELLED" and new == len(accepted) and after["ordersAtCancellation"] == after["ordersPlaced"]
    assert after["orders"]["totalCount"] == after["ordersPlaced"]
    cancelled_at = _at(after["cancelledAt"])
    assert all(_at(o["placedAt"]) <= cancelled_at for o in after["orders"]["nodes"])
    late = (await manager.send(ORDER, {"input": order}))["customerOrderPlace"]
    assert late["order"] is None and late["userErrors"][0]["code"] == "NOT_ALLOWED"


async def _held(admin: LiveCaller, quota_id: str) -> tuple[list[dict[str, Any]], Decimal]:
    """The quota's coupons, and what they hold of it: an AVAILABLE one its face value, a closed one
    what orders used of it (the remainder went back)."""
    coupons: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await admin.send(COUPONS, {"quota": quota_id, "after": after}))["viewer"]["partner"]["coupons"]
        coupons += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    held = sum((Decimal(c["faceValue"]["amount"] if c["status"] == "AVAILABLE" else c["usedAmount"]["amount"]) for c in coupons),
               Decimal("0.00"))
    return coupons, held


async def issues_race_a_disassociation(admin: LiveCaller, acme: LiveCaller) -> None:
    customer_id = next(a["id"] for a in (await acme.send(ACME))["viewer"]["customerAssociations"]["nodes"]
                       if a["partner"]["name"] == "Northwind Distribution")
    quota = next(q for q in (await admin.send(BOOK))["viewer"]["partner"]["couponQuotas"]["nodes"]
                 if q["status"] == "NORMAL" and q["kind"] == "VOUCHER"
                 and Decimal(q["total"]["amount"]) - Decimal(q["used"]["amount"]) >= CALLS)
    issue = {"quotaId": quota["id"], "customerIds": [customer_id], "faceValue": "1.00"}
    _, held_before = await _held(admin, quota["id"])
    used_before = Decimal((await admin.send(USED, {"id": quota["id"]}))["node"]["used"]["amount"])

    async def disassociate_midway() -> dict[str, Any]:
        await asyncio.sleep(0.05)
        return await admin.send(DISASSOCIATE, {"input": {"customerId": customer_id, "reason": "Load test."}})

    answers = await asyncio.gather(disassociate_midway(), *(admin.send(ISSUE, {"input": issue}) for _ in range(CALLS)))
    ended = answers[0]["customerDisassociate"]
    assert ended["userErrors"] == [] and ended["customer"]["status"] == "DISASSOCIATED"
    issued = [a["couponIssue"] for a in answers[1:]]
    assert all(i["userErrors"] in ([], [{"code": "INVALID_STATE"}]) for i in issued)
    coupons, held = await _held(admin, quota["id"])
    assert len([c for c in coupons if c["customer"]["id"] == customer_id]) >= sum(1 for i in issued if i["coupons"])
    assert not [c for c in coupons if c["customer"]["id"] == customer_id and c["status"] == "AVAILABLE"]
    # What the quota's used amount gained is exactly what its coupons hold more (allocations to
    # resellers, also in the used amount, did not move).
    used = Decimal((await admin.send(USED, {"id": quota["id"]}))["node"]["used"]["amount"])
    assert used - used_before == held - held_before


async def assert_the_races_hold(server: LiveServer) -> None:
    await switch_codes(server, False)  # one code per coupon issue would serialise the race
    limits = httpx.Limits(max_connections=CALLS + 5, max_keepalive_connections=CALLS + 5, keepalive_expiry=1.0)
    async with httpx.AsyncClient(timeout=90, limits=limits) as http:
        acme = LiveCaller(server, http, "customer.acme")
        await orders_race_a_cancellation(acme, LiveCaller(server, http, "distributor.am"))
        await issues_race_a_disassociation(LiveCaller(server, http, "distributor.admin"), acme)


async def test_sqlite_with_two_workers(tmp_path: Path) -> None:
    with live_server(tmp_path, workers=2) as server:
        await assert_the_races_hold(server)


async def test_postgres(tmp_path: Path) -> None:
    async with fresh_postgres_database("gw_customers", migrated=True) as url:
        with live_server(tmp_path, database_url=url, workers=2) as server:
            await assert_the_races_hold(server)
