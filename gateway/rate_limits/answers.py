"""How a rate-limit decision shows in HTTP: the RATE_LIMITED error, 429, Retry-After, RateLimit-*.

Headers follow the IETF RateLimit header fields draft, for the bucket closest to empty (the one
that will stop the client first): `RateLimit-Limit` (its capacity in cost points),
`RateLimit-Remaining` (points left, rounded down), `RateLimit-Reset` (seconds until it is full
again, rounded up).
"""

from __future__ import annotations

import math
from typing import Any

from graphql import GraphQLError
from starlette.responses import Response

from gateway.http_refusals import RequestRefused
from gateway.media_types import JSON, negotiate
from gateway.rate_limits.buckets import Verdict
from resolvers.errors import ErrorCode

TOO_MANY_REQUESTS = 429

# Bucket key prefix -> the name a client sees in `extensions.limit`.
_SCOPES = {"caller": "caller", "ip": "clientIp", "authfail": "failedAuthentications"}


def scope_of(key: str) -> str:
    kind = key.split(":", 1)[0]
    return _SCOPES.get(kind, kind)


def retry_after_seconds(verdict: Verdict) -> int | None:
    """Whole seconds, rounded up, at least 1; None when waiting cannot help (cost > capacity)."""
    wait = verdict.retry_after
    if math.isinf(wait):
        return None
    return max(1, math.ceil(wait))


def headers(verdict: Verdict) -> dict[str, str]:
    level = verdict.tightest
    if level is None:
        return {}
    full_in = level.full_in
    answer = {
        "RateLimit-Limit": str(level.limit.capacity),
        "RateLimit-Remaining": str(max(0, math.floor(level.remaining))),
        "RateLimit-Reset": str(math.ceil(full_in)) if math.isfinite(full_in) else "0",
    }
    if not verdict.allowed:
        retry = retry_after_seconds(verdict)
        if retry is not None:
            answer["Retry-After"] = str(retry)
    return answer


def refusal_extensions(verdict: Verdict) -> dict[str, Any]:
    level = verdict.refused_by
    assert level is not None, "only a refusal has extensions"
    return {
        "code": ErrorCode.RATE_LIMITED.value,
        "retryAfter": retry_after_seconds(verdict),
        "limit": scope_of(level.key),
        "cost": level.cost,
        "capacity": level.limit.capacity,
    }


def refusal_message(verdict: Verdict, what: str = "this request") -> str:
    level = verdict.refused_by
    assert level is not None, "only a refusal has a message"
    retry = retry_after_seconds(verdict)
    if retry is None:
        return (f"Rate limit: {what} costs {level.cost} points, more than the {level.limit.capacity} the "
                f"{scope_of(level.key)} budget holds; waiting will not help, make it cheaper (fewer or smaller pages).")
    return (f"Rate limit exceeded ({scope_of(level.key)} budget): {what} costs {level.cost} points and "
            f"{max(0, math.floor(level.remaining))} are left; retry in {retry} s.")


def refusal_error(verdict: Verdict, what: str = "this request") -> GraphQLError:
    return GraphQLError(refusal_message(verdict, what), extensions=refusal_extensions(verdict))


def refusal_response(verdict: Verdict, what: str = "this request", accept: str | None = None) -> Response:
    """The whole HTTP answer, for refusals outside GraphQL execution (e.g. failed authentication),
    shaped like every other transport refusal."""
    extensions = {k: v for k, v in refusal_extensions(verdict).items() if k != "code"}
    refused = RequestRefused(TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED, refusal_message(verdict, what),
                             headers=headers(verdict), **extensions)
    return refused.response(negotiate(accept) or JSON)
