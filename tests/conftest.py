"""Test fixtures: every database test runs on SQLite and, when reachable, on PostgreSQL.

PostgreSQL is skipped when it does not answer, unless GATEWAY_REQUIRE_POSTGRES=1 (CI),
which turns the skip into a failure.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
import tortoise.context
from tortoise.context import TortoiseContext, set_global_context, tortoise_test_context

from gateway.config import Settings
from gateway.database import ensure_undeclared_schema
from gateway.seed.demo_partners import demo_accounts
from models import MODEL_MODULES
from tests.callers import Caller, identities
from tests.graphql import TEST_SECRET, GraphQLClient, gateway_client
from tests.migrated import made_postgres_template

ENV = Settings()
DEMO_ACCOUNTS = demo_accounts()
__all__ = ["TEST_SECRET"]  # re-exported: several tests sign tokens with it


def postgres_test_url() -> str:
    # A fresh database per run: tortoise creates `test_<random>` and drops it afterwards.
    base = ENV.test_postgres_url.rsplit("/", 1)[0]
    return f"{base}/test_{{}}"


async def _postgres_answers() -> bool:
    import asyncpg

    try:
        conn = await asyncio.wait_for(asyncpg.connect(ENV.test_postgres_url), timeout=3)
    except Exception:
        return False
    await conn.close()
    return True


_PG_STATE: dict[str, bool] = {}
_DATABASES_BEFORE = pytest.StashKey[set[str]]()


def postgres_available() -> bool:
    if "ok" not in _PG_STATE:
        _PG_STATE["ok"] = asyncio.run(_postgres_answers())
    return _PG_STATE["ok"]


async def _postgres_databases() -> set[str]:
    import asyncpg

    conn = await asyncpg.connect(ENV.test_postgres_url, timeout=10)
    try:
        return {row["datname"] for row in await conn.fetch("SELECT datname FROM pg_database")}
    finally:
        await conn.close()


async def _drop(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(ENV.test_postgres_url, timeout=10)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    postgres_available()  # probe once, before any event loop runs
    # With pytest-xdist, the controller counts the databases before any worker starts and after
    # every worker has ended: a worker would see another's databases, still in use, as leftovers.
    if postgres_available() and not _is_xdist_worker(config):
        config.stash[_DATABASES_BEFORE] = asyncio.run(_postgres_databases())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Every test drops the PostgreSQL databases it creates: a leftover fails the run."""
    if (template := made_postgres_template()) is not None:  # each worker made its own
        asyncio.run(_drop(template))
    before = session.config.stash.get(_DATABASES_BEFORE, None)
    if before is None or not postgres_available():
        return
    leftovers = sorted(asyncio.run(_postgres_databases()) - before)
    if leftovers:
        session.config.get_terminal_writer().line(
            f"Tests left PostgreSQL databases behind: {', '.join(leftovers)}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def database_url(backend: str) -> str:
    if backend == "postgres":
        if not postgres_available():
            message = f"PostgreSQL is not reachable at {ENV.test_postgres_url}"
            if ENV.require_postgres:
                pytest.fail(message + " and GATEWAY_REQUIRE_POSTGRES=1", pytrace=False)
            pytest.skip(message)
        return postgres_test_url()
    return "sqlite://:memory:"


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest_asyncio.fixture(scope="session")
async def demo_database(backend: str) -> AsyncIterator[tuple[TortoiseContext, dict[str, int]]]:
    """A database with the demo data, made once per backend: tests take it through `demo_db`."""
    from gateway.seed.demo import seed_demo

    # One connection label per backend: Tortoise caches compiled statements per label, and a
    # SQLite statement replayed on PostgreSQL would fail.
    async with tortoise_test_context(MODEL_MODULES, db_url=database_url(backend), connection_label=backend) as ctx:
        # Tests and the app run in other tasks than this fixture; the global fallback lets them see it.
        set_global_context(ctx)
        # Made by the migrations in a real database; the schema here comes from the models.
        await ensure_undeclared_schema(ctx.connections.get(backend))
        counts = await seed_demo()
        yield ctx, counts
        created = getattr(ctx.connections.get(backend), "database", None) if backend == "postgres" else None
    if created:
        # Tortoise creates `test_<random>` and closes its connections on exit, but drops nothing.
        from tests.postgres import drop_database

        await drop_database(created)


@pytest.fixture
def demo_db(backend: str, demo_database: tuple[TortoiseContext, dict[str, int]]) -> dict[str, int]:
    """The shared demo database, what it holds by model, made the models' database for this test.

    Other tests open databases of their own in this process (a seed test's `tortoise_test_context`,
    a server's `open_database`), and Tortoise points every model at such a context's connection name,
    on the model class, for good; so each test that reads the demo database points them back."""
    ctx, counts = demo_database
    use_demo_database(backend, ctx)
    return counts


def use_demo_database(backend: str, ctx: TortoiseContext) -> None:
    if tortoise.context._global_context is not ctx:  # Tortoise refuses to replace one otherwise
        tortoise.context._global_context = None
        set_global_context(ctx)
    assert ctx.apps is not None
    for model in ctx.apps.get_models_iterable():
        model._meta.default_connection = backend  # the demo database's connection name


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(jwt_secret=TEST_SECRET, database_url="sqlite://:memory:")


@pytest_asyncio.fixture
async def gql(demo_db: dict[str, int], settings: Settings) -> AsyncIterator[GraphQLClient]:
    async with gateway_client(settings) as client:
        yield client


def _identity_fixture(account: str):  # a fixture per demo account, made in the loop below
    @pytest_asyncio.fixture
    async def caller(gql: GraphQLClient) -> Caller:
        return Caller(gql, account)

    caller.__doc__ = f"The demo account {account} ({DEMO_ACCOUNTS.get(account, 'see gateway/seed')}), as a Caller."
    return caller


# `as_distributor_admin`, `as_staff_finance`, … and `as_account_manager`, … (tests/callers.py).
for _fixture, _account in identities().items():
    globals()[_fixture] = _identity_fixture(_account)
