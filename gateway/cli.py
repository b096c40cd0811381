"""`partner-gateway`: serve, migrate, seed, token, schema, posture, expire."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
from collections.abc import Callable, Iterator
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError

from gateway.config import Settings, get_settings

app = typer.Typer(help="Partner Gateway: one GraphQL API for the Partner Center.", no_args_is_help=True, add_completion=False)
log = logging.getLogger("gateway.cli")
# `serve` under GATEWAY_LOG_FORMAT=json turns this on: its own lines (posture, demo tokens, refusals)
# become log records like every other line it writes, so that each one is a JSON object.
_lines_as_records = False

DEMO_ACCOUNTS = [
    "distributor.admin", "distributor.finance", "distributor.am", "reseller.admin", "provider.admin",
    "provider.sa", "service.admin", "govsubsidy.admin", "govcloud.admin", "staff.pdm", "staff.ecosystem",
    "staff.operations", "staff.finance", "person.alice",
]


def say(message: str, *, err: bool = False, level: int = logging.INFO, fg: str | None = None) -> None:
    """A line for the person running the command: on the terminal, or a record on `gateway.cli`."""
    if not _lines_as_records:
        typer.secho(message, err=err, fg=fg)
    elif message.strip():
        log.log(level, message.strip())


def refuse(message: str) -> NoReturn:
    """One readable line on stderr and exit 2: what is wrong and what to do, never a traceback."""
    say(message, err=True, level=logging.ERROR, fg="red")
    raise typer.Exit(2)


async def _with_database(work, *, existing: bool = False):
    from gateway.database import migrate, open_database
    from gateway.database_probe import probe_database

    settings = get_settings()
    await probe_database(settings, must_exist=existing)
    await migrate(settings)
    async with open_database(settings):
        return await work()


def run_with_database(work, *, existing: bool = False):
    """Run `work` on the migrated database; a database that cannot be opened is a one-line refusal.

    existing: the command reads a database and must not create one (token, expire).
    """
    from gateway.database_probe import DatabaseUnavailable, sqlite_file

    path = sqlite_file(get_settings())
    if not existing and path is not None and not path.exists() and path.parent.is_dir():
        say(f"Creating a new SQLite database at {path}.", err=True)
    try:
        return asyncio.run(_with_database(work, existing=existing))
    except DatabaseUnavailable as exc:
        refuse(str(exc))


async def _database_is_empty() -> bool:
    from models.partners import Partner

    return not await Partner.exists()


@app.command()
def migrate() -> None:
    """Apply the checked-in database migrations (safe to run again)."""
    checked_settings()
    run_with_database(_nothing)
    typer.echo("Database is up to date.")


async def _nothing() -> None:
    return None


@app.command()
def seed(
    demo: Annotated[bool, typer.Option("--demo", help="The documented demo data set.")] = False,
    size: Annotated[int | None, typer.Option("--size", min=1, max=100_000, help="A synthetic set of N partners, for benchmarks.")] = None,
) -> None:
    """Fill an empty database with demo or synthetic data."""
    if demo == (size is not None):
        raise typer.BadParameter("Pass exactly one of --demo or --size N.")

    async def work():
        if not await _database_is_empty():
            raise typer.BadParameter("The database already has partners; seed an empty database.")
        if demo:
            from gateway.seed.demo import seed_demo

            return await seed_demo()
        from gateway.seed.synthetic import seed_synthetic

        with seed_progress(size) as advance:
            return await seed_synthetic(size, progress=advance)

    counts = run_with_database(work)
    typer.echo("Seeded: " + ", ".join(f"{name} {count}" for name, count in counts.items()))


@contextlib.contextmanager
def seed_progress(size: int | None) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr for the synthetic seed (minutes at --size 10000)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:<28}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task(f"Seeding {size} partners", total=None)

        def advance(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield advance


@app.command()
def token(
    account_name: Annotated[str, typer.Argument(help="The account to sign a token for, e.g. distributor.admin.")],
    ttl: Annotated[int | None, typer.Option("--ttl", min=60, help="Lifetime in seconds (default: GATEWAY_TOKEN_TTL_SECONDS).")] = None,
) -> None:
    """Print a signed bearer token for an account."""
    from gateway.tokens import issue_token
    from models.members import Account, AccountStatus

    async def exists() -> bool:
        return await Account.exists(name=account_name, status=AccountStatus.ACTIVE)

    if not run_with_database(exists, existing=True):
        typer.echo(f"No active account named {account_name!r}.", err=True)
        raise typer.Exit(code=1)
    typer.echo(issue_token(get_settings(), account_name, ttl))


@app.command()
def expire() -> None:
    """Expire coupons past their validity and return their remainders to the quotas (safe to run again, or concurrently)."""
    from datetime import UTC, datetime

    from resolvers.coupons.issue_services import expire_coupons

    async def work() -> int:
        return await expire_coupons(datetime.now(UTC))

    typer.echo(f"Expired {run_with_database(work, existing=True)} coupon(s).")


@app.command("schema")
def print_schema() -> None:
    """Print the GraphQL schema (SDL)."""
    from schema.build import schema as graphql_schema

    typer.echo(graphql_schema.as_str())


@app.command("permissions-doc")
def permissions_doc() -> None:
    """Print the permission reference (docs/permissions.md) generated from the catalog."""
    from schema.build import schema as graphql_schema
    from schema.permissions.docs import render
    from schema.permissions.policy import policy_for

    typer.echo(render(policy_for(graphql_schema._schema)), nl=False)


def _print_demo_tokens(host: str, port: int, names: list[str]) -> None:
    from gateway.tokens import issue_token

    settings = get_settings()
    url = f"http://{host}:{port}/graphql"
    say(f"\nGraphiQL: {url}  (put a token below into the Headers tab as {{\"Authorization\": \"Bearer <token>\"}})\n")
    for name in names:
        bearer = issue_token(settings, name)
        say(f"{name}:\n  curl -s {url} -H 'Authorization: Bearer {bearer}' "
            "-H 'Content-Type: application/json' -d '{\"query\": \"{ viewer { account { name } permissions } }\"}'")


async def _demo_accounts_after_seeding() -> list[str]:
    """Seed an empty database; say what happened otherwise. The demo accounts that exist now."""
    from models.members import Account, AccountStatus
    from models.partners import Partner

    if await _database_is_empty():
        from gateway.seed.demo import seed_demo

        await seed_demo()
        say("Seeded the demo data.")
        return list(DEMO_ACCOUNTS)
    present = set(await Account.filter(name__in=DEMO_ACCOUNTS, status=AccountStatus.ACTIVE).values_list("name", flat=True))
    if len(present) == len(DEMO_ACCOUNTS):
        say("The demo data is already there; not seeding it again.")
    else:
        partners = await Partner.all().count()
        say(f"The database already holds other data ({partners} partners), so the demo data was not seeded; "
            + (f"tokens follow for the {len(present)} demo accounts it has." if present else
               "it has none of the demo accounts (`partner-gateway token NAME` signs a token for any of its own)."))
    return [name for name in DEMO_ACCOUNTS if name in present]


def check_port_free(host: str, port: int) -> None:
    """Refuse at once when the address cannot be bound, before migrating or seeding anything."""
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        refuse(f"Cannot listen on {host}: no such host or address.")
    with socket.socket(family, kind) as probe:
        # As uvicorn binds: a port left in TIME_WAIT by a server that just stopped is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                refuse(f"Port {port} on {host} is already in use (another gateway?); stop that server or pass --port.")
            refuse(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to bind.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    demo: Annotated[bool, typer.Option("--demo", help="Seed the demo data into an empty database and print tokens.")] = False,
) -> None:
    """Run the gateway (migrating the database first)."""
    settings = checked_settings()
    if demo and settings.is_production:
        raise typer.BadParameter("--demo seeds well-known accounts; it is for GATEWAY_ENV=development only.")
    if not settings.metrics_enabled:
        _serve(settings, host, port, workers, demo)
        return
    from gateway.metrics.processes import workers_directory

    # First of all: prometheus_client, once imported, keeps the storage it found, and the workers
    # (and with one worker, uvicorn serves in this process) must write where a scrape reads.
    with workers_directory():
        _serve(settings, host, port, workers, demo)


def _serve(settings: Settings, host: str, port: int, workers: int, demo: bool) -> None:
    import uvicorn

    global _lines_as_records
    from gateway.logs import configure_logging, logging_config

    configure_logging(settings)
    _lines_as_records = settings.log_format == "json"
    check_port_free(host, port)
    if settings.metrics_port is not None:
        if settings.metrics_port == port:  # on another interface too: 0.0.0.0 on either side holds both
            refuse(f"GATEWAY_METRICS_PORT is the port the gateway serves on ({port}); pick another one.")
        check_port_free(settings.metrics_host, settings.metrics_port)

    async def prepare() -> list[str]:
        return await _demo_accounts_after_seeding() if demo else []

    _check_documents(settings)
    demo_accounts = run_with_database(prepare)
    _print_posture(settings)
    if demo:
        _print_demo_tokens(host, port, demo_accounts)
    with _metrics_port(settings):
        # uvicorn's lines go through the same handler and formatter (its workers configure it anew);
        # its access log is off, the gateway writes one line per request itself (gateway/access_log.py).
        uvicorn.run(
            "gateway.app:create_app", factory=True, host=host, port=port, workers=workers,
            log_config=logging_config(settings), access_log=False, log_level=settings.log_level.lower(),
            loop=settings.loop_to_serve, http="httptools",
        )


@contextlib.contextmanager
def _metrics_port(settings: Settings) -> Iterator[None]:
    """GATEWAY_METRICS_PORT: every worker's metrics, served from this (the master) process."""
    if settings.metrics_port is None:
        yield
        return
    from gateway.metrics.exposition import serve_on_port

    stop = serve_on_port(settings.metrics_host, settings.metrics_port)
    try:
        yield
    finally:
        stop()


def _check_documents(settings: Settings) -> None:
    """A trusted-documents manifest that cannot be served stops `serve` with one line, not a worker's traceback."""
    if settings.documents_manifest is None:
        return
    from gateway.app import gateway_schema
    from gateway.context import schema_settings
    from gateway.documents import ManifestError
    from gateway.documents.manifest import load_manifest

    try:
        load_manifest(settings.documents_manifest, gateway_schema(), schema_settings(settings))
    except ManifestError as exc:
        refuse(f"Refusing to start: {exc}")


def checked_settings() -> Settings:
    """The settings, or a readable refusal (not a traceback) when they are unsafe or invalid."""
    try:
        return get_settings()
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            typer.secho(f"Refusing to start: {(where + ': ') if where else ''}{error['msg']}", err=True, fg="red")
        raise typer.Exit(2) from None


def _print_posture(settings: Settings) -> None:
    from gateway.posture import security_posture

    say("Security posture:")
    for line in security_posture(settings):
        say(f"  {line}")


@app.command()
def posture() -> None:
    """Print the effective security settings (what GATEWAY_ENV and the other variables add up to)."""
    _print_posture(checked_settings())


def main() -> None:
    app()
