"""Rate limits through the whole app: cost-weighted budgets, 429 + Retry-After, nothing executed.

Costs come from the operation-limits extension; each test learns the cost of its operations from
the RateLimit headers of a generous app (Limit - Remaining on a fresh bucket), then sizes a tight
app around it, so the tests hold whatever the cost model says an operation costs.
"""

from __future__ import annotations

import asyncio
import logging
import math
import uuid

import httpx
import pytest

from gateway.downloads import COST
from models.audit import AuditRecord
from models.members import Role
from tests.callers import Caller
from tests.factories import create_incentive_bill, create_main_account, create_partner
from tests.graphql import GraphQLClient
from tests.incentives.support import apply
from tests.rate_limits.support import UNREACHABLE_REDIS, AppFactory, LimitedApp

VIEWER = "{ viewer { account { name } } }"
MEMBERS = "{ viewer { partner { members(first: 50) { nodes { name roles { name } } } } } }"
ROLE_CREATE = """mutation($input: RoleCreateInput!) { roleCreate(input: $input) {
    role { id name } userErrors { field message code } } }"""
SLOW = 0.01  # points per second: nothing refills noticeably during a test
GENEROUS = {"rate_limit_capacity": 1_000_000, "ip_rate_limit_capacity": 10_000_000}


def cost_of(response: httpx.Response) -> int:
    """What an answer from a fresh, generous bucket shows it cost."""
    assert response.status_code == 200, response.text
    return int(response.headers["RateLimit-Limit"]) - int(response.headers["RateLimit-Remaining"])


async def measure(limited_app: AppFactory, query: str, account: str = "distributor.admin") -> int:
    return cost_of(await (await limited_app(**GENEROUS)).post(account, query))


def assert_rate_limited(response: httpx.Response, limit: str) -> dict:
    assert response.status_code == 429, response.text
    body = response.json()
    assert body.get("data") is None
    [error] = body["errors"]
    extensions = error["extensions"]
    assert extensions["code"] == "RATE_LIMITED" and extensions["limit"] == limit
    assert response.headers["Retry-After"] == str(extensions["retryAfter"])
    assert extensions["retryAfter"] >= 1
    return extensions


async def test_just_under_the_budget_is_served_and_just_over_refused(limited_app: AppFactory) -> None:
    cost = await measure(limited_app, VIEWER)
    gateway = await limited_app(rate_limit_capacity=3 * cost, rate_limit_refill_per_second=SLOW)
    for n in range(1, 4):
        served = await gateway.post("distributor.admin", VIEWER)
        assert served.status_code == 200 and served.json()["data"]["viewer"]["account"]["name"] == "distributor.admin"
        assert served.headers["RateLimit-Remaining"] == str(3 * cost - n * cost)
    refused = await gateway.post("distributor.admin", VIEWER)
    extensions = assert_rate_limited(refused, "caller")
    assert extensions["cost"] == cost and extensions["capacity"] == 3 * cost
    # The whole cost must refill: cost / 0.01 per second, give or take the moments the test took.
    assert math.ceil((cost - 0.1) / SLOW) <= extensions["retryAfter"] <= math.ceil(cost / SLOW)
    assert refused.headers["RateLimit-Remaining"] == "0"
    # Another caller from another address still has its own budget.
    assert (await gateway.post("distributor.finance", VIEWER, address="10.0.0.2")).status_code == 200


async def test_cost_weights_the_charge(limited_app: AppFactory) -> None:
    cheap, dear = await measure(limited_app, VIEWER), await measure(limited_app, MEMBERS)
    assert dear > cheap
    gateway = await limited_app(rate_limit_capacity=dear + cheap - 1, rate_limit_refill_per_second=SLOW)
    assert (await gateway.post("distributor.admin", VIEWER)).status_code == 200
    # dear - 1 points left: the expensive query is refused, a cheap one still fits.
    assert_rate_limited(await gateway.post("distributor.admin", MEMBERS), "caller")
    assert (await gateway.post("distributor.admin", VIEWER)).status_code == 200


