"""The access line (gateway/access_log.py): one per request, with what is known of it when it ends,
and the request id on every record emitted while it is served, whichever logger emits it."""

from __future__ import annotations

import logging

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from gateway.access_log import AccessLog, access_message
from gateway.logs import RequestIdFilter
from gateway.request_id import RequestIdMiddleware, current_request_id
from gateway.sql_metrics import counting
from models.members import Account
from tests.transport.conftest import ClientFactory

OPERATIONS = """query Viewer { viewer { account { name } } }
query Partner { viewer { partner { name members(first: 3) { totalCount nodes { id } } } } }"""


def watch(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture the access lines, and every record with the request id the gateway's handler adds."""
    caplog.set_level(logging.INFO, logger="gateway.access")
    caplog.handler.addFilter(RequestIdFilter())
    return caplog


def access_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The access lines written so far (the records: their fields are attributes)."""
    return [record for record in caplog.records if record.name == "gateway.access"]


async def test_one_line_per_request_with_the_operation_caller_cost_and_statements(
    client_for: ClientFactory, caplog: pytest.LogCaptureFixture,
) -> None:
    watch(caplog)
    client = await client_for(sql_statement_header=True)
    with counting() as outer:
        response = await client.post("/graphql", json={"query": OPERATIONS, "operationName": "Partner"})
    assert response.status_code == 200, response.text
    [line] = access_lines(caplog)
    account = await Account.get(name="distributor.admin")
    fields = {name: getattr(line, name, None) for name in (
        "method", "path", "status", "operation", "request_id", "account_id", "cost", "sql_statements")}
    assert fields == {
        "method": "POST", "path": "/graphql", "status": 200, "operation": "Partner",
        "request_id": response.headers["x-request-id"], "account_id": account.id,
        "cost": response.json()["extensions"]["cost"]["requested"],
        # Counted once for the line, once for the header, once for a test around the request.
        "sql_statements": int(response.headers["x-sql-statements"]),
    }
    assert line.sql_statements == outer[0] > 1
    assert line.duration_ms > 0  # type: ignore[attr-defined]
    assert line.getMessage() == access_message(line.__dict__)
    assert line.getMessage().startswith("POST /graphql 200 ")


async def test_the_operation_name_comes_from_the_document_when_the_request_names_none(
    client_for: ClientFactory, caplog: pytest.LogCaptureFixture,
) -> None:
    watch(caplog)
    client = await client_for()
    assert (await client.post("/graphql", json={"query": "query Viewer { viewer { account { name } } }"})).status_code == 200
    assert (await client.post("/graphql", json={"query": "{ viewer { account { name } } }"})).status_code == 200
    named, anonymous = access_lines(caplog)
    assert named.operation == "Viewer"  # type: ignore[attr-defined]
    assert not hasattr(anonymous, "operation") and "operation=" not in anonymous.getMessage()


async def test_a_refused_caller_and_a_probe_have_no_caller_operation_or_cost(
    client_for: ClientFactory, caplog: pytest.LogCaptureFixture,
) -> None:
    watch(caplog)
    anonymous = await client_for(authenticated=False)
    refused = await anonymous.post("/graphql", json={"query": "query Viewer { viewer { account { name } } }"},
                                   headers={"X-Request-ID": "refused-1"})
    probe = await anonymous.get("/healthz")
    assert (refused.status_code, probe.status_code) == (401, 200)
    refusal, health = access_lines(caplog)
    assert (refusal.status, refusal.request_id, refusal.path) == (401, "refused-1", "/graphql")  # type: ignore[attr-defined]
    assert (health.status, health.method, health.path, health.sql_statements) == (200, "GET", "/healthz", 0)  # type: ignore[attr-defined]
    for line in (refusal, health):
        assert not any(hasattr(line, name) for name in ("account_id", "operation", "cost")), line.__dict__


async def test_every_record_emitted_while_serving_carries_the_request_id(
    client_for: ClientFactory, caplog: pytest.LogCaptureFixture,
) -> None:
    watch(caplog)
    client = await client_for()
    caplog.set_level(logging.DEBUG, logger="tortoise")  # the ORM's own lines: every statement it sends
    response = await client.post("/graphql", json={"query": "{ viewer { account { name } } }"}, headers={"X-Request-ID": "traced-1"})
    assert response.status_code == 200, response.text
    during = [record for record in caplog.records if record.name.startswith(("tortoise", "gateway"))]
    assert any(record.name.startswith("tortoise") for record in during), [r.name for r in caplog.records]
    assert {getattr(record, "request_id", None) for record in during} == {"traced-1"}
    assert current_request_id.get() is None  # not left behind for what the test logs next


async def test_websockets_pass_unlogged_and_the_level_switches_the_line_off(caplog: pytest.LogCaptureFixture) -> None:
    watch(caplog)
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=AccessLog(app)), base_url="http://gateway.test") as http:
        await AccessLog(app)({"type": "websocket", "path": "/graphql", "headers": []}, _never, _never)
        assert access_lines(caplog) == []
        caplog.set_level(logging.WARNING, logger="gateway.access")
        assert (await http.get("/healthz")).status_code == 204
        assert access_lines(caplog) == []


async def _never(*_: object) -> None:
    raise AssertionError("not called")


async def test_a_failing_app_is_logged_as_500_and_the_servers_own_line_keeps_the_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    watch(caplog)
    async def failing(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("boom")

    async def leaving(scope: Scope, receive: Receive, send: Send) -> None:
        return None  # the client went away: no answer was sent

    for app in (failing, leaving):
        wrapped = RequestIdMiddleware(AccessLog(app))
        scope = {"type": "http", "method": "GET", "path": "/x", "headers": [(b"x-request-id", app.__name__.encode())]}
        token = current_request_id.set(None)
        try:
            if app is failing:
                with pytest.raises(RuntimeError):
                    await wrapped(scope, _never, _never)
                # The server logs the exception in this task after the app raised: it still has the id.
                assert current_request_id.get() == "failing"
            else:
                await wrapped(scope, _never, _never)
        finally:
            current_request_id.reset(token)
    failed, left = access_lines(caplog)
    assert (failed.status, failed.request_id) == (500, "failing")  # type: ignore[attr-defined]
    assert (left.status, left.request_id) == (None, "leaving")  # type: ignore[attr-defined]
    assert left.getMessage().startswith("GET /x - ")
