"""Selection-aware loading: connections read only what the selection needs, answers stay the same.

Pages are read without counting the list unless `totalCount` (or backward paging) needs it, rows
become the GraphQL types without model hydration, and each selection reads its own columns.
"""

from __future__ import annotations

import itertools

import pytest

from gateway.sql_metrics import counting
from resolvers.rows import all_fields
from schema.members.types import Account
from schema.relay import ModelNode
from schema.selection import ALL, column_map, fields_for
from tests.graphql import client_with, gid

ADMIN = "distributor.admin"
STAFF = "staff.operations"
PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"


def node_types() -> list[type]:
    found, todo = [], list(ModelNode.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return sorted(found, key=lambda c: c.__name__)


# The database fixture: foreign-key columns (`partner_id`) exist once Tortoise has initialised.
async def test_a_selection_reads_only_its_columns_and_what_finds_relations(demo_db):
    assert fields_for(Account, ["name", "email"]) == ("id", "email", "name", "partner_id")
    # A to-one relation needs its key; roles are found by the account's id.
    assert fields_for(Account, ["supervisor", "roles"]) == ("id", "supervisor_id")
    assert fields_for(Account, ["__typename"], ["created_at"]) == ("id", "created_at")


async def test_an_unknown_field_reads_every_column(demo_db):
    assert fields_for(Account, ["name", "noSuchField"]) == all_fields(Account.model)


@pytest.mark.parametrize("node_type", node_types(), ids=lambda t: t.__name__)
async def test_every_field_of_a_node_type_declares_what_it_reads(demo_db, node_type):
    # A resolver without `reads(...)` would make every selection of its type read every column.
    undeclared = [name for name, columns in column_map(node_type).items() if columns is ALL]
    assert not undeclared, f"{node_type.__name__}: declare metadata=reads(...) on {undeclared}"


CASES = [
    # (caller, the connection's path with @ where it sits, field): a root and a nested (batched) one
    (STAFF, "@", "partners"),
    (ADMIN, "viewer { partner { @ } }", "coupons"),
]


def _dig(data: dict, path: str, field: str):
    keys = [p.strip().split("(")[0] for p in path.split("{")[:-1] if p.strip()]
    for key in [*keys, field]:
        data = data[key]
    return data


@pytest.mark.parametrize(("caller", "path", "field"), CASES, ids=["root", "nested"])
async def test_pages_read_without_a_count_equal_the_counted_pages(gql, caller, path, field):
    async def page(selection: str, **variables):
        inner = f"{field}(first: $first, after: $after, last: $last, before: $before) {{ {selection} }}"
        query = f"query($first: Int, $after: String, $last: Int, $before: String) {{ {path.replace('@', inner)} }}"
        return _dig((await gql.as_(caller, query, variables)).ok(), path, field)

    everything = await page(f"totalCount edges {{ cursor node {{ id }} }} {PAGE_INFO}", first=100)
    cursors = [e["cursor"] for e in everything["edges"]]
    assert len(cursors) >= 4
    afters = [None, cursors[0], cursors[len(cursors) // 2], cursors[-2], cursors[-1]]
    for first, after in itertools.product([None, 0, 1, 3, 100], afters):
        variables = {"first": first, "after": after}
        counted = await page(f"totalCount nodes {{ id }} edges {{ cursor }} {PAGE_INFO}", **variables)
        uncounted = await page(f"nodes {{ id }} edges {{ cursor }} {PAGE_INFO}", **variables)
        del counted["totalCount"]
        assert uncounted == counted, variables
    for last, before in itertools.product([1, 3], [None, cursors[-1], cursors[2]]):
        variables = {"last": last, "before": before}
        counted = await page(f"totalCount nodes {{ id }} {PAGE_INFO}", **variables)
        uncounted = await page(f"nodes {{ id }} {PAGE_INFO}", **variables)
        del counted["totalCount"]
        assert uncounted == counted, variables


async def test_a_forward_page_without_total_count_costs_one_statement_less(demo_db):
    async def statements(selection: str) -> int:
        with counting() as box:
            (await standard.as_(ADMIN, f"{{ viewer {{ partner {{ coupons(first: 5) {{ {selection} }} }} }} }}")).ok()
        return box[0]

    # The standard executor's statements: compiled, both are one statement.
    async with client_with(compiled_reads="off") as standard:
        assert await statements("nodes { id }") == await statements("totalCount nodes { id }") - 1


async def test_the_same_connection_twice_reads_what_each_selection_needs(gql):
    both = """{ partners(first: 3) { nodes {
        a: members(first: 4) { nodes { name } }
        b: members(first: 4) { nodes { displayName email kind } } } } }"""
    alone_a = "{ partners(first: 3) { nodes { members(first: 4) { nodes { name } } } } }"
    alone_b = "{ partners(first: 3) { nodes { members(first: 4) { nodes { displayName email kind } } } } }"
    together = (await gql.as_(STAFF, both)).ok()["partners"]["nodes"]
    a = (await gql.as_(STAFF, alone_a)).ok()["partners"]["nodes"]
    b = (await gql.as_(STAFF, alone_b)).ok()["partners"]["nodes"]
    assert [p["a"] for p in together] == [p["members"] for p in a]
    assert [p["b"] for p in together] == [p["members"] for p in b]
    assert any(m["email"] for p in together for m in p["b"]["nodes"])


async def test_fields_behind_fragments_are_read(gql):
    plain = """{ viewer { partner { coupons(first: 10) { nodes {
        id status closedAt balance { amount } remark faceValue { amount } issuedBy { name email } } } } } }"""
    fragments = """{ viewer { partner { coupons(first: 10) { edges { node { id ...state ... on Coupon { remark } } }
                                                         nodes { ...money } } } } }
        fragment state on Coupon { status closedAt issuedBy { ...who } }
        fragment money on Coupon { balance { amount } faceValue { amount } }
        fragment who on Account { name email }"""
    expected = (await gql.as_(ADMIN, plain)).ok()["viewer"]["partner"]["coupons"]["nodes"]
    got = (await gql.as_(ADMIN, fragments)).ok()["viewer"]["partner"]["coupons"]
    assert [e["node"] for e in got["edges"]] == [
        {k: n[k] for k in ("id", "status", "closedAt", "issuedBy", "remark")} for n in expected]
    assert got["nodes"] == [{"balance": n["balance"], "faceValue": n["faceValue"]} for n in expected]


async def test_a_node_id_beyond_any_primary_key_is_not_found(gql):
    response = await gql.as_(ADMIN, '{ node(id: "%s") { id } }' % gid("Coupon", 10**30))
    assert response.codes == ["NOT_FOUND"]
