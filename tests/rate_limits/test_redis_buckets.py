"""Token buckets in the real Redis: atomic across connections and workers, self-expiring keys."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from gateway.config import Settings
from gateway.rate_limits.buckets import Charge, Limit
from gateway.rate_limits.limiter import RateLimiter
from gateway.rate_limits.redis_buckets import RedisBuckets
from tests.rate_limits.support import principal

SLOW = Limit(capacity=50, refill_per_second=0.001)


async def test_take_until_empty_then_refuse(redis_buckets: RedisBuckets) -> None:
    limit = Limit(capacity=5, refill_per_second=0.01)
    first = await redis_buckets.take([Charge("a", 3, limit)])
    assert first.allowed and round(first.levels[0].remaining) == 2
    assert (await redis_buckets.take([Charge("a", 2, limit)])).allowed
    refused = await redis_buckets.take([Charge("a", 1, limit)])
    assert not refused.allowed
    assert 99 < refused.retry_after <= 100  # one point at 0.01 per second


async def test_refill_over_real_time(redis_buckets: RedisBuckets) -> None:
    fast = Limit(capacity=10, refill_per_second=100)
    assert (await redis_buckets.take([Charge("a", 10, fast)])).allowed
    assert not (await redis_buckets.take([Charge("a", 10, fast)])).allowed
    await asyncio.sleep(0.15)  # 15 points' worth: full again, no more
    assert (await redis_buckets.take([Charge("a", 10, fast)])).allowed


async def test_charges_are_all_or_none(redis_buckets: RedisBuckets) -> None:
    small = Limit(capacity=5, refill_per_second=0.001)
    refused = await redis_buckets.take([Charge("caller", 10, SLOW), Charge("ip", 10, small)])
    assert not refused.allowed and refused.refused_by is not None and refused.refused_by.key == "ip"
    assert (await redis_buckets.take([Charge("caller", 50, SLOW)])).allowed


async def test_keys_expire_once_they_would_be_full(redis_buckets: RedisBuckets, redis_client: Redis) -> None:
    limit = Limit(capacity=10, refill_per_second=5)
    await redis_buckets.take([Charge("a", 10, limit)])
    ttl_ms = await redis_client.pttl(redis_buckets.prefix + "a")
    assert 2000 < ttl_ms <= 3000  # two seconds to refill, plus a second's margin
    await redis_buckets.take([Charge("b", 1, SLOW)])
    assert await redis_client.pttl(redis_buckets.prefix + "b") > 999_000  # 1000 s to refill one point


async def test_two_hundred_concurrent_takes_let_exactly_fifty_through(redis_buckets: RedisBuckets) -> None:
    verdicts = await asyncio.gather(*(redis_buckets.take([Charge("a", 1, SLOW)]) for _ in range(200)))
    assert sum(v.allowed for v in verdicts) == 50


async def test_two_workers_share_one_budget(redis_url: str, key_prefix: str, redis_client: Redis) -> None:
    settings = Settings(redis_url=redis_url, rate_limit_capacity=50, rate_limit_refill_per_second=0.001)
    # Two limiters with their own connection pools: what two worker processes would have.
    workers = [RateLimiter.from_settings(settings, prefix=key_prefix) for _ in range(2)]
    try:
        caller = principal(account_id=7)
        verdicts = await asyncio.gather(*(
            workers[n % 2].charge_operation(caller, f"10.0.0.{n % 7}", 1) for n in range(200)
        ))
        assert sum(v.allowed for v in verdicts) == 50
        # Both workers took part in the spending.
        assert {n % 2 for n, v in enumerate(verdicts) if v.allowed} == {0, 1}
    finally:
        for worker in workers:
            assert worker is not None
            await worker.close()
