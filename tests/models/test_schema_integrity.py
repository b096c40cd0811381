"""After `migrate`, the live database has every unique constraint, index and foreign key the models
declare, on SQLite (whose migrations rebuild tables and drop them) and on PostgreSQL; a database
that lost a unique index and collected duplicates meanwhile is repaired by the next `migrate`.

Each scenario runs in a subprocess with a Tortoise of its own (the session's demo database stays
the global fallback in this process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.migrated import sqlite_copy
from tests.postgres import fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]

SCENARIO = r"""
import asyncio, json, logging, sys
from tortoise import Tortoise
from tortoise.exceptions import IntegrityError
from gateway.config import Settings
from gateway.database import migrate, model_classes, tortoise_config
from models.integrity import declared_schema, live_schema, missing_constraints
from models.members import Account, AccountKind, Role
from models.partners import Partner
from models.safeguards import IdempotencyRecord

messages = []
class Collect(logging.Handler):
    def emit(self, record):
        messages.append(record.getMessage())
logging.getLogger("models.integrity").addHandler(Collect())
logging.getLogger("models.integrity").setLevel(logging.INFO)

async def sql(db, text):
    return await db.execute_query_dict(text)

async def report(db):
    declared = declared_schema(model_classes())
    live = await live_schema(db)
    return {
        "declared": sorted(str(c) for c in declared.constraints),
        "missing": [str(c) for c in await missing_constraints(db, declared)],
        "unique_indexes": sorted(f"{i.table} ({', '.join(sorted(i.columns))})" for i in live.indexes if i.unique),
    }

async def main(url, scenario):
    sqlite = url.startswith("sqlite")
    out = {}
    await migrate(Settings(database_url=url))
    await Tortoise.init(config=tortoise_config(url))
    db = Tortoise.get_connection("default")
    out["fresh"] = await report(db)
    # Behaviour, not only the catalog: the database itself refuses a second record under one key.
    partner = await Partner.create(name="Integrity Co", region="cn-north-4", identities=["RESELLER"])
    account = await Account.create(name="integrity.main", display_name="Main", kind=AccountKind.MAIN_ACCOUNT, partner=partner)
    record = dict(account_id=account.id, action="accountWithdraw", key="k1", input_hash="h", result_ref="Withdrawal:1")
    await IdempotencyRecord.create(**record)
    try:
        await IdempotencyRecord.create(**record)
        out["duplicate_refused"] = False
    except IntegrityError:
        out["duplicate_refused"] = True
    if scenario == "repair":
        # What a database migrated before the repair looks like: the unique indexes gone, duplicates in.
        for table, columns in (("idempotency_record", ("account_id", "action", "key")), ("role", ("partner_id", "name"))):
            for index in (await live_schema(db)).indexes:
                if index.table == table and index.unique and sorted(index.columns) == sorted(columns):
                    names = await sql(db, f"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}'" if sqlite else
                                      f"SELECT conname AS name FROM pg_constraint WHERE conrelid = '{table}'::regclass AND contype = 'u'")
                    for row in names:
                        drop = f'DROP INDEX "{row["name"]}"' if sqlite else f'ALTER TABLE "{table}" DROP CONSTRAINT "{row["name"]}"'
                        if not row["name"].startswith("sqlite_autoindex"):
                            await db.execute_script(drop)
        await IdempotencyRecord.create(**record)
        await IdempotencyRecord.create(**record)
        roles = [await Role.create(partner=partner, name="Auditor", description=f"copy {n}") for n in range(3)]
        # The account holds the first and the last copy: after the repair it holds the kept one once.
        await account.roles.add(roles[0], roles[2])
        roles = [role.id for role in roles]
        out["before_repair"] = await report(db)
        await Tortoise.close_connections()
        out["repair"] = await migrate(Settings(database_url=url))
        await Tortoise.init(config=tortoise_config(url))
        db = Tortoise.get_connection("default")
        out["after_repair"] = await report(db)
        out["records"] = [r["id"] for r in await sql(db, f"SELECT id FROM idempotency_record WHERE account_id = {account.id} ORDER BY id")]
        out["first_record"] = (await sql(db, "SELECT MIN(id) AS id FROM idempotency_record"))[0]["id"]
        out["roles"] = [r["id"] for r in await sql(db, f"SELECT id FROM role WHERE partner_id = {partner.id} ORDER BY id")]
        out["first_role"] = roles[0]
        out["account_roles"] = [r["role_id"] for r in await sql(db, f"SELECT role_id FROM account_role WHERE account_id = {account.id}")]
        out["log"] = messages
    print(json.dumps(out))