async def test_a_refused_mutation_has_no_effect(limited_app: AppFactory) -> None:
    runs = f"rate.runs.{uuid.uuid4().hex[:8]}"
    refused_name = f"rate.refused.{uuid.uuid4().hex[:8]}"
    try:
        # The mutation is valid and permitted: with budget left it runs and creates the role.
        generous = await limited_app(**GENEROUS)
        ran = await generous.post("distributor.admin", ROLE_CREATE, {"input": {"name": runs, "permissions": ["CUSTOMER_VIEW"]}})
        assert ran.json()["data"]["roleCreate"]["userErrors"] == [] and await Role.filter(name=runs).exists()
        mutation_cost = cost_of(ran)

        gateway = await limited_app(rate_limit_capacity=mutation_cost, rate_limit_refill_per_second=SLOW)
        assert (await gateway.post("distributor.admin", VIEWER)).status_code == 200
        refused = await gateway.post("distributor.admin", ROLE_CREATE,
                                     {"input": {"name": refused_name, "permissions": ["CUSTOMER_VIEW"]}})
        assert_rate_limited(refused, "caller")
        assert not await Role.filter(name=refused_name).exists()
    finally:
        await Role.filter(name__in=[runs, refused_name]).delete()


async def test_one_address_shares_one_budget_between_callers(limited_app: AppFactory) -> None:
    cost = await measure(limited_app, VIEWER)
    gateway = await limited_app(ip_rate_limit_capacity=2 * cost, ip_rate_limit_refill_per_second=SLOW)
    assert (await gateway.post("distributor.admin", VIEWER)).status_code == 200
    assert (await gateway.post("distributor.finance", VIEWER)).status_code == 200
    refused = await gateway.post("reseller.admin", VIEWER)
    assert_rate_limited(refused, "clientIp")
    assert refused.headers["RateLimit-Limit"] == str(2 * cost)
    # The refusal cost reseller.admin nothing, and another address is unaffected.
    assert (await gateway.post("reseller.admin", VIEWER, address="10.0.0.2")).status_code == 200


async def test_successful_answers_describe_the_tightest_budget(limited_app: AppFactory) -> None:
    cost = await measure(limited_app, VIEWER)
    gateway = await limited_app(rate_limit_capacity=100 * cost, rate_limit_refill_per_second=cost)
    served = await gateway.post("distributor.admin", VIEWER)
    assert served.status_code == 200
    assert served.headers["RateLimit-Limit"] == str(100 * cost)
    assert served.headers["RateLimit-Remaining"] == str(99 * cost)
    assert served.headers["RateLimit-Reset"] == "1"  # one operation's cost refills in a second
    assert "Retry-After" not in served.headers


async def test_an_operation_dearer_than_the_whole_budget_says_waiting_will_not_help(limited_app: AppFactory) -> None:
    cost = await measure(limited_app, MEMBERS)
    gateway = await limited_app(rate_limit_capacity=cost - 1)
    refused = await gateway.post("distributor.admin", MEMBERS)
    assert refused.status_code == 429 and "Retry-After" not in refused.headers
    [error] = refused.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED" and error["extensions"]["retryAfter"] is None
    assert "waiting will not help" in error["message"]


TOO_MANY_ALIASES = "{ " + " ".join(f"a{n}: viewer {{ account {{ name }} }}" for n in range(40)) + " }"


@pytest.mark.parametrize("document, code", [
    ("{ viewer { nope } }", "BAD_USER_INPUT"),  # fails validation
    ("{ viewer { ", "BAD_USER_INPUT"),  # fails parsing
    (TOO_MANY_ALIASES, "OPERATION_LIMIT_EXCEEDED"),  # refused by the operation limits
])
async def test_an_operation_refused_before_execution_costs_one_point(limited_app: AppFactory, document: str, code: str) -> None:
    gateway = await limited_app(rate_limit_capacity=2, rate_limit_refill_per_second=SLOW)
    for remaining in (1, 0):
        refused = await gateway.post("distributor.admin", document)
        assert refused.status_code == 200 and refused.json()["errors"][0]["extensions"]["code"] == code
        assert refused.headers["RateLimit-Remaining"] == str(remaining)
    assert_rate_limited(await gateway.post("distributor.admin", document), "caller")


async def test_failed_authentications_are_throttled_per_address(limited_app: AppFactory) -> None:
    gateway = await limited_app(failed_authentication_capacity=3, failed_authentication_refill_per_second=SLOW)
    bad = {"Authorization": "Bearer pgk_nothere_guess"}
    for _ in range(3):
        response = await gateway.client().post("/graphql", json={"query": VIEWER}, headers=bad)
        assert response.status_code == 401 and response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    audited = await AuditRecord.filter(action="authenticate").count()
    throttled = await gateway.client().post("/graphql", json={"query": VIEWER}, headers=bad)
    assert throttled.status_code == 429
    error = throttled.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED" and error["extensions"]["limit"] == "failedAuthentications"
    assert "failed authentication" in error["message"] and int(throttled.headers["Retry-After"]) >= 1
    assert await AuditRecord.filter(action="authenticate").count() == audited  # a flood is not audited row by row
    # A valid credential from the same address is served: only failures spend the failure budget.
    right = await gateway.post("distributor.admin", VIEWER)
    assert right.status_code == 200 and right.json()["data"]["viewer"]["account"]["name"] == "distributor.admin"
    assert (await gateway.client().post("/graphql", json={"query": VIEWER}, headers=bad)).status_code == 429
    assert (await gateway.client("10.0.0.2").post("/graphql", json={"query": VIEWER}, headers=bad)).status_code == 401


