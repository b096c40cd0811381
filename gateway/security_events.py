"""Security events in the audit log: operation-limit and rate-limit refusals.

Each refusal of an operation for its size, depth or cost (`QUERY_TOO_COMPLEX`,
`OPERATION_LIMIT_EXCEEDED`) or for its rate (`RATE_LIMITED`) writes a DENIED audit record — at most one
per caller and reason per calendar minute, so a flood of refused requests cannot flood the table:
a worker remembers what it wrote this minute, and checks the table before writing, which other
workers share.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from tortoise.transactions import in_transaction

from gateway.context import HttpContext
from models.audit import AuditOutcome, AuditRecord
from resolvers.audit.services import write_audit
from resolvers.errors import ErrorCode
from resolvers.principal import Principal

ACTIONS = {
    ErrorCode.QUERY_TOO_COMPLEX.value: "operationLimit",
    ErrorCode.OPERATION_LIMIT_EXCEEDED.value: "operationLimit",
    ErrorCode.RATE_LIMITED.value: "rateLimit",
}
REMEMBERED = 10_000
LOCK_SPACE = 0x5345_4556  # "SEEV": the advisory locks of security events


class _Recorder:
    def __init__(self) -> None:
        self._written: dict[tuple[int, str, str], int] = {}

    def forget(self) -> None:
        self._written.clear()

    async def record(self, principal: Principal, action: str, reason: str, request_id: str) -> bool:
        """Write the event unless this caller's same event was written this minute; True if written."""
        minute = int(time.time() // 60)
        key = (principal.account_id, action, reason)
        if self._written.get(key) == minute:
            return False
        if len(self._written) >= REMEMBERED:
            self._written = {k: m for k, m in self._written.items() if m == minute}
        self._written[key] = minute
        since = datetime.fromtimestamp(minute * 60, UTC)
        try:
            # Workers take turns on the check and the write: SQLite's transactions hold the writer lock
            # from their start (gateway/sqlite_backend.py), PostgreSQL's take a lock on this caller and reason.
            async with in_transaction() as connection:
                if connection.capabilities.dialect == "postgres":
                    await connection.execute_query("SELECT pg_advisory_xact_lock($1, $2)",
                                                   [LOCK_SPACE, zlib.crc32(f"{principal.account_id}:{action}:{reason}".encode()) - 2**31])
                if await AuditRecord.filter(actor_id=principal.account_id, action=action, target=reason,
                                            created_at__gte=since).using_db(connection).exists():
                    return False
                await write_audit(principal, action=action, outcome=AuditOutcome.DENIED, request_id=request_id, target=reason)
        except BaseException:
            # Not written (a failed statement; a principal found changed, whose request is answered
            # again): the next attempt must write it, not find it remembered.
            self._written.pop(key, None)
            raise
        return True


recorder = _Recorder()


def _reason(error: GraphQLError) -> tuple[str, str] | None:
    code = (error.extensions or {}).get("code")
    action = ACTIONS.get(code) if isinstance(code, str) else None
    if action is None:
        return None
    detail = str((error.extensions or {}).get("limit") or "")
    return action, f"{code}:{detail}" if detail else str(code)


class SecurityEvents(SchemaExtension):
    """Around everything that may refuse an operation for its size or rate (keep it first)."""

    async def on_operation(self) -> AsyncIterator[None]:
        try:
            yield
        except GraphQLError as error:
            await self._record([error])
            raise
        result = self.execution_context.result
        if result is not None and result.errors:
            await self._record(result.errors)

    async def _record(self, errors: Iterable[Any]) -> None:
        context = self.execution_context.context
        if not isinstance(context, HttpContext):
            return
        for error in errors:
            if isinstance(error, GraphQLError) and (found := _reason(error)) is not None:
                await recorder.record(context.principal, *found, context.request_id)
