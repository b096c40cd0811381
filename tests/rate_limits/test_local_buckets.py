"""In-process token buckets: capacity, refill over (injected) time, all-or-none, bounded memory."""

from __future__ import annotations

import asyncio

from gateway.rate_limits.buckets import Charge, Limit
from gateway.rate_limits.local import LocalBuckets


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


TEN_PER_SECOND = Limit(capacity=50, refill_per_second=10)


async def test_a_new_bucket_is_full_and_pays_until_empty() -> None:
    buckets = LocalBuckets(clock=Clock())
    first = await buckets.take([Charge("a", 30, TEN_PER_SECOND)])
    assert first.allowed and first.levels[0].remaining == 20
    second = await buckets.take([Charge("a", 20, TEN_PER_SECOND)])
    assert second.allowed and second.levels[0].remaining == 0
    refused = await buckets.take([Charge("a", 1, TEN_PER_SECOND)])
    assert not refused.allowed
    assert refused.retry_after == 0.1  # one point at ten per second


async def test_refill_follows_the_clock_and_stops_at_capacity() -> None:
    clock = Clock()
    buckets = LocalBuckets(clock=clock)
    assert (await buckets.take([Charge("a", 50, TEN_PER_SECOND)])).allowed
    clock.now += 2.5  # 25 points back
    assert not (await buckets.take([Charge("a", 26, TEN_PER_SECOND)])).allowed
    took = await buckets.take([Charge("a", 25, TEN_PER_SECOND)])
    assert took.allowed and took.levels[0].remaining == 0
    clock.now += 3600  # an hour idle refills to the capacity, not beyond
    assert (await buckets.take([Charge("a", 50, TEN_PER_SECOND)])).allowed
    assert not (await buckets.take([Charge("a", 1, TEN_PER_SECOND)])).allowed


async def test_a_refusal_tells_how_long_to_wait_for_the_cost() -> None:
    clock = Clock()
    buckets = LocalBuckets(clock=clock)
    await buckets.take([Charge("a", 45, TEN_PER_SECOND)])
    refused = await buckets.take([Charge("a", 20, TEN_PER_SECOND)])
    assert not refused.allowed
    assert refused.retry_after == 1.5  # 5 left, 15 more at ten per second
    assert refused.levels[0].remaining == 5  # a refusal takes nothing
    clock.now += 1.5
    assert (await buckets.take([Charge("a", 20, TEN_PER_SECOND)])).allowed


async def test_a_cost_above_the_capacity_can_never_be_paid() -> None:
    refused = await LocalBuckets(clock=Clock()).take([Charge("a", 51, TEN_PER_SECOND)])
    assert not refused.allowed and refused.retry_after == float("inf")


async def test_charges_are_all_or_none() -> None:
    buckets = LocalBuckets(clock=Clock())
    small = Limit(capacity=5, refill_per_second=1)
    refused = await buckets.take([Charge("caller", 10, TEN_PER_SECOND), Charge("ip", 10, small)])
    assert not refused.allowed
    assert refused.refused_by is not None and refused.refused_by.key == "ip"
    # The caller's bucket paid nothing for the refused operation.
    assert (await buckets.take([Charge("caller", 50, TEN_PER_SECOND)])).allowed


async def test_two_hundred_concurrent_takes_let_exactly_fifty_through() -> None:
    buckets = LocalBuckets(clock=Clock())
    limit = Limit(capacity=50, refill_per_second=0.001)
    verdicts = await asyncio.gather(*(buckets.take([Charge("a", 1, limit)]) for _ in range(200)))
    assert sum(v.allowed for v in verdicts) == 50


async def test_full_buckets_are_forgotten() -> None:
    clock = Clock()
    buckets = LocalBuckets(clock=clock)
    for n in range(100):
        await buckets.take([Charge(f"ip:{n}", 10, TEN_PER_SECOND)])
    assert len(buckets) == 100
    clock.now += 1.0  # every bucket is full again: the next charge sweeps them away
    await buckets.take([Charge("ip:new", 10, TEN_PER_SECOND)])
    assert len(buckets) == 1


async def test_memory_stays_bounded_under_many_addresses() -> None:
    clock = Clock()
    buckets = LocalBuckets(clock=clock, max_buckets=1000)
    for n in range(5000):
        await buckets.take([Charge(f"ip:{n}", 50, TEN_PER_SECOND)])
    assert len(buckets) == 1000
    # The most recent ones are kept (and still empty); the oldest were forgotten, i.e. full again.
    assert not (await buckets.take([Charge("ip:4999", 1, TEN_PER_SECOND)])).allowed
    assert (await buckets.take([Charge("ip:0", 50, TEN_PER_SECOND)])).allowed
