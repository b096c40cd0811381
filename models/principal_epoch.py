"""The principal epoch: a counter the database raises whenever anything a principal is made of changes.

A principal (resolvers/caller_facts.py) is read from accounts, their roles, their partner's
identities and resellers, their supervisees and API keys. Triggers on those tables raise the
counter in the same transaction as the change, so a cached principal stamped with the epoch it was
read at is current exactly while the epoch has not moved: whoever made the change (a mutation, the
CLI, a hand-written UPDATE) and whichever process or host serves the next request.

On PostgreSQL the triggers are deferred constraint triggers: the counter's row is taken at commit,
after every other lock of the transaction, so it can never be part of a deadlock. SQLite has one
writer at a time and needs no such care. Neither dialect's triggers are declared by a model, and a
SQLite migration that rebuilds a table drops its triggers: `ensure_principal_triggers` creates
what is missing, after every migrate.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

EPOCH_ROW = 1


class PrincipalEpoch(Model):
    """One row whose value rises whenever an account, role, partner identity or API key changes."""

    id = fields.IntField(primary_key=True)
    value = fields.BigIntField(default=0)

    class Meta:
        table = "principal_epoch"


# (table, events, the columns whose change matters on UPDATE). Inserts and deletes of accounts
# matter too: a new account may name a supervisor, whose principal then reaches its customers.
WATCHED: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("account", ("INSERT", "UPDATE", "DELETE"), ("name", "kind", "status", "partner_id", "staff_role", "supervisor_id")),
    ("account_role", ("INSERT", "UPDATE", "DELETE"), ("account_id", "role_id")),
    ("role", ("UPDATE", "DELETE"), ("preset", "name", "permissions")),
    ("partner", ("UPDATE", "DELETE"), ("identities", "parent_distributor_id")),
    ("api_key", ("UPDATE", "DELETE"), ("account_id", "prefix", "secret_hash", "scopes", "revoked_at")),
)

# The epoch as a scalar subquery: a statement that carries it reads it from its own snapshot.
EPOCH_VALUE = f"(SELECT value FROM principal_epoch WHERE id = {EPOCH_ROW})"

_RAISE = f"UPDATE principal_epoch SET value = value + 1 WHERE id = {EPOCH_ROW}"


def _trigger_name(table: str, event: str) -> str:
    return f"principal_epoch_{table}_{event.lower()}"


def _changed(columns: tuple[str, ...], *, postgres: bool) -> str:
    # Text comparison also covers PostgreSQL's json columns, which have no equality operator.
    if postgres:
        return " OR ".join(f"OLD.{c}::text IS DISTINCT FROM NEW.{c}::text" for c in columns)
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


def sqlite_statements() -> list[str]:
    statements = []
    for table, events, columns in WATCHED:
        for event in events:
            when = f" WHEN {_changed(columns, postgres=False)}" if event == "UPDATE" else ""
            statements.append(f"CREATE TRIGGER IF NOT EXISTS {_trigger_name(table, event)} AFTER {event} ON {table} "
                              f"FOR EACH ROW{when} BEGIN {_RAISE}; END")
    return statements


def postgres_script() -> str:
    parts = [
        "CREATE OR REPLACE FUNCTION principal_epoch_raise() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {_RAISE}; RETURN NULL; END $$;"
    ]
    for table, events, columns in WATCHED:
        for event in events:
            name = _trigger_name(table, event)
            when = f" WHEN ({_changed(columns, postgres=True)})" if event == "UPDATE" else ""
            # Constraint triggers cannot be replaced in place: drop and create, in one transaction.
            parts.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            parts.append(f"CREATE CONSTRAINT TRIGGER {name} AFTER {event} ON {table} DEFERRABLE INITIALLY DEFERRED "
                         f"FOR EACH ROW{when} EXECUTE FUNCTION principal_epoch_raise();")
    return "\n".join(parts)


def trigger_names() -> set[str]:
    return {_trigger_name(table, event) for table, events, _ in WATCHED for event in events}


async def ensure_principal_triggers(client: BaseDBAsyncClient) -> None:
    """The epoch's row and its triggers, created where missing (idempotent; cheap when all are there)."""
    await client.execute_query(
        f"INSERT INTO principal_epoch (id, value) VALUES ({EPOCH_ROW}, 0) ON CONFLICT (id) DO NOTHING")
    if client.capabilities.dialect == "postgres":
        found = await client.execute_query_dict(
            "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'principal_epoch_%' AND NOT tgisinternal")
        if {row["tgname"] for row in found} != trigger_names():
            # One simple-protocol script: PostgreSQL runs it as one transaction.
            await client.execute_script(postgres_script())
        return
    found = await client.execute_query_dict("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'principal_epoch_%'")
    if {row["name"] for row in found} == trigger_names():
        return
    for statement in sqlite_statements():
        await client.execute_script(statement)
