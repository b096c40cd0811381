"""Tortoise configuration, start-up and migrations for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import require_context
from tortoise.migrations.api import migrate as tortoise_migrate
from tortoise.models import Model

from gateway.config import Settings
from gateway.sqlite_backend import GatewaySqliteClient
from models import MODEL_MODULES
from models.contact_masks import ensure_contact_masks
from models.integrity import restore_declared_schema
from models.news import ensure_search_index
from models.principal_epoch import ensure_principal_triggers

APP_LABEL = "models"
SQLITE_ENGINE = "gateway.sqlite_backend"
MIGRATIONS_MODULE = "models.migrations"


async def keep_session(_connection: Any) -> None:
    """asyncpg's pool reset, minus the server round trip.

    Tortoise returns a connection to the pool after every statement outside a transaction, and
    asyncpg's default reset then sends `RESET ALL; CLOSE ALL; UNLISTEN *; ...` each time. The
    gateway never changes session state (no SET, LISTEN, advisory locks or cursors), and asyncpg
    still rolls back an open transaction before calling this, so nothing needs undoing.
    """


def tortoise_config(database_url: str, *, pool_size: int = 10, statement_timeout: float | None = None) -> dict[str, Any]:
    connection = expand_db_url(database_url)
    if connection["engine"] == "tortoise.backends.sqlite":
        connection["engine"] = SQLITE_ENGINE
        # WAL lets readers run while one writer commits; writers (BEGIN IMMEDIATE, see
        # gateway.sqlite_backend) wait up to the busy timeout for their turn instead of failing.
        connection["credentials"].setdefault("journal_mode", "WAL")
        connection["credentials"].setdefault("journal_size_limit", 16384)
        # A writer waits this long for the lock, the nearest SQLite has to a statement deadline.
        connection["credentials"].setdefault("busy_timeout", int((statement_timeout or 10.0) * 1000))
    elif connection["engine"] == "tortoise.backends.asyncpg":
        connection["credentials"].setdefault("minsize", 1)
        connection["credentials"].setdefault("maxsize", pool_size)
        connection["credentials"]["reset"] = keep_session
        if statement_timeout is not None:
            # The server cancels a statement past the deadline; the error is typed TIMEOUT (schema/errors.py).
            server_settings = connection["credentials"].setdefault("server_settings", {})
            server_settings["statement_timeout"] = str(int(statement_timeout * 1000))
    return {
        "connections": {"default": connection},
        "apps": {
            APP_LABEL: {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def migrate(settings: Settings) -> list[str]:
    """Apply every checked-in migration, then restore what a migration lost (idempotent).

    Returns what the restore did (nothing, on a healthy database).
    """
    try:
        config = tortoise_config(settings.database_url)
        await tortoise_migrate(config=config)
        connection = Tortoise.get_connection("default")
        restored = await restore_declared_schema(connection, model_classes())
        await ensure_undeclared_schema(connection)
        return restored
    finally:
        # Also on failure: an open SQLite connection's thread would keep the process alive.
        await Tortoise.close_connections()


async def ensure_undeclared_schema(connection: Any) -> None:
    """What no model declares, so neither the migrations' state nor `restore_declared_schema` knows:
    the news search's index and triggers, the triggers that raise the principal epoch and those that
    keep contact details' masks. Created where missing (a SQLite table rebuild drops triggers)."""
    await ensure_search_index(connection)
    await ensure_principal_triggers(connection)
    await ensure_contact_masks(connection)


def model_classes() -> list[type[Model]]:
    return [model for app in Tortoise.apps.values() for model in app.values()]


@asynccontextmanager
async def open_database(settings: Settings, *, loop_reads: bool = False) -> AsyncIterator[None]:
    """Open Tortoise for a process's lifetime.

    The global fallback makes the context visible to request tasks, which do not
    inherit the lifespan task's context variables. `loop_reads`: a server's SQLite reads run on
    the event loop's thread (gateway/sqlite_backend.py); the command line keeps Tortoise's path.
    """
    await Tortoise.init(
        config=tortoise_config(settings.database_url, pool_size=settings.database_pool_size,
                              statement_timeout=settings.database_timeout_seconds),
        _enable_global_fallback=True,
    )
    client = Tortoise.get_connection("default")
    if loop_reads and isinstance(client, GatewaySqliteClient):
        client.enable_loop_reads(settings.database_timeout_seconds)
    try:
        yield
    finally:
        await Tortoise.close_connections()


async def database_answers() -> bool:
    try:
        await require_context().db().execute_query("SELECT 1")
    except Exception:
        return False
    return True


def __getattr__(name: str) -> Any:
    # `tortoise makemigrations` reads `gateway.database.TORTOISE_ORM` (pyproject [tool.tortoise]);
    # built on access so importing this module never reads settings.
    if name == "TORTOISE_ORM":
        from gateway.config import get_settings

        return tortoise_config(get_settings().database_url)
    raise AttributeError(name)
