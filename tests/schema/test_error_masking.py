"""Unexpected failures reach the client masked and typed; the detail goes only to the server log."""

from __future__ import annotations

import asyncio
import logging
import uuid

import asyncpg
import pytest
from asyncpg.exceptions import QueryCanceledError
from graphql import GraphQLError
from tortoise.exceptions import IntegrityError, OperationalError

from gateway.database import tortoise_config
from schema.errors import typed_error
from schema.mutations import DECLARED
from schema.viewer import types as viewer_types
from tests.graphql import client_with

SECRET = 'relation "accounts" does not exist: SELECT password_hash FROM accounts'


def failing(*_args, **_kwargs):
    raise RuntimeError(SECRET)


@pytest.fixture
async def standard(demo_db):
    """A gateway answering every query on the standard executor: the resolvers these tests break
    are its own, and the compiled read path (schema/compiled/) would not call them."""
    async with client_with(compiled_reads="off") as client:
        yield client


async def test_an_exception_in_a_resolver_is_masked_with_the_request_id(standard, monkeypatch, caplog):
    monkeypatch.setattr(viewer_types, "readable_accounts", failing)
    with caplog.at_level(logging.ERROR, logger="gateway.errors"):
        response = await standard.as_("distributor.admin", "{ viewer { account { id } } }")
    assert response.status == 200
    [error] = response.errors
    assert error["message"] == "Internal server error."
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    request_id = error["extensions"]["requestId"]
    assert request_id and SECRET not in str(response.body) and "password" not in str(response.body)
    # The log line names the request and carries the traceback with the real message.
    [record] = [r for r in caplog.records if request_id in r.getMessage()]
    assert record.exc_info is not None and SECRET in str(record.exc_info[1])


async def test_the_request_id_is_the_one_the_client_sent(standard, monkeypatch):
    monkeypatch.setattr(viewer_types, "readable_accounts", failing)
    token = standard.token("distributor.admin")
    response = await standard.raw("{ viewer { account { id } } }",
                             headers={"Authorization": f"Bearer {token}", "X-Request-ID": "trace-42"})
    assert response.errors[0]["extensions"]["requestId"] == "trace-42"


async def test_unmasked_only_when_a_developer_turns_masking_off(demo_db, monkeypatch):
    monkeypatch.setattr(viewer_types, "readable_accounts", failing)
    async with client_with(mask_errors=False, compiled_reads="off") as client:
        response = await client.as_("distributor.admin", "{ viewer { account { id } } }")
    assert SECRET in response.errors[0]["message"]
    assert response.errors[0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


async def test_a_constraint_violation_is_a_user_error_without_sql(gql, monkeypatch):
    async def violating(*_args, **_kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "roles_partner_id_name_key" INSERT INTO roles')

    monkeypatch.setattr(DECLARED["roleCreate"], "service", violating)
    response = await gql.as_("distributor.admin", """mutation { roleCreate(input: {name: "Dup", permissions: [CUSTOMER_VIEW]}) {
        role { id } userErrors { field message code } } }""")
    payload = response.ok()["roleCreate"]
    assert payload["role"] is None
    assert payload["userErrors"] == [{"field": None, "code": "CONFLICT",
                                      "message": "The change conflicts with existing data; reload and try again."}]
    assert "INSERT" not in str(response.body) and "roles_partner" not in str(response.body)


async def test_the_whole_operation_has_a_deadline(demo_db, monkeypatch):
    async def slow(*_args, **_kwargs):
        await asyncio.sleep(5)

    monkeypatch.setattr(viewer_types, "readable_accounts", lambda *_: type("Q", (), {"get": slow})())
    async with client_with(operation_timeout_seconds=0.2, compiled_reads="off") as client:
        response = await client.as_("distributor.admin", "{ viewer { account { id } } }")
        assert response.status == 504
        assert response.codes == ["TIMEOUT"]
        # The server keeps answering.
        assert (await client.as_("distributor.admin", "{ viewer { roles } }")).ok()


def test_a_cancelled_statement_is_a_typed_timeout():
    try:
        try:
            raise QueryCanceledError("canceling statement due to statement timeout")
        except QueryCanceledError as cause:
            raise OperationalError("canceling statement due to statement timeout") from cause
    except OperationalError as wrapped:
        error = typed_error(GraphQLError("x", original_error=wrapped), "req-1")
    assert error.extensions == {"code": "TIMEOUT", "requestId": "req-1"}
    assert "statement" not in error.message


async def test_postgres_cancels_statements_past_the_database_deadline(backend):
    if backend != "postgres":
        pytest.skip("SQLite has no statement deadline; its busy timeout is set instead")
    from tests.conftest import ENV, database_url

    database_url(backend)  # skips, or fails in CI, when PostgreSQL is unreachable
    credentials = tortoise_config(ENV.test_postgres_url, statement_timeout=0.2)["connections"]["default"]["credentials"]
    assert credentials["server_settings"]["statement_timeout"] == "200"
    connection = await asyncpg.connect(ENV.test_postgres_url, server_settings=credentials["server_settings"])
    try:
        with pytest.raises(QueryCanceledError):
            await connection.execute("SELECT pg_sleep(2)")
    finally:
        await connection.close()


async def test_an_exception_before_execution_is_masked_too(gql, monkeypatch):
    from schema.limits import extension

    # Raised inside an extension hook, where the TypedErrors extension never sees it.
    monkeypatch.setattr(extension, "operation_cost", failing)
    # A text of its own: costs are cached by text (schema/limits/caches.py), and this one must be computed.
    response = await gql.as_("distributor.admin", f"{{ viewer {{ account {{ id }} }} }} # {uuid.uuid4()}")
    assert response.codes == ["INTERNAL_SERVER_ERROR"]
    assert SECRET not in str(response.body) and response.errors[0]["extensions"]["requestId"]


async def test_a_variable_that_does_not_coerce_is_bad_user_input(gql):
    response = await gql.as_("distributor.admin", "query($id: ID!) { node(id: $id) { id } }", {"id": None})
    assert response.codes == ["BAD_USER_INPUT"], response.body
    response = await gql.as_("distributor.admin", "query($n: Int) { viewer { partner { coupons(first: $n) { totalCount } } } }",
                             {"n": "many"})
    assert response.codes == ["BAD_USER_INPUT"], response.body


async def test_expected_errors_are_not_logged_as_incidents(gql, caplog):
    with caplog.at_level(logging.INFO):
        response = await gql.as_("staff.pdm", "{ viewer { partner { balanc } } }")
        forbidden = await gql.as_("person.alice", "{ partners(first: 1) { totalCount } }")
    assert response.codes == ["BAD_USER_INPUT"] and forbidden.codes == ["FORBIDDEN"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]
