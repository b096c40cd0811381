"""Build the per-request GraphQL context from what the middleware established."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from schema.context import GatewayContext


def build_context(request: Request, response: Any = None) -> GatewayContext | None:
    state = request.scope.get("state", {})
    if "principal" not in state:
        # Only the GraphiQL page passes the middleware unauthenticated, and it executes nothing.
        return None
    return GatewayContext(
        principal=state["principal"],
        request_id=state.get("request_id", ""),
        request=request,
        authz_mode=request.app.state.settings.authz_mode,
        introspection=request.app.state.settings.introspection,
        dev_mode=not request.app.state.settings.is_production,
        settings=request.app.state.settings,
        response=response,
        rate_limiter=getattr(request.app.state, "rate_limiter", None),
    )
