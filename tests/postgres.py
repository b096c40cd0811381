"""Throwaway PostgreSQL databases for tests that need one of their own (migrations, live servers)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator

from tests.conftest import ENV, database_url
from tests.migrated import postgres_template


async def drop_database(name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(ENV.test_postgres_url, timeout=10)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@contextlib.asynccontextmanager
async def fresh_postgres_database(prefix: str, *, migrated: bool = False) -> AsyncIterator[str]:
    """The URL of an empty PostgreSQL database (`migrated`: one the migrations ran on), dropped afterwards."""
    database_url("postgres")  # skips (or fails under GATEWAY_REQUIRE_POSTGRES=1) when PostgreSQL is away
    import asyncpg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    template = f' TEMPLATE "{await postgres_template(ENV.test_postgres_url)}"' if migrated else ""
    admin = await asyncpg.connect(ENV.test_postgres_url, timeout=10)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"{template}')
        try:
            yield f"{ENV.test_postgres_url.rsplit('/', 1)[0]}/{name}"
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@contextlib.contextmanager
def throwaway_postgres_database(prefix: str) -> Iterator[str]:
    """`fresh_postgres_database(migrated=True)` for synchronous fixtures (a live server's, module-wide)."""
    database = fresh_postgres_database(prefix, migrated=True)
    # A loop of its own, kept for the admin connection's lifetime, and not made the thread's
    # current loop: pytest-asyncio's loop must stay what it is.
    with asyncio.Runner(loop_factory=asyncio.new_event_loop) as runner:
        url = runner.run(database.__aenter__())
        try:
            yield url
        finally:
            runner.run(database.__aexit__(None, None, None))
