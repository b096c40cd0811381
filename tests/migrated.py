"""Databases the migrations already ran on, made once per test session and copied for each live server.

A fresh `migrate` replays every migration (seconds of Tortoise's state building); the tests need a
migrated database, not the replay, so it runs once per session per backend, with the command line, and
every test that needs a migrated database copies it (the migration and schema-integrity tests too,
which then check that `migrate` finds nothing left to do and what the live schema holds). SQLite: a
file, copied. PostgreSQL: a database, cloned with `CREATE DATABASE … TEMPLATE`, dropped when the
session ends.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from tests.cli import cli_command, cli_env

MIGRATE_TIMEOUT = 180
_made: dict[str, str] = {}


def _migrate(database_url: str, workdir: Path) -> None:
    done = subprocess.run([*cli_command(), "migrate"], cwd=workdir, env=cli_env(database_url), capture_output=True, text=True,
                          timeout=MIGRATE_TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr


def sqlite_copy(target: Path) -> None:
    """A migrated SQLite database at `target`."""
    if "sqlite" not in _made:
        folder = Path(tempfile.mkdtemp(prefix="gw-migrated-"))
        atexit.register(shutil.rmtree, folder, True)
        _migrate(f"sqlite://{folder / 'template.db'}", folder)
        _made["sqlite"] = str(folder / "template.db")
    shutil.copyfile(_made["sqlite"], target)


async def postgres_template(admin_url: str) -> str:
    """The name of a migrated PostgreSQL database to clone (made on first use)."""
    if "postgres" not in _made:
        import asyncpg

        name = f"gw_template_{uuid.uuid4().hex[:12]}"
        folder = Path(tempfile.mkdtemp(prefix="gw-migrated-"))
        atexit.register(shutil.rmtree, folder, True)
        admin = await asyncpg.connect(admin_url, timeout=10)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        _made["postgres"] = name  # dropped at the end of the session (tests/conftest.py), also if migrating fails
        _migrate(f"{admin_url.rsplit('/', 1)[0]}/{name}", folder)
    return _made["postgres"]


def made_postgres_template() -> str | None:
    return _made.get("postgres")
