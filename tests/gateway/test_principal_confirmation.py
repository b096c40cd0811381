"""A cached principal is confirmed inside the request's first statement (resolvers/principal_confirmation.py).

The compiled read carries the epoch check in its own statement, so a cached caller's query costs
one statement; any other statement confirms first; an answer that needed none confirms before its
first byte. When the principal changed, nothing of the stale run leaves or is written: the request
is answered again with the principal read afresh.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import AsyncIterator

import pytest

from gateway.sql_metrics import counting
from models.api_keys import ApiKey
from models.members import Account, AccountKind, AccountStatus, PresetRole, Role
from models.partners import Partner
from models.solutions import Solution
from resolvers.principal_confirmation import Confirmation, PrincipalChanged, UnconfirmedPrincipal, unconfirmed
from schema.compiled import extension as compiled
from tests.graphql import GraphQLClient, Response

VIEWER = "{ viewer { permissions roles } }"
# Account.roles falls back (tests/compiled/fallbacks.txt): the standard executor answers this one,
# its two root fields resolved side by side.
EXECUTED = "{ viewer { account { name roles { name } } } me: viewer { account { roles { name } } } }"
CREATE_SOLUTION = """mutation($input: SolutionCreateInput!) {
  solutionCreate(input: $input) { solution { id } userErrors { code } } }"""
CREATE_KEY = """mutation($input: ApiKeyCreateInput!) {
  apiKeyCreate(input: $input) { secret apiKey { prefix } userErrors { code } } }"""


@pytest.fixture
async def admin(gql: GraphQLClient) -> AsyncIterator[Account]:
    """A fresh SYSTEM_ADMIN of Northwind (the demo distributor): it may create API keys. Removed afterwards."""
    partner = await Partner.get(name="Northwind Distribution")
    account = await Account.create(name=f"confirm.{uuid.uuid4().hex[:10]}", display_name="Confirmation test",
                                   kind=AccountKind.ORGANISATION_MEMBER, partner_id=partner.id)
    await account.roles.add(await Role.get(preset=PresetRole.SYSTEM_ADMIN))
    try:
        yield account
    finally:
        await ApiKey.filter(account_id=account.id).delete()
        await account.roles.clear()
        await Role.filter(name__startswith="nothing ", partner_id=partner.id).delete()
        await Account.filter(id=account.id).delete()


async def _counted(gql: GraphQLClient, name: str, query: str, variables: dict | None = None) -> tuple[Response, int]:
    with counting() as box:
        answer = await gql.as_(name, query, variables)
    return answer, box[0]


async def _swap_roles(account: Account, to: PresetRole | None) -> None:
    """The account's roles become `to` alone, or one custom role granting nothing (None)."""
    await account.roles.clear()
    if to is None:
        role = await Role.create(partner_id=account.partner_id, name=f"nothing {uuid.uuid4().hex[:8]}", permissions=[])  # type: ignore[attr-defined]
    else:
        role = await Role.get(preset=to)
    await account.roles.add(role)


async def test_a_cached_callers_compiled_query_is_one_statement(gql: GraphQLClient, admin: Account) -> None:
    first, statements = await _counted(gql, admin.name, VIEWER)
    assert statements == 2  # the principal, read and cached; the compiled read
    executed = compiled.executions["compiled"]
    again, statements = await _counted(gql, admin.name, VIEWER)
    assert statements == 1 and compiled.executions["compiled"] == executed + 1
    assert again.ok() == first.ok()


async def test_a_role_change_shows_through_the_compiled_read(gql: GraphQLClient, admin: Account) -> None:
    before = (await gql.as_(admin.name, VIEWER)).ok()["viewer"]
    await _swap_roles(admin, PresetRole.SA_SPECIALIST)
    after, statements = await _counted(gql, admin.name, VIEWER)
    # The compiled read that found the epoch moved, the principal read afresh, the compiled read again.
    assert statements == 3
    assert after.ok()["viewer"]["roles"] == [PresetRole.SA_SPECIALIST.value]
    assert set(after.ok()["viewer"]["permissions"]) < set(before["permissions"])
    # And the new principal is cached in its turn.
    assert (await _counted(gql, admin.name, VIEWER))[1] == 1


@pytest.mark.parametrize("query", [VIEWER, EXECUTED, "{ __typename }"], ids=["compiled", "executed", "no statement"])
async def test_a_disabled_account_is_refused_whatever_the_request_reads(gql: GraphQLClient, admin: Account,
                                                                        query: str) -> None:
    (await gql.as_(admin.name, query)).ok()
    await Account.filter(id=admin.id).update(status=AccountStatus.DISABLED)
    refused = await gql.as_(admin.name, query)
    assert refused.status == 401 and refused.codes == ["UNAUTHENTICATED"] and refused.data is None


