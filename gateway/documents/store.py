"""Where automatically persisted documents are kept: each worker's own bounded LRU, and Redis when
GATEWAY_REDIS_URL is set, so a document registered with one worker is found by every other.

Documents are no secret (the client ships them), so entries are keyed by their hash alone, for any
caller. Memory stays bounded however many are registered: at most `size` documents per worker, each
of at most `MAX_DOCUMENT_CHARS` characters (a longer one runs but is not kept); in Redis, each
expires after `REDIS_TTL_SECONDS` unused. A Redis that fails is logged once and the worker keeps
going with its own LRU, trying Redis again after `RETRY_SECONDS`: a miss costs the client one
retry with the full text, never a failed request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

from schema.limits.caches import CACHEABLE_CHARS

log = logging.getLogger("gateway.documents")

MAX_DOCUMENT_CHARS = CACHEABLE_CHARS
REDIS_TTL_SECONDS = 24 * 3600
RETRY_SECONDS = 5.0
SOCKET_TIMEOUT_SECONDS = 1.0
MAX_CONNECTIONS = 32
POOL_WAIT_SECONDS = 1.0
UNAVAILABLE = (RedisError, OSError, asyncio.TimeoutError)


class LocalDocuments:
    def __init__(self, size: int) -> None:
        self.size = size
        self._texts: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._texts)

    async def get(self, sha: str) -> str | None:
        text = self._texts.get(sha)
        if text is not None:
            self._texts.move_to_end(sha)
        return text

    async def put(self, sha: str, text: str) -> None:
        if len(text) > MAX_DOCUMENT_CHARS:
            return
        self._texts[sha] = text
        self._texts.move_to_end(sha)
        while len(self._texts) > self.size:
            self._texts.popitem(last=False)

    async def close(self) -> None:
        self._texts.clear()


class SharedDocuments:
    """Redis behind the worker's own LRU: a hit in the LRU asks Redis nothing."""

    def __init__(self, client: Redis, local: LocalDocuments, *, prefix: str = "gateway:apq:",
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._client, self.local, self._prefix, self._clock = client, local, prefix, clock
        self._down_until: float | None = None

    @classmethod
    def from_url(cls, url: str, local: LocalDocuments, *, prefix: str = "gateway:apq:") -> SharedDocuments:
        # As for the rate limits: a burst queues for a few connections instead of opening hundreds.
        pool = BlockingConnectionPool.from_url(
            url, max_connections=MAX_CONNECTIONS, timeout=POOL_WAIT_SECONDS,
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS, socket_timeout=SOCKET_TIMEOUT_SECONDS,
        )
        return cls(Redis(connection_pool=pool), local, prefix=prefix)

    def _usable(self) -> bool:
        return self._down_until is None or self._clock() >= self._down_until

    def _failed(self, exc: BaseException) -> None:
        if self._down_until is None:
            log.error("persisted-query store unavailable (%s: %s); each worker keeps its own documents until it answers",
                      type(exc).__name__, exc)
        self._down_until = self._clock() + RETRY_SECONDS

    def _answered(self) -> None:
        if self._down_until is not None:
            log.warning("persisted-query store answers again; documents are shared once more")
            self._down_until = None

    async def get(self, sha: str) -> str | None:
        text = await self.local.get(sha)
        if text is not None or not self._usable():
            return text
        try:
            # Read and kept another day: documents in use never expire.
            found = await self._client.getex(self._prefix + sha, ex=REDIS_TTL_SECONDS)
        except UNAVAILABLE as exc:
            self._failed(exc)
            return None
        self._answered()
        if found is None:
            return None
        text = found.decode() if isinstance(found, bytes) else str(found)
        await self.local.put(sha, text)
        return text

    async def put(self, sha: str, text: str) -> None:
        await self.local.put(sha, text)
        if len(text) > MAX_DOCUMENT_CHARS or not self._usable():
            return
        try:
            await self._client.set(self._prefix + sha, text.encode(), ex=REDIS_TTL_SECONDS)
        except UNAVAILABLE as exc:
            self._failed(exc)
            return
        self._answered()

    async def close(self) -> None:
        await self.local.close()
        await self._client.aclose()
        await self._client.connection_pool.disconnect()
