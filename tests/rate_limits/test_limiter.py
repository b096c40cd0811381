"""Who pays: the API key or the account, and the client IP; a failing Redis falls back, never fails."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pytest

from gateway.config import Settings
from gateway.rate_limits.buckets import Charge, Limit, Verdict
from gateway.rate_limits.fallback import FallbackBuckets
from gateway.rate_limits.limiter import RateLimiter
from gateway.rate_limits.local import LocalBuckets
from tests.rate_limits.support import UNREACHABLE_REDIS, principal


def limiter(capacity: int = 10, ip_capacity: int = 100) -> RateLimiter:
    return RateLimiter(LocalBuckets(), caller=Limit(capacity, 0.001), ip=Limit(ip_capacity, 0.001),
                       failed_authentication=Limit(3, 0.001))


def test_off_means_no_limiter() -> None:
    assert RateLimiter.from_settings(Settings(rate_limit_enabled=False)) is None
    assert isinstance(RateLimiter.from_settings(Settings(redis_url=None)).buckets, LocalBuckets)
    assert isinstance(RateLimiter.from_settings(Settings(redis_url=UNREACHABLE_REDIS)).buckets, FallbackBuckets)


async def test_an_api_key_has_its_own_budget_apart_from_its_account() -> None:
    limits = limiter(capacity=10)
    assert (await limits.charge_operation(principal(1), "10.0.0.1", 10)).allowed
    assert not (await limits.charge_operation(principal(1), "10.0.0.1", 1)).allowed
    assert (await limits.charge_operation(principal(1, api_key_id=5), "10.0.0.1", 10)).allowed
    assert not (await limits.charge_operation(principal(1, api_key_id=5), "10.0.0.1", 1)).allowed
    assert (await limits.charge_operation(principal(1, api_key_id=6), "10.0.0.1", 10)).allowed
    assert (await limits.charge_operation(principal(2), "10.0.0.1", 10)).allowed


async def test_one_address_is_limited_across_callers() -> None:
    limits = limiter(capacity=100, ip_capacity=30)
    for account in (1, 2, 3):
        assert (await limits.charge_operation(principal(account), "10.0.0.1", 10)).allowed
    refused = await limits.charge_operation(principal(4), "10.0.0.1", 10)
    assert not refused.allowed and refused.refused_by is not None and refused.refused_by.key == "ip:10.0.0.1"
    assert (await limits.charge_operation(principal(4), "10.0.0.2", 10)).allowed


async def test_the_cost_is_at_least_one() -> None:
    verdict = await limiter().charge_operation(principal(), "10.0.0.1", 0)
    assert verdict.levels[0].cost == 1


async def test_failed_authentications_have_a_budget_of_their_own() -> None:
    limits = limiter(capacity=10, ip_capacity=10)
    for _ in range(3):
        assert (await limits.charge_failed_authentication("10.0.0.9")).allowed
    refused = await limits.charge_failed_authentication("10.0.0.9")
    assert not refused.allowed and refused.refused_by is not None and refused.refused_by.key == "authfail:10.0.0.9"
    # The failures took nothing from the address's operation budget, nor another address's failures.
    assert (await limits.charge_operation(principal(1), "10.0.0.9", 10)).allowed
    assert (await limits.charge_failed_authentication("10.0.0.10")).allowed


async def test_an_unreachable_redis_falls_back_to_local_buckets(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(redis_url=UNREACHABLE_REDIS, rate_limit_capacity=3, rate_limit_refill_per_second=0.001)
    limits = RateLimiter.from_settings(settings)
    assert limits is not None
    try:
        with caplog.at_level(logging.ERROR, logger="gateway.rate_limits"):
            verdicts = [await limits.charge_operation(principal(), "10.0.0.1", 1) for _ in range(4)]
        assert [v.allowed for v in verdicts] == [True, True, True, False]  # still limited, per worker
        errors = [r for r in caplog.records if r.name == "gateway.rate_limits" and r.levelno == logging.ERROR]
        assert len(errors) == 1 and "unavailable" in errors[0].getMessage()  # once per outage, not per request
    finally:
        await limits.close()


class FlakyStore:
    """A shared store that fails while `down` is set."""

    def __init__(self) -> None:
        self.down = False
        self.inner = LocalBuckets()

    async def take(self, charges: Sequence[Charge]) -> Verdict:
        if self.down:
            raise ConnectionError("connection refused")
        return await self.inner.take(charges)

    async def close(self) -> None:
        pass


async def test_the_shared_store_is_tried_again_after_a_pause(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    flaky, local = FlakyStore(), LocalBuckets()
    store = FallbackBuckets(flaky, local, retry_seconds=5, clock=lambda: now[0])
    charge = [Charge("a", 1, Limit(100, 0.001))]
    caplog.set_level(logging.WARNING, logger="gateway.rate_limits")

    flaky.down = True
    await store.take(charge)
    assert store.degraded and len(local) == 1
    flaky.down = False
    now[0] = 4.0
    await store.take(charge)  # still within the pause: the local buckets answer
    assert len(flaky.inner) == 0
    now[0] = 5.0
    await store.take(charge)
    assert not store.degraded and len(flaky.inner) == 1
    assert [r.levelname for r in caplog.records if r.name == "gateway.rate_limits"] == ["ERROR", "WARNING"]
