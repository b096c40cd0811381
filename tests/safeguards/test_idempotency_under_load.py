"""200 concurrent identical calls with one idempotency key apply once, and all 200 get the same answer.

Against a live `serve` (the database as `migrate` leaves it, not as the test fixtures build it),
on SQLite with one and two worker processes and on PostgreSQL, for the three money mutations that
take a key. With verification codes off nothing but the key stands between 200 calls and 200
withdrawals; with them on (the demo distributor's setting) one code, taken from the server log, is
consumed by the call that applies and every other call replays that answer without one.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live_server import LiveCaller, LiveServer, live_server
from tests.postgres import fresh_postgres_database

CALLS = 200

STATE = """{ viewer { partner {
  balance { amount } allocatableBalance { amount }
  withdrawals(first: 100) { totalCount }
  couponQuotas { nodes { id kind status available { amount } } }
  coupons(first: 1) { totalCount }
  customers(first: 100, filter: {associationType: RESALE}) { nodes { id } }
  resellers { nodes { id } }
  allocations: ledger(first: 1, filter: {kind: ALLOCATION_OUT}) { totalCount }
} } }"""

WITHDRAW = """mutation($input: AccountWithdrawInput!) { accountWithdraw(input: $input) {
  withdrawal { id amount { amount } status } userErrors { field code message } } }"""
ISSUE = """mutation($input: CouponIssueInput!) { couponIssue(input: $input) {
  coupons { id faceValue { amount } customer { id } status } userErrors { field code message } } }"""
ALLOCATE = """mutation($input: ResellerFundsAllocateInput!) { resellerFundsAllocate(input: $input) {
  ledgerEntry { id amount { amount } balanceAfter { amount } } userErrors { field code message } } }"""


class Caller(LiveCaller):
    """The distributor's admin; `code` is None while verification codes are off."""

    def __init__(self, server: LiveServer, http: httpx.AsyncClient, codes: bool) -> None:
        super().__init__(server, http, "distributor.admin")
        self.codes = codes

    async def code(self, purpose: str) -> str | None:  # type: ignore[override]
        return await super().code(purpose) if self.codes else None

    async def all_at_once(self, query: str, variables: dict[str, Any]) -> list[dict[str, Any]]:
        return await asyncio.gather(*(self.send(query, variables) for _ in range(CALLS)))


def the_one_answer(answers: list[dict[str, Any]], field: str) -> dict[str, Any]:
    payloads = [answer[field] for answer in answers]
    assert all(payload == payloads[0] for payload in payloads), {str(p) for p in payloads}
    assert payloads[0]["userErrors"] == [], payloads[0]
    return payloads[0]


async def switch_codes(server: LiveServer, on: bool) -> None:
    """The demo distributor's verification-code switch (no mutation sets it: the platform does)."""
    statement = f"UPDATE partner SET verification_code_enabled = {'true' if on else 'false'} WHERE name = 'Northwind Distribution'"
    url = server.env["GATEWAY_DATABASE_URL"]
    if url.startswith("sqlite://"):
        with sqlite3.connect(url.removeprefix("sqlite://"), timeout=10) as db:
            db.execute(statement.replace("true", "1").replace("false", "0"))
        return
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def assert_each_applies_once(server: LiveServer, *, codes: bool) -> None:
    await switch_codes(server, codes)
    # Idle connections are dropped well before the server's 5 s keep-alive ends (else a POST can race its close).
    limits = httpx.Limits(max_connections=CALLS, max_keepalive_connections=CALLS, keepalive_expiry=1.0)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        caller = Caller(server, http, codes)
        before = (await caller.send(STATE))["viewer"]["partner"]
        quota = next(q for q in before["couponQuotas"]["nodes"] if q["status"] == "NORMAL")
        customers = [c["id"] for c in before["customers"]["nodes"][:2]]
        reseller = before["resellers"]["nodes"][0]

        withdrawal = the_one_answer(await caller.all_at_once(WITHDRAW, {"input": {
            "amount": "123.45", "idempotencyKey": "load-withdraw", "verificationCode": await caller.code("WITHDRAWAL")}}),
            "accountWithdraw")["withdrawal"]
        assert withdrawal["amount"] == {"amount": "123.45"}

        coupons = the_one_answer(await caller.all_at_once(ISSUE, {"input": {
            "quotaId": quota["id"], "customerIds": customers, "faceValue": "50.00", "idempotencyKey": "load-issue",
            "verificationCode": await caller.code("COUPON_ISSUE")}}), "couponIssue")["coupons"]
        assert [c["customer"]["id"] for c in coupons] == customers

        entry = the_one_answer(await caller.all_at_once(ALLOCATE, {"input": {
            "resellerId": reseller["id"], "amount": "77.00", "idempotencyKey": "load-allocate",
            "verificationCode": await caller.code("FUND_ALLOCATION")}}), "resellerFundsAllocate")["ledgerEntry"]
        assert entry["amount"] == {"amount": "-77.00"}

        after = (await caller.send(STATE))["viewer"]["partner"]

    def money(value: dict[str, str]) -> float:
        return float(value["amount"])

    assert after["withdrawals"]["totalCount"] == before["withdrawals"]["totalCount"] + 1
    assert round(money(before["balance"]) - money(after["balance"]), 2) == 123.45 + 77.00
    # Allocating spends the allocatable part; a withdrawal caps it at what the balance leaves.
    assert money(after["allocatableBalance"]) == min(round(money(before["allocatableBalance"]) - 77.00, 2), money(after["balance"]))
    assert after["coupons"]["totalCount"] == before["coupons"]["totalCount"] + len(customers)
    quota_after = next(q for q in after["couponQuotas"]["nodes"] if q["id"] == quota["id"])
    assert round(money(quota["available"]) - money(quota_after["available"]), 2) == 50.00 * len(customers)
    assert after["allocations"]["totalCount"] == before["allocations"]["totalCount"] + 1


@pytest.mark.parametrize("workers, codes", [(1, False), (2, False), (2, True)])
async def test_sqlite(tmp_path: Path, workers: int, codes: bool) -> None:
    with live_server(tmp_path, workers=workers) as server:
        await assert_each_applies_once(server, codes=codes)


async def test_postgres(tmp_path: Path) -> None:
    async with fresh_postgres_database("gw_idem", migrated=True) as url:
        with live_server(tmp_path, database_url=url, workers=2) as server:
            await assert_each_applies_once(server, codes=False)
