"""A role change reaches every worker's principal cache on the next request, against a live `serve`
with two worker processes, on SQLite and on PostgreSQL.

100 concurrent requests warm both workers' caches with the coupon desk member's permissions; its
role loses one permission through `roleUpdate` (served by one worker); then 100 concurrent requests,
spread over both workers and over both read paths (the executor's and the compiled statement's),
must every one see the new set, none the cached old one.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import asyncpg
import httpx

from models.principal_epoch import trigger_names
from tests.live_server import LiveCaller, LiveServer, live_server
from tests.postgres import fresh_postgres_database

CALLS = 100
MEMBER = "distributor.coupons"
MINE = "{ viewer { permissions account { roles { id name grants } } } }"
UPDATE = """mutation($input: RoleUpdateInput!) { roleUpdate(input: $input) { role { grants } userErrors { code } } }"""


def enum_name(permission: str) -> str:
    """The `Permission` enum value of a permission, whether read as a code or as the enum."""
    return permission.replace(".", "_").upper()


# Answered by the compiled read, which confirms a cached principal inside its own statement
# (resolvers/principal_confirmation.py); MINE is answered by the standard executor (Account.roles).
MINE_COMPILED = "{ viewer { permissions } }"


async def all_see(member: LiveCaller) -> set[frozenset[str]]:
    """What 100 concurrent requests see, half through the executor and half through a compiled read."""
    answers = await asyncio.gather(*(member.send(MINE if i % 2 else MINE_COMPILED) for i in range(CALLS)))
    return {frozenset(a["viewer"]["permissions"]) for a in answers}


COMPILED = """{ viewer { account { name } partner { name coupons(first: 20) { totalCount
  edges { cursor node { id status faceValue { amount } balance { amount } } } pageInfo { hasNextPage endCursor } } } } }"""


async def assert_compiled_reads_agree_under_load(server: LiveServer, http: httpx.AsyncClient) -> None:
    """100 concurrent compiled reads (SQLite's functions registered per worker connection): one answer."""
    admin = LiveCaller(server, http, "distributor.admin")
    answers = await asyncio.gather(*(admin.send(COMPILED) for _ in range(CALLS)))
    assert all(a == answers[0] for a in answers)
    assert answers[0]["viewer"]["account"]["name"] == "distributor.admin"
    assert len(answers[0]["viewer"]["partner"]["coupons"]["edges"]) == min(20, answers[0]["viewer"]["partner"]["coupons"]["totalCount"])


async def assert_a_role_change_reaches_every_worker(server: LiveServer) -> None:
    # Idle connections expire before uvicorn's keep-alive closes them, so none is reused half-closed.
    limits = httpx.Limits(max_connections=CALLS, max_keepalive_connections=CALLS, keepalive_expiry=1.0)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        member, admin = LiveCaller(server, http, MEMBER), LiveCaller(server, http, "distributor.admin")
        [before] = await all_see(member)
        [role] = (await member.send(MINE))["viewer"]["account"]["roles"]
        dropped = next(p for p in role["grants"] if enum_name(p) != "HOME_VIEW" and p in before)
        kept = [enum_name(p) for p in role["grants"] if p != dropped]
        changed = await admin.send(UPDATE, {"input": {"id": role["id"], "permissions": kept}})
        assert changed["roleUpdate"]["userErrors"] == []
        assert await all_see(member) == {before - {dropped}}
        restored = await admin.send(UPDATE, {"input": {"id": role["id"], "permissions": [*kept, enum_name(dropped)]}})
        assert restored["roleUpdate"]["userErrors"] == []
        assert await all_see(member) == {before}
        await assert_compiled_reads_agree_under_load(server, http)


async def test_sqlite_with_two_workers(tmp_path: Path) -> None:
    with live_server(tmp_path, workers=2) as server:
        with sqlite3.connect(tmp_path / "gw.db") as db:
            triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
            [(epoch,)] = db.execute("SELECT value FROM principal_epoch").fetchall()
        assert trigger_names() <= triggers and epoch > 0  # made by the migrations, raised by the seed
        await assert_a_role_change_reaches_every_worker(server)


async def test_postgres_with_two_workers(tmp_path: Path) -> None:
    async with fresh_postgres_database("gw_principals", migrated=True) as url:
        with live_server(tmp_path, database_url=url, workers=2) as server:
            db = await asyncpg.connect(url)
            try:
                triggers = {r["tgname"] for r in await db.fetch("SELECT tgname FROM pg_trigger")}
                epoch = await db.fetchval("SELECT value FROM principal_epoch")
            finally:
                await db.close()
            assert trigger_names() <= triggers and epoch > 0
            await assert_a_role_change_reaches_every_worker(server)
