"""Who calls, and the one way a test changes something: `await mutate(caller, "couponIssue", input)`.

Identity fixtures (tests/conftest.py) hand a test a `Caller` for every demo account, named after it
(`as_distributor_admin`, `as_staff_finance`, `as_person_alice`) and, for the distributor's members
who hold one preset role, after that role (`as_account_manager`, `as_finance_specialist`, …), so a
test says who acts without a trip to the README's account table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, get_named_type

from gateway.seed.demo_partners import MEMBERS, demo_accounts
from models.members import Account, AccountStatus, PresetRole
from schema.build import schema
from schema.permissions.policy import policy_for
from tests.graphql import GraphQLClient, Response

USER_ERRORS = "userErrors { field message code }"


def fixture_name(account: str) -> str:
    return "as_" + account.replace(".", "_")


def identities() -> dict[str, str]:
    """Fixture name -> demo account: one per account, and one per preset role the distributor's
    members hold alone."""
    found = {fixture_name(name): name for name in demo_accounts()}
    for handle, name, _, roles, _, status in MEMBERS:
        if handle == "distributor" and status is AccountStatus.ACTIVE and len(roles) == 1 and isinstance(roles[0], PresetRole):
            found.setdefault(f"as_{roles[0].value.lower()}", name)
    return found


@dataclass(frozen=True)
class Mutated:
    """A mutation's answer: the payload, the codes of its user errors, and any top-level errors."""

    response: Response
    field: str

    @property
    def payload(self) -> dict[str, Any]:
        data = self.response.data or {}
        return data.get(self.field) or {}

    @property
    def codes(self) -> list[str]:
        return [e["code"] for e in self.payload.get("userErrors") or []]

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.response.errors

    def ok(self) -> dict[str, Any]:
        """The payload, once the mutation answered (HTTP 200, no top-level errors), as `Response.ok()`."""
        self.response.ok()
        return self.payload

    def __getitem__(self, key: str) -> Any:
        # Reading the payload means the mutation answered: a top-level error fails here, with the
        # errors in the message, rather than as a KeyError on an empty payload.
        return self.ok()[key]


@dataclass(frozen=True)
class Caller:
    client: GraphQLClient
    name: str  # the account name

    async def query(self, document: str, variables: dict[str, Any] | None = None) -> Response:
        return await self.client.as_(self.name, document, variables)

    def token(self) -> str:
        return self.client.token(self.name)

    async def account(self) -> Account:
        """The caller's account row, for checks against what the database recorded."""
        return await Account.get(name=self.name)


async def mutate(caller: Caller, field: str, input: dict[str, Any], *, select: str | None = None) -> Mutated:
    """Run mutation `field` with `input`; the payload selects `select`, by default every public
    leaf of what it returns (and of the objects those return) plus `userErrors`."""
    document = mutation_document(field, select)
    return Mutated(await caller.query(document, {"input": input}), field)


@cache
def mutation_document(field: str, select: str | None = None) -> str:
    gql_schema = schema._schema
    mutation_field = gql_schema.mutation_type.fields[field]  # type: ignore[union-attr]
    input_type = mutation_field.args["input"].type
    payload = get_named_type(mutation_field.type)
    selection = select if select is not None else _selection(payload)  # type: ignore[arg-type]
    return f"mutation($input: {input_type}) {{ {field}(input: $input) {{ {selection} }} }}"


def _selection(payload: GraphQLObjectType) -> str:
    parts = []
    for name, payload_field in payload.fields.items():
        if name == "userErrors":
            parts.append(USER_ERRORS)
            continue
        target = get_named_type(payload_field.type)
        if isinstance(target, (GraphQLScalarType, GraphQLEnumType)):
            parts.append(name)
        elif isinstance(target, GraphQLObjectType):
            parts.append(f"{name} {{ {_leaves(target, depth=1)} }}")
    return " ".join(parts)


def _leaves(gql_type: GraphQLObjectType, depth: int) -> str:
    """Every public leaf (no permission needed, so any caller's mutation runs), and objects below."""
    decisions = policy_for(schema._schema).fields
    parts = []
    for name, field in gql_type.fields.items():
        if not decisions[(gql_type.name, name)].public or (field.args and any(
                isinstance(a.type, GraphQLNonNull) for a in field.args.values())):
            continue
        target = get_named_type(field.type)
        if isinstance(target, (GraphQLScalarType, GraphQLEnumType)):
            parts.append(name)
        elif isinstance(target, GraphQLObjectType) and depth > 0 and not target.name.endswith("Connection"):
            inner = _leaves(target, depth - 1)
            if inner:
                parts.append(f"{name} {{ {inner} }}")
    return " ".join(parts)