async def test_a_throttled_websocket_is_closed_with_4429(limited_app: AppFactory) -> None:
    gateway = await limited_app(failed_authentication_capacity=1, failed_authentication_refill_per_second=SLOW)
    closes = []
    for _ in range(2):
        sent: list[dict] = []

        async def send(message: dict, sent: list[dict] = sent) -> None:
            sent.append(message)

        scope = {"type": "websocket", "path": "/graphql", "headers": [(b"authorization", b"Bearer nope")],
                 "client": ("10.0.0.7", 5000), "server": ("gateway.test", 80), "scheme": "ws", "query_string": b"",
                 "subprotocols": ["graphql-transport-ws"]}
        await gateway.app(scope, lambda: asyncio.sleep(3600), send)
        closes += [m["code"] for m in sent if m["type"] == "websocket.close"]
    assert closes == [4401, 4429]


async def test_rate_limits_off_means_no_headers_and_no_refusals(limited_app: AppFactory) -> None:
    gateway = await limited_app(rate_limit_enabled=False, rate_limit_capacity=1, ip_rate_limit_capacity=1)
    for _ in range(3):
        served = await gateway.post("distributor.admin", VIEWER)
        assert served.status_code == 200 and "RateLimit-Limit" not in served.headers


async def test_an_unreachable_redis_never_fails_a_request(limited_app: AppFactory, caplog: pytest.LogCaptureFixture) -> None:
    cost = await measure(limited_app, VIEWER)
    gateway = await limited_app(redis_url=UNREACHABLE_REDIS, rate_limit_capacity=2 * cost, rate_limit_refill_per_second=SLOW)
    with caplog.at_level(logging.ERROR, logger="gateway.rate_limits"):
        statuses = [(await gateway.post("distributor.admin", VIEWER)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # limited by this worker's own buckets meanwhile
    assert any("rate-limit store unavailable" in r.getMessage() for r in caplog.records)


async def concurrent_statuses(gateways: list[LimitedApp], count: int) -> list[int]:
    responses = await asyncio.gather(*(
        gateways[n % len(gateways)].post("distributor.admin", VIEWER, address=f"10.0.{n % 5}.1") for n in range(count)
    ))
    return [r.status_code for r in responses]


async def test_two_hundred_concurrent_requests_get_exactly_the_budget(limited_app: AppFactory) -> None:
    cost = await measure(limited_app, VIEWER)
    gateway = await limited_app(rate_limit_capacity=50 * cost, rate_limit_refill_per_second=SLOW)
    statuses = await concurrent_statuses([gateway], 200)
    assert statuses.count(200) == 50 and statuses.count(429) == 150


async def test_workers_sharing_redis_share_the_budget(limited_app: AppFactory, redis_url: str) -> None:
    cost = await measure(limited_app, VIEWER)
    workers = [await limited_app(redis_url=redis_url, rate_limit_capacity=50 * cost, rate_limit_refill_per_second=SLOW)
               for _ in range(2)]
    statuses = await concurrent_statuses(workers, 200)
    assert statuses.count(200) == 50 and statuses.count(429) == 150


async def test_an_invoicing_list_download_spends_the_same_budget(limited_app: AppFactory, gql: GraphQLClient) -> None:
    limited = await limited_app(rate_limit_capacity=COST * 2, rate_limit_refill_per_second=0.001)
    partner = await create_partner()
    main = await create_main_account(partner)
    bill = await create_incentive_bill(partner, amount="10.00")
    application = (await apply(Caller(gql, main.name), bill))["application"]  # set up without limits
    path = f"/invoicing-lists/{application['id']}.pdf"
    http = limited.client()
    first = await http.get(path, headers=limited.headers(main.name))
    assert first.status_code == 200 and first.headers["RateLimit-Remaining"] == str(COST)
    missing = await http.get("/invoicing-lists/nothing.pdf", headers=limited.headers(main.name))
    assert missing.status_code == 404 and missing.headers["RateLimit-Remaining"] == "0"
    refused = await http.get(path, headers=limited.headers(main.name))
    assert refused.status_code == 429 and refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
