"""Fixtures for rate-limit tests: a Redis namespace of their own, and apps with tiny budgets.

Redis tests use GATEWAY_TEST_REDIS_URL (db 15 by default) and are skipped when it does not
answer, unless GATEWAY_REQUIRE_REDIS=1 (CI), which turns the skip into a failure. Every key they
write starts with one prefix per test run, and only those keys are deleted afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
import redis
from redis.asyncio import Redis

from gateway.app import create_app
from gateway.config import Settings
from gateway.rate_limits.limiter import RateLimiter
from gateway.rate_limits.redis_buckets import RedisBuckets
from tests.conftest import ENV
from tests.rate_limits.support import AppFactory, LimitedApp

RUN_PREFIX = f"test:rate:{uuid.uuid4().hex[:12]}:"
_REDIS_STATE: dict[str, bool] = {}


def redis_available() -> bool:
    if "ok" not in _REDIS_STATE:
        client = redis.Redis.from_url(ENV.test_redis_url, socket_connect_timeout=2, socket_timeout=2)
        try:
            _REDIS_STATE["ok"] = bool(client.ping())
        except (redis.RedisError, OSError):
            _REDIS_STATE["ok"] = False
        finally:
            client.close()
    return _REDIS_STATE["ok"]


def require_redis() -> str:
    """The test Redis URL, or skip (fail under GATEWAY_REQUIRE_REDIS=1) when it does not answer."""
    if not redis_available():
        message = f"Redis is not reachable at {ENV.test_redis_url}"
        if ENV.require_redis:
            pytest.fail(message + " and GATEWAY_REQUIRE_REDIS=1", pytrace=False)
        pytest.skip(message)
    return ENV.test_redis_url


@pytest.fixture
def redis_url() -> str:
    return require_redis()


@pytest.fixture
def key_prefix() -> str:
    """A namespace per test inside the run's namespace, so tests never share a bucket."""
    return f"{RUN_PREFIX}{uuid.uuid4().hex[:8]}:"


async def delete_keys(url: str, prefix: str) -> None:
    client = Redis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=500)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest_asyncio.fixture
async def redis_client(redis_url: str, key_prefix: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()
        await delete_keys(redis_url, key_prefix)


@pytest_asyncio.fixture
async def redis_buckets(redis_client: Redis, redis_url: str, key_prefix: str) -> AsyncIterator[RedisBuckets]:
    buckets = RedisBuckets.from_url(redis_url, prefix=key_prefix)
    try:
        yield buckets
    finally:
        await buckets.close()


@pytest_asyncio.fixture
async def limited_app(demo_db: dict[str, int], settings: Settings, key_prefix: str) -> AsyncIterator[AppFactory]:
    """make(**settings_overrides) -> a fresh app with rate limiting on (in-process unless `redis_url`)."""
    made: list[LimitedApp] = []
    used_redis: list[str] = []

    async def make(**overrides: Any) -> LimitedApp:
        app_settings = settings.model_copy(update={"rate_limit_enabled": True, "redis_url": None, **overrides})
        app = create_app(app_settings, manage_database=False)
        if app_settings.rate_limit_enabled and app_settings.redis_url:
            # The same limiter the app made, but writing this test's keys only, so cleanup finds them.
            await app.state.rate_limiter.close()
            app.state.rate_limiter = RateLimiter.from_settings(app_settings, prefix=key_prefix)
            used_redis.append(app_settings.redis_url)
        made.append(LimitedApp(app, app_settings))
        return made[-1]

    try:
        yield make
    finally:
        for limited in made:
            for http in limited.clients.values():
                await http.aclose()
            if limited.app.state.rate_limiter is not None:
                await limited.app.state.rate_limiter.close()
        if used_redis and redis_available():
            await delete_keys(ENV.test_redis_url, key_prefix)
