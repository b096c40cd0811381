"""The Starlette application: /graphql, GraphiQL, health probes, invoicing-list and certificate PDFs, metrics."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from gateway import sql_metrics
from gateway.access_log import AccessLog, OperationNotes
from gateway.auth import AuthenticationMiddleware
from gateway.certificate_pdf import CERTIFICATE_PDF
from gateway.config import Settings, get_settings
from gateway.context import HttpContext, build_context, schema_settings
from gateway.database import open_database
from gateway.delivery import delivery_for
from gateway.documents import Documents
from gateway.graphiql import graphiql_html, graphiql_routes
from gateway.health import healthz, readyz
from gateway.http_transport import GraphQLOverHTTP
from gateway.invoicing_pdf import INVOICING_LIST_PDF
from gateway.metrics.database import sampling_connections
from gateway.metrics.endpoint import METRICS_PATH, metrics_endpoint
from gateway.metrics.processes import forget_this_worker
from gateway.metrics.requests import RequestMetrics, note_result
from gateway.rate_limits.extension import RateLimits
from gateway.rate_limits.limiter import RateLimiter
from gateway.request_id import RequestIdMiddleware
from gateway.security_events import SecurityEvents
from gateway.sql_metrics import StatementCountHeader
from gateway.timeouts import OperationTimeout
from gateway.transport_guard import ALLOWED_METHODS, TransportGuard
from schema.build import GatewaySchema, build_schema
from schema.context import no_span
from schema.errors import ensure_typed

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import SpanProcessor

    from gateway.traces import Tracing

GRAPHQL_PATH = "/graphql"
# A request allocates thousands of short-lived objects; collecting the young generation every 700
# allocations (the default) runs the collector several times per request for nothing.
GC_THRESHOLDS = (5_000, 20, 20)


def settle_memory() -> None:
    """Once everything built at start-up is in place: the schema, models and caches live as long as the
    process; frozen, the collector stops re-scanning them in every full collection (tail-latency
    pauses), and the young generation is collected less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


class GatewayGraphQL(GraphQLOverHTTP):
    def encode_json(self, data: object) -> bytes:
        # orjson: several times faster than the stdlib for large answers (a page of 50 partners).
        return orjson.dumps(data)

    async def get_context(self, request: Request, response: Response) -> HttpContext | None:  # type: ignore[override]
        return build_context(request, response)

    _slots: asyncio.Semaphore | None = None

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        # The slot is taken here, after the body has been read (with its own deadline): a client
        # that stalls mid-upload holds a socket, never one of the few operations that may run.
        limit = self.settings.max_concurrent_operations
        if not limit:
            return await super().execute_single(*args, **kwargs)
        if self._slots is None:
            self._slots = asyncio.Semaphore(limit)
        # First come, first served: waiters get a slot in arrival order, so under a burst the
        # oldest operations finish first instead of every operation slowing down together.
        async with self._slots:
            return await super().execute_single(*args, **kwargs)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        # The last word on errors: one raised by an extension before execution skips the
        # TypedErrors extension, so every untyped error is typed (and masked) here too.
        if result.errors:
            result.errors = [ensure_typed(error, request.scope.get("state", {}).get("request_id"), self.settings.mask_errors)
                             for error in result.errors]
        # For the access line: the cost the answer reports (schema/limits), 0 when refused before costing.
        cost = (result.extensions or {}).get("cost")
        if isinstance(cost, dict):
            request.state.operation_cost = cost.get("requested")
        note_result(request.state, result.errors, result.data is not None)
        return await super().process_result(request, result)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        # Stock strawberry loads GraphiQL from a CDN; ours serves vendored assets.
        return HTMLResponse(graphiql_html(endpoint=GRAPHQL_PATH))


def cors_middleware(settings: Settings) -> Middleware:
    # Bearer tokens, not cookies: no credentials mode, so a listed origin gets no ambient authority.
    return Middleware(
        CORSMiddleware, allow_origins=settings.cors_allow_origins, allow_methods=list(ALLOWED_METHODS),
        # W3C Trace Context: a page may continue its trace here and read the server span's (gateway/traces.py).
        allow_headers=[settings.csrf_preflight_header, "Authorization", "Content-Type", "X-Request-ID", "traceparent", "tracestate"],
        expose_headers=["X-Request-ID", "traceparent"], max_age=600,
    )


