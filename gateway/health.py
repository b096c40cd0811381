"""Liveness and readiness probes; no authentication."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.database import database_answers


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(_: Request) -> JSONResponse:
    if await database_answers():
        return JSONResponse({"status": "ready"})
    return JSONResponse({"status": "unavailable", "reason": "database does not answer"}, status_code=503)
