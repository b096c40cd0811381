"""Count the SQL statements a request sends, at the database-client level, and trace them.

Tortoise has no statement hook, so the `execute_*` methods of the SQLite and asyncpg clients are
wrapped once. Counting is off unless a scope is open (a request, for its access line and the
header; a test; the benchmark), so the cost outside is two context-variable reads per statement.
Scopes nest: a statement counts in every scope open around it (a test's around a request's).

The same wrapper is where a traced request gets one span per statement: gateway/traces.py puts
what opens it in `statement_spans` for the request's duration; and where a request whose cached
principal is not yet confirmed current confirms it before its first statement, or has the statement
refused (resolvers/principal_confirmation.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.principal_confirmation import confirm_before_statement

# The open scopes' boxes, innermost last: one-element lists shared by reference, so tasks spawned
# during the request (gather, DataLoader dispatch) copy the context and still add to the same boxes.
_boxes: ContextVar[tuple[list[int], ...]] = ContextVar("sql_statement_boxes", default=())
_inside: ContextVar[bool] = ContextVar("sql_statement_inside", default=False)
# While a request is traced: opens the span of one statement, given the client and the statement's
# text (never its parameters). None when it is not traced.
StatementSpan = Callable[[Any, str], AbstractContextManager[Any]]
statement_spans: ContextVar[StatementSpan | None] = ContextVar("sql_statement_spans", default=None)
_METHODS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many", "execute_script")
_installed = False


def _wrap(method):
    @functools.wraps(method)
    async def counted(self, *args, **kwargs):
        await confirm_before_statement()  # PrincipalChanged: nothing runs under a principal no longer current
        boxes = _boxes.get()
        span = statement_spans.get()
        if (not boxes and span is None) or _inside.get():
            return await method(self, *args, **kwargs)
        # Only the outermost call counts: some clients implement one execute_* with another.
        for box in boxes:
            box[0] += 1
        token = _inside.set(True)
        try:
            if span is None:
                return await method(self, *args, **kwargs)
            # Every execute_* takes the statement's text first.
            with span(self, args[0] if args else kwargs.get("query", "")):
                return await method(self, *args, **kwargs)
        finally:
            _inside.reset(token)

    counted.__sql_counted__ = True
    return counted


def install() -> None:
    global _installed
    if _installed:
        return
    from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
    from tortoise.backends.base.client import TransactionContextPooled
    from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionContext, SqliteTransactionWrapper

    from gateway.sqlite_backend import GatewaySqliteClient

    # The gateway's SQLite client sends reads itself (on the loop thread), so it is counted too; the
    # nested call into Tortoise's own method is not counted twice (`_inside`).
    # Inherited methods too (asyncpg's `execute_script` is its base class's): every statement passes.
    for cls in (SqliteClient, GatewaySqliteClient, SqliteTransactionWrapper, AsyncpgDBClient, TransactionWrapper):
        for name in _METHODS:
            method = getattr(cls, name, None)
            if method is not None and not getattr(method, "__sql_counted__", False):
                setattr(cls, name, _wrap(method))
    # A transaction confirms before it begins: it holds SQLite's one connection (and its write lock)
    # or a pooled connection, and a statement beside it, holding the confirmation, would wait for it.
    for context in (SqliteTransactionContext, TransactionContextPooled):
        if not getattr(context.__aenter__, "__sql_counted__", False):
            context.__aenter__ = _confirming_first(context.__aenter__)  # type: ignore[method-assign]
    _installed = True


def _confirming_first(enter):
    @functools.wraps(enter)
    async def confirmed_then_entered(self):
        await confirm_before_statement()
        return await enter(self)

    confirmed_then_entered.__sql_counted__ = True
    return confirmed_then_entered


def installed() -> bool:
    return _installed


@contextmanager
def counting() -> Iterator[list[int]]:
    """Count the statements sent inside the block: `with counting() as n: ...; n[0]`."""
    install()
    box = [0]
    token = _boxes.set((*_boxes.get(), box))
    try:
        yield box
    finally:
        _boxes.reset(token)


class StatementCountHeader:
    """Adds `X-SQL-Statements` to every HTTP response (for the benchmark and debugging)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        install()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with counting() as box:
            async def send_with_count(message: Message) -> None:
                if message["type"] == "http.response.start":
                    MutableHeaders(scope=message)["X-SQL-Statements"] = str(box[0])
                await send(message)

            await self.app(scope, receive, send_with_count)
