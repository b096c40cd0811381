"""A deadline for the whole operation: past it, the caller gets a typed TIMEOUT, not a hung socket.

The database has its own, shorter deadline per statement (gateway.database), so a slow query fails
inside the operation and its transaction rolls back; this one bounds everything else together.
"""

from __future__ import annotations

import asyncio
import logging

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.errors import ErrorCode

log = logging.getLogger("gateway.timeouts")


class OperationTimeout:
    def __init__(self, app: ASGIApp, *, seconds: float, paths: tuple[str, ...] = ("/graphql",)) -> None:
        self.app, self.seconds, self.paths = app, seconds, paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            async with asyncio.timeout(self.seconds):
                await self.app(scope, receive, tracking_send)
        except TimeoutError:
            request_id = scope.get("state", {}).get("request_id")
            log.error("operation exceeded %.1f s (request %s)", self.seconds, request_id)
            if started:
                return  # the answer is already on its way; nothing better can be sent
            body = orjson.dumps({"errors": [{
                "message": f"The operation did not finish within {self.seconds:g} seconds.",
                "extensions": {"code": ErrorCode.TIMEOUT.value, "requestId": request_id},
            }]})
            await send({"type": "http.response.start", "status": 504,
                        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
