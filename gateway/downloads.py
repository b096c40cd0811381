"""PDF downloads beside /graphql (invoicing lists, certificates): one way to serve them.

The same authentication as /graphql (the middleware put the caller's principal in the scope), the
permission the matching GraphQL field needs, and the same scoped read: another partner's object is
404, exactly like a missing one. A download costs rate-limit points like an operation; a refusal for
want of a permission is audited; rendering runs in a worker thread so it never blocks the event loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from gateway.auth import unauthenticated_response
from gateway.http_refusals import RequestRefused
from gateway.rate_limits.answers import headers as rate_limit_headers
from gateway.rate_limits.answers import refusal_response
from gateway.rate_limits.limiter import client_ip
from models.audit import AuditOutcome
from resolvers.audit.services import write_audit
from resolvers.errors import ErrorCode
from resolvers.principal import Principal
from schema.global_ids import WrongGlobalId, expect, parse

SUFFIX = ".pdf"
# What a download costs in rate-limit points: a large page of an operation's worth.
COST = 100


@dataclass(frozen=True)
class Download:
    """`GET <prefix>/<global ID of node_type>.pdf`."""

    prefix: str
    node_type: str
    action: str  # the audit action of a refusal
    what: str  # "invoicing lists", for messages
    readers: Sequence[str]  # any one of these permissions
    load: Callable[[Principal, int], Awaitable[Any]]  # the object as the caller may read it; None: 404
    render: Callable[[Any], bytes]
    filename: Callable[[Any], str]
    # Why this caller may not have this object although it may read it (403), or None.
    refuse: Callable[[Principal, Any], str | None] = lambda principal, data: None

    @property
    def path(self) -> str:
        return f"{self.prefix}/{{file:path}}"

    async def handle(self, request: Request) -> Response:
        """The endpoint (a method, so Starlette calls it with the request)."""
        principal: Principal | None = request.scope.get("state", {}).get("principal")
        if principal is None:
            return unauthenticated_response("Authentication required: send `Authorization: Bearer <token>`.")
        limiter = request.app.state.rate_limiter
        limits: dict[str, str] = {}
        if limiter is not None:
            verdict = await limiter.charge_operation(principal, client_ip(request), COST)
            if not verdict.allowed:
                return refusal_response(verdict, "this download", request.headers.get("accept"))
            limits = rate_limit_headers(verdict)  # as /graphql answers them
        if not any(principal.has(permission) for permission in self.readers):
            needed = " or ".join(f"`{permission}`" for permission in self.readers)
            return await self._denied(request, principal, f"You need the permission {needed} to download {self.what}.",
                                      limits)
        data = await self._lookup(principal, request.path_params["file"])
        if data is None:
            return self._refused(404, ErrorCode.NOT_FOUND, f"No such {self.what.removesuffix('s')}.", limits)
        if (reason := self.refuse(principal, data)) is not None:
            return await self._denied(request, principal, reason, limits)
        pdf = await run_in_threadpool(self.render, data)
        return Response(pdf, media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="{self.filename(data)}"',
            "Cache-Control": "private, no-store",
            **limits,
        })

    async def _lookup(self, principal: Principal, file: str) -> Any:
        global_id = parse(file.removesuffix(SUFFIX)) if file.endswith(SUFFIX) else None
        if global_id is None:
            return None
        try:
            return await self.load(principal, expect(global_id, self.node_type))
        except WrongGlobalId:
            return None

    async def _denied(self, request: Request, principal: Principal, message: str, limits: dict[str, str]) -> Response:
        await write_audit(principal, action=self.action, outcome=AuditOutcome.DENIED,
                          request_id=request.scope.get("state", {}).get("request_id", ""), target=request.url.path,
                          input={"permissions": [str(permission) for permission in self.readers]})
        return self._refused(403, ErrorCode.FORBIDDEN, message, limits)

    @staticmethod
    def _refused(status: int, code: ErrorCode, message: str, limits: dict[str, str]) -> Response:
        refused = RequestRefused(status, code, message).response("application/json")
        refused.headers.update(limits)
        return refused
