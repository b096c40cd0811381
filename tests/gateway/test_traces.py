"""Traces (gateway/traces.py): one server span per request, continuing the client's W3C trace and
answering the server span's `traceparent`; child spans for authentication, parse, validation, the
permission check and each SQL statement; nothing at all with GATEWAY_TRACES=off."""

from __future__ import annotations

import contextlib
import gc
import logging
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from starlette.applications import Starlette

from gateway import traces
from gateway.app import create_app
from gateway.auth import hash_secret
from gateway.config import Settings
from gateway.logs import RequestIdFilter
from gateway.tokens import issue_token
from gateway.traces import STATEMENT_CHARS, TraceRequests
from models.api_keys import ApiKey
from models.members import Account
from tests.graphql import TEST_SECRET

# A page of members under the partner: many fields and rows, and still no span per field or row.
PARTNER = "query Partner { viewer { partner { name members(first: 5) { nodes { id name email } } } } }"
CLIENT_TRACE, CLIENT_SPAN = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
PHASES = ("authenticate", "graphql.validate", "graphql.authorize")


def settings_with(traces: str) -> Settings:
    return Settings(jwt_secret=TEST_SECRET, database_url="sqlite://:memory:", traces=traces)


@contextlib.asynccontextmanager
async def client_on(app: Starlette, settings: Settings, account: str = "distributor.admin") -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {issue_token(settings, account)}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway.test", headers=headers) as client:
        yield client


@contextlib.asynccontextmanager
async def traced(traces: str = "otlp", processor: SpanProcessor | None = None) -> AsyncIterator[tuple[httpx.AsyncClient, InMemorySpanExporter]]:
    """A client on an app whose spans end in the returned in-memory exporter (through the seam)."""
    exporter = InMemorySpanExporter()
    settings = settings_with(traces)
    app = create_app(settings, manage_database=False, span_processor=processor or SimpleSpanProcessor(exporter))
    async with client_on(app, settings) as client:
        yield client, exporter


def hex_id(value: int, width: int) -> str:
    return format(value, f"0{width}x")


def the_request_span(spans: tuple[ReadableSpan, ...]) -> ReadableSpan:
    [request] = [span for span in spans if span.kind is SpanKind.SERVER]
    return request


async def test_a_request_is_one_server_span_continuing_the_client_trace_with_its_phases_and_statements(
        demo_db: dict[str, int], backend: str) -> None:
    async with traced() as (client, exporter):
        response = await client.post("/graphql", json={"query": PARTNER}, headers={
            "traceparent": f"00-{CLIENT_TRACE}-{CLIENT_SPAN}-01", "X-Request-ID": "traced-1"})
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    spans = exporter.get_finished_spans()
    request = the_request_span(spans)
    assert request.context is not None and request.parent is not None
    # The client's trace goes on: same trace id, and the client's span is the parent.
    assert (hex_id(request.context.trace_id, 32), hex_id(request.parent.span_id, 16)) == (CLIENT_TRACE, CLIENT_SPAN)
    assert request.parent.is_remote
    assert {hex_id(span.context.trace_id, 32) for span in spans if span.context is not None} == {CLIENT_TRACE}
    # ...and the answer names the server span, for the client to find it.
    assert response.headers["traceparent"] == f"00-{CLIENT_TRACE}-{hex_id(request.context.span_id, 16)}-01"

    assert request.name == "POST /graphql"
    assert dict(request.attributes or {}) == {
        "http.request.method": "POST", "http.route": "/graphql", "http.response.status_code": 200,
        "gateway.request_id": "traced-1", "gateway.caller.kind": "MAIN_ACCOUNT",
        "graphql.operation.name": "Partner", "graphql.operation.type": "query",
    }

    children = {span.name: span for span in spans if span.parent is not None and span.parent.span_id == request.context.span_id}
    for phase in PHASES:
        assert phase in children, (phase, sorted(children))
    statements = [span for span in spans if span.kind is SpanKind.CLIENT]
    assert statements and all(span.name == "SELECT" for span in statements)
    by_id = {span.context.span_id: span for span in spans if span.context is not None}
    parents = {by_id[span.parent.span_id].name for span in statements if span.parent is not None}
    # Authentication's statement under its span; the query's under the request's.
    assert parents == {"authenticate", "POST /graphql"}
    system = {"sqlite": "sqlite", "postgres": "postgresql"}[backend]
    for span in statements:
        attributes = dict(span.attributes or {})
        assert attributes["db.system"] == system
        assert str(attributes["db.statement"]).startswith("SELECT") and len(str(attributes["db.statement"])) <= STATEMENT_CHARS
        # The text, never the values bound to it (authentication binds the account's name).
        assert "distributor.admin" not in str(attributes["db.statement"])
    # Never one span per field or row: the phases, the request and its statements, nothing else.
    assert {span.name for span in spans} == {*PHASES, "POST /graphql", "SELECT"}
    assert len(spans) == 1 + len(PHASES) + len(statements)
    # The children are made by the gateway, not the SDK's span: what an exporter reads of them is
    # what it reads of the request's (resource, scope, flags, ids, times within the request's).
    for span in spans:
        assert span.resource is request.resource and span.resource.attributes["service.name"] == "partner-gateway"
        assert span.instrumentation_scope is not None and span.instrumentation_scope.name == "gateway"
        assert span.context is not None and span.context.trace_flags.sampled and not span.context.is_remote
        assert span.start_time is not None and span.end_time is not None
        assert request.start_time <= span.start_time <= span.end_time <= request.end_time
    assert len(by_id) == len(spans)


