"""Prometheus metrics in one process (gateway/metrics/): who may scrape /metrics, and that each family
counts what it says, read back from the scrape as Prometheus would read it.

The families are process-wide, so every test compares a scrape after its requests with one before.
Several workers summed into one view: tests/gateway/test_metrics_live.py.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError
from tortoise.transactions import in_transaction

from gateway.config import Settings
from gateway.metrics.processes import forget_dead_workers
from gateway.metrics.requests import MAX_NAME_LENGTH
from gateway.tokens import issue_token
from models.members import Account
from tests.graphql import TEST_SECRET, asgi_client, gid

# Random-looking: production refuses example values.
METRICS_TOKEN = "Hx5rW8kQz2Lv7Nb3Tc9Jm4Yd6Fs1Gp0Ua8Ee2Io3Rt"
STRONG_JWT_SECRET = "Kq7vR2mXw9LpZ4tN8cYb3HjF6sDg1QaE5uVo0iWkJrTy"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True, scope="session")


@dataclass
class Gateway:
    http: httpx.AsyncClient
    settings: Settings

    def bearer(self, account: str = "distributor.admin") -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(self.settings, account)}"}

    async def graphql(self, query: str, *, headers: dict[str, str] | None = None, **body: Any) -> httpx.Response:
        return await self.http.post("/graphql", json={"query": query, **body},
                                    headers=self.bearer() if headers is None else headers)

    async def scrape(self) -> Samples:
        response = await self.http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert response.status_code == 200, response.text
        return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
                for family in text_string_to_metric_families(response.text) for sample in family.samples}


def codes(response: httpx.Response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json()["errors"]]


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def series(samples: Samples, name: str) -> set[tuple[tuple[str, str], ...]]:
    return {labels for sample, labels in samples if sample == name}


GatewayFactory = Callable[..., Awaitable[Gateway]]


@pytest_asyncio.fixture
async def gateway_with(demo_db: dict[str, int]) -> AsyncIterator[GatewayFactory]:
    """`await gateway_with(max_depth=3)`: an app with metrics scraped by METRICS_TOKEN and those settings."""
    async with AsyncExitStack() as stack:
        async def make(**overrides: Any) -> Gateway:
            settings = Settings(**{"jwt_secret": TEST_SECRET, "database_url": "sqlite://:memory:",
                                   "metrics_token": METRICS_TOKEN, **overrides})
            return Gateway(await stack.enter_async_context(asgi_client(settings)), settings)

        yield make


VIEWER = "query MetricsViewer { viewer { account { name } partner { name members(first: 3) { totalCount nodes { id } } } } }"
# Answered by the compiler (tests/gateway/test_principal_cache_live.py reads the same).
COMPILED = """query MetricsCoupons { viewer { partner { coupons(first: 5) { totalCount
  edges { cursor node { id status faceValue { amount } } } pageInfo { hasNextPage endCursor } } } } }"""


@SQLITE_ONLY
async def test_only_the_metrics_token_reads_the_metrics(gateway_with: GatewayFactory) -> None:
    off = await gateway_with(metrics_token=None)
    for headers in ({}, off.bearer(), {"Authorization": f"Bearer {METRICS_TOKEN}"}):
        refused = await off.http.get("/metrics", headers=headers)
        assert (refused.status_code, codes(refused)) == (404, ["NOT_FOUND"])

    gateway = await gateway_with()
    created = (await gateway.graphql("""mutation($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) { secret } }""",
                                      variables={"input": {"name": "metrics probe", "scopes": ["COUPON_ISSUED_VIEW"]}})).json()
    api_key = created["data"]["apiKeyCreate"]["secret"]
    assert (await gateway.graphql("{ viewer { account { name } } }", headers={"Authorization": f"Bearer {api_key}"})).status_code == 200
    before = await gateway.scrape()
    wrong = [{}, gateway.bearer(), {"Authorization": f"Bearer {api_key}"}, {"Authorization": f"Basic {METRICS_TOKEN}"},
             {"Authorization": f"Bearer {METRICS_TOKEN}x"}]
    for headers in wrong:
        refused = await gateway.http.get("/metrics", headers=headers)
        assert (refused.status_code, codes(refused)) == (401, ["UNAUTHENTICATED"]), headers
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert "gateway_" not in refused.text
    after = await gateway.scrape()
    assert delta(before, after, "gateway_authentication_failures_total", credential="metrics_token") == len(wrong)

    answered = await gateway.http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert answered.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert "# TYPE gateway_graphql_requests_total counter" in answered.text
    openmetrics = await gateway.http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}",
                                                              "Accept": "application/openmetrics-text; version=1.0.0"})
    assert openmetrics.headers["content-type"].startswith("application/openmetrics-text")
    assert openmetrics.text.endswith("# EOF\n")


@SQLITE_ONLY
async def test_a_request_is_counted_timed_costed_and_its_statements_counted(gateway_with: GatewayFactory) -> None:
    gateway = await gateway_with(sql_statement_header=True)
    before = await gateway.scrape()
    response = await gateway.graphql(VIEWER)
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    after = await gateway.scrape()
    labels = {"operation": "MetricsViewer", "type": "query"}
    assert delta(before, after, "gateway_graphql_requests_total", **labels, outcome="ok") == 1
    assert delta(before, after, "gateway_graphql_request_duration_seconds_count", **labels) == 1
    assert delta(before, after, "gateway_graphql_request_duration_seconds_sum", **labels) > 0
    statements = int(response.headers["x-sql-statements"])
    assert statements > 1
    assert delta(before, after, "gateway_graphql_sql_statements_count", type="query") == 1
    assert delta(before, after, "gateway_graphql_sql_statements_sum", type="query") == statements
    cost = response.json()["extensions"]["cost"]["requested"]
    assert cost > 1
    assert delta(before, after, "gateway_graphql_operation_cost_count", type="query") == 1
    assert delta(before, after, "gateway_graphql_operation_cost_sum", type="query") == cost
    assert sum(delta(before, after, "gateway_graphql_executions_total", executor=executor)
               for executor in ("compiled", "standard")) == 1


@SQLITE_ONLY
async def test_outcomes_by_operation_and_type(gateway_with: GatewayFactory) -> None:
    gateway = await gateway_with(max_depth=5, cost_budget=50)
    before = await gateway.scrape()
    revoke = f'mutation Revoke {{ apiKeyRevoke(input: {{id: "{gid("ApiKey", 99_999_999)}"}}) {{ userErrors {{ code }} }} }}'
    sent: list[tuple[httpx.Response, tuple[str, str, str]]] = [
        (await gateway.graphql("query Broken { viewer {"), ("(none)", "(none)", "invalid")),
        (await gateway.graphql("query Ghost { nope }"), ("(none)", "(none)", "invalid")),
        # Refused before validation (its fields need not exist): no series of its own.
        (await gateway.graphql("query Deep { a { b { c { d { e { f { g } } } } } } }"), ("(none)", "(none)", "refused")),
        (await gateway.graphql("query Big { viewer { partner { members(first: 90) { nodes { id } } } } }"),
         ("Big", "query", "refused")),
        (await gateway.graphql(f'query Missing {{ node(id: "{gid("Partner", 99_999_999)}") {{ id }} }}'),
         ("Missing", "query", "partial")),
        (await gateway.graphql("{ viewer { account { name } } }"), ("(anonymous)", "query", "ok")),
        (await gateway.graphql(revoke), ("Revoke", "mutation", "ok")),
        (await gateway.graphql("query Mine { viewer { account { name } } }", headers={}), ("(none)", "(none)", "refused")),
        (await gateway.graphql("query Mine { viewer { account { name } } }", headers={"Authorization": "Bearer not-a-token"}),
         ("(none)", "(none)", "refused")),
        (await gateway.graphql("query Mine { viewer { account { name } } }", headers={"Authorization": "Bearer pgk_no_pe"}),
         ("(none)", "(none)", "refused")),
        (await gateway.graphql("query Mine { viewer { account { name } } }", headers={"Authorization": "Basic abc"}),
         ("(none)", "(none)", "refused")),
        (await gateway.http.post("/graphql", content="{}", headers={**gateway.bearer(), "Content-Type": "text/plain",
                                                                    "GraphQL-Require-Preflight": "1"}),
         ("(none)", "(none)", "invalid")),
    ]
    after = await gateway.scrape()
    # What each answer was, so that the outcomes are about the requests they claim to be.
    assert [r.status_code for r, _ in sent] == [200] * 7 + [401] * 4 + [415]
    assert codes(sent[2][0]) == ["OPERATION_LIMIT_EXCEEDED"] and codes(sent[3][0]) == ["QUERY_TOO_COMPLEX"]
    assert sent[4][0].json()["data"] == {"node": None} and codes(sent[4][0]) == ["NOT_FOUND"]
    assert sent[6][0].json()["data"]["apiKeyRevoke"]["userErrors"] == [{"code": "NOT_FOUND"}]
    expected: dict[tuple[str, str, str], int] = {}
    for _, labels in sent:
        expected[labels] = expected.get(labels, 0) + 1
    counted = {labels: delta(before, after, "gateway_graphql_requests_total", **dict(labels))
               for labels in series(after, "gateway_graphql_requests_total")}
    assert {(d["operation"], d["type"], d["outcome"]): n for labels, n in counted.items() if n for d in [dict(labels)]} == expected
    for credential in ("none", "token", "api_key", "malformed"):
        assert delta(before, after, "gateway_authentication_failures_total", credential=credential) == 1, credential
    assert delta(before, after, "gateway_operation_limit_refusals_total", limit="depth") == 1
    assert delta(before, after, "gateway_operation_limit_refusals_total", limit="cost") == 1


@SQLITE_ONLY
async def test_each_refusal_is_counted_once_under_the_budget_that_refused_it(gateway_with: GatewayFactory) -> None:
    gateway = await gateway_with(max_depth=5, rate_limit_capacity=30, failed_authentication_capacity=1)
    before = await gateway.scrape()
    assert codes(await gateway.graphql("query Deep { a { b { c { d { e { f { g } } } } } } }")) == ["OPERATION_LIMIT_EXCEEDED"]
    limited = await gateway.graphql("query Pricey { viewer { partner { members(first: 40) { nodes { id } } } } }")
    assert (limited.status_code, codes(limited)) == (429, ["RATE_LIMITED"])
    first = await gateway.graphql("{ __typename }", headers={"Authorization": "Bearer not-a-token"})
    throttled = await gateway.graphql("{ __typename }", headers={"Authorization": "Bearer not-a-token"})
    assert (first.status_code, throttled.status_code) == (401, 429)
    after = await gateway.scrape()
    assert delta(before, after, "gateway_operation_limit_refusals_total", limit="depth") == 1
    assert delta(before, after, "gateway_rate_limit_refusals_total", limit="caller") == 1
    assert delta(before, after, "gateway_rate_limit_refusals_total", limit="failedAuthentications") == 1
    assert delta(before, after, "gateway_rate_limit_refusals_total", limit="clientIp") == 0
    assert delta(before, after, "gateway_authentication_failures_total", credential="token") == 2
    assert delta(before, after, "gateway_graphql_requests_total", operation="Pricey", type="query", outcome="refused") == 1
    # Refused before it ran: no executor answered it.
    assert sum(delta(before, after, "gateway_graphql_executions_total", executor=e) for e in ("compiled", "standard")) == 0


@SQLITE_ONLY
async def test_compiled_and_standard_executions_are_told_apart(gateway_with: GatewayFactory) -> None:
    compiled, standard = await gateway_with(compiled_reads="on"), await gateway_with(compiled_reads="off")
    for gateway, executor, other in ((compiled, "compiled", "standard"), (standard, "standard", "compiled")):
        before = await gateway.scrape()
        answered = await gateway.graphql(COMPILED)
        assert answered.status_code == 200 and "errors" not in answered.json(), answered.text
        after = await gateway.scrape()
        assert delta(before, after, "gateway_graphql_executions_total", executor=executor) == 1
        assert delta(before, after, "gateway_graphql_executions_total", executor=other) == 0
    before = await compiled.scrape()
    revoke = f'mutation {{ apiKeyRevoke(input: {{id: "{gid("ApiKey", 99_999_999)}"}}) {{ userErrors {{ code }} }} }}'
    assert (await compiled.graphql(revoke)).status_code == 200
    after = await compiled.scrape()
    assert sum(delta(before, after, "gateway_graphql_executions_total", executor=e) for e in ("compiled", "standard")) == 0


@SQLITE_ONLY
async def test_a_thousand_operation_names_make_a_bounded_number_of_series(gateway_with: GatewayFactory) -> None:
    gateway = await gateway_with()  # the default: 100 names per process
    before = await gateway.scrape()
    for number in range(1_000):
        response = await gateway.graphql(f"query Probe{number} {{ __typename }}")
        assert response.status_code == 200, response.text
    after = await gateway.scrape()
    grown = series(after, "gateway_graphql_requests_total") - series(before, "gateway_graphql_requests_total")
    probes = {labels for labels in grown if dict(labels)["operation"].startswith("Probe")}
    assert len(probes) == 100
    assert grown - probes <= {(("operation", "(other)"), ("outcome", "ok"), ("type", "query"))}
    assert delta(before, after, "gateway_graphql_requests_total", operation="(other)", type="query", outcome="ok") == 900
    timed = series(after, "gateway_graphql_request_duration_seconds_count") - series(before, "gateway_graphql_request_duration_seconds_count")
    assert len(timed) <= 101

    # Another app (another worker) has a budget of its own; a name longer than any real one is (other) at once.
    fresh = await gateway_with(metrics_max_operation_names=5)
    long_name = "L" * (MAX_NAME_LENGTH + 1)
    before = await fresh.scrape()
    for name in (long_name, "Probe0", "Short"):
        assert (await fresh.graphql(f"query {name} {{ __typename }}")).status_code == 200
    after = await fresh.scrape()
    assert delta(before, after, "gateway_graphql_requests_total", operation="(other)", type="query", outcome="ok") == 1
    assert delta(before, after, "gateway_graphql_requests_total", operation="Short", type="query", outcome="ok") == 1
    assert not any(long_name in str(labels) for labels in series(after, "gateway_graphql_requests_total"))


async def test_database_connections_in_use_and_open(gateway_with: GatewayFactory) -> None:
    gateway = await gateway_with()
    await Account.first()  # a connection exists (PostgreSQL opens its pool on first use)
    idle = await gateway.scrape()
    assert value(idle, "gateway_database_connections_open") >= 1
    entered, release = asyncio.Event(), asyncio.Event()

    async def hold_a_connection() -> None:
        async with in_transaction():
            await Account.first()
            entered.set()
            await release.wait()

    # Another task, so that the scrape (in this one) is not inside the transaction.
    holder = asyncio.create_task(hold_a_connection())
    await entered.wait()
    try:
        held = await gateway.scrape()
    finally:
        release.set()
        await holder
    assert value(held, "gateway_database_connections_in_use") == value(idle, "gateway_database_connections_in_use") + 1
    assert value(held, "gateway_database_connections_open") >= value(held, "gateway_database_connections_in_use")


def test_the_metrics_token_is_a_secret_of_its_own() -> None:
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(metrics_token="short")
    with pytest.raises(ValidationError, match="must differ from GATEWAY_JWT_SECRET"):
        Settings(jwt_secret=METRICS_TOKEN, metrics_token=METRICS_TOKEN)
    with pytest.raises(ValidationError, match="GATEWAY_METRICS_TOKEN looks like a default"):
        Settings(env="production", jwt_secret=STRONG_JWT_SECRET, metrics_token="change-me-" * 4)
    assert Settings(env="production", jwt_secret=STRONG_JWT_SECRET, metrics_token=METRICS_TOKEN).metrics_enabled
    assert Settings(metrics_token="change-me-" * 4).metrics_enabled  # development takes any long one
    assert not Settings().metrics_enabled and Settings(metrics_port=9464).metrics_enabled


def test_a_dead_workers_gauges_leave_the_sum_and_its_counters_stay(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    mine = os.getpid()
    files = [tmp_path / f"gauge_livesum_{gone.pid}.db", tmp_path / f"gauge_livesum_{mine}.db",
             tmp_path / f"counter_{gone.pid}.db"]
    for file in files:
        file.write_bytes(b"")
    forget_dead_workers(str(tmp_path))
    assert [file.exists() for file in files] == [False, True, True]