async def test_the_executor_confirms_once_however_many_statements_it_sends_together(gql: GraphQLClient,
                                                                                    admin: Account) -> None:
    fresh, uncached = await _counted(gql, admin.name, EXECUTED)
    cached, statements = await _counted(gql, admin.name, EXECUTED)
    assert cached.ok() == fresh.ok()
    # The same count as a request whose principal was read up front: one confirmation, not one per statement.
    assert statements == uncached


async def test_a_mutation_never_runs_under_a_principal_no_longer_current(gql: GraphQLClient, admin: Account) -> None:
    (await gql.as_(admin.name, VIEWER)).ok()
    name = f"stale {uuid.uuid4().hex[:8]}"
    await _swap_roles(admin, None)  # SOLUTION_MANAGE taken away
    refused = await gql.as_(admin.name, CREATE_SOLUTION, {"input": {"name": name}})
    assert refused.codes == ["FORBIDDEN"] and not (refused.data or {}).get("solutionCreate")
    await _swap_roles(admin, PresetRole.SYSTEM_ADMIN)
    (await gql.as_(admin.name, VIEWER)).ok()
    await Account.filter(id=admin.id).update(status=AccountStatus.DISABLED)
    refused = await gql.as_(admin.name, CREATE_SOLUTION, {"input": {"name": name}})
    assert refused.status == 401
    assert not await Solution.filter(name=name).exists()


async def test_an_api_keys_narrowed_scopes_show_on_the_next_request(gql: GraphQLClient, admin: Account) -> None:
    created = (await gql.as_(admin.name, CREATE_KEY, {"input": {"name": "confirm",
                                                                 "scopes": ["HOME_VIEW", "COUPON_ISSUED_VIEW"]}})
               ).ok()["apiKeyCreate"]
    headers = {"Authorization": f"Bearer {created['secret']}"}
    wide = (await gql.raw(VIEWER, headers=headers)).ok()["viewer"]["permissions"]
    with counting() as box:
        assert (await gql.raw(VIEWER, headers=headers)).ok()["viewer"]["permissions"] == wide
    assert box[0] == 1
    await ApiKey.filter(prefix=created["apiKey"]["prefix"]).update(scopes=["home.view"])
    assert (await gql.raw(VIEWER, headers=headers)).ok()["viewer"]["permissions"] == ["HOME_VIEW"]


async def test_the_statement_seam_holds_every_statement_back_until_confirmed(gql: GraphQLClient,
                                                                           admin: Account) -> None:
    """Without the HTTP layer: statements wait for one confirmation, and once the principal is found
    changed every later statement of the request is refused before it is sent."""
    db = Account._meta.db
    epoch = (await db.execute_query_dict("SELECT value FROM principal_epoch"))[0]["value"]
    current = UnconfirmedPrincipal("name", admin.name, int(epoch))
    token = unconfirmed.set(current)
    try:
        with counting() as box:
            await Account.filter(id=admin.id).count()
            await Account.filter(id=admin.id).count()
        assert current.state is Confirmation.CONFIRMED and box[0] == 3
    finally:
        unconfirmed.reset(token)
    stale = UnconfirmedPrincipal("name", admin.name, int(epoch) - 1)
    token = unconfirmed.set(stale)
    try:
        with counting() as box:
            for _ in range(2):
                with pytest.raises(PrincipalChanged):
                    await Account.filter(id=admin.id).update(display_name="never written")
        assert stale.changed and box[0] == 1  # the confirming read only
    finally:
        unconfirmed.reset(token)
    assert (await Account.get(id=admin.id)).display_name == "Confirmation test"



def test_the_app_puts_the_statement_seam_in_place_itself() -> None:
    """Whatever the settings (no statement header, no tracing), a fresh process's app wraps every
    client's statements: deferring confirmation without the seam would let statements through."""
    probe = (
        "from gateway.app import create_app; from gateway.config import Settings; "
        "from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper; "
        "from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionWrapper; "
        "from gateway.sqlite_backend import GatewaySqliteClient, ImmediateTransactionWrapper; "
        "classes = (AsyncpgDBClient, TransactionWrapper, SqliteClient, SqliteTransactionWrapper, GatewaySqliteClient, "
        "ImmediateTransactionWrapper); "
        "methods = ('execute_query', 'execute_query_dict', 'execute_insert', 'execute_many', 'execute_script'); "
        "before = all(getattr(getattr(c, m), '__sql_counted__', False) for c in classes for m in methods); "
        "create_app(Settings(jwt_secret='x' * 40, sql_statement_header=False, database_url='sqlite://:memory:')); "
        "after = all(getattr(getattr(c, m), '__sql_counted__', False) for c in classes for m in methods); "
        "print(before, after)"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert found.stdout.split() == ["False", "True"], found.stderr
