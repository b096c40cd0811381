"""`/metrics` on the gateway's own port, for the holder of GATEWAY_METRICS_TOKEN and no one else.

A partner's token or API key never reads the metrics: the authentication middleware leaves this path
alone, and it checks its own credential, compared in constant time, and nothing else. Without a
metrics token it answers 404, like a path the gateway does not serve.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from pydantic import SecretStr
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from gateway.http_refusals import RequestRefused
from gateway.media_types import JSON
from gateway.metrics import families
from gateway.metrics.database import sample_connections
from gateway.metrics.exposition import render
from resolvers.errors import ErrorCode

METRICS_PATH = "/metrics"


def metrics_endpoint(token: SecretStr | None) -> Callable[[Request], Awaitable[Response]]:
    expected = token.get_secret_value().encode() if token is not None else None

    async def scrape(request: Request) -> Response:
        if expected is None:
            return RequestRefused(404, ErrorCode.NOT_FOUND, "Metrics are not served here.").response(JSON)
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected):
            families.AUTHENTICATION_FAILURES.labels("metrics_token").inc()
            return RequestRefused(401, ErrorCode.UNAUTHENTICATED, "Scraping needs the metrics token: `Authorization: Bearer "
                                  "<GATEWAY_METRICS_TOKEN>`.", headers={"WWW-Authenticate": 'Bearer realm="metrics"'}).response(JSON)
        sample_connections()
        # Reading every worker's file is blocking work; the event loop keeps serving meanwhile.
        body, content_type = await run_in_threadpool(render, request.headers.get("accept"))
        return Response(body, headers={"Content-Type": content_type, "Cache-Control": "no-store"})

    return scrape
