"""Token buckets in Redis, shared by every worker and host that uses the same Redis.

One Lua script reads, refills and takes from all of an operation's buckets atomically, so
concurrent requests on any number of workers can never spend the same points twice. The clock is
Redis' own `TIME`, so hosts with skewed clocks still agree. A bucket is a hash {tokens, at} that
expires when it would be full again: an absent key is a full bucket.
"""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from gateway.rate_limits.buckets import Charge, Verdict, decide

# KEYS: the buckets. ARGV: for each bucket, cost, capacity, refill per second.
# Returns 1 or 0 (taken or not), then each bucket's level before taking, as strings: Redis would
# truncate Lua numbers to integers. Numbers passed to redis.call keep 17 digits.
TAKE_ALL_OR_NONE = """
local now = redis.call('TIME')
local now_s = tonumber(now[1]) + tonumber(now[2]) / 1000000
local levels = {}
local allowed = true
for i, key in ipairs(KEYS) do
  local cost = tonumber(ARGV[3 * i - 2])
  local capacity = tonumber(ARGV[3 * i - 1])
  local rate = tonumber(ARGV[3 * i])
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local level = capacity
  if state[1] then
    level = math.min(capacity, tonumber(state[1]) + math.max(0, now_s - tonumber(state[2])) * rate)
  end
  levels[i] = level
  if level < cost then allowed = false end
end
local answer = {allowed and 1 or 0}
for i, key in ipairs(KEYS) do
  answer[i + 1] = string.format('%.17g', levels[i])
  if allowed then
    local cost = tonumber(ARGV[3 * i - 2])
    local capacity = tonumber(ARGV[3 * i - 1])
    local rate = tonumber(ARGV[3 * i])
    local left = levels[i] - cost
    redis.call('HSET', key, 'tokens', left, 'at', now_s)
    redis.call('PEXPIRE', key, math.ceil((capacity - left) / rate * 1000) + 1000)
  end
end
return answer
"""

# A Redis that does not answer within a second is treated as down (the limiter falls back to
# in-process buckets); one immediate retry covers a dropped connection, no backoff holds requests.
SOCKET_TIMEOUT_SECONDS = 1.0
RETRIES = 1
# A burst queues for one of these instead of opening hundreds of connections. Waiting here is our
# own back-pressure, not a sign that Redis is down, so it may last longer than a socket timeout.
MAX_CONNECTIONS = 64
POOL_WAIT_SECONDS = 5.0


class RedisBuckets:
    def __init__(self, client: Redis, *, prefix: str = "gateway:rate:") -> None:
        self._client = client
        self._prefix = prefix
        self._script = client.register_script(TAKE_ALL_OR_NONE)

    @classmethod
    def from_url(cls, url: str, *, prefix: str = "gateway:rate:") -> RedisBuckets:
        pool = BlockingConnectionPool.from_url(
            url, max_connections=MAX_CONNECTIONS, timeout=POOL_WAIT_SECONDS,
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS, socket_timeout=SOCKET_TIMEOUT_SECONDS,
        )
        return cls(Redis(connection_pool=pool, retry=Retry(NoBackoff(), RETRIES)), prefix=prefix)

    @property
    def prefix(self) -> str:
        return self._prefix

    async def take(self, charges: Sequence[Charge]) -> Verdict:
        keys = [self._prefix + c.key for c in charges]
        args: list[float] = []
        for c in charges:
            args += [c.cost, c.limit.capacity, c.limit.refill_per_second]
        allowed, *levels = await self._script(keys=keys, args=args)
        # Redis' own verdict, not a recomputation: it is the one that took (or did not take) the points.
        return decide(charges, [float(level) for level in levels], allowed=bool(allowed))

    async def close(self) -> None:
        await self._client.aclose()
        await self._client.connection_pool.disconnect()
