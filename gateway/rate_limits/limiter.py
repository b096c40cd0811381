"""Who pays for a request: the caller (API key, else account) and the client IP, by operation cost;
and, apart from both, an address's failed authentications."""

from __future__ import annotations

from typing import Any

from gateway.config import Settings
from gateway.metrics import families
from gateway.rate_limits.answers import scope_of
from gateway.rate_limits.buckets import Charge, Limit, TokenBuckets, Verdict
from gateway.rate_limits.fallback import FallbackBuckets
from gateway.rate_limits.local import LocalBuckets
from gateway.rate_limits.redis_buckets import RedisBuckets
from resolvers.principal import Principal

UNKNOWN_CLIENT = "unknown"


def caller_key(principal: Principal) -> str:
    # An API key has its own budget, so one busy integration does not starve its account's people.
    if principal.api_key_id is not None:
        return f"caller:key:{principal.api_key_id}"
    return f"caller:account:{principal.account_id}"


def ip_key(client_ip: str) -> str:
    return f"ip:{client_ip}"


def failed_authentication_key(client_ip: str) -> str:
    return f"authfail:{client_ip}"


def client_ip(connection: Any) -> str:
    """The ASGI peer of a Starlette request or connection.

    Behind a proxy, uvicorn's --proxy-headers with --forwarded-allow-ips puts the real client here;
    X-Forwarded-For is never read directly, since any client can send one.
    """
    client = getattr(connection, "client", None)
    return client.host if client and client.host else UNKNOWN_CLIENT


def _counted(verdict: Verdict) -> Verdict:
    # Every refusal is decided here, once per request (/graphql, a download, a failed authentication).
    if (refused_by := verdict.refused_by) is not None:
        families.RATE_LIMIT_REFUSALS.labels(scope_of(refused_by.key)).inc()
    return verdict


class RateLimiter:
    def __init__(self, buckets: TokenBuckets, *, caller: Limit, ip: Limit, failed_authentication: Limit) -> None:
        self.buckets = buckets
        self.caller_limit = caller
        self.ip_limit = ip
        self.failed_authentication_limit = failed_authentication

    @classmethod
    def from_settings(cls, settings: Settings, *, prefix: str = "gateway:rate:") -> RateLimiter | None:
        """The app's limiter: None when rate limiting is off; Redis-backed when GATEWAY_REDIS_URL is set."""
        if not settings.rate_limit_enabled:
            return None
        buckets: TokenBuckets = LocalBuckets()
        if settings.redis_url:
            buckets = FallbackBuckets(RedisBuckets.from_url(settings.redis_url, prefix=prefix), buckets)
        return cls(
            buckets,
            caller=Limit(settings.rate_limit_capacity, settings.rate_limit_refill_per_second),
            ip=Limit(settings.ip_rate_limit_capacity, settings.ip_rate_limit_refill_per_second),
            failed_authentication=Limit(settings.failed_authentication_capacity,
                                        settings.failed_authentication_refill_per_second),
        )

    async def charge_operation(self, principal: Principal, client_ip: str, cost: int) -> Verdict:
        cost = max(1, cost)
        return _counted(await self.buckets.take([
            Charge(caller_key(principal), cost, self.caller_limit),
            Charge(ip_key(client_ip), cost, self.ip_limit),
        ]))

    async def charge_failed_authentication(self, client_ip: str) -> Verdict:
        """One failure against the address's budget of failures, which nothing else spends: a valid
        credential from the same address is never refused for it (see README, failed authentications)."""
        return _counted(await self.buckets.take([Charge(failed_authentication_key(client_ip), 1, self.failed_authentication_limit)]))

    async def close(self) -> None:
        await self.buckets.close()
