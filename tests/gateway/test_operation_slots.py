"""A worker runs a bounded number of operations at once; the others wait their turn in arrival order."""

from __future__ import annotations

import asyncio

from schema.viewer import types as viewer_types
from tests.graphql import client_with


async def test_operations_beyond_the_slots_wait_and_all_finish(demo_db, monkeypatch):
    running = 0
    peak = 0
    real = viewer_types.readable_accounts

    def counting(principal):
        queryset = real(principal)

        class Slow:
            async def get(self, **lookup):
                nonlocal running, peak
                running += 1
                peak = max(peak, running)
                await asyncio.sleep(0.05)
                running -= 1
                return await queryset.get(**lookup)

        return Slow()

    monkeypatch.setattr(viewer_types, "readable_accounts", counting)
    # The slow resolver is the standard executor's: the compiled path would not call it.
    async with client_with(max_concurrent_operations=3, compiled_reads="off") as client:
        answers = await asyncio.gather(*(client.as_("distributor.admin", "{ viewer { account { name } } }") for _ in range(12)))
    assert all(a.ok()["viewer"]["account"]["name"] == "distributor.admin" for a in answers)
    assert peak == 3  # without the slots all 12 would run at once


async def test_no_limit_when_switched_off(demo_db, monkeypatch):
    async with client_with(max_concurrent_operations=0) as client:
        answers = await asyncio.gather(*(client.as_("distributor.admin", "{ viewer { roles } }") for _ in range(5)))
    assert all(a.status == 200 for a in answers)
