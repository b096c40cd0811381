"""The demo data set: a small, deterministic, realistic partner world.

Every account name, partner name and status spread here is a contract: demos,
documentation examples and tests sign in as these accounts.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from gateway.seed.common import count_rows, ensure_no_partners, reference_now
from gateway.seed.demo_channel import seed_channel
from gateway.seed.demo_console import seed_console
from gateway.seed.demo_context import DemoContext
from gateway.seed.demo_coupons import seed_coupons
from gateway.seed.demo_customers import seed_customer_business
from gateway.seed.demo_incentives import seed_incentives
from gateway.seed.demo_members import ALICE_INVITATION_TOKEN, MOBILE_INVITATION_TOKEN, seed_members
from gateway.seed.demo_partners import seed_partners
from gateway.seed.demo_sales import seed_customers, seed_tasks
from gateway.seed.demo_solutions import seed_solutions

__all__ = ["ALICE_INVITATION_TOKEN", "MOBILE_INVITATION_TOKEN", "seed_demo"]


async def seed_demo(now: datetime | None = None) -> dict[str, int]:
    """Create the demo data set in one transaction and return the row count per model.

    ``now`` is the reference time every relative date hangs from (default: today, 00:00 UTC).
    Refuses to run on a database that already holds partners.
    """
    ctx = DemoContext(now=reference_now(now))
    async with in_transaction():
        await ensure_no_partners()
        await seed_partners(ctx)
        await seed_members(ctx)
        await seed_solutions(ctx)
        await seed_customers(ctx)
        await seed_coupons(ctx)
        await seed_tasks(ctx)
        await seed_incentives(ctx)
        await seed_customer_business(ctx)
        await seed_channel(ctx)
        await seed_console(ctx)
        return await count_rows()
