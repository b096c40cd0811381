"""One access line per HTTP request, on `gateway.access` at INFO, written when the request ends.

What the line says is gathered where it is known, into the request's `scope["state"]`: the request
id (gateway/request_id.py), the caller (gateway/auth.py puts the `Principal`), the operation's name
(`OperationNotes` below) and its cost (gateway/app.py, from the answer's `extensions.cost`). The
middleware adds the status, the duration and the SQL statements the request sent.

A streamed answer is logged once it ends, so its duration covers the whole stream. WebSocket
connections are not logged: they have no status and last as long as a subscription.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from graphql import get_operation_ast
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from gateway.context import HttpContext
from gateway.sql_metrics import counting

log = logging.getLogger("gateway.access")


class OperationNotes(SchemaExtension):
    """Notes the name of the operation a GraphQL request ran (given, or read from the document), and
    its type (query, mutation, subscription) once the document is parsed, for the request's span."""

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        finally:
            ctx = self.execution_context
            context = ctx.context
            if isinstance(context, HttpContext) and context.request is not None:
                state = context.request.state
                state.operation_name = ctx.operation_name
                operation = get_operation_ast(ctx.graphql_document, ctx.operation_name) if ctx.graphql_document else None
                if operation is not None:
                    state.operation_type = operation.operation.value


def access_fields(scope: Scope, status: int | None, duration_ms: float, sql_statements: int) -> dict[str, Any]:
    """The access line's fields; those that do not apply to the request (no caller, no operation) are left out."""
    state = scope.get("state", {})
    principal = state.get("principal")
    fields: dict[str, Any] = {
        "method": scope["method"], "path": scope["path"], "status": status, "duration_ms": round(duration_ms, 1),
        "sql_statements": sql_statements,
    }
    for name, value in (("request_id", state.get("request_id")),
                        ("account_id", principal.account_id if principal is not None else None),
                        ("operation", state.get("operation_name")), ("cost", state.get("operation_cost"))):
        if value is not None:
            fields[name] = value
    return fields


def access_message(fields: dict[str, Any]) -> str:
    """`POST /graphql 200 12.3 ms operation=Viewer account=42 cost=15 sql=3`: the line as text mode shows it."""
    status = "-" if fields["status"] is None else fields["status"]
    words = [f"{fields['method']} {fields['path']} {status} {fields['duration_ms']} ms"]
    words += [f"{label}={fields[name]}" for name, label in (("operation", "operation"), ("account_id", "account"), ("cost", "cost"))
              if name in fields]
    words.append(f"sql={fields['sql_statements']}")
    return " ".join(words)


class AccessLog:
    """Times each HTTP request and writes its access line when it ends (also when the app raised)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: int | None = None

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        with counting() as statements:
            try:
                await self.app(scope, receive, send_noting_status)
            except Exception:
                # Starlette's outermost middleware answers 500 unless an answer had begun.
                status = status or 500
                raise
            finally:
                # No status: the client went away before an answer was sent.
                fields = access_fields(scope, status, (time.perf_counter() - started) * 1000, statements[0])
                log.info(access_message(fields), extra=fields)
