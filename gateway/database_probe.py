"""Can the configured database be opened? Asked before anything else touches it, and answered in
one line a person can act on (which database, what is wrong, what to do) instead of a traceback.

Also the one place that knows where a SQLite URL points, so commands that need an existing
database can refuse to create an empty one by accident in the wrong directory.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path

from tortoise.backends.base.config_generator import expand_db_url

from gateway.config import Settings

CONNECT_TIMEOUT = 10


class DatabaseUnavailable(Exception):
    """The database cannot be used; the message says which one, why, and what to do."""


def sqlite_file(settings: Settings) -> Path | None:
    """The absolute path of a SQLite database file (None: not SQLite, or in memory)."""
    path = settings.sqlite_path
    return path.resolve() if path is not None else None


async def probe_database(settings: Settings, *, must_exist: bool = False) -> None:
    """Open the database once and close it; DatabaseUnavailable if that fails.

    must_exist: a SQLite file that is not there is refused rather than created (commands that read
    an existing database, run from another directory, would otherwise make an empty one there).
    """
    if settings.database_url.startswith("sqlite://"):
        _probe_sqlite(settings, must_exist)
    else:
        await _probe_postgres(settings.database_url)


def _probe_sqlite(settings: Settings, must_exist: bool) -> None:
    path = sqlite_file(settings)
    if path is None:
        return
    if must_exist and not path.exists():
        raise DatabaseUnavailable(
            f"No database at {path} (GATEWAY_DATABASE_URL={settings.database_url}); this command reads an existing one "
            "and creates none. Run it where the gateway's database is, set GATEWAY_DATABASE_URL, or create one first "
            "with `partner-gateway migrate` (or `serve --demo`).")
    if not path.parent.is_dir():
        raise DatabaseUnavailable(f"Cannot create the SQLite database {path}: the directory {path.parent} does not exist.")
    try:
        connection = sqlite3.connect(path, timeout=CONNECT_TIMEOUT)
        try:
            connection.execute("SELECT 1")
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(f"Cannot open the SQLite database {path}: {exc}.") from None


async def _probe_postgres(url: str) -> None:
    import asyncpg

    credentials = expand_db_url(url)["credentials"]
    host, port = credentials.get("host", "localhost"), credentials.get("port", 5432)
    user, database = credentials.get("user") or "postgres", credentials.get("database")
    where = f"PostgreSQL at {host}:{port}"
    try:
        connection = await asyncio.wait_for(asyncpg.connect(
            host=host, port=port, user=user, password=credentials.get("password"), database=database,
        ), CONNECT_TIMEOUT)
    except asyncpg.InvalidCatalogNameError:
        raise DatabaseUnavailable(
            f'The database "{database}" does not exist on {where}; create it with: '
            f"createdb -h {host} -p {port} -U {user} {database}") from None
    except (asyncpg.InvalidAuthorizationSpecificationError, asyncpg.InvalidPasswordError) as exc:
        raise DatabaseUnavailable(f'{where} refused user "{user}": {exc}.') from None
    except TimeoutError:
        raise DatabaseUnavailable(f"{where} did not answer within {CONNECT_TIMEOUT} s.") from None
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise DatabaseUnavailable(f"Cannot reach {where} ({reason}); start it, or point GATEWAY_DATABASE_URL "
                                  "at a running server.") from None
    except asyncpg.PostgresError as exc:
        raise DatabaseUnavailable(f"{where} refused the connection to \"{database}\": {exc}.") from None
    await connection.close()
