"""The checked-in migrations build every table and match the models exactly.

Each check runs in a subprocess: it initialises Tortoise on its own database, so it cannot
disturb the session-wide demo database held as Tortoise's global fallback in this process. The
databases are copies of the session's, which `migrate` built from empty (tests/migrated.py: the
replay of every migration is paid once per session, and fails every test that needs it if it
breaks); here `migrate` runs twice more and must change nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.migrated import sqlite_copy
from tests.postgres import fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]

EXPECTED_TABLES = {
    "partner", "partner_program", "role", "account", "account_role", "api_key", "audit_record",
    "invitation", "specialist_application", "expert_application", "expert_stage_record", "solution",
    "co_sale_product", "customer", "coupon_quota", "coupon", "coupon_usage", "coupon_operation",
    "task", "task_detail", "task_handling_record", "wallet", "ledger_entry",
    "withdrawal", "balance_alert", "verification_code", "idempotency_record",
    "incentive_bill", "incentive_bill_line", "incentive_indicator", "payout_setting", "payout_application",
    "payout_application_line", "settlement_bill", "yanxuan_order",
    "on_behalf_authorization", "on_behalf_order", "disassociation_request", "association_record", "enterprise_profile",
    "prospect", "reseller_invitation", "consumption_record", "certificate", "news_article", "news_read",
    "real_name_verification", "cloud_lab_application", "cloud_lab_beneficiary", "principal_epoch",
}

# Applies the migrations twice (the second run must be a no-op), then asks Tortoise's
# autodetector, exactly as `tortoise makemigrations` does, what a new migration would contain.
SCRIPT = r"""
import asyncio, json, sys

from tortoise.cli.cli import tortoise_cli_context
from tortoise.config import TortoiseConfig
from tortoise.migrations.autodetector import MigrationAutodetector

from gateway.config import Settings
from gateway.database import migrate, tortoise_config


async def main(url, migrations_module):
    settings = Settings(database_url=url)
    if migrations_module == "models.migrations":
        await migrate(settings)
        await migrate(settings)
    config = tortoise_config(url)
    config["apps"]["models"]["migrations"] = migrations_module
    apps_dict = {label: app.to_dict() for label, app in TortoiseConfig.from_dict(config).apps.items()}
    async with tortoise_cli_context(config) as ctx:
        writers = await MigrationAutodetector(ctx.apps, apps_dict).changes()
        if url.startswith("sqlite"):
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        else:
            sql = "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        tables = [row["name"] for row in await ctx.db().execute_query_dict(sql)]
        model_tables = set()
        for model in ctx.apps.get_models_iterable():
            model_tables.add(model._meta.db_table)
            for field in model._meta.m2m_fields:
                model_tables.add(model._meta.fields_map[field].through)
    print(json.dumps({
        "changes": [
            {
                "app": w.app_label,
                "name": w.name,
                "operations": [
                    " ".join(str(part) for part in (type(op).__name__, getattr(op, "model_name", None), getattr(op, "name", None)) if part)
                    for op in w.operations
                ],
                "migration": w.as_string(),
            }
            for w in writers
        ],
        "tables": sorted(tables),
        "model_tables": sorted(model_tables),
    }))


asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def _check(url: str, migrations_module: str = "models.migrations", extra_path: Path | None = None) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(extra_path or ""), str(ROOT), env.get("PYTHONPATH", "")) if p)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, url, migrations_module],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _assert_migrations_match_models(report: dict[str, Any]) -> None:
    assert report["changes"] == [], (
        "The models changed without a migration: run `tortoise makemigrations` and commit the result.\n"
        + "\n\n".join(change["migration"] for change in report["changes"])
    )
    tables = set(report["tables"])
    assert "tortoise_migrations" in tables
    assert tables >= EXPECTED_TABLES, sorted(EXPECTED_TABLES - tables)
    # Every model (and many-to-many table) has its table, and nothing unexpected was created.
    assert set(report["model_tables"]) <= tables, sorted(set(report["model_tables"]) - tables)
    # The news search's FTS5 table and its shadow tables belong to no model (models/news.py).
    search = {t for t in tables if t == "news_fts" or t.startswith("news_fts_")}
    leftovers = tables - set(report["model_tables"]) - {"tortoise_migrations", "sqlite_sequence"} - search
    assert not leftovers, sorted(leftovers)


def test_sqlite_migrations_match_models(tmp_path: Path) -> None:
    sqlite_copy(tmp_path / "migrated.db")
    report = _check(f"sqlite://{tmp_path / 'migrated.db'}")
    _assert_migrations_match_models(report)
    assert set(report["model_tables"]) == EXPECTED_TABLES


async def test_postgres_migrations_match_models() -> None:
    async with fresh_postgres_database("gw_mig", migrated=True) as url:
        report = _check(url)
    _assert_migrations_match_models(report)


def test_autodetector_would_notice_a_missing_migration(tmp_path: Path) -> None:
    # A control: with no migrations at all, the detector must propose the whole schema,
    # so the empty change list above really means "in sync".
    package = tmp_path / "no_migrations_yet"
    package.mkdir()
    (package / "__init__.py").write_text("")
    report = _check(f"sqlite://{tmp_path / 'unmigrated.db'}", "no_migrations_yet", extra_path=tmp_path)
    assert report["changes"], "the autodetector found nothing to migrate from an empty history"
    operations = " ".join(op for change in report["changes"] for op in change["operations"])
    for model in ("Partner", "Account", "ApiKey", "Coupon", "Task"):
        assert model in operations, model


UPGRADE = r"""
import asyncio, json, sys
from tortoise import Tortoise
from tortoise.migrations.api.migrate import migrate as tortoise_migrate
from gateway.config import Settings
from gateway.database import migrate, tortoise_config

async def main(url):
    config = tortoise_config(url)
    await tortoise_migrate(config=config, target="models.0008_principal_epoch")
    client = Tortoise.get_connection("default")
    await client.execute_script(
        "INSERT INTO account (name, display_name, email, mobile, kind, status, created_at) VALUES "
        "('old.one', 'Old', 'ann@example.com', '138 1234 5678', 'PERSONAL', 'ACTIVE', '2026-01-01 00:00:00+00:00'), "
        "('old.two', 'Old', 'x@', '', 'PERSONAL', 'ACTIVE', '2026-01-01 00:00:00+00:00')")
    await Tortoise.close_connections()
    await migrate(Settings(database_url=url))
    await Tortoise.init(config=config)
    rows = await Tortoise.get_connection("default").execute_query_dict(
        "SELECT name, email_masked, mobile_masked FROM account ORDER BY name")
    await Tortoise.close_connections()
    print(json.dumps(rows))

asyncio.run(main(sys.argv[1]))
"""


def test_an_account_table_with_rows_upgrades_and_gets_its_masks(tmp_path: Path) -> None:
    """0009 adds columns to a table that already has rows (a NOT NULL column needs its default in
    the DDL) and fills their masked copies in (models/contact_masks.py)."""
    done = subprocess.run([sys.executable, "-c", UPGRADE, f"sqlite://{tmp_path / 'old.db'}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "GATEWAY_JWT_SECRET": "x" * 40})
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    assert rows == [{"name": "old.one", "email_masked": "a***@example.com", "mobile_masked": "138****5678"},
                    {"name": "old.two", "email_masked": "***", "mobile_masked": "***"}]
