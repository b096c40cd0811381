"""Build the per-request GraphQL context from what the middleware established."""

from __future__ import annotations

from starlette.requests import Request

from schema.context import GatewayContext


def build_context(request: Request) -> GatewayContext:
    state = request.scope.get("state", {})
    return GatewayContext(principal=state["principal"], request_id=state.get("request_id", ""), request=request)
