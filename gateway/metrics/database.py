"""The database connections' gauges, sampled: every second in each worker, and by the worker that
answers a scrape just before it does. A sample reads what the driver already knows (asyncpg's pool
sizes; whether SQLite's one connection is taken), so statements pay nothing for it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from tortoise.context import require_context
from tortoise.exceptions import ConfigurationError

from gateway.metrics import families

SAMPLE_EVERY_SECONDS = 1.0


def sample_connections() -> None:
    try:
        client = require_context().db()
    except (RuntimeError, ConfigurationError):
        return  # no database opened in this process (yet)
    # Tortoise's clients keep these private; they are what the pool and the connection are.
    if hasattr(client, "_pool"):  # asyncpg: a pool, once the first statement has made it
        pool = client._pool
        open_, idle = (pool.get_size(), pool.get_idle_size()) if pool is not None else (0, 0)
        in_use = open_ - idle
    else:  # SQLite: Tortoise's connection, held by a statement or a transaction under this lock
        open_ = 0 if getattr(client, "_connection", None) is None else 1
        # and a server's read-only connection (gateway/sqlite_backend.py), used only in the loop's
        # thread between two samples, so never seen in use
        open_ += getattr(client, "_reader", None) is not None
        lock = getattr(client, "_lock", None)
        in_use = 1 if lock is not None and lock.locked() else 0
    families.CONNECTIONS_OPEN.set(open_)
    families.CONNECTIONS_IN_USE.set(in_use)


async def _sample_forever() -> None:
    while True:
        sample_connections()
        await asyncio.sleep(SAMPLE_EVERY_SECONDS)


@contextlib.asynccontextmanager
async def sampling_connections() -> AsyncIterator[None]:
    """Samples the gauges while the block runs (an app's lifespan)."""
    task = asyncio.create_task(_sample_forever(), name="database connection gauges")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
