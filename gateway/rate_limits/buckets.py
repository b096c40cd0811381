"""Token buckets: what a store of them promises, whatever keeps the counts.

A bucket holds up to `capacity` points and regains `refill_per_second` points per second. An
operation is a set of charges (the caller's bucket and the client IP's) taken all or none: a
refusal by one bucket takes nothing from the other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Limit:
    capacity: int
    refill_per_second: float

    def seconds_to_hold(self, tokens: float, wanted: float) -> float:
        """Seconds until a bucket now holding `tokens` holds `wanted` (never, past the capacity)."""
        if wanted > self.capacity:
            return math.inf
        return max(0.0, (wanted - tokens) / self.refill_per_second)


@dataclass(frozen=True, slots=True)
class Charge:
    key: str
    cost: int
    limit: Limit


@dataclass(frozen=True, slots=True)
class BucketLevel:
    """One bucket after a decision: what is left, and how long until it is full again."""

    key: str
    limit: Limit
    cost: int
    remaining: float

    @property
    def full_in(self) -> float:
        return self.limit.seconds_to_hold(self.remaining, self.limit.capacity)

    @property
    def wait(self) -> float:
        """Seconds until this bucket could pay its charge (0: it can now)."""
        return self.limit.seconds_to_hold(self.remaining, self.cost)


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    levels: tuple[BucketLevel, ...]

    @property
    def retry_after(self) -> float:
        """Seconds until every bucket could pay (inf: a charge exceeds its bucket's capacity)."""
        return max((level.wait for level in self.levels), default=0.0)

    @property
    def refused_by(self) -> BucketLevel | None:
        """The bucket that makes the caller wait longest, when refused."""
        if self.allowed:
            return None
        return max(self.levels, key=lambda level: level.wait)

    @property
    def tightest(self) -> BucketLevel | None:
        """The bucket closest to empty, relative to its size: the one a client should watch."""
        return min(self.levels, key=lambda level: level.remaining / level.limit.capacity, default=None)


def decide(charges: Sequence[Charge], levels: Sequence[float], *, allowed: bool | None = None) -> Verdict:
    """All or none: allowed only when every bucket holds its charge; then each pays.

    `levels` are the buckets' contents before this charge; `allowed` is given when a store has
    already decided.
    """
    if allowed is None:
        allowed = all(level >= charge.cost for charge, level in zip(charges, levels, strict=True))
    return Verdict(allowed, tuple(
        BucketLevel(c.key, c.limit, c.cost, level - c.cost if allowed else level)
        for c, level in zip(charges, levels, strict=True)
    ))


class TokenBuckets(Protocol):
    async def take(self, charges: Sequence[Charge]) -> Verdict:
        """Take every charge or none, atomically with respect to every other taker of these keys."""
        ...

    async def close(self) -> None: ...
