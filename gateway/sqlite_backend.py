"""Tortoise's SQLite backend, with write transactions that take the write lock up front.

Tortoise opens transactions with a plain (deferred) BEGIN. With several worker processes on one
file, a transaction that reads and then writes fails with "database is locked" when another
process wrote in between; the busy timeout cannot help there. BEGIN IMMEDIATE takes the write
lock at the start instead, so concurrent writers wait their turn (up to the busy timeout).
Used as the engine `gateway.sqlite_backend` (see gateway.database.tortoise_config).
"""

from __future__ import annotations

import sqlite3

from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionContext, SqliteTransactionWrapper
from tortoise.exceptions import TransactionManagementError


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class GatewaySqliteClient(SqliteClient):
    def _in_transaction(self) -> SqliteTransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = GatewaySqliteClient


def get_client_class(db_info: dict) -> type[SqliteClient]:
    return GatewaySqliteClient
