"""Shared buckets with a local stand-in: an unreachable Redis degrades rate limiting, never requests.

While Redis fails, each worker limits on its own (in-process buckets, starting full) and tries
Redis again after `retry_seconds`; one error is logged when the outage starts and one line when
Redis answers again, not one per request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence

from redis.exceptions import RedisError

from gateway.rate_limits.buckets import Charge, TokenBuckets, Verdict

log = logging.getLogger("gateway.rate_limits")

RETRY_SECONDS = 5.0
# What a failing Redis raises: its own errors, sockets, timeouts.
UNAVAILABLE = (RedisError, OSError, asyncio.TimeoutError)


class FallbackBuckets:
    def __init__(self, primary: TokenBuckets, fallback: TokenBuckets, *, retry_seconds: float = RETRY_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.primary, self.fallback = primary, fallback
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._down_until: float | None = None

    @property
    def degraded(self) -> bool:
        return self._down_until is not None

    async def take(self, charges: Sequence[Charge]) -> Verdict:
        if self._down_until is not None and self._clock() < self._down_until:
            return await self.fallback.take(charges)
        try:
            verdict = await self.primary.take(charges)
        except UNAVAILABLE as exc:
            if self._down_until is None:
                log.error("rate-limit store unavailable (%s: %s); limiting per worker until it answers",
                          type(exc).__name__, exc)
            self._down_until = self._clock() + self._retry_seconds
            return await self.fallback.take(charges)
        if self._down_until is not None:
            log.warning("rate-limit store answers again; limits are shared once more")
            self._down_until = None
        return verdict

    async def close(self) -> None:
        await self.primary.close()
        await self.fallback.close()
