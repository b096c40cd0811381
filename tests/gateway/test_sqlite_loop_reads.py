"""A server's SQLite reads run on a read-only connection in the event loop's thread
(gateway/sqlite_backend.py): they answer what Tortoise's path answers, see every committed write and
no uncommitted one, do not wait for a transaction, stop at the statement deadline with a typed
TIMEOUT, and are counted; writes, transactions and the command line keep to Tortoise's path."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import tortoise.backends.sqlite.client as tortoise_sqlite
import tortoise.context
from tortoise import Tortoise
from tortoise.context import TortoiseContext
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction

from gateway import sql_metrics, sqlite_backend
from gateway.app import create_app
from gateway.config import Settings
from gateway.database import open_database
from gateway.sqlite_backend import GatewaySqliteClient
from gateway.tokens import issue_token
from models.members import Account, AccountKind
from schema.compiled.sqlite_functions import ensure_functions, gateway_base64
from tests.graphql import TEST_SECRET
from tests.migrated import sqlite_copy

# Enough virtual-machine steps to pass any deadline check many times over (a few seconds unstopped).
SLOW = ("SELECT count(*) FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
        "SELECT x FROM n LIMIT 50000000)")


@pytest.fixture(autouse=True)
def own_tortoise_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests open databases as a server does (`open_database`: Tortoise.init, made the global
    fallback), in a context of their own: the session's demo database is the current context and the
    global fallback meanwhile, and is both again afterwards (monkeypatch restores it)."""
    monkeypatch.setattr(tortoise.context, "_global_context", None)


@contextlib.asynccontextmanager
async def opened(settings: Settings, *, loop_reads: bool = True) -> AsyncIterator[None]:
    """The database opened as a server (or, loop_reads=False, the command line) opens it."""
    with TortoiseContext():
        async with open_database(settings, loop_reads=loop_reads):
            yield


def settings_on(path: Path, **overrides: object) -> Settings:
    return Settings(jwt_secret=TEST_SECRET, database_url=f"sqlite://{path}", **overrides)  # type: ignore[arg-type]


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[GatewaySqliteClient, Settings]]:
    """A migrated SQLite file with one account, opened as a server opens it."""
    path = tmp_path / "gw.db"
    sqlite_copy(path)
    settings = settings_on(path, database_timeout_seconds=0.2)
    async with opened(settings):
        await Account.create(name="reader.one", display_name="Reader One", email="one@example.com", kind=AccountKind.PERSONAL)
        client = Tortoise.get_connection("default")
        assert isinstance(client, GatewaySqliteClient)
        yield client, settings


async def test_reads_answer_as_tortoise_does_on_the_loop_threads_connection(served) -> None:
    client, _ = served
    query, values = "SELECT id, name FROM account WHERE name = ?", ["reader.one"]
    count, rows = await client.execute_query(query, values)
    assert client._reader is not None  # the read went to it
    as_dicts = await client.execute_query_dict(query, values)
    assert count == 1 and [dict(row) for row in rows] == as_dicts and as_dicts[0]["name"] == "reader.one"
    # The ORM's reads take the same path, and the same answer.
    assert (await Account.get(name="reader.one")).display_name == "Reader One"
    with sql_metrics.counting() as statements:
        await client.execute_query_dict(query, values)
        await Account.filter(name="reader.one").count()
    assert statements[0] == 2


async def test_a_read_neither_waits_for_a_transaction_nor_sees_its_writes(served) -> None:
    client, _ = served
    seen_inside: list[str] = []
    written, read = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with in_transaction():
            account = await Account.get(name="reader.one")
            account.display_name = "Renamed"
            await account.save(update_fields=["display_name"])
            written.set()
            await read.wait()  # holds the transaction (and Tortoise's connection lock) open meanwhile

    task = asyncio.create_task(writer())
    await asyncio.wait_for(written.wait(), 5)
    # Tortoise's path would wait here for the transaction's lock; the reader answers at once.
    rows = await asyncio.wait_for(client.execute_query_dict("SELECT display_name FROM account WHERE name = ?", ["reader.one"]), 1)
    seen_inside.append(rows[0]["display_name"])
    read.set()
    await task
    rows = await client.execute_query_dict("SELECT display_name FROM account WHERE name = ?", ["reader.one"])
    assert (seen_inside, rows[0]["display_name"]) == (["Reader One"], "Renamed")


async def test_inside_a_transaction_reads_see_its_writes(served) -> None:
    async with in_transaction() as connection:
        await connection.execute_query("UPDATE account SET display_name = ? WHERE name = ?", ["Uncommitted", "reader.one"])
        assert (await Account.get(name="reader.one")).display_name == "Uncommitted"
        rows = await Account._meta.db.execute_query_dict("SELECT display_name FROM account WHERE name = ?", ["reader.one"])
        assert rows[0]["display_name"] == "Uncommitted"
        await connection.rollback()
    assert (await Account.get(name="reader.one")).display_name == "Reader One"


async def test_a_read_stops_at_the_statement_deadline(served) -> None:
    client, settings = served
    started = time.monotonic()
    with pytest.raises(OperationalError) as failure:
        await client.execute_query(SLOW)
    assert isinstance(failure.value.__cause__, TimeoutError)
    assert time.monotonic() - started < settings.database_timeout_seconds + 1.0
    # The connection is fine afterwards.
    assert (await client.execute_query("SELECT 1"))[0] == 1


