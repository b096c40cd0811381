"""The fuzzer's own parts: a checker that missed a leak or a rewrite that broke documents would
make the fuzzing pass for the wrong reason."""

from __future__ import annotations

import base64
import contextlib
import json

import graphql
import httpx
import pytest

from schema.build import schema as gateway_schema
from tests.fuzz.checks import problems_in_answer, unexpected_log_entries
from tests.fuzz.documents import lift_arguments, select_user_errors, target_global_ids
from tests.fuzz.values import PLACEHOLDER, node_type_names
from tests.graphql import gid

SCHEMA = graphql.build_schema(gateway_schema.as_str())
NODE_TYPES = node_type_names(SCHEMA)


def answer(body: object, status: int = 200) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers={"content-type": "application/json"})


def placeholder(pk: int) -> str:
    return gid(PLACEHOLDER, pk)


def decoded_ids(document: graphql.DocumentNode) -> list[str]:
    found: list[str] = []

    class Strings(graphql.Visitor):
        def enter_string_value(self, node: graphql.StringValueNode, *_: object) -> None:
            with contextlib.suppress(ValueError):  # not an ID
                found.append(base64.b64decode(node.value, validate=True).decode())

    graphql.visit(document, Strings())
    return found


def test_a_typed_answer_has_no_problems() -> None:
    body = {"data": {"node": None}, "errors": [{"message": "No such object.", "extensions": {"code": "NOT_FOUND"}}]}
    assert problems_in_answer(answer(body)) == []
    assert problems_in_answer(answer({"errors": [{"message": "x", "extensions": {"code": "UNAUTHENTICATED"}}]}, 401)) == []


@pytest.mark.parametrize(
    ("response", "problem"),
    [
        (answer({"data": None}, 502), "HTTP 502"),
        (httpx.Response(200, content=b"<html>oops</html>"), "body is not JSON"),
        (answer([1, 2]), "body is not a GraphQL answer"),
        (answer({"data": None, "errors": [{"message": "x"}]}), "error without a typed code"),
        (answer({"errors": [{"message": "x", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}), "error without a typed code"),
        (answer({"errors": [{"message": "x", "extensions": {"code": "OOPS"}}]}), "error without a typed code"),
        (answer({"errors": []}, 400), "HTTP 400 without errors"),
        (answer({"errors": [{"message": 'File "/app/x.py", line 3, in f', "extensions": {"code": "BAD_USER_INPUT"}}]}), "leaks"),
        (answer({"errors": [{"message": "sqlite3.IntegrityError: UNIQUE", "extensions": {"code": "CONFLICT"}}]}), "leaks"),
        (answer({"errors": [{"message": "SELECT id FROM partner", "extensions": {"code": "BAD_USER_INPUT"}}]}), "leaks"),
        (answer({"errors": [{"message": "tortoise.exceptions.DoesNotExist", "extensions": {"code": "NOT_FOUND"}}]}), "leaks"),
    ],
)
def test_each_broken_contract_is_a_problem(response: httpx.Response, problem: str) -> None:
    assert any(found.startswith(problem) for found in problems_in_answer(response)), problems_in_answer(response)


TYPED_DENIAL = """2026-11-23 22:34:43,976 ERROR strawberry.execution You need the permission `audit.view`.
Traceback (most recent call last):
  File "/work/main/schema/query.py", line 44, in _resolve_node
    raise Forbidden("...")
resolvers.errors.Forbidden: You need the permission `audit.view`.
"""
CHAINED_TYPED = """2026-11-23 22:34:43,976 ERROR strawberry.execution `after` is not a valid cursor.
Traceback (most recent call last):
  File "/work/main/resolvers/pagination.py", line 35, in decode_cursor
ValueError

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/work/main/resolvers/pagination.py", line 42, in decode_cursor
resolvers.errors.BadUserInput: `after` is not a valid cursor.
"""
COERCION = """Traceback (most recent call last):
  File "strawberry/types/arguments.py", line 311, in convert_argument
strawberry.relay.types.InvalidGlobalIDError: Value cannot represent a GlobalID: "x".
"""
CRASH = """2026-11-23 22:36:58,221 ERROR strawberry.execution Python int too large
Traceback (most recent call last):
  File "aiosqlite/core.py", line 147, in _execute_fetchall
OverflowError: Python int too large to convert to SQLite INTEGER
"""


def test_expected_errors_in_the_log_are_not_reported() -> None:
    assert unexpected_log_entries(TYPED_DENIAL + CHAINED_TYPED + COERCION + "2026 INFO uvicorn started\n") == []


def test_crashes_and_other_error_records_in_the_log_are_reported() -> None:
    found = unexpected_log_entries(
        TYPED_DENIAL + CRASH + "2026-11-23 22:36:58,221 ERROR gateway.errors unexpected error in ['node']\n"
        + "ERROR:    Exception in ASGI application\n"
    )
    assert len(found) == 3, found
    assert found[0].endswith("OverflowError: Python int too large to convert to SQLite INTEGER")
    assert "gateway.errors unexpected error" in found[1]
    assert found[2].startswith("ERROR:    Exception in ASGI application")


def as_json_record(text_record: str) -> str:
    """One record of the text log above as GATEWAY_LOG_FORMAT=json writes it: one line, the traceback a field."""
    head, _, traceback = text_record.partition("\n")
    day, clock, level, logger, message = head.split(" ", 4)
    record = {"time": f"{day}T{clock}", "level": level, "logger": logger, "message": message}
    if traceback.strip():
        record["exc_info"] = traceback.rstrip("\n")
    return json.dumps(record) + "\n"


def test_a_json_log_is_judged_like_the_text_one() -> None:
    unexpected = "2026-11-23 22:36:58,221 ERROR gateway.errors unexpected error in ['node']\n"
    log = "".join(as_json_record(record) for record in (TYPED_DENIAL, CHAINED_TYPED, CRASH, unexpected))
    assert len(log.splitlines()) == 4
    found = unexpected_log_entries(log)
    assert len(found) == 2, found
    assert found[0].endswith("OverflowError: Python int too large to convert to SQLite INTEGER")
    assert "gateway.errors unexpected error" in found[1]
    assert unexpected_log_entries(as_json_record(TYPED_DENIAL) + as_json_record(CHAINED_TYPED)) == []


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        ('mutation { couponReclaim(input: {couponId: "%s"}) { userErrors { code } } }', "Coupon"),
        ('mutation { withdrawalApprove(input: {id: "%s"}) { userErrors { code } } }', "Withdrawal"),
        ('mutation { coSaleList(input: {id: "%s"}) { userErrors { code } } }', "CoSaleProduct"),
        ('mutation { expertStageAdvance(input: {id: "%s", result: "x"}) { userErrors { code } } }', "ExpertApplication"),
        ('mutation { memberRolesAssign(input: {memberId: "%s", roleIds: []}) { userErrors { code } } }', "Account"),
        ('mutation { couponQuotaAllocate(input: {quotaId: "%s", allocations: []}) { userErrors { code } } }', "CouponQuota"),
    ],
)
def test_placeholder_ids_point_at_the_type_their_argument_names(operation: str, expected: str) -> None:
    document = target_global_ids(SCHEMA, graphql.parse(operation % placeholder(7)), NODE_TYPES)
    assert f"{expected}:7" in decoded_ids(document)


