"""The partner tool in examples/coupon_desk against a live gateway, on SQLite and on PostgreSQL.

The tool runs as a partner would run it: its own process, an API key in its environment, nothing
from this repository imported. Each backend's server has a small, slowly refilling budget per API
key, so the test can empty the key's bucket and watch the tool wait out the 429 it gets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from tests.live_server import LiveServer, live_server
from tests.postgres import throwaway_postgres_database

TOOL = Path(__file__).resolve().parents[2] / "examples" / "coupon_desk" / "coupon_desk.py"
PARTNER_ADMIN = "reseller.admin"  # Harbor Lane: verification codes off, a NORMAL voucher quota, resale customers
SCOPES = ["COUPON_ISSUED_VIEW", "COUPON_VOUCHER_ISSUE", "COUPON_QUOTA_VIEW", "CUSTOMER_VIEW"]
# Per API key: room for the test's own steps, refilled slowly enough that an emptied bucket is still
# short when the tool's process has started.
BUDGET = {"rate_limit_capacity": "1500", "rate_limit_refill_per_second": "3"}

CREATE_KEY = """mutation($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) { secret userErrors { code message } } }"""
SETUP = """{ viewer { partner { couponQuotas(first: 20) { nodes { id kind status available { amount } } }
  customers(first: 50, filter: {associationType: RESALE, status: ASSOCIATED}) { nodes { id } } } } }"""
EVERY_COUPON = """{ viewer { partner { coupons(first: 100) { totalCount nodes { id status } } } } }"""
QUOTA = """query($id: ID!) { node(id: $id) { ... on CouponQuota { available { amount } } } }"""
# Reads of falling cost (about 500, 50, 5 and 2 points): each is sent until refused, so the bucket
# ends up holding less than the cheapest in a few dozen requests.
DRAINERS = [*("""{ viewer { partner { coupons(first: %d) { nodes { id customer { id } quota { id } } } } } }""" % n
              for n in (100, 10, 1)), """{ viewer { account { id } } }"""]


@dataclass
class Desk:
    """A live gateway, the partner's API key on it, and what the partner's admin sees there."""

    server: LiveServer
    api_key: str
    quota: str
    customers: list[str]

    def admin(self, query: str, variables: dict | None = None) -> dict:
        answer = httpx.post(self.server.url, json={"query": query, "variables": variables or {}},
                            headers={"Authorization": f"Bearer {self.server.token(PARTNER_ADMIN)}"}, timeout=30)
        assert answer.status_code == 200 and "errors" not in answer.json(), answer.text
        return answer.json()["data"]

    def with_key(self, query: str) -> httpx.Response:
        return httpx.post(self.server.url, json={"query": query}, headers={"Authorization": f"Bearer {self.api_key}"}, timeout=30)

    def available(self) -> Decimal:
        return Decimal(self.admin(QUOTA, {"id": self.quota})["node"]["available"]["amount"])

    def run(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        # Only what a partner's shell would hold: the tool's URL and key, no GATEWAY_* and no PYTHONPATH.
        env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_") and k != "PYTHONPATH"}
        env |= {"PARTNER_GATEWAY_URL": self.server.url, "PARTNER_GATEWAY_API_KEY": self.api_key}
        return subprocess.run([sys.executable, str(TOOL), *arguments], env=env, cwd=TOOL.parent,
                              capture_output=True, text=True, timeout=120)


def _desk(server: LiveServer) -> Desk:
    desk = Desk(server, "", "", [])
    created = desk.admin(CREATE_KEY, {"input": {"name": "coupon desk", "scopes": SCOPES}})["apiKeyCreate"]
    assert created["userErrors"] == [] and created["secret"].startswith("pgk_")
    setup = desk.admin(SETUP)["viewer"]["partner"]
    desk.api_key = created["secret"]
    desk.quota = next(q["id"] for q in setup["couponQuotas"]["nodes"] if q["status"] == "NORMAL" and q["kind"] == "VOUCHER")
    desk.customers = [c["id"] for c in setup["customers"]["nodes"]]
    assert len(desk.customers) >= 2
    return desk


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def desk(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    workdir = tmp_path_factory.mktemp(f"coupon-desk-{request.param}")
    if request.param == "sqlite":
        with live_server(workdir, **BUDGET) as server:
            yield _desk(server)
        return
    with throwaway_postgres_database("gw_coupon_desk") as url, live_server(workdir, database_url=url, **BUDGET) as server:
        yield _desk(server)


def test_lists_every_coupon_page_by_page(desk: Desk) -> None:
    run = desk.run("coupons", "--page-size", "2")
    assert run.returncode == 0, run.stderr
    listed = [json.loads(line) for line in run.stdout.splitlines()]
    every = desk.admin(EVERY_COUPON)["viewer"]["partner"]["coupons"]
    assert [c["id"] for c in listed] == [c["id"] for c in every["nodes"]]
    assert len({c["id"] for c in listed}) == every["totalCount"] >= 3
    pages = -(-every["totalCount"] // 2)
    assert f"{every['totalCount']} coupons in {pages} pages" in run.stderr


def test_filters_pass_through(desk: Desk) -> None:
    run = desk.run("coupons", "--status", "AVAILABLE", "--quota", desk.quota)
    assert run.returncode == 0, run.stderr
    listed = [json.loads(line) for line in run.stdout.splitlines()]
    assert listed and {c["status"] for c in listed} == {"AVAILABLE"} and {c["quota"]["id"] for c in listed} == {desk.quota}


def test_issuing_again_with_the_same_key_issues_nothing_more(desk: Desk) -> None:
    before = desk.available()
    arguments = ("issue", "--quota", desk.quota, "--customer", desk.customers[0], "--customer", desk.customers[1],
                 "--face-value", "12.50", "--key", f"desk-{time.time_ns()}")
    first, again = desk.run(*arguments), desk.run(*arguments)
    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    issued, replayed = json.loads(first.stdout)["coupons"], json.loads(again.stdout)["coupons"]
    assert len(issued) == 2 and {c["customer"]["id"] for c in issued} == set(desk.customers[:2])
    assert [c["id"] for c in replayed] == [c["id"] for c in issued]
    assert desk.available() == before - Decimal("25.00")


def test_a_refusal_is_reported_and_not_retried(desk: Desk) -> None:
    before = desk.available()
    run = desk.run("issue", "--quota", desk.quota, "--customer", desk.customers[0], "--face-value", str(before + 1))
    assert run.returncode == 1, run.stdout + run.stderr
    assert [e["code"] for e in json.loads(run.stdout)["refused"]] == ["INSUFFICIENT_FUNDS"]
    assert "retrying" not in run.stderr and "idempotency key coupon-desk-" in run.stderr
    assert desk.available() == before


def test_waits_out_a_429_as_retry_after_says(desk: Desk) -> None:
    for query in DRAINERS:
        for _ in range(60):
            if (refused := desk.with_key(query)).status_code == 429:
                break
        assert refused.status_code == 429 and "Retry-After" in refused.headers, refused.text
    before = desk.available()
    started = time.monotonic()
    run = desk.run("issue", "--quota", desk.quota, "--customer", desk.customers[0], "--face-value", "3.00",
                   "--key", f"desk-429-{time.time_ns()}")
    assert run.returncode == 0, run.stdout + run.stderr
    waits = [line for line in run.stderr.splitlines() if "rate limited; retrying in" in line]
    assert waits, run.stderr
    waited = float(waits[0].split("retrying in ")[1].split(" s")[0])
    assert waited >= 1 and time.monotonic() - started >= waited  # the whole seconds Retry-After gave
    assert len(json.loads(run.stdout)["coupons"]) == 1
    assert desk.available() == before - Decimal("3.00")
