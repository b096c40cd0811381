"""Failed authentications spend a budget of their own per client address: guessing is throttled,
while a valid credential from the same address (a colleague behind the same NAT) always gets in."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from gateway.rate_limits.buckets import Verdict
from gateway.rate_limits.limiter import RateLimiter, client_ip


def limiter_of(conn: HTTPConnection) -> RateLimiter | None:
    app = conn.scope.get("app")
    return getattr(getattr(app, "state", None), "rate_limiter", None)


async def refusal_after_failed_authentication(conn: HTTPConnection) -> Verdict | None:
    """Charge the failure; the refusal when the address has no failures left (answer 429, not 401)."""
    limiter = limiter_of(conn)
    if limiter is None:
        return None
    verdict = await limiter.charge_failed_authentication(client_ip(conn))
    return None if verdict.allowed else verdict
