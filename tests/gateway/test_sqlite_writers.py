"""Several worker processes write one SQLite file without "database is locked"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WRITER = r"""
import asyncio, sys
from decimal import Decimal
from tortoise import Tortoise
from tortoise.transactions import in_transaction
from gateway.database import tortoise_config
from models.coupons import CouponQuota
from resolvers.money import adjust

async def main(url, rounds):
    await Tortoise.init(config=tortoise_config(url))
    quota = await CouponQuota.first()
    failures = 0
    for _ in range(rounds):
        try:
            async with in_transaction():
                await CouponQuota.get(id=quota.id)  # a read, then a write: where deferred BEGIN fails
                await adjust(CouponQuota, quota.id, "used", Decimal("0.01"), at_most="total")
        except Exception:
            failures += 1
    print(failures)
    await Tortoise.close_connections()

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""

SEED = r"""
import asyncio, sys
from tortoise import Tortoise
from gateway.config import Settings
from gateway.database import migrate, tortoise_config
from gateway.seed.synthetic import seed_synthetic

async def main(url):
    await migrate(Settings(database_url=url))
    await Tortoise.init(config=tortoise_config(url))
    await seed_synthetic(1)
    await Tortoise.close_connections()

asyncio.run(main(sys.argv[1]))
"""


def test_two_processes_write_the_same_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'shared.db'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", SEED, url], check=True, env=env, cwd=ROOT, timeout=120)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, url, "150"], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, text=True) for _ in range(2)]
    failures = [int(w.communicate(timeout=120)[0].strip()) for w in writers]
    assert failures == [0, 0]