async def test_statements_past_the_deadline_answer_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The deadline looked at on every step, so that even these small statements meet it.
    monkeypatch.setattr(sqlite_backend, "_DEADLINE_STEPS", 1)
    path = tmp_path / "gw.db"
    sqlite_copy(path)
    settings = settings_on(path)
    app = create_app(settings, manage_database=False)
    async with opened(settings):
        await Account.create(name="reader.one", display_name="Reader One", email="one@example.com", kind=AccountKind.PERSONAL)
        client = Tortoise.get_connection("default")
        headers = {"Authorization": f"Bearer {issue_token(settings, 'reader.one')}"}
        query = {"query": "{ viewer { account { name } } }"}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test", headers=headers) as http:
            assert (await http.post("/graphql", json=query)).json()["data"] == {"viewer": {"account": {"name": "reader.one"}}}
            # Every statement past its deadline at once: authentication's is the first.
            monkeypatch.setattr(client, "_read_seconds", 0.0)
            refused = await http.post("/graphql", json=query)
            assert refused.status_code == 504 and refused.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
            # Only the compiled read's (the statement building the answer's JSON).
            monkeypatch.setattr(client, "_read_seconds", 10.0)
            read = client._read

            async def slow_compiled_read(reader, text, values):
                if "json_object" in text:
                    client._read_seconds = 0.0
                try:
                    return await read(reader, text, values)
                finally:
                    client._read_seconds = 10.0

            monkeypatch.setattr(client, "_read", slow_compiled_read)
            answer = (await http.post("/graphql", json=query)).json()
    assert answer["data"] is None or answer["data"] == {"viewer": None}, answer
    assert [e["extensions"]["code"] for e in answer["errors"]] == ["TIMEOUT"], answer


async def test_the_command_line_and_an_in_memory_database_keep_to_tortoises_path(tmp_path: Path) -> None:
    path = tmp_path / "gw.db"
    sqlite_copy(path)
    async with opened(settings_on(path), loop_reads=False):  # as the command line opens it
        client = Tortoise.get_connection("default")
        await client.execute_query("SELECT 1")
        assert client._reader is None
    async with opened(Settings(jwt_secret=TEST_SECRET, database_url="sqlite://:memory:")):
        client = Tortoise.get_connection("default")
        await client.execute_query("SELECT 1")
        assert client._reader is None


async def test_the_compiled_reads_functions_are_there_from_the_connections_first_statement(tmp_path: Path) -> None:
    """Registered as the connection opens, not on a request's way: SQLite refuses to create a function
    while another statement is active on the connection, and under load one always was (a request
    answered INTERNAL_SERVER_ERROR, "Error creating function")."""
    path = tmp_path / "gw.db"
    sqlite_copy(path)
    async with opened(settings_on(path), loop_reads=False):  # Tortoise's own connection, not the reader
        client = Tortoise.get_connection("default")
        async with in_transaction() as connection:  # a statement of the shared connection, open
            await connection.execute_query("SELECT 1")
            rows = await connection.execute_query_dict("SELECT gateway_base64('Partner:1') AS id, gateway_cursor('{}') AS c")
        assert rows == [{"id": "UGFydG5lcjox", "c": "e30="}]
        assert client._connection is not None


async def test_a_burst_of_first_requests_opens_one_connection_and_every_compiled_read_answers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server's first requests, all at once, some writing: the compiled reads' functions are never
    registered on a request's way (that opened connections beside Tortoise's, and registering while
    another statement ran failed: INTERNAL_SERVER_ERROR)."""
    path = tmp_path / "gw.db"
    sqlite_copy(path)
    opened_connections = []
    connect = tortoise_sqlite.aiosqlite.connect

    def counted(*args: Any, **kwargs: Any) -> Any:
        opened_connections.append(args)
        return connect(*args, **kwargs)

    async with opened(settings_on(path)):
        client = Tortoise.get_connection("default")
        account = await Account.create(name="burst.one", display_name="Burst", email="b@example.com", kind=AccountKind.PERSONAL)
        await client.close()  # as a server starts: no connection yet
        monkeypatch.setattr(tortoise_sqlite.aiosqlite, "connect", counted)

        async def read() -> str:
            await ensure_functions(client)
            _, rows = await client.execute_query("SELECT gateway_base64('Account:' || id) AS id FROM account WHERE id = ?", [account.id])
            return rows[0]["id"]

        async def write(n: int) -> None:
            await Account.filter(id=account.id).update(display_name=f"Burst {n}")

        answers = await asyncio.gather(*(read() if n % 2 else write(n) for n in range(100)))
        assert [a for a in answers if a is not None] == [gateway_base64(f"Account:{account.id}")] * 50
        assert len(opened_connections) == 1


@pytest.mark.parametrize(("url", "chosen", "loop"), [
    ("sqlite://gateway.db", "auto", "asyncio"), ("postgres://u@h:5432/db", "auto", "uvloop"),
    ("sqlite://gateway.db", "uvloop", "uvloop"), ("postgres://u@h:5432/db", "asyncio", "asyncio")])
def test_the_workers_event_loop_follows_where_reads_run(url: str, chosen: str, loop: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's reads run on the loop's own thread, and under uvloop some answers waited behind them
    (Q1 at 50 connections: p99 174 ms against a median of 67; asyncio's loop: 74 against 62)."""
    import uvicorn

    from gateway import cli

    settings = Settings(database_url=url, jwt_secret="x" * 40, event_loop=chosen)
    assert settings.loop_to_serve == loop
    served: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: served.update(kwargs))
    monkeypatch.setattr(cli, "run_with_database", lambda prepare: [])
    cli._serve(settings, "127.0.0.1", 0, 1, False)
    assert served["loop"] == loop
