"""The effective security posture, printed when the gateway starts, so an operator sees what is on."""

from __future__ import annotations

from gateway.config import Settings


def _on(value: bool) -> str:
    return "on" if value else "OFF"


def security_posture(settings: Settings) -> list[str]:
    forced = set(settings.forced_by_production)
    mark = lambda name: " (forced on by production)" if name in forced else ""  # noqa: E731
    jwt = (f"{settings.jwt_algorithm}, secret from GATEWAY_JWT_SECRET" if settings.jwt_secret is not None
           else f"{settings.jwt_algorithm}, development secret file" if settings.jwt_algorithm == "HS256"
           else f"{settings.jwt_algorithm}, key files")
    limits = (f"depth {settings.max_depth}, aliases {settings.max_aliases}, tokens {settings.max_tokens}, "
              f"directives {settings.max_directives}, root fields {settings.max_root_fields}, cost {settings.cost_budget}")
    rate = (f"{settings.rate_limit_capacity} points + {settings.rate_limit_refill_per_second:g}/s per caller, "
            f"{settings.ip_rate_limit_capacity} + {settings.ip_rate_limit_refill_per_second:g}/s per IP, "
            f"{settings.failed_authentication_capacity} + {settings.failed_authentication_refill_per_second:g}/s "
            "failed authentications per IP, "
            + ("shared in Redis" if settings.redis_url else "in-process (per worker)"))
    if settings.documents == "trusted":
        documents = f"trusted: only the documents of {settings.documents_manifest}"
    else:
        documents = (f"any text, or by hash once registered ({settings.apq_cache_size} per worker"
                     + (", shared in Redis)" if settings.redis_url else ")")
                     + (f"; prepared from {settings.documents_manifest}" if settings.documents_manifest else ""))
    return [
        f"environment: {settings.env.value}",
        f"tokens: {jwt}",
        f"operation limits: {_on(settings.limits_enabled)}{mark('limits_enabled')} ({limits})",
        f"error masking: {_on(settings.mask_errors)}{mark('mask_errors')}",
        f"CSRF prevention: {_on(settings.csrf_prevention)}{mark('csrf_prevention')} (header {settings.csrf_preflight_header})",
        f"CORS origins: {', '.join(settings.cors_allow_origins) or 'none (closed)'}",
        f"introspection: {settings.introspection}",
        f"suggestions: {_on(settings.suggestions)}{' (off in production)' if settings.is_production else ''}",
        f"GraphiQL: {_on(settings.graphiql_enabled)}",
        f"documents: {documents}",
        f"rate limits: {_on(settings.rate_limit_enabled)} ({rate})",
        f"request size: body {settings.max_body_bytes} bytes, JSON depth {settings.max_json_depth}, "
        f"variables {settings.max_variables_bytes} bytes",
        f"deadlines: request body {settings.body_timeout_seconds:g} s, operation {settings.operation_timeout_seconds:g} s, "
        f"database statement {settings.database_timeout_seconds:g} s",
        f"operations at once per worker: {settings.max_concurrent_operations or 'no limit'}",
        f"metrics: {_metrics(settings)}",
    ]


def _metrics(settings: Settings) -> str:
    if not settings.metrics_enabled:
        return "OFF (set GATEWAY_METRICS_TOKEN or GATEWAY_METRICS_PORT)"
    ways = []
    if settings.metrics_token is not None:
        ways.append("/metrics with GATEWAY_METRICS_TOKEN")
    if settings.metrics_port is not None:
        ways.append(f"port {settings.metrics_port} on {settings.metrics_host}, without a credential")
    return f"{'; '.join(ways)} ({settings.metrics_max_operation_names} operation names per worker)"
