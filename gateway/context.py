"""The per-request GraphQL context: the schema's `GatewayContext` plus what only HTTP has."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from gateway.config import Settings
from gateway.rate_limits.limiter import RateLimiter
from schema.context import GatewayContext
from schema.limits.document import Limits
from schema.settings import SchemaSettings


@dataclass
class HttpContext(GatewayContext):
    request: Request | None = None
    # The sub-response whose status and headers strawberry copies to the answer (429, RateLimit-*).
    response: Response | None = None
    # None when rate limiting is off.
    rate_limiter: RateLimiter | None = None


def schema_settings(settings: Settings) -> SchemaSettings:
    """What the schema needs of an app's settings (built once per app, see gateway/app.py)."""
    return SchemaSettings(
        limits=Limits(max_depth=settings.max_depth, max_aliases=settings.max_aliases, max_tokens=settings.max_tokens,
                      max_directives=settings.max_directives, max_root_fields=settings.max_root_fields),
        limits_enabled=settings.limits_enabled,
        cost_budget=settings.cost_budget,
        max_validation_errors=settings.max_validation_errors,
        suggestions=settings.suggestions and not settings.is_production,
        mask_errors=settings.mask_errors,
        authz_mode=settings.authz_mode,  # type: ignore[arg-type]  # validated by its pattern
        introspection=settings.introspection,  # type: ignore[arg-type]
        compiled_reads=settings.compiled_reads == "on",
    )


def build_context(request: Request, response: Response | None = None) -> HttpContext | None:
    state = request.scope.get("state", {})
    if "principal" not in state:
        # Only the GraphiQL page passes the middleware unauthenticated, and it executes nothing.
        return None
    return HttpContext(
        principal=state["principal"],
        request_id=state.get("request_id", ""),
        settings=request.app.state.schema_settings,
        delivery=request.app.state.delivery,
        request=request,
        response=response,
        rate_limiter=request.app.state.rate_limiter,
        accepts_raw_json=True,
        span=request.app.state.span,
    )
