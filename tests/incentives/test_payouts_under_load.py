"""100 concurrent payout applications against a live `serve`: never more than the bill has pending,
and one idempotency key applies once. On SQLite with two worker processes and on PostgreSQL."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from tests.live_server import LiveServer, live_server
from tests.postgres import fresh_postgres_database

CALLS = 100
BILLS = """{ viewer { partner { incentiveBills(first: 50, filter: {status: CONFIRMED}) { nodes {
    id amount { amount } pendingAmount { amount } appliedAmount { amount } } } payoutApplications(first: 1) { totalCount } } } }"""
APPLY = """mutation($input: IncentivePayoutApplyInput!) { incentivePayoutApply(input: $input) {
    application { id amount { amount } } userErrors { field code } } }"""


async def assert_applications_never_overdraw(server: LiveServer) -> None:
    limits = httpx.Limits(max_connections=CALLS, max_keepalive_connections=CALLS, keepalive_expiry=1.0)
    headers = {"Authorization": f"Bearer {server.token('provider.admin')}"}
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        async def send(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
            response = await http.post(server.url, json={"query": query, "variables": variables or {}}, headers=headers)
            assert response.status_code == 200, response.text
            body = response.json()
            assert not body.get("errors"), body["errors"]
            return body["data"]

        before = (await send(BILLS))["viewer"]["partner"]
        untouched = [b for b in before["incentiveBills"]["nodes"] if b["appliedAmount"]["amount"] == "0.00"
                     and Decimal(b["pendingAmount"]["amount"]) > 0]
        assert len(untouched) >= 1, before
        bill = untouched[0]
        pending = Decimal(bill["pendingAmount"]["amount"])

        # The same key from 100 callers at once: one application, the same answer for all.
        keyed = {"bills": [{"billId": bill["id"], "amount": "1.00"}], "method": "ACCOUNT_CREDIT", "idempotencyKey": "load-payout"}
        replies = [a["incentivePayoutApply"] for a in await asyncio.gather(*(send(APPLY, {"input": keyed}) for _ in range(CALLS)))]
        assert all(r == replies[0] for r in replies) and replies[0]["userErrors"] == [] and replies[0]["application"]
        middle = (await send(BILLS))["viewer"]["partner"]
        assert middle["payoutApplications"]["totalCount"] == before["payoutApplications"]["totalCount"] + 1
        left = Decimal({b["id"]: b for b in middle["incentiveBills"]["nodes"]}[bill["id"]]["pendingAmount"]["amount"])
        assert left == pending - Decimal("1.00")

        # 100 applications of a tenth of what is left each: exactly 10 get it.
        share = {"bills": [{"billId": bill["id"], "amount": str(left / 10)}], "method": "BANK_TRANSFER"}
        answers = await asyncio.gather(*(send(APPLY, {"input": share}) for _ in range(CALLS)))
        payloads = [a["incentivePayoutApply"] for a in answers]
        applied = [p for p in payloads if p["application"]]
        assert len(applied) == 10 and all(p["userErrors"] == [] for p in applied)
        assert all(p["userErrors"] == [{"field": ["bills", "0", "amount"], "code": "INSUFFICIENT_FUNDS"}]
                   for p in payloads if not p["application"])

        after = (await send(BILLS))["viewer"]["partner"]
        now = {b["id"]: b for b in after["incentiveBills"]["nodes"]}[bill["id"]]
        assert now["pendingAmount"]["amount"] == "0.00" and now["appliedAmount"] == bill["pendingAmount"]
        assert after["payoutApplications"]["totalCount"] == middle["payoutApplications"]["totalCount"] + 10


async def test_sqlite_with_two_workers(tmp_path: Path) -> None:
    with live_server(tmp_path, workers=2) as server:
        await assert_applications_never_overdraw(server)


async def test_postgres(tmp_path: Path) -> None:
    async with fresh_postgres_database("gw_payout", migrated=True) as url:
        with live_server(tmp_path, database_url=url, workers=2) as server:
            await assert_applications_never_overdraw(server)
