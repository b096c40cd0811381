"""Tortoise's SQLite backend, with write transactions that take the write lock up front, and reads
on the event loop's own thread.

Tortoise opens transactions with a plain (deferred) BEGIN. With several worker processes on one
file, a transaction that reads and then writes fails with "database is locked" when another
process wrote in between; the busy timeout cannot help there. BEGIN IMMEDIATE takes the write
lock at the start instead, so concurrent writers wait their turn (up to the busy timeout).

Tortoise sends every statement through one aiosqlite connection: a hop to its thread and back, and a
turn at the connection's lock, which a transaction holds to its end. For the SELECTs a request
sends outside a transaction (the principal's, a compiled read, a page), that hop is most of what a
small statement costs (Q5, the smallest query, takes 0.55 ms of CPU with it and 0.33 without). So
a server (`enable_loop_reads`, from gateway.database.open_database) reads them on a second
connection, read-only, in the event loop's thread. With WAL, a read sees every committed write,
never an uncommitted one, and does not wait for a writer; the progress handler stops a read at the
statement deadline, which the aiosqlite thread could not (SQLite has no statement timeout).
Everything else keeps to Tortoise's path: writes, everything inside a transaction (Tortoise hands
it a client of its own, which reads its writes), and an in-memory database (a second connection
would be another database). The command line (migrate, seed) never enables it: a migration sends
its own BEGIN on the shared connection and reads what it wrote.
Used as the engine `gateway.sqlite_backend` (see gateway.database.tortoise_config).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
    translate_exceptions,
)
from tortoise.exceptions import OperationalError, TransactionManagementError

# Only statements that cannot write: a SELECT (the reader is read-only besides, so a mistake fails
# loudly instead of writing).
_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
# How many SQLite virtual-machine steps between two looks at the deadline: about a millisecond,
# so that the look (a call into Python) costs a compiled read of thousands of rows next to nothing.
_DEADLINE_STEPS = 50_000


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class GatewaySqliteClient(SqliteClient):
    _reader: sqlite3.Connection | None = None
    _read_seconds: float | None = None  # set: reads go to the loop-thread reader
    _deadline = 0.0
    # Every connection it opens has the compiled reads' SQL functions (schema/compiled/sqlite_functions.py).
    registers_compiled_functions = True

    def _in_transaction(self) -> SqliteTransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)

    async def _post_connect(self) -> None:
        await super()._post_connect()
        from schema.compiled.sqlite_functions import register_on_connect

        await register_on_connect(self._connection)

    def enable_loop_reads(self, statement_seconds: float) -> None:
        """Send this client's SELECTs outside transactions to a read-only connection in the
        calling (event loop) thread, each stopped after `statement_seconds`."""
        if self.filename not in ("", ":memory:") and not self.filename.startswith("file::memory:"):
            self._read_seconds = statement_seconds

    def _reader_for(self, query: str) -> sqlite3.Connection | None:
        # A transaction's statements never come here: Tortoise hands them its transaction client.
        if self._read_seconds is None or not _READ.match(query):
            return None
        if self._reader is None:
            from schema.compiled.sqlite_functions import register

            reader = sqlite3.connect(Path(self.filename).resolve().as_uri() + "?mode=ro", uri=True,
                                     isolation_level=None, check_same_thread=True)
            reader.row_factory = sqlite3.Row
            reader.execute("PRAGMA query_only = ON")
            reader.set_progress_handler(self._past_deadline, _DEADLINE_STEPS)
            register(reader)
            self._reader = reader
        return self._reader

    def _past_deadline(self) -> bool:
        return time.monotonic() > self._deadline

    async def _read(self, reader: sqlite3.Connection, query: str, values: list | None) -> list[sqlite3.Row]:
        assert self._read_seconds is not None
        self._deadline = time.monotonic() + self._read_seconds
        try:
            # As Tortoise sends it: a NUL inside a literal would end the statement early.
            rows = reader.execute(query.replace("\x00", "'||CHAR(0)||'"), values or ()).fetchall()
        except sqlite3.OperationalError as exc:
            if str(exc) == "interrupted" and self._past_deadline():
                raise OperationalError(f"the statement did not finish within {self._read_seconds:g} s") \
                    from TimeoutError("statement deadline")
            raise
        # A turn for the loop, as awaiting aiosqlite gave one. Without it a request ran from its first
        # statement to its answer in one go, and under 50 connections a few waited hundreds of
        # milliseconds for theirs (Q5: p99 214 ms against 28 ms with it, at the same 2,300 req/s).
        await asyncio.sleep(0)
        return rows

    @translate_exceptions
    async def execute_query(self, query: str, values: list | None = None) -> tuple[int, Sequence[dict]]:
        reader = self._reader_for(query)
        if reader is None:
            return await super().execute_query(query, values)
        rows: Sequence[Any] = await self._read(reader, query, values)  # sqlite3.Row, as Tortoise answers
        return len(rows), rows

    @translate_exceptions
    async def execute_query_dict(self, query: str, values: list | None = None) -> list[dict]:
        reader = self._reader_for(query)
        if reader is None:
            return await super().execute_query_dict(query, values)
        return list(map(dict, await self._read(reader, query, values)))

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        await super().close()


client_class = GatewaySqliteClient


def get_client_class(db_info: dict) -> type[SqliteClient]:
    return GatewaySqliteClient
