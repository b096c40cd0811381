"""`partner-gateway`: serve, migrate, seed, token, schema, posture, expire."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer

from pydantic import ValidationError

from gateway.config import Settings, get_settings

app = typer.Typer(help="Partner Gateway: one GraphQL API for the Partner Center.", no_args_is_help=True, add_completion=False)

DEMO_ACCOUNTS = [
    "distributor.admin", "distributor.finance", "distributor.am", "reseller.admin", "provider.admin",
    "provider.sa", "service.admin", "govsubsidy.admin", "govcloud.admin", "staff.pdm", "staff.ecosystem",
    "staff.operations", "staff.finance", "person.alice",
]


async def _with_database(work):
    from gateway.database import migrate, open_database

    settings = get_settings()
    await migrate(settings)
    async with open_database(settings):
        return await work()


async def _database_is_empty() -> bool:
    from models.partners import Partner

    return not await Partner.exists()


@app.command()
def migrate() -> None:
    """Apply the checked-in database migrations (safe to run again)."""
    from gateway.database import migrate as run_migrations

    asyncio.run(run_migrations(get_settings()))
    typer.echo("Database is up to date.")


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

        return await seed_synthetic(size)

    counts = asyncio.run(_with_database(work))
    typer.echo("Seeded: " + ", ".join(f"{name} {count}" for name, count in counts.items()))


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

    if not asyncio.run(_with_database(exists)):
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

    typer.echo(f"Expired {asyncio.run(_with_database(work))} coupon(s).")


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


def _print_demo_tokens(host: str, port: int) -> None:
    from gateway.tokens import issue_token

    settings = get_settings()
    url = f"http://{host}:{port}/graphql"
    typer.echo(f"\nGraphiQL: {url}  (put a token below into the Headers tab as {{\"Authorization\": \"Bearer <token>\"}})\n")
    for name in DEMO_ACCOUNTS:
        bearer = issue_token(settings, name)
        typer.echo(f"{name}:\n  curl -s {url} -H 'Authorization: Bearer {bearer}' "
                   "-H 'Content-Type: application/json' -d '{\"query\": \"{ viewer { account { name } permissions } }\"}'")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    demo: Annotated[bool, typer.Option("--demo", help="Seed the demo data into an empty database and print tokens.")] = False,
) -> None:
    """Run the gateway (migrating the database first)."""
    import uvicorn

    settings = checked_settings()
    if demo and settings.is_production:
        raise typer.BadParameter("--demo seeds well-known accounts; it is for GATEWAY_ENV=development only.")
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    async def prepare():
        if demo and await _database_is_empty():
            from gateway.seed.demo import seed_demo

            await seed_demo()
            typer.echo("Seeded the demo data.")

    asyncio.run(_with_database(prepare))
    _print_posture(settings)
    if demo:
        _print_demo_tokens(host, port)
    uvicorn.run(
        "gateway.app:create_app", factory=True, host=host, port=port, workers=workers,
        access_log=False, log_level=settings.log_level.lower(), loop="uvloop", http="httptools",
    )


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

    typer.echo("Security posture:")
    for line in security_posture(settings):
        typer.echo(f"  {line}")


@app.command()
def posture() -> None:
    """Print the effective security settings (what GATEWAY_ENV and the other variables add up to)."""
    _print_posture(checked_settings())


def main() -> None:
    app()