async def test_without_a_client_trace_the_request_starts_one_and_answers_its_traceparent(demo_db: dict[str, int]) -> None:
    async with traced() as (client, exporter):
        response = await client.post("/graphql", json={"query": "{ viewer { account { name } } }"},
                                     headers={"traceparent": "00-not-a-trace-context-01"})
    request = the_request_span(exporter.get_finished_spans())
    assert request.parent is None and request.context is not None
    assert request.context.trace_flags.sampled
    assert response.headers["traceparent"] == f"00-{hex_id(request.context.trace_id, 32)}-" \
        f"{hex_id(request.context.span_id, 16)}-{hex_id(request.context.trace_flags, 2)}"
    assert hex_id(request.context.trace_id, 32) != CLIENT_TRACE
    assert "graphql.operation.name" not in (request.attributes or {})


async def test_a_request_whose_trace_is_not_sampled_makes_no_child_span_and_says_so(
        demo_db: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    exporter = InMemorySpanExporter()
    settings = settings_with("otlp")
    app = create_app(settings, manage_database=False, span_processor=SimpleSpanProcessor(exporter))
    started: list[str] = []
    enter = traces._ChildSpan.__enter__

    def counted(child: Any) -> None:
        started.append(child._name)
        enter(child)

    monkeypatch.setattr(traces._ChildSpan, "__enter__", counted)
    async with client_on(app, settings) as client:
        response = await client.post("/graphql", json={"query": PARTNER},
                                     headers={"traceparent": f"00-{CLIENT_TRACE}-{CLIENT_SPAN}-00"})
    assert response.status_code == 200 and "errors" not in response.json()
    # The client's decision holds (the SDK's default sampler follows the parent): nothing recorded...
    assert exporter.get_finished_spans() == ()
    # ...and no child made: no phase, no statement.
    assert started == []
    assert response.headers["traceparent"].startswith(f"00-{CLIENT_TRACE}-")
    assert response.headers["traceparent"].endswith("-00")


async def test_a_refused_caller_and_a_probe_are_traced_too(demo_db: dict[str, int]) -> None:
    async with traced() as (client, exporter):
        refused = await client.post("/graphql", json={"query": "{ viewer { account { name } } }"},
                                    headers={"Authorization": "Bearer not-a-token"})
        probe = await client.get("/healthz")
    assert (refused.status_code, probe.status_code) == (401, 200)
    spans = exporter.get_finished_spans()
    requests = [span for span in spans if span.kind is SpanKind.SERVER]
    # Refused before routing: no route to name the span by, so the path is an attribute.
    assert [(span.name, (span.attributes or {}).get("http.response.status_code"),
             (span.attributes or {}).get("url.path"), (span.attributes or {}).get("http.route")) for span in requests] == [
        ("POST", 401, "/graphql", None), ("GET /healthz", 200, None, "/healthz")]
    # A refusal is the client's error: the server span is not failed, authentication's span says why.
    assert requests[0].status.status_code is StatusCode.UNSET
    [authenticate] = [span for span in spans if span.name == "authenticate"]
    assert authenticate.status.status_code is StatusCode.ERROR
    # As the SDK's `record_exception` writes it.
    [event] = authenticate.events
    assert event.name == "exception" and event.attributes is not None
    assert event.attributes["exception.type"] == "gateway.auth.AuthenticationFailed"
    assert event.attributes["exception.message"] and "Traceback" in str(event.attributes["exception.stacktrace"])
    assert "gateway.caller.kind" not in (requests[0].attributes or {})


@pytest.mark.parametrize(("account", "kind"), [("staff.finance", "STAFF"), ("customer.acme", "CUSTOMER"),
                                               ("distributor.am", "ORGANISATION_MEMBER")])
async def test_the_request_span_names_the_kind_of_caller(demo_db: dict[str, int], account: str, kind: str) -> None:
    async with traced() as (client, exporter):
        token = issue_token(settings_with("otlp"), account)
        assert (await client.post("/graphql", json={"query": "{ viewer { account { name } } }"},
                                  headers={"Authorization": f"Bearer {token}"})).status_code == 200
    attributes = the_request_span(exporter.get_finished_spans()).attributes or {}
    assert attributes["gateway.caller.kind"] == kind and "gateway.caller.api_key" not in attributes


async def test_an_api_key_caller_is_marked_as_one(demo_db: dict[str, int]) -> None:
    account = await Account.get(name="distributor.admin")
    prefix = secrets.token_hex(4)
    key = f"pgk_{prefix}_{secrets.token_urlsafe(24)}"
    row = await ApiKey.create(account=account, name="traced", prefix=prefix, secret_hash=hash_secret(key), scopes=[])
    try:
        async with traced() as (client, exporter):
            response = await client.post("/graphql", json={"query": "mutation Nothing { __typename }"},
                                         headers={"Authorization": f"Bearer {key}"})
    finally:
        await row.delete()
    assert response.status_code == 200, response.text
    attributes = the_request_span(exporter.get_finished_spans()).attributes or {}
    assert attributes["gateway.caller.api_key"] is True and attributes["gateway.caller.kind"] == "MAIN_ACCOUNT"
    assert (attributes["graphql.operation.name"], attributes["graphql.operation.type"]) == ("Nothing", "mutation")


DEEP = "{ viewer { partner { members { nodes { partner { members { nodes { partner { members { nodes { partner { name } } } } } } } } } } } }"


@pytest.mark.parametrize("body", [
    {"query": "query A { viewer { account { name } } }", "operationName": "Nope"},  # strawberry stops between parse and validation
    {"query": "query A { viewer { account { name } "},  # a syntax error
    {"query": "{ viewer { account { nam } } }"},  # a validation error
    {"query": DEEP},  # a limit, refused and audited
], ids=["unknown-operation", "syntax", "validation", "depth-limit"])
async def test_an_operation_refused_before_execution_ends_its_validation_span_and_leaves_the_request_current(
        demo_db: dict[str, int], body: dict[str, str]) -> None:
    async with traced() as (client, exporter):
        response = await client.post("/graphql", json=body)
    assert response.json()["errors"], response.text
    spans = exporter.get_finished_spans()
    request = the_request_span(spans)
    assert request.context is not None
    [validate] = [span for span in spans if span.name == "graphql.validate"]
    assert validate.parent is not None and validate.parent.span_id == request.context.span_id
    assert not any(span.name == "graphql.authorize" for span in spans)
    # What runs after the refusal (the security events' audit records) is the request's again.
    by_id = {span.context.span_id: span.name for span in spans if span.context is not None}
    assert {by_id[span.parent.span_id] for span in spans if span.kind is SpanKind.CLIENT and span.parent is not None} \
        <= {"authenticate", "POST /graphql"}


@pytest.mark.parametrize("authz_mode", ["null", "reject"])
async def test_a_denial_is_answered_as_untraced_and_audited_under_the_permission_check(
        demo_db: dict[str, int], authz_mode: str) -> None:
    exporter = InMemorySpanExporter()
    settings = Settings(jwt_secret=TEST_SECRET, database_url="sqlite://:memory:", traces="otlp", authz_mode=authz_mode)
    app = create_app(settings, manage_database=False, span_processor=SimpleSpanProcessor(exporter))
    async with client_on(app, settings, "service.admin") as client:
        response = await client.post("/graphql", json={"query": "{ viewer { partner { name balance { amount } } } }"})
    answer = response.json()
    assert [error["extensions"]["code"] for error in answer["errors"]] == ["FORBIDDEN"]
    if authz_mode == "null":
        assert answer["data"]["viewer"]["partner"]["balance"] is None and answer["data"]["viewer"]["partner"]["name"]
    else:
        assert answer["data"] is None
    spans = exporter.get_finished_spans()
    [authorize] = [span for span in spans if span.name == "graphql.authorize"]
    assert authorize.context is not None
    # The denial's audit record is written inside the permission check, so its INSERT is a child of it.
    audit = [span for span in spans if span.kind is SpanKind.CLIENT and "audit_record" in str((span.attributes or {})["db.statement"])]
    assert [span.name for span in audit] == ["INSERT"]
    assert audit[0].parent is not None and audit[0].parent.span_id == authorize.context.span_id


async def test_with_traces_off_nothing_is_set_up_and_no_span_is_made(demo_db: dict[str, int]) -> None:
    assert Settings().traces == "off"
    exporter = InMemorySpanExporter()
    settings = settings_with("off")
    # Even with a processor handed in, off means off.
    app = create_app(settings, manage_database=False, span_processor=SimpleSpanProcessor(exporter))
    assert app.state.tracing is None
    assert not any(middleware.cls is TraceRequests for middleware in app.user_middleware)
    async with client_on(app, settings) as client:
        response = await client.post("/graphql", json={"query": PARTNER},
                                     headers={"traceparent": f"00-{CLIENT_TRACE}-{CLIENT_SPAN}-01"})
    assert response.status_code == 200
    assert "traceparent" not in response.headers
    assert exporter.get_finished_spans() == ()


async def test_log_records_carry_the_trace_id_while_a_traced_request_is_served(
        demo_db: dict[str, int], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="gateway.access")
    caplog.handler.addFilter(RequestIdFilter())
    async with traced() as (client, _):
        await client.post("/graphql", json={"query": "{ viewer { account { name } } }"},
                          headers={"traceparent": f"00-{CLIENT_TRACE}-{CLIENT_SPAN}-01"})
    settings = settings_with("off")
    async with client_on(create_app(settings, manage_database=False), settings) as client:
        await client.post("/graphql", json={"query": "{ viewer { account { name } } }"})
    traced_line, untraced_line = [record for record in caplog.records if record.name == "gateway.access"]
    assert traced_line.trace_id == CLIENT_TRACE  # type: ignore[attr-defined]
    assert not hasattr(untraced_line, "trace_id")


async def test_the_lifespan_exports_what_the_batch_still_holds_when_the_worker_stops(demo_db: dict[str, int]) -> None:
    exporter = InMemorySpanExporter()
    # A batch that would wait a minute: only the shutdown can have exported it.
    batch = BatchSpanProcessor(exporter, schedule_delay_millis=60_000)
    settings = settings_with("otlp")
    app = create_app(settings, manage_database=False, span_processor=batch)
    thresholds = gc.get_threshold()
    try:
        async with app.router.lifespan_context(app), client_on(app, settings) as client:
            assert (await client.post("/graphql", json={"query": "{ viewer { account { name } } }"})).status_code == 200
            assert exporter.get_finished_spans() == ()
    finally:
        # The lifespan tunes the collector for a server process; this one runs the other tests.
        gc.unfreeze()
        gc.set_threshold(*thresholds)
    assert {span.name for span in exporter.get_finished_spans()} >= {"POST /graphql", *PHASES}


@pytest.mark.parametrize("mode", ["noop", "console", "otlp"])
def test_each_mode_makes_a_provider_of_its_own(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Nowhere to send to: the exporter is built, never used (nothing is recorded here).
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "gateway-under-test")
    first, second = (create_app(settings_with(mode), manage_database=False) for _ in range(2))
    try:
        assert first.state.tracing.provider is not second.state.tracing.provider
        assert first.state.tracing.provider.resource.attributes["service.name"] == "gateway-under-test"
    finally:
        for app in (first, second):
            app.state.tracing.shutdown()


def test_the_service_is_named_partner_gateway_unless_named_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    monkeypatch.delenv("OTEL_RESOURCE_ATTRIBUTES", raising=False)
    app = create_app(settings_with("noop"), manage_database=False)
    try:
        assert app.state.tracing.provider.resource.attributes["service.name"] == "partner-gateway"
    finally:
        app.state.tracing.shutdown()
