"""OpenTelemetry traces (`GATEWAY_TRACES`): one server span per HTTP request and child spans for its
phases — authentication, parse, validation, the permission check — and for each SQL statement.

Off by default, and then gateway/app.py does not import this module: no provider, no middleware,
no tracer call, and the seams the spans come through (the schema's `GatewayContext.span`,
`sql_metrics.statement_spans`) cost a no-op call or a context-variable read.

Each worker process builds its own provider when uvicorn calls `create_app` in it, and flushes it
when its lifespan ends. The provider is the app's, not OpenTelemetry's global one: a process may
hold several apps (the tests do), and nothing else in it asks the global provider for a tracer.
The standard OTEL_* variables are read by the SDK itself: the exporter's endpoint, headers and
timeout (OTEL_EXPORTER_OTLP_*), the service name and resource (OTEL_SERVICE_NAME,
OTEL_RESOURCE_ATTRIBUTES), sampling (OTEL_TRACES_SAMPLER) and batching (OTEL_BSP_*).

Every span is made as the SDK's finished `ReadableSpan` when it ends (the request's by
`TraceRequests`, its phases and statements by `_ChildSpan`), which exporters cannot tell apart from
the SDK's span objects and which cost a fifth as much; whether a request is recorded is still
decided by the provider's sampler, when it starts.

W3C Trace Context both ways: a request's `traceparent` (and `tracestate`) makes its span a child of
the client's, and every answer carries the `traceparent` of the server span, so a client can find
the trace of any request it sent, whether or not it sent a context of its own.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar, Token
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.sdk.util.instrumentation import InstrumentationScope
from opentelemetry.trace import (
    NonRecordingSpan,
    SpanContext,
    SpanKind,
    Status,
    StatusCode,
    TraceFlags,
    get_current_span,
    set_span_in_context,
)
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway import sql_metrics
from gateway.request_id import current_trace_id

SERVICE = "partner-gateway"
# Long enough for any statement the resolvers write; a compiled read's can run to pages.
STATEMENT_CHARS = 2000
# Tortoise's dialect names; OpenTelemetry's `db.system` says "postgresql".
DB_SYSTEMS = {"postgres": "postgresql"}
W3C = TraceContextTextMapPropagator()
_TRACE_HEADERS = (b"traceparent", b"tracestate")
# Whether the request this task serves is recorded. A sampled-out request (OTEL_TRACES_SAMPLER, or
# a client's traceparent saying so) makes no child span at all: each sampler the SDK offers would
# drop them with their parent, and making them first would cost what a recorded one costs, nearly.
_recording: ContextVar[bool] = ContextVar("trace_recording", default=False)
_NO_SPAN: AbstractContextManager[Any] = nullcontext()
_UNSET = Status(StatusCode.UNSET)


class DiscardingExporter(SpanExporter):
    """`GATEWAY_TRACES=noop`: spans are made, batched and handed over in full, then dropped."""

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return SpanExportResult.SUCCESS


def span_processor(mode: str) -> SpanProcessor:
    """Where a mode's finished spans go. Batched off the request path, except on the console,
    a development aid where a span should show as soon as it ends."""
    if mode == "console":
        return SimpleSpanProcessor(ConsoleSpanExporter())
    if mode == "otlp":
        # protobuf and requests come with it: imported only by those who export.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return BatchSpanProcessor(OTLPSpanExporter())
    if mode == "noop":
        return BatchSpanProcessor(DiscardingExporter())
    raise ValueError(f"no span processor for GATEWAY_TRACES={mode}")


def service_resource() -> Resource:
    """The SDK's resource (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES), named `partner-gateway` unless named otherwise."""
    found = Resource.create()
    if str(found.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        found = found.merge(Resource({SERVICE_NAME: SERVICE}))
    return found


def exception_event(error: BaseException) -> Event:
    """The `exception` event the SDK's `Span.record_exception` adds, with the same attributes."""
    kind = type(error)
    name = f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ not in ("", "builtins") else kind.__qualname__
    return Event("exception", {
        "exception.type": name, "exception.message": str(error),
        "exception.stacktrace": "".join(traceback.format_exception(error)), "exception.escaped": "False"})


class _ChildSpan:
    """A child of the current span that one block of the gateway's opens and ends: a phase, or
    one SQL statement.

    Made as the SDK's finished `ReadableSpan` when the block ends and handed to the provider's span
    processor, as the SDK's own span hands itself over, so exporters see the same span. The SDK's
    span costs ~15 µs more, in what such a child does not need: a sampler (a child follows the
    request's decision, as `ParentBased` decides for a local parent, and none is made under a
    request that is not recorded), locks (one task owns it) and attribute limits (its attributes
    are the gateway's own, bounded). While the block runs, a current child is current as a
    `NonRecordingSpan` of its context, so that statements, or any instrumentation, nest under it.
    """

    __slots__ = ("_attributes", "_context", "_current", "_kind", "_name", "_parent", "_start", "_token", "_tracing")

    def __init__(self, tracing: Tracing, name: str, kind: SpanKind, attributes: dict[str, Any] | None, current: bool) -> None:
        self._tracing, self._name, self._kind, self._attributes, self._current = tracing, name, kind, attributes, current
        self._token: Token[otel_context.Context] | None = None

    def __enter__(self) -> None:
        parent = self._parent = get_current_span().get_span_context()
        self._context = SpanContext(
            parent.trace_id, self._tracing.ids.generate_span_id(), False, parent.trace_flags, parent.trace_state)
        self._start = time.time_ns()
        if self._current:
            self._token = otel_context.attach(set_span_in_context(NonRecordingSpan(self._context)))

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: Any) -> None:
        end = time.time_ns()
        if self._token is not None:
            otel_context.detach(self._token)
        status = _UNSET if error is None else Status(StatusCode.ERROR, f"{kind.__name__ if kind else ''}: {error}")
        self._tracing.finish(self._name, self._context, self._parent, self._kind, self._attributes, self._start, end,
                             status, error)