def test_placeholder_ids_without_a_hint_are_spread_over_the_node_types() -> None:
    document = graphql.parse('{ a: node(id: "%s") { id } b: node(id: "%s") { id } }' % (placeholder(1), placeholder(2)))
    ids = decoded_ids(target_global_ids(SCHEMA, document, NODE_TYPES))
    assert ids == [f"{NODE_TYPES[1]}:1", f"{NODE_TYPES[2]}:2"]


def test_ids_that_are_not_placeholders_are_sent_as_generated() -> None:
    literal = gid("Partner", 3)
    document = target_global_ids(SCHEMA, graphql.parse('{ node(id: "%s") { id } }' % literal), NODE_TYPES)
    assert decoded_ids(document) == ["Partner:3"]


def test_mutations_always_ask_for_their_user_errors() -> None:
    document = select_user_errors(SCHEMA, graphql.parse('mutation { roleDelete(input: {id: "x"}) { deletedRoleId } }'))
    printed = graphql.print_ast(document)
    assert "userErrors {" in printed and "code" in printed
    assert graphql.validate(SCHEMA, document) == []
    asked = 'mutation { roleDelete(input: {id: "x"}) { userErrors { message } } }'
    assert graphql.print_ast(select_user_errors(SCHEMA, graphql.parse(asked))) == graphql.print_ast(graphql.parse(asked))


def test_lifted_arguments_are_the_same_operation_with_variables() -> None:
    document = graphql.parse('{ partners(first: 5, filter: {search: "x"}) { totalCount } node(id: "abc") { id } }')
    lifted, variables = lift_arguments(SCHEMA, document)
    assert graphql.validate(SCHEMA, lifted) == []
    assert variables == {"v0": 5, "v1": {"search": "x"}, "v2": "abc"}
    printed = graphql.print_ast(lifted)
    assert "partners(first: $v0, filter: $v1)" in printed and "node(id: $v2)" in printed
