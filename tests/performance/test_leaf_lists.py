"""Lists of plain rows completed in one pass answer exactly what graphql-core's own path answers."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import strawberry

from schema.leaf_lists import LeafListExecutionContext
from tests.graphql import client_with

DOCUMENTS = [
    # The benchmark's shapes.
    "{ partners(first: 20) { nodes { name members(first: 20) { nodes { name email } } } } }",
    """{ viewer { partner { name coupons(first: 50) { nodes { id status faceValue { amount }
        usageRecords(first: 10) { nodes { orderId amount { amount } } } } }
        tasks(first: 20) { nodes { name status deadline } } } } }""",
    # Aliases, __typename, fragments, enums, datetimes, decimals, nulls, ids.
    """{ partners(first: 10) { nodes { __typename id n: name members(first: 30) { edges { cursor node {
        __typename id ...who kind status staffRole createdAt m: mobile } } } } } }
       fragment who on Account { name displayName email }""",
    """{ viewer { partner { coupons(first: 30) { nodes { ... on Coupon { id kind validFrom expiresAt maxOrderRatio
        issuedAt productLimits } } } customers(first: 30) { nodes { id name associationType whitelisted } } } } }""",
    # A denied field inside a plain list: null with FORBIDDEN, the rest answered.
    "{ viewer { partner { members(first: 10) { nodes { name email } } coupons(first: 5) { nodes { id } } } } }",
]
CALLERS = ["staff.operations", "distributor.admin", "distributor.am", "distributor.coupons"]


@pytest.fixture
def ordinary_path(monkeypatch):
    """Switch the one-pass completion off: graphql-core completes every list itself."""

    def off():
        monkeypatch.setattr(LeafListExecutionContext, "_plan", lambda self, item_type, fields: None)

    return off


@pytest.fixture
async def standard(demo_db):
    """The standard executor for every query: compiled reads would answer most of these without lists."""
    async with client_with(compiled_reads="off") as client:
        yield client


@pytest.mark.parametrize("caller", CALLERS)
async def test_one_pass_answers_equal_the_ordinary_answers(standard, ordinary_path, monkeypatch, caller):
    used = []
    original = LeafListExecutionContext._plan

    def spy(self, item_type, fields):
        plan = original(self, item_type, fields)
        used.append(plan is not None)
        return plan

    monkeypatch.setattr(LeafListExecutionContext, "_plan", spy)
    fast = [(await standard.as_(caller, document)).body for document in DOCUMENTS]
    assert any(used), "no list took the one-pass completion"
    ordinary_path()
    slow = [(await standard.as_(caller, document)).body for document in DOCUMENTS]
    for document, a, b in zip(DOCUMENTS, fast, slow, strict=False):
        assert a == b, document


class Colour(enum.Enum):
    RED = "red"


@strawberry.type
class Amount:
    value: Decimal
    unit: str


@strawberry.type
class Item:
    name: str
    maybe: str | None
    colour: Colour
    price: Decimal
    at: datetime

    @strawberry.field
    def tags(self) -> list[Colour]:
        return [self.colour, self.colour]

    @strawberry.field
    def amount(self) -> Amount | None:
        return Amount(value=self.price, unit="CNY") if self.maybe is None else None

    @strawberry.field
    def label(self, root: strawberry.Parent[Item]) -> str:
        if root.maybe == "boom":
            raise ValueError("a resolver that fails")
        return f"{root.name}:{root.colour.value}"

    @strawberry.field
    def greeting(self, info: strawberry.Info) -> str:  # needs info: never read in one pass
        return "hi"


def toy_schema(context_class):
    @strawberry.type
    class Query:
        @strawberry.field
        def items(self, broken: bool = False) -> list[Item]:
            good = Item(name="a", maybe=None, colour=Colour.RED, price=Decimal("1.50"), at=datetime(2026, 1, 1, tzinfo=UTC))
            bad = Item(name=None, maybe="x", colour=Colour.RED, price=Decimal("2"), at=datetime(2026, 1, 2, tzinfo=UTC))  # type: ignore[arg-type]
            return [good, bad, good] if broken else [good, good]

        @strawberry.field
        def failing(self) -> list[Item]:
            return [Item(name="c", maybe="boom", colour=Colour.RED, price=Decimal("4"), at=datetime(2026, 1, 4, tzinfo=UTC))]

        @strawberry.field
        def nullable_items(self) -> list[Item | None]:
            return [None, Item(name="b", maybe="y", colour=Colour.RED, price=Decimal("3"), at=datetime(2026, 1, 3, tzinfo=UTC))]

    return strawberry.Schema(query=Query, execution_context_class=context_class)


@pytest.mark.parametrize("document", [
    "{ items { name maybe colour price at __typename } }",
    "{ items(broken: true) { name maybe colour } }",  # null in a non-null field: the same error, same path
    "{ nullableItems { name maybe } }",
    "{ a: items { x: name } b: items { colour } }",
    "{ items { tags amount { value unit } label } nullableItems { amount { unit } label } }",
    "{ failing { name label } }",  # a resolver error: same message, same path
    "{ items { name greeting } }",
])
def test_errors_and_nulls_match_graphql_core(document):
    fast = toy_schema(LeafListExecutionContext).execute_sync(document)
    slow = toy_schema(None).execute_sync(document)
    assert fast.data == slow.data
    assert [(e.message, e.path) for e in fast.errors or []] == [(e.message, e.path) for e in slow.errors or []]