class Tracing:
    """One process's tracer provider, and the spans the gateway opens with it."""

    def __init__(self, mode: str, processor: SpanProcessor | None = None) -> None:
        # `processor` replaces the mode's own (tests hand in an in-memory exporter's).
        self.resource = service_resource()
        self.provider = TracerProvider(resource=self.resource)
        self.processor = processor or span_processor(mode)
        self.provider.add_span_processor(self.processor)
        self.scope = InstrumentationScope("gateway")
        self.ids = self.provider.id_generator
        self.sampler = self.provider.sampler  # OTEL_TRACES_SAMPLER, read by the provider
        sql_metrics.install()

    def finish(self, name: str, context: SpanContext, parent: SpanContext | None, kind: SpanKind,
               attributes: dict[str, Any] | None, started: int, ended: int, status: Status, error: BaseException | None) -> None:
        """A span that has ended, to the span processor: the SDK's `ReadableSpan`, which is what
        its own span hands over when it ends (with the SDK's `exception` event for `error`)."""
        events = (exception_event(error),) if error is not None else ()
        self.processor.on_end(ReadableSpan(name, context, parent, self.resource, attributes, events, kind=kind, status=status,
                                           start_time=started, end_time=ended, instrumentation_scope=self.scope))

    def span(self, name: str) -> AbstractContextManager[Any]:
        """A child of the current span (the request's), current while it lasts, so that statements
        sent meanwhile (authentication's, a denial's audit record) are its children."""
        if not _recording.get():
            return _NO_SPAN
        return _ChildSpan(self, name, SpanKind.INTERNAL, None, current=True)

    def statement(self, client: Any, text: str) -> AbstractContextManager[Any]:
        """The span of one SQL statement: its text, truncated, and never its parameters. Never
        current: nothing happens under a statement."""
        dialect = client.capabilities.dialect
        # The first word names it (SELECT, INSERT, WITH, …); a compiled read's text runs to pages.
        operation = (text[:24].split(None, 1) or ["SQL"])[0].upper()
        attributes = {"db.system": DB_SYSTEMS.get(dialect, dialect), "db.statement": text[:STATEMENT_CHARS]}
        return _ChildSpan(self, operation, SpanKind.CLIENT, attributes, current=False)

    def middleware(self) -> Middleware:
        """The app's `TraceRequests`, making each request's span with this provider."""
        return Middleware(TraceRequests, tracing=self)

    def shutdown(self) -> None:
        """Export what is still queued, then stop (blocks up to the exporter's timeout)."""
        self.provider.shutdown()


def incoming_context(scope: Scope) -> otel_context.Context | None:
    """The client's trace, from its `traceparent` (and `tracestate`); None when it sent none."""
    carrier = {name.decode(): value.decode("latin-1") for name, value in scope["headers"] if name in _TRACE_HEADERS}
    # A malformed traceparent is ignored by the propagator: the request starts a trace of its own.
    return W3C.extract(carrier) if "traceparent" in carrier else None


