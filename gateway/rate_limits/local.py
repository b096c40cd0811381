"""Token buckets in this process: exact within one worker, nothing shared between workers.

Memory stays bounded however many client IPs appear: a bucket that has refilled completely is
the same as no bucket, so it is dropped, and past `max_buckets` the least recently charged
buckets go first (forgetting a half-empty bucket only makes the limit more lenient for it).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gateway.rate_limits.buckets import Charge, Verdict, decide

DEFAULT_MAX_BUCKETS = 100_000


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float
    full_at: float


class LocalBuckets:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic, max_buckets: int = DEFAULT_MAX_BUCKETS) -> None:
        self._clock = clock
        self._max_buckets = max_buckets
        # Least recently charged first, so eviction looks only at the front.
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def _level(self, charge: Charge, now: float) -> float:
        bucket = self._buckets.get(charge.key)
        capacity = charge.limit.capacity
        if bucket is None:
            return float(capacity)
        return min(float(capacity), bucket.tokens + max(0.0, now - bucket.at) * charge.limit.refill_per_second)

    async def take(self, charges: Sequence[Charge]) -> Verdict:
        # No await between reading and writing: one event loop makes this atomic.
        now = self._clock()
        verdict = decide(charges, [self._level(c, now) for c in charges])
        if verdict.allowed:
            for level in verdict.levels:
                self._buckets[level.key] = _Bucket(level.remaining, now, now + level.full_in)
                self._buckets.move_to_end(level.key)
            self._evict(now)
        return verdict

    def _evict(self, now: float) -> None:
        buckets = self._buckets
        while buckets:
            oldest = next(iter(buckets.values()))
            if oldest.full_at > now and len(buckets) <= self._max_buckets:
                return
            buckets.popitem(last=False)

    async def close(self) -> None:
        self._buckets.clear()