@functools.cache
def gateway_schema() -> GatewaySchema:
    """The schema served over HTTP: the tools' schema plus the rate limits (built once per process)."""
    return build_schema(admission=(SecurityEvents, RateLimits, OperationNotes))


def start_tracing(settings: Settings, span_processor: SpanProcessor | None = None) -> Tracing | None:
    """This process's tracer provider, or None with GATEWAY_TRACES=off (the default)."""
    if settings.traces == "off":
        return None
    # Imported only when on: off, the gateway makes no provider and never calls a tracer.
    from gateway.traces import Tracing

    return Tracing(settings.traces, span_processor)


def create_app(settings: Settings | None = None, *, manage_database: bool = True,
               span_processor: SpanProcessor | None = None) -> Starlette:
    """The ASGI app. Tests pass `manage_database=False` and open the database themselves, and may
    hand in the `span_processor` a traced app's spans go to instead of GATEWAY_TRACES's exporter."""
    settings = settings or get_settings()
    rate_limiter = RateLimiter.from_settings(settings)
    # A manifest that cannot be served stops the app here (ManifestError), before it listens.
    documents = Documents.from_settings(settings, gateway_schema())
    # Here, not at import: uvicorn calls this factory in each worker process, so each has its own.
    tracing = start_tracing(settings, span_processor)
    # Every statement passes one seam: counted, traced, and held back until a cached principal is
    # confirmed current (gateway/auth.py defers that confirmation only where the seam is in place).
    sql_metrics.install()

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            if tracing is not None:
                # Last on the way out: what the batch still holds is exported before the worker exits.
                stack.push_async_callback(asyncio.to_thread, tracing.shutdown)
            if manage_database:
                await stack.enter_async_context(open_database(settings, loop_reads=True))
            if rate_limiter is not None:
                stack.push_async_callback(rate_limiter.close)
            if settings.metrics_enabled:
                stack.callback(forget_this_worker)
                await stack.enter_async_context(sampling_connections())
            stack.push_async_callback(documents.close)
            settle_memory()
            yield

    graphql_app = GatewayGraphQL(gateway_schema(), settings, graphql_ide="graphiql" if settings.graphiql_enabled else None,
                                 documents=documents)
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route(GRAPHQL_PATH, graphql_app, methods=["GET", "POST"]),
        Route(INVOICING_LIST_PDF.path, INVOICING_LIST_PDF.handle, methods=["GET"]),
        Route(CERTIFICATE_PDF.path, CERTIFICATE_PDF.handle, methods=["GET"]),
        Route(METRICS_PATH, metrics_endpoint(settings.metrics_token), methods=["GET"]),
        *(graphiql_routes(endpoint=GRAPHQL_PATH) if settings.graphiql_enabled else []),
    ]
    middleware = [
        # Outermost: every request has its id, and every line logged while it is served carries it.
        Middleware(RequestIdMiddleware),
        # The request's span: its id is known by now, and the access line below is written inside it.
        *([tracing.middleware()] if tracing is not None else []),
        # One line per request, CORS preflights included, written when everything below is done; the
        # same measurements feed the metrics.
        Middleware(AccessLog, metrics=RequestMetrics(GRAPHQL_PATH, settings.metrics_max_operation_names)
                   if settings.metrics_enabled else None),
        # Before anything that asks for credentials, so a CORS preflight is answered without them.
        *([cors_middleware(settings)] if settings.cors_allow_origins else []),
        *([Middleware(StatementCountHeader)] if settings.sql_statement_header else []),
        Middleware(OperationTimeout, seconds=settings.operation_timeout_seconds, paths=(GRAPHQL_PATH,)),
        Middleware(TransportGuard, settings=settings, path=GRAPHQL_PATH),
        Middleware(AuthenticationMiddleware, settings=settings, graphiql_path=GRAPHQL_PATH, own_credentials=(METRICS_PATH,),
                   tracing=tracing),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.settings = settings
    app.state.schema_settings = schema_settings(settings)
    app.state.delivery = delivery_for(settings)
    app.state.rate_limiter = rate_limiter
    app.state.documents = documents
    app.state.tracing = tracing
    # What the schema opens around its phases (gateway/context.py).
    app.state.span = tracing.span if tracing is not None else no_span
    return app