def request_attributes(scope: Scope, status: int | None) -> dict[str, Any]:
    """What is known of a request once it is answered: route, status, caller, operation. Only what
    says something (every attribute costs a traced request some microseconds)."""
    state = scope.get("state", {})
    route = getattr(scope.get("route"), "path", None)
    # The path only when no route matched (a request refused before routing): else the route says it.
    attributes: dict[str, Any] = {"http.route": route} if route is not None else {"url.path": scope["path"]}
    if status is not None:
        attributes["http.response.status_code"] = status
    if (principal := state.get("principal")) is not None:
        attributes["gateway.caller.kind"] = principal.kind.value
        if principal.api_key_id is not None:
            attributes["gateway.caller.api_key"] = True
    if (name := state.get("operation_name")) is not None:
        attributes["graphql.operation.name"] = name
    if (kind := state.get("operation_type")) is not None:
        attributes["graphql.operation.type"] = kind
    return attributes


def traceparent(context: SpanContext) -> str:
    """The span's W3C `traceparent`, as the propagator would write it (without its machinery)."""
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


class TraceRequests:
    """The server span of each HTTP request, current while the request is served.

    Inside the request-id middleware (the id is an attribute) and outside the access log (its line
    carries the trace id). Spans of the schema's phases come through the GraphQL context
    (gateway/context.py), authentication's from gateway/auth.py, statements' from gateway/sql_metrics.py.
    """

    def __init__(self, app: ASGIApp, tracing: Tracing) -> None:
        self.app = app
        self.tracing = tracing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracing = self.tracing
        method = scope["method"]
        attributes: dict[str, Any] = {"http.request.method": method,
                                      "gateway.request_id": scope.get("state", {}).get("request_id", "")}
        # What the SDK's `Tracer.start_span` decides, by the provider's own sampler and ids; the span
        # itself is made when the request ends, as the children are (`_ChildSpan`): one
        # `ReadableSpan` with every attribute, instead of a span taking a lock per attribute.
        parent_context = incoming_context(scope)
        parent: SpanContext | None = get_current_span(parent_context).get_span_context()
        if parent is None or not parent.is_valid:
            parent = None
        trace_id = parent.trace_id if parent is not None else tracing.ids.generate_trace_id()
        sampled = tracing.sampler.should_sample(parent_context, trace_id, method, SpanKind.SERVER, attributes)
        decision = sampled.decision
        context = SpanContext(trace_id, tracing.ids.generate_span_id(), False,
                              TraceFlags(TraceFlags.SAMPLED if decision.is_sampled() else TraceFlags.DEFAULT),
                              sampled.trace_state)
        recording = decision.is_recording()
        # No tracestate back: the gateway adds nothing to the one the client sent (the span keeps it).
        outgoing = traceparent(context)
        status: int | None = None

        async def send_with_traceparent(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append("traceparent", outgoing)
            await send(message)

        started = time.time_ns()
        token = otel_context.attach(set_span_in_context(NonRecordingSpan(context)))
        trace_id_token = current_trace_id.set(outgoing[3:35])
        statements = sql_metrics.statement_spans.set(tracing.statement if recording else None)
        children = _recording.set(recording)
        failure: BaseException | None = None
        try:
            await self.app(scope, receive, send_with_traceparent)
        except Exception as exc:
            failure = exc
            # Starlette's outermost middleware answers 500 unless an answer had begun.
            status = status or 500
            raise
        finally:
            _recording.reset(children)
            sql_metrics.statement_spans.reset(statements)
            otel_context.detach(token)
            if recording:
                self._record(context, parent, method, {**dict(sampled.attributes or {}), **attributes}, scope, status, failure, started)
        # As the request id (gateway/request_id.py): kept when an exception propagates, so that the
        # server's line about it, logged in this same task, names the trace too.
        current_trace_id.reset(trace_id_token)

    def _record(self, context: SpanContext, parent: SpanContext | None, method: str, attributes: dict[str, Any],
                scope: Scope, status: int | None, failure: BaseException | None, started: int) -> None:
        """The finished request span, to the span processor: named after the route, its attributes,
        ERROR on a 5xx (a 4xx is the client's error, OpenTelemetry's rule for server spans)."""
        known = request_attributes(scope, status)
        route = known.get("http.route")
        self.tracing.finish(f"{method} {route}" if route is not None else method, context, parent, SpanKind.SERVER,
                            {**attributes, **known}, started, time.time_ns(),
                            Status(StatusCode.ERROR) if status is not None and status >= 500 else _UNSET, failure)
