"""A request id for every request: echoed in `X-Request-ID`, attached to errors and logs."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Accept a caller's id only if it is short and plain, so it is safe to log and echo.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

# The id of the request this task serves, for log records (gateway/logs.py); tasks the request
# spawns (DataLoader batches, gather) copy it along with the rest of the context.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)
# The trace id of the request this task serves when it is traced (gateway/traces.py), for log records.
current_trace_id: ContextVar[str | None] = ContextVar("current_trace_id", default=None)


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        token = current_request_id.set(request_id)
        await self.app(scope, receive, send_with_id)
        # Reset only when the app returned: an exception propagates to the server, which logs it in
        # this same task (uvicorn's "Exception in ASGI application"), and that line keeps the id.
        # uvicorn runs each request in a task of its own, so the id never outlives the request there.
        current_request_id.reset(token)
