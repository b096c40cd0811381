"""Checks on /graphql that need only the request line and headers, made before authentication.

Method, declared body size and the CSRF preflight header cost nothing to check, so a forged or
oversized request is refused before it costs a credential lookup (and, for a bad credential, an
audit record). CORS preflights (OPTIONS) are answered further out by Starlette's CORSMiddleware
when an allowlist is configured; without one they get 405 here, which a browser reads as "no".
"""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.auth import wants_graphiql_page
from gateway.config import Settings
from gateway.csrf import check_preflight
from gateway.http_refusals import RequestRefused
from gateway.media_types import JSON, negotiate
from gateway.request_limits import check_content_length
from resolvers.errors import ErrorCode

ALLOWED_METHODS = ("GET", "POST")


class TransportGuard:
    def __init__(self, app: ASGIApp, settings: Settings, path: str) -> None:
        self.app = app
        self.settings = settings
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        try:
            self.check(conn)
        except RequestRefused as refusal:
            await refusal.response(negotiate(conn.headers.get("accept")) or JSON)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def check(self, conn: HTTPConnection) -> None:
        method = conn.scope["method"]
        if method not in ALLOWED_METHODS:
            raise RequestRefused(405, ErrorCode.METHOD_NOT_ALLOWED, f"{self.path} answers GET and POST only.",
                                 headers={"Allow": ", ".join(ALLOWED_METHODS)})
        check_content_length(conn.headers, self.settings.max_body_bytes)
        # The GraphiQL page executes nothing, so a browser may open it by its address.
        if self.settings.csrf_prevention and not wants_graphiql_page(conn):
            check_preflight(method, conn.headers, self.settings.csrf_preflight_header)
