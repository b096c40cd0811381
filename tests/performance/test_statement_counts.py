"""SQL statements per request do not grow with list sizes, for every nested connection of the schema.

Each nested connection (and the to-one and list relations beside it) is read under a list of 5
parents and of 50; the number of statements sent must be the same.
"""

from __future__ import annotations

import pytest
from graphql import GraphQLObjectType, get_named_type

from gateway.sql_metrics import counting
from models.members import AccountKind, StaffRole
from resolvers.permissions.catalog import BY_CODE
from resolvers.principal import Principal
from schema.build import schema
from schema.context import GatewayContext
from schema.settings import SchemaSettings
from tests.conftest import use_demo_database

GQL = schema._schema
EVERYTHING = Principal(
    account_id=0, account_name="statement.counter", kind=AccountKind.STAFF, partner_id=None, identities=frozenset(),
    roles=(), staff_role=StaffRole.OPERATIONS, permissions=frozenset(BY_CODE),
)


def node_of(connection_type) -> str | None:
    named = get_named_type(connection_type)
    if isinstance(named, GraphQLObjectType) and named.name.endswith("Connection") and "nodes" in named.fields:
        return get_named_type(named.fields["nodes"].type).name
    return None


def nested_connections() -> list[tuple[str, str]]:
    found = []
    for type_name, gql_type in GQL.type_map.items():
        # The viewer's own lists are one caller's, never a page of parents.
        if type_name in ("Query", "Mutation", "Viewer") or not isinstance(gql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        found += [(type_name, f) for f, field in gql_type.fields.items() if node_of(field.type)]
    return sorted(found)


def partner_field_listing(type_name: str) -> str:
    """The Partner connection whose nodes are `type_name` (how a list of such parents is reached)."""
    for name, field in GQL.get_type("Partner").fields.items():
        if node_of(field.type) == type_name:
            return name
    raise AssertionError(f"no Partner connection lists {type_name}")


def document(parent: str, field: str, size: int) -> str:
    leaf = f"{field}(first: 3) {{ totalCount nodes {{ id }} }}"
    if parent != "Partner":
        leaf = f"{partner_field_listing(parent)}(first: 2) {{ nodes {{ id {leaf} }} }}"
    return f'{{ partners(first: {size}, filter: {{search: "Synthetic"}}) {{ nodes {{ id {leaf} }} }} }}'


@pytest.fixture(scope="module")
async def synthetic_rows(backend, demo_database):
    from gateway.seed.synthetic import seed_synthetic

    use_demo_database(backend, demo_database[0])
    # Added beside the demo data: 55 partners with every kind of child, for lists of 50.
    await seed_synthetic(55, allow_existing=True)


@pytest.fixture
def synthetic(synthetic_rows, demo_db):
    """The demo database with the synthetic partners, the models' database for this test."""


LARGE_BUDGET = SchemaSettings(cost_budget=1_000_000)


async def statements(query: str) -> tuple[int, dict]:
    # A console page of 50 partners with all their lists costs more than the default budget.
    context = GatewayContext(principal=EVERYTHING, request_id="statement-count", settings=LARGE_BUDGET)
    with counting() as box:
        result = await schema.execute(query, context_value=context)
    assert not result.errors, result.errors
    return box[0], result.data


def parents_seen(data: dict, parent: str) -> int:
    nodes = data["partners"]["nodes"]
    if parent == "Partner":
        return len(nodes)
    return sum(len(next(iter(v.values()))) for n in nodes for k, v in n.items() if k != "id")


@pytest.mark.parametrize(("parent", "field"), nested_connections())
async def test_statements_do_not_grow_with_the_list(synthetic, parent, field):
    small, small_data = await statements(document(parent, field, 5))
    large, large_data = await statements(document(parent, field, 50))
    assert parents_seen(large_data, parent) >= 10 * parents_seen(small_data, parent) > 0
    assert small == large, f"{parent}.{field}: {small} statements for 5 parents, {large} for 50"


def test_every_nested_connection_is_covered():
    assert len(nested_connections()) >= 26
    assert {("IncentiveBill", "lines"), ("IncentiveBill", "applicationLines"), ("PayoutApplication", "lines"),
            ("Partner", "incentiveBills"), ("Partner", "yanxuanOrders")} <= set(nested_connections())


async def test_a_console_page_costs_a_fixed_number_of_statements(synthetic):
    """The benchmark's Q1 and Q2 shapes, with their relations, at two sizes."""
    page = """{ partners(first: %d, filter: {search: "Synthetic"}) { nodes { name programs { program } mainAccount { name }
        members(first: 20) { nodes { name email roles { name } supervisor { name } } }
        coupons(first: 10) { nodes { status customer { name } quota { kind } usageRecords(first: 5) { nodes { orderId } } } }
        tasks(first: 10) { nodes { name customer { name } details { nodes { product } } } } } } }"""
    small, _ = await statements(page % 5)
    large, _ = await statements(page % 50)
    assert small == large


async def test_a_finance_specialists_incentive_page_costs_a_fixed_number_of_statements(synthetic):
    """The benchmark's Q6 shape (12 periods of bills with the applications drawing on them), with the
    bills' lines and indicators and each application's invoicing list, at two sizes."""
    page = """{ partners(first: %d, filter: {search: "Synthetic"}) { nodes {
        incentiveBills(first: 12) { nodes { period status amount { amount } appliedAmount { amount } indicators { name }
          lines(first: 3) { nodes { orderId customer { name } } }
          applicationLines(first: 5) { nodes { amount { amount } application { number status invoicingList { total { amount } } } } } } }
        payoutApplications(first: 12) { nodes { number lines { nodes { bill { period } } } } }
        settlementBills(first: 5) { nodes { status nextStep } } yanxuanOrders(first: 5) { nodes { priceDifference { amount } } } } } }"""
    small, small_data = await statements(page % 5)
    large, large_data = await statements(page % 50)
    bills = sum(len(n["incentiveBills"]["nodes"]) for n in large_data["partners"]["nodes"])
    assert bills >= 10 * sum(len(n["incentiveBills"]["nodes"]) for n in small_data["partners"]["nodes"]) > 0
    assert small == large, (small, large)