async def run(url, scenario):
    try:
        await main(url, scenario)
    finally:
        await Tortoise.close_connections()  # an open SQLite connection's thread would keep the process alive

asyncio.run(run(sys.argv[1], sys.argv[2]))
"""


def run_scenario(url: str, scenario: str = "fresh") -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, "-c", SCENARIO, url, scenario], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(params=["sqlite", "postgres"])
async def fresh_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A database `migrate` built from empty: a copy of the session's (tests/migrated.py), so the
    replay of every migration is paid once; the tests' own `migrate` must then find nothing to do."""
    if request.param == "sqlite":
        sqlite_copy(tmp_path / "integrity.db")
        yield f"sqlite://{tmp_path / 'integrity.db'}"
        return
    async with fresh_postgres_database("gw_integrity", migrated=True) as url:
        yield url


COMPOSITE_UNIQUES = {
    "unique idempotency_record (account_id, action, key)",
    "unique role (partner_id, name)",
    "unique partner_program (partner_id, program)",
    "unique account_role (account_id, role_id)",
}


async def test_every_declared_constraint_exists_after_migrating(fresh_url: str) -> None:
    report = run_scenario(fresh_url)
    fresh = report["fresh"]
    declared = set(fresh["declared"])
    kinds = {kind: sum(c.startswith(kind) for c in declared) for kind in ("unique", "index", "foreign key")}
    # What the models declare: every kind is there in numbers (foreign keys, their indexes, db_index fields).
    assert kinds["unique"] >= 10 and kinds["index"] >= 60 and kinds["foreign key"] >= 50, kinds
    assert declared >= COMPOSITE_UNIQUES
    assert fresh["missing"] == []
    for unique in COMPOSITE_UNIQUES:
        table, _, columns = unique.removeprefix("unique ").partition(" ")
        assert f"{table} ({', '.join(sorted(columns.strip('()').split(', ')))})" in fresh["unique_indexes"], unique
    assert report["duplicate_refused"] is True


async def test_a_lost_unique_index_is_found_and_migrate_repairs_the_duplicates(fresh_url: str) -> None:
    report = run_scenario(fresh_url, "repair")
    # The check fails when a declared unique index is gone ...
    assert {"unique idempotency_record (account_id, action, key)", "unique role (partner_id, name)"} <= set(
        report["before_repair"]["missing"])
    # ... and the next migrate removes the duplicates (oldest kept, references moved) and restores it.
    assert report["after_repair"]["missing"] == []
    assert len(report["records"]) == 1 and report["records"] == [report["first_record"]]
    assert report["roles"] == [report["first_role"]]
    assert report["account_roles"] == [report["first_role"]]
    removed = [line for line in report["log"] if line.startswith("removed ")]
    assert len(removed) == 4, report["log"]  # two idempotency records, two roles
    assert any(line.startswith("removed role #") and f"duplicate of #{report['first_role']}" in line for line in removed)
    restored = {line.removeprefix("restored the ") for line in report["repair"] if line.startswith("restored the ")}
    uniques = {c for c in report["before_repair"]["missing"] if c.startswith("unique ")}
    # Plain indexes may be served by a restored unique one that starts with the same column.
    assert uniques <= restored <= set(report["before_repair"]["missing"])
