"""'Did you mean' hints name only what the caller can see, and none at all in production."""

from __future__ import annotations

from graphql import GraphQLError

from schema.limits.suggestions import filter_message
from tests.graphql import client_with

PRODUCTION_SECRET = "q8ZpW2vN7kR4tY1uB6mC3xL9dF0gH5jA"
TYPO = "{ viewer { partner { balanc { amount } } } }"


async def hint(client, caller: str) -> str:
    response = await client.as_(caller, TYPO)
    assert response.data is None and response.codes == ["BAD_USER_INPUT"], response.body
    return response.errors[0]["message"]


async def test_a_hint_names_a_field_the_caller_can_use(gql):
    assert "Did you mean 'balance'?" in await hint(gql, "distributor.admin")


async def test_a_hint_never_names_a_field_the_caller_cannot_see(gql):
    # Product managers (staff) read partners but not their money, so their schema has no balance.
    message = await hint(gql, "staff.pdm")
    assert "balance'" not in message and "Did you mean" not in message
    assert message == "Cannot query field 'balanc' on type 'Partner'."


async def test_no_hints_in_production(demo_db):
    async with client_with(env="production", jwt_secret=PRODUCTION_SECRET) as client:
        assert await hint(client, "distributor.admin") == "Cannot query field 'balanc' on type 'Partner'."


async def test_no_hints_when_switched_off(demo_db):
    async with client_with(suggestions=False) as client:
        assert "Did you mean" not in await hint(client, "distributor.admin")


def test_unrecognised_hints_are_dropped():
    # A message whose hint cannot be checked against the caller's schema loses the hint.
    assert filter_message("Something odd. Did you mean 'secret'?", visible=object()) == "Something odd."  # type: ignore[arg-type]
    assert isinstance(GraphQLError("x"), GraphQLError)
