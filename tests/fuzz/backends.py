"""The gateways the fuzzer calls: `serve --demo` of its own, on a fresh database of each backend.

Generated mutations change data, so they must not reach the demo database the read-only tests
share. Both backends, because some inputs fail only in one driver (a NUL in a string is fine
for SQLite and an error for PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.live_server import LiveServer, live_server
from tests.migrated import sqlite_copy
from tests.postgres import throwaway_postgres_database

ISSUER = AUDIENCE = "partner-gateway-fuzz"
SETTINGS = {
    "jwt_issuer": ISSUER,
    "jwt_audience": AUDIENCE,
    # A few hundred requests in a burst are the point here, not a caller to slow down.
    "rate_limit_enabled": "false",
    "log_level": "INFO",
}


@dataclass(frozen=True)
class Backend:
    name: str
    # Of the examples each test generates against SQLite: the generation, not the server,
    # takes most of the time, and the suite's fuzzing should stay about a minute.
    share: float

    def examples(self, on_sqlite: int) -> int:
        return max(1, round(on_sqlite * self.share))


BACKENDS = [Backend("sqlite", 1.0), Backend("postgres", 0.4)]


@contextmanager
def _database_url(backend: Backend, workdir: Path) -> Iterator[str]:
    if backend.name == "postgres":
        with throwaway_postgres_database("fuzz") as url:
            yield url
    else:
        sqlite_copy(workdir / "fuzz.db")  # migrated once per session; `serve --demo` seeds it
        yield f"sqlite://{workdir / 'fuzz.db'}"


@contextmanager
def fuzz_server(backend: Backend, workdir: Path) -> Iterator[LiveServer]:
    with _database_url(backend, workdir) as url, live_server(workdir, demo="serve", database_url=url, **SETTINGS) as server:
        yield server
