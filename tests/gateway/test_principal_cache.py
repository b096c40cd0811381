"""The principal cache: one statement per request, and every change to what a principal is made of
shows on the very next request, whoever made it and however (a mutation or a hand-written UPDATE).

Each watched column of models/principal_epoch.py WATCHED raises the epoch when it changes; a column
outside it (an account's display name, an API key's last use) does not, so ordinary writes do not
empty the cache.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from gateway.auth import AuthenticationFailed, authenticate
from gateway.principal_cache import PrincipalCache
from gateway.sql_metrics import counting
from gateway.tokens import issue_token
from models.api_keys import ApiKey
from models.members import Account, AccountKind, AccountStatus, PresetRole, Role
from models.partners import Partner
from models.principal_epoch import EPOCH_ROW, WATCHED, PrincipalEpoch, trigger_names
from resolvers.members.credentials import hash_secret
from tests.factories.members import temporary_member
from tests.factories.partners import create_partner
from tests.graphql import GraphQLClient

VIEWER = "{ viewer { permissions roles } }"


async def epoch() -> int:
    return (await PrincipalEpoch.get(id=EPOCH_ROW)).value


def _db():
    return Account._meta.db


@pytest.fixture
async def member(gql: GraphQLClient) -> AsyncIterator[Account]:
    """A fresh member of Northwind (the demo distributor) holding SA_SPECIALIST, removed afterwards."""
    async with temporary_member(PresetRole.SA_SPECIALIST) as account:
        yield account


async def test_the_test_database_has_every_trigger(gql: GraphQLClient) -> None:
    db = _db()
    if db.capabilities.dialect == "postgres":
        rows = await db.execute_query_dict("SELECT tgname AS name FROM pg_trigger WHERE tgname LIKE 'principal_epoch_%'")
    else:
        rows = await db.execute_query_dict("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'principal_epoch_%'")
    assert {r["name"] for r in rows} == trigger_names()


async def test_a_cached_principal_costs_one_statement_and_is_not_rebuilt(gql: GraphQLClient, member: Account) -> None:
    cache = PrincipalCache(60, 100)
    header = f"Bearer {gql.token(member.name)}"
    with counting() as first:
        built = await authenticate(gql.settings, header, cache)
    with counting() as second:
        again = await authenticate(gql.settings, header, cache)
    assert first[0] == 1 and second[0] == 1
    assert again is built and len(cache) == 1


@pytest.mark.parametrize("how", ["orm", "sql"])
async def test_a_role_change_shows_on_the_next_request(gql: GraphQLClient, member: Account, how: str) -> None:
    cache = PrincipalCache(60, 100)
    header = f"Bearer {gql.token(member.name)}"
    before = await authenticate(gql.settings, header, cache)
    assert before.roles == (PresetRole.SA_SPECIALIST.value,)
    finance = await Role.get(preset=PresetRole.FINANCE_SPECIALIST)
    if how == "orm":
        await member.roles.add(finance)
    else:  # by hand, as an operator would: the triggers see it as well
        await _db().execute_query(f"INSERT INTO account_role (account_id, role_id) VALUES ({member.id}, {finance.id})")
    after = await authenticate(gql.settings, header, cache)
    assert set(after.roles) == {PresetRole.SA_SPECIALIST.value, PresetRole.FINANCE_SPECIALIST.value}
    assert after.permissions > before.permissions


async def test_a_custom_roles_new_permissions_show_on_the_next_request(gql: GraphQLClient, member: Account) -> None:
    partner = await Partner.get(name="Northwind Distribution")
    role = await Role.create(partner_id=partner.id, name=f"cache {uuid.uuid4().hex[:8]}", permissions=[])
    await member.roles.add(role)
    cache = PrincipalCache(60, 100)
    header = f"Bearer {gql.token(member.name)}"
    before = await authenticate(gql.settings, header, cache)
    assert "coupon.quota.view" not in before.permissions
    role.permissions = ["coupon.quota.view"]
    await role.save()
    assert "coupon.quota.view" in (await authenticate(gql.settings, header, cache)).permissions
    await member.roles.remove(role)
    await role.delete()


async def test_a_disabled_account_is_refused_on_the_next_request(gql: GraphQLClient, member: Account) -> None:
    cache = PrincipalCache(60, 100)
    header = f"Bearer {gql.token(member.name)}"
    await authenticate(gql.settings, header, cache)
    await Account.filter(id=member.id).update(status=AccountStatus.DISABLED)
    with pytest.raises(AuthenticationFailed):
        await authenticate(gql.settings, header, cache)


async def test_a_revoked_or_narrowed_api_key_shows_on_the_next_request(gql: GraphQLClient, member: Account) -> None:
    prefix = uuid.uuid4().hex[:12]
    credential = f"pgk_{prefix}_{uuid.uuid4().hex}"
    key = await ApiKey.create(account_id=member.id, name="cache", prefix=prefix, secret_hash=hash_secret(credential),
                              scopes=["home.view", "solution.view"])
    cache = PrincipalCache(60, 100)
    header = f"Bearer {credential}"
    first = await authenticate(gql.settings, header, cache)
    assert first.permissions <= {"home.view", "solution.view"} and "home.view" in first.permissions
    assert (await authenticate(gql.settings, header, cache)) is first
    await ApiKey.filter(id=key.id).update(scopes=["home.view"])
    assert (await authenticate(gql.settings, header, cache)).permissions == {"home.view"}
    await ApiKey.filter(id=key.id).update(revoked_at=datetime.now(UTC))
    with pytest.raises(AuthenticationFailed):
        await authenticate(gql.settings, header, cache)


async def test_a_wrong_secret_is_refused_even_with_the_right_key_cached(gql: GraphQLClient, member: Account) -> None:
    prefix = uuid.uuid4().hex[:12]
    credential = f"pgk_{prefix}_{uuid.uuid4().hex}"
    await ApiKey.create(account_id=member.id, name="cache", prefix=prefix, secret_hash=hash_secret(credential), scopes=["home.view"])
    cache = PrincipalCache(60, 100)
    await authenticate(gql.settings, f"Bearer {credential}", cache)
    with pytest.raises(AuthenticationFailed):
        await authenticate(gql.settings, f"Bearer pgk_{prefix}_{uuid.uuid4().hex}", cache)


async def test_an_api_keys_last_use_is_written_at_most_once_a_minute(gql: GraphQLClient, member: Account) -> None:
    prefix = uuid.uuid4().hex[:12]
    credential = f"pgk_{prefix}_{uuid.uuid4().hex}"
    key = await ApiKey.create(account_id=member.id, name="cache", prefix=prefix, secret_hash=hash_secret(credential), scopes=["home.view"])
    cache = PrincipalCache(60, 100)
    with counting() as first:
        await authenticate(gql.settings, f"Bearer {credential}", cache)
    assert first[0] == 2 and (await ApiKey.get(id=key.id)).last_used_at is not None  # read, and the first use written
    with counting() as later:
        await authenticate(gql.settings, f"Bearer {credential}", cache)
    assert later[0] == 1


def _changes(account: Account, partner: Partner, role: Role, key: ApiKey, finance: Role) -> dict[str, str]:
    """A hand-written UPDATE per watched column, each changing its value."""
    return {
        "account.name": f"UPDATE account SET name = name || 'x' WHERE id = {account.id}",
        "account.kind": f"UPDATE account SET kind = 'BOUND_MEMBER' WHERE id = {account.id}",
        "account.status": f"UPDATE account SET status = 'DISABLED' WHERE id = {account.id}",
        "account.partner_id": f"UPDATE account SET partner_id = NULL WHERE id = {account.id}",
        "account.staff_role": f"UPDATE account SET staff_role = 'FINANCE' WHERE id = {account.id}",
        "account.supervisor_id": f"UPDATE account SET supervisor_id = {account.id} WHERE id = {account.id}",
        "account_role.account_id": f"UPDATE account_role SET account_id = {key.account_id} WHERE account_id = {account.id}",
        "account_role.role_id": f"UPDATE account_role SET role_id = {role.id} WHERE account_id = {key.account_id} AND role_id = {finance.id}",
        "role.preset": "",  # every preset has its row, and a custom role cannot take one: no value to change to
        "role.name": f"UPDATE role SET name = name || 'x' WHERE id = {role.id}",
        "role.permissions": f"UPDATE role SET permissions = '[\"home.view\"]' WHERE id = {role.id}",
        "partner.identities": f"UPDATE partner SET identities = '[\"RESELLER\"]' WHERE id = {partner.id}",
        "partner.parent_distributor_id": f"UPDATE partner SET parent_distributor_id = NULL WHERE id = {partner.id}",
        "api_key.account_id": f"UPDATE api_key SET account_id = {account.id} WHERE id = {key.id}",
        "api_key.prefix": f"UPDATE api_key SET prefix = prefix || 'x' WHERE id = {key.id}",
        "api_key.secret_hash": f"UPDATE api_key SET secret_hash = 'changed' WHERE id = {key.id}",
        "api_key.scopes": f"UPDATE api_key SET scopes = '[]' WHERE id = {key.id}",
        "api_key.revoked_at": f"UPDATE api_key SET revoked_at = '2026-01-01 00:00:00+00:00' WHERE id = {key.id}",
    }


async def test_each_watched_column_raises_the_epoch_and_others_do_not(gql: GraphQLClient, member: Account) -> None:
    """Every column WATCHED names has a case here (a new one fails until it has), and each raises
    the epoch; writes to other columns leave it."""
    db = _db()
    postgres = db.capabilities.dialect == "postgres"
    partner = await create_partner(parent_distributor_id=(await Partner.get(name="Northwind Distribution")).id)
    account = await Account.create(name=f"epoch.{uuid.uuid4().hex[:10]}", display_name="Epoch", kind=AccountKind.ORGANISATION_MEMBER,
                                   partner_id=partner.id)
    role = await Role.create(partner_id=partner.id, name="Epoch role", permissions=[])
    finance = await Role.get(preset=PresetRole.FINANCE_SPECIALIST)
    await account.roles.add(finance)
    key = await ApiKey.create(account_id=member.id, name="epoch", prefix=uuid.uuid4().hex[:12], secret_hash="h", scopes=["home.view"])
    changes = _changes(account, partner, role, key, finance)
    watched = {f"{table}.{column}" for table, _, columns in WATCHED for column in columns}
    assert set(changes) == watched
    try:
        for column, statement in changes.items():
            if not statement:
                continue
            if postgres:
                statement = statement.replace("'2026-01-01 00:00:00+00:00'", "now()")
            before = await epoch()
            await db.execute_query(statement)
            assert await epoch() > before, column
        quiet = [
            f"UPDATE account SET display_name = 'Someone else' WHERE id = {account.id}",
            f"UPDATE account SET email = 'a@example.com' WHERE id = {account.id}",
            f"UPDATE api_key SET last_used_at = {'now()' if postgres else repr(datetime.now(UTC).isoformat(' '))} WHERE id = {key.id}",
            f"UPDATE role SET description = 'changed' WHERE id = {role.id}",
            f"UPDATE partner SET name = name || 'y' WHERE id = {partner.id}",
            f"UPDATE account SET status = status WHERE id = {account.id}",
        ]
        for statement in quiet:
            before = await epoch()
            await db.execute_query(statement)
            assert await epoch() == before, statement
        before = await epoch()
        await member.roles.clear()
        assert await epoch() > before, "account_role delete"
    finally:
        await ApiKey.filter(id=key.id).delete()
        await account.roles.clear()
        await Account.filter(id=account.id).delete()
        await Role.filter(id=role.id).delete()
        await Partner.filter(id=partner.id).delete()


async def test_without_an_epoch_nothing_is_cached(gql: GraphQLClient, member: Account) -> None:
    """A database whose epoch row is gone (made without the migrations) still authenticates, and
    never from the cache: nothing would tell a cached principal that it is stale."""
    db = _db()
    value = await epoch()
    await db.execute_query(f"DELETE FROM principal_epoch WHERE id = {EPOCH_ROW}")
    try:
        cache = PrincipalCache(60, 100)
        header = f"Bearer {gql.token(member.name)}"
        first = await authenticate(gql.settings, header, cache)
        assert len(cache) == 0
        assert (await authenticate(gql.settings, header, cache)) == first
    finally:
        await db.execute_query(f"INSERT INTO principal_epoch (id, value) VALUES ({EPOCH_ROW}, {value + 1})")


async def test_through_http_a_role_change_shows_on_the_next_request(gql: GraphQLClient, member: Account) -> None:
    """The app's own cache (one per authentication middleware), through the GraphQL endpoint."""
    before = (await gql.as_(member.name, VIEWER)).ok()["viewer"]
    assert (await gql.as_(member.name, VIEWER)).ok()["viewer"] == before
    await member.roles.add(await Role.get(preset=PresetRole.FINANCE_SPECIALIST))
    after = (await gql.as_(member.name, VIEWER)).ok()["viewer"]
    assert len(after["roles"]) == 2 and set(before["permissions"]) < set(after["permissions"])


async def test_a_cached_token_still_expires_and_a_changed_one_is_verified(gql: GraphQLClient, member: Account) -> None:
    """A token verified once is not verified again while cached, but its expiry still holds, and a
    token differing in any byte is another key, verified from scratch."""
    cache = PrincipalCache(60, 100)
    token = issue_token(gql.settings, member.name, ttl_seconds=2)
    await authenticate(gql.settings, f"Bearer {token}", cache)
    assert len(cache) == 1
    head, _, signature = token.rpartition(".")
    forged = f"{head}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}{signature[-1]}"
    with pytest.raises(AuthenticationFailed):
        await authenticate(gql.settings, f"Bearer {forged}", cache)
    await asyncio.sleep(2.1)
    with pytest.raises(AuthenticationFailed):
        await authenticate(gql.settings, f"Bearer {token}", cache)
