"""A cached principal is confirmed inside the request's first statement (resolvers/principal_confirmation.py).

The compiled read carries the epoch check in its own statement, so a cached caller's query costs
one statement; any other statement confirms first; an answer that needed none confirms before its
first byte. When the principal changed, nothing of the stale run leaves or is written: the request
is answered again with the principal read afresh.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator

import pytest
from tortoise.transactions import in_transaction

from gateway import security_events
from gateway.sql_metrics import counting
from models.api_keys import ApiKey
from models.audit import AuditOutcome, AuditRecord
from models.members import Account, AccountStatus, PresetRole, Role
from models.solutions import Solution
from resolvers import principal_confirmation
from resolvers.caller_facts import CallerRead
from resolvers.principal_confirmation import Confirmation, PrincipalChanged, UnconfirmedPrincipal, unconfirmed
from schema.compiled import extension as compiled
from tests.factories.members import temporary_member
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
    """A fresh SYSTEM_ADMIN of Northwind (the demo distributor): it may create API keys and solutions."""
    async with temporary_member(PresetRole.SYSTEM_ADMIN) as account:
        yield account
        await Role.filter(name__startswith="nothing ", partner_id=account.partner_id).delete()  # type: ignore[attr-defined]


def _as(gql: GraphQLClient, account: Account) -> dict[str, str]:
    """One token for the whole test: a token issued in another second is another credential, which
    the cache has not seen."""
    tokens = _as.__dict__.setdefault("tokens", {})
    key = (id(gql), account.name)
    if key not in tokens:
        tokens[key] = {"Authorization": f"Bearer {gql.token(account.name)}"}
    return tokens[key]


async def _send(gql: GraphQLClient, account: Account, query: str, variables: dict | None = None) -> Response:
    return await gql.raw(query, variables, headers=_as(gql, account))


async def _counted(gql: GraphQLClient, account: Account, query: str, variables: dict | None = None) -> tuple[Response, int]:
    with counting() as box:
        answer = await _send(gql, account, query, variables)
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
    first, statements = await _counted(gql, admin, VIEWER)
    assert statements == 2  # the principal, read and cached; the compiled read
    executed = compiled.executions["compiled"]
    again, statements = await _counted(gql, admin, VIEWER)
    assert statements == 1 and compiled.executions["compiled"] == executed + 1
    assert again.ok() == first.ok()


async def test_a_role_change_shows_through_the_compiled_read(gql: GraphQLClient, admin: Account) -> None:
    before = (await _send(gql, admin, VIEWER)).ok()["viewer"]
    await _swap_roles(admin, PresetRole.SA_SPECIALIST)
    after, statements = await _counted(gql, admin, VIEWER)
    # The compiled read that found the epoch moved, the principal read afresh, the compiled read again.
    assert statements == 3
    assert after.ok()["viewer"]["roles"] == [PresetRole.SA_SPECIALIST.value]
    assert set(after.ok()["viewer"]["permissions"]) < set(before["permissions"])
    # And the new principal is cached in its turn.
    assert (await _counted(gql, admin, VIEWER))[1] == 1


@pytest.mark.parametrize("query", [VIEWER, EXECUTED, "{ __typename }"], ids=["compiled", "executed", "no statement"])
async def test_a_disabled_account_is_refused_whatever_the_request_reads(gql: GraphQLClient, admin: Account,
                                                                        query: str) -> None:
    (await _send(gql, admin, query)).ok()
    await Account.filter(id=admin.id).update(status=AccountStatus.DISABLED)
    refused = await _send(gql, admin, query)
    assert refused.status == 401 and refused.codes == ["UNAUTHENTICATED"] and refused.data is None


async def test_the_executor_confirms_once_however_many_statements_it_sends_together(gql: GraphQLClient,
                                                                                    admin: Account) -> None:
    fresh, uncached = await _counted(gql, admin, EXECUTED)
    cached, statements = await _counted(gql, admin, EXECUTED)
    assert cached.ok() == fresh.ok()
    # The same count as a request whose principal was read up front: one confirmation, not one per statement.
    assert statements == uncached


async def test_a_mutation_never_runs_under_a_principal_no_longer_current(gql: GraphQLClient, admin: Account) -> None:
    (await _send(gql, admin, VIEWER)).ok()
    name = f"stale {uuid.uuid4().hex[:8]}"
    await _swap_roles(admin, None)  # SOLUTION_MANAGE taken away
    refused = await _send(gql, admin, CREATE_SOLUTION, {"input": {"name": name}})
    assert refused.codes == ["FORBIDDEN"] and not (refused.data or {}).get("solutionCreate")
    await _swap_roles(admin, PresetRole.SYSTEM_ADMIN)
    (await _send(gql, admin, VIEWER)).ok()
    await Account.filter(id=admin.id).update(status=AccountStatus.DISABLED)
    refused = await _send(gql, admin, CREATE_SOLUTION, {"input": {"name": name}})
    assert refused.status == 401
    assert not await Solution.filter(name=name).exists()


async def test_an_api_keys_narrowed_scopes_show_on_the_next_request(gql: GraphQLClient, admin: Account) -> None:
    created = (await _send(gql, admin, CREATE_KEY, {"input": {"name": "confirm",
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
    assert (await Account.get(id=admin.id)).display_name == admin.display_name



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


async def _raise_the_epoch() -> None:
    # Any watched change anywhere (another account's role, a partner) raises the one global epoch.
    await Account._meta.db.execute_script("UPDATE principal_epoch SET value = value + 1")


TOO_DEEP = "{ viewer { " + "partner { parentDistributor { " * 6 + "name" + " }" * 12 + " } }"


async def test_a_refusal_noted_in_a_run_answered_again_is_still_audited(gql: GraphQLClient, admin: Account) -> None:
    """The security event of the run thrown away was never written: the run answered again writes it."""
    security_events.recorder.forget()
    (await _send(gql, admin, VIEWER)).ok()
    await _raise_the_epoch()  # the principal is still right, but no longer confirmed
    assert (await _send(gql, admin, TOO_DEEP)).codes == ["OPERATION_LIMIT_EXCEEDED"]
    assert await AuditRecord.filter(actor_id=admin.id, action="operationLimit", outcome=AuditOutcome.DENIED).count() == 1


async def test_a_refused_credential_leaves_the_cache_at_once(gql: GraphQLClient, admin: Account,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    (await _send(gql, admin, VIEWER)).ok()
    await Account.filter(id=admin.id).update(status=AccountStatus.DISABLED)
    counts = []
    with caplog.at_level(logging.INFO, logger="gateway.access"):
        for _ in range(3):
            with counting() as box:
                assert (await _send(gql, admin, VIEWER)).status == 401
            counts.append(box[0])
    # The first: the stale run's compiled read, the fresh read, the failed sign-in's audit record. Then
    # no stale run any more: the read and the audit record.
    assert counts == [3, 2, 2]
    # Nothing the stale run noted (its account, operation, cost) is logged for the 401.
    line = [r for r in caplog.records if r.name == "gateway.access"][-3].__dict__
    assert line.get("account_id") is None and line.get("operation") is None


async def test_a_confirmation_never_undoes_what_a_compiled_read_settled() -> None:
    gate = asyncio.Event()

    async def slow_read(lookup: str, value: object, known: int) -> CallerRead:
        await gate.wait()
        return CallerRead(epoch=known, facts=None, unchanged=True)

    original = principal_confirmation.read_caller
    principal_confirmation.read_caller = slow_read  # type: ignore[assignment]
    try:
        waiting = UnconfirmedPrincipal("name", "someone", 7)
        confirming = asyncio.create_task(waiting.confirm())
        await asyncio.sleep(0)
        assert waiting.settle(8) is False and waiting.changed  # the compiled read saw the epoch move
        gate.set()
        with pytest.raises(PrincipalChanged):
            await confirming
        assert waiting.changed
    finally:
        principal_confirmation.read_caller = original


async def test_a_transaction_beside_a_statement_confirms_before_it_begins(gql: GraphQLClient, admin: Account) -> None:
    """Two tasks of one request: one opens a transaction (SQLite's one connection, a pooled one on
    PostgreSQL), the other sends a statement and holds the confirmation. Confirming before the
    transaction begins keeps the statement from waiting on a connection the transaction holds."""
    epoch = int((await Account._meta.db.execute_query_dict("SELECT value FROM principal_epoch"))[0]["value"])
    token = unconfirmed.set(UnconfirmedPrincipal("name", admin.name, epoch))

    async def in_a_transaction() -> int:
        async with in_transaction():
            return await Account.filter(id=admin.id).count()

    async def beside() -> int:
        await asyncio.sleep(0)
        return await Account.filter(id=admin.id).count()

    try:
        assert await asyncio.wait_for(asyncio.gather(in_a_transaction(), beside()), timeout=10) == [1, 1]
    finally:
        unconfirmed.reset(token)
