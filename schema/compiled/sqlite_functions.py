"""SQL functions SQLite lacks and compiled reads use, registered on each connection that runs them.

`gateway_base64(text)`: global IDs are base64("Type:id") (schema/global_ids.py); PostgreSQL has
`encode(..., 'base64')`, SQLite nothing. `gateway_cursor(json)`: a page cursor, base64url of its JSON.
"""

from __future__ import annotations

import base64
import sqlite3
import weakref
from typing import Any

_registered: weakref.WeakSet[Any] = weakref.WeakSet()


def gateway_base64(text: str | None) -> str | None:
    return None if text is None else base64.b64encode(text.encode()).decode()


def gateway_cursor(text: str | None) -> str | None:
    """A page cursor from its JSON document (resolvers/pagination.py encode_cursor)."""
    return None if text is None else base64.urlsafe_b64encode(text.encode()).decode()


FUNCTIONS = (("gateway_base64", 1, gateway_base64), ("gateway_cursor", 1, gateway_cursor))


def register(connection: sqlite3.Connection) -> None:
    """Register the functions on a plain sqlite3 connection (the loop-thread reader's)."""
    for name, arity, function in FUNCTIONS:
        connection.create_function(name, arity, function, deterministic=True)


async def register_on_connect(connection: Any) -> None:
    """Register the functions on an aiosqlite connection as it opens, before it runs any statement:
    SQLite refuses to create a function while a statement is active on the connection, which under
    load one always is (gateway/sqlite_backend.py calls this)."""
    for name, arity, function in FUNCTIONS:
        await connection.create_function(name, arity, function, deterministic=True)
    _registered.add(connection)


async def ensure_functions(client: Any) -> None:
    """Register the functions on the client's connection, once, for a SQLite client that does not
    register them as it connects (Tortoise's own, as the tests' in-memory databases use). Under the
    client's lock, as Tortoise itself opens the connection: no statement of another request is
    active on it meanwhile, and two requests never open two connections."""
    if getattr(client, "registers_compiled_functions", False):
        return
    async with client.acquire_connection() as connection:
        if connection not in _registered:
            await register_on_connect(connection)
