"""Settings, read once from the environment (prefix ``GATEWAY_``) into one typed object.

Nothing else in the code base reads ``os.environ``, but for prometheus_client's own
``PROMETHEUS_MULTIPROC_DIR``, which `serve` sets for its workers (gateway/metrics/processes.py).
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    database_url: str = Field(
        default="sqlite://partner-gateway.db",
        description="sqlite://PATH (WAL mode) or postgres://user@host:port/db.",
    )
    database_pool_size: int = Field(default=10, ge=1, le=200)
    max_concurrent_operations: int = Field(default=8, ge=0, description="Operations one worker runs at once (0: no limit); the rest wait in arrival order.")
    compiled_reads: str = Field(
        default="on", pattern="^(on|off)$",
        description="on: queries the compiler covers run as one SQL statement built by the database; off: every "
                    "query runs on the standard executor (for comparison).")
    event_loop: str = Field(
        default="auto", pattern="^(auto|uvloop|asyncio)$",
        description="The workers' event loop. auto: asyncio's own on SQLite, whose reads run on the loop's thread "
                    "(uvloop left some answers waiting behind them: p99 2-3 times the median from 50 connections), "
                    "uvloop on PostgreSQL.")
    principal_cache_seconds: float = Field(
        default=60.0, ge=0,
        description="How long a worker keeps a caller's principal between requests (0: never). Changes still show on the next "
                    "request: every use is checked against the principal epoch; this bounds memory.")
    principal_cache_size: int = Field(default=10_000, ge=0, description="At most this many principals kept per worker.")
    jwt_secret: SecretStr | None = None
    jwt_algorithm: str = Field(default="HS256", pattern="^(HS256|RS256)$")
    jwt_public_key_file: Path | None = None
    jwt_private_key_file: Path | None = None
    jwt_issuer: str = "partner-gateway"
    jwt_audience: str = "partner-gateway"
    token_ttl_seconds: int = Field(default=8 * 3600, ge=60)
    dev_secret_file: Path | None = Field(
        default=None, description="Where the generated development secret is kept; beside the database by default."
    )
    introspection: str = Field(default="filtered", pattern="^(filtered|full|off)$", description="filtered: each caller sees only what it may use.")
    authz_mode: str = Field(default="null", pattern="^(null|reject)$", description="null: a denied field is null with an error; reject: the whole operation is refused.")
    sql_statement_header: bool = Field(default=False, description="Answer with X-SQL-Statements (statements per request).")
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = Field(
        default="text", description="text: one readable line per record, for people; json: one JSON object per line, for log collectors.")
    traces: Literal["off", "otlp", "console", "noop"] = Field(
        default="off",
        description="OpenTelemetry spans (gateway/traces.py). off: none, nothing set up; otlp: sent over OTLP/HTTP where the "
                    "standard OTEL_EXPORTER_OTLP_* variables say; console: printed to stdout; noop: recorded and dropped, "
                    "to measure what tracing costs.")

    # --- Operation limits (issue 6): on by default; production forces them on. -------------------
    limits_enabled: bool = Field(default=True, description="Depth, alias, token, directive, root-field and cost limits.")
    max_depth: int = Field(default=10, ge=1, description="Deepest selection, fragments expanded.")
    max_aliases: int = Field(default=15, ge=0, description="Aliased fields per operation.")
    max_tokens: int = Field(default=2000, ge=10, description="Lexical tokens per document.")
    max_directives: int = Field(default=50, ge=0, description="Directive uses per operation.")
    max_root_fields: int = Field(default=20, ge=1, description="Fields selected at the root of one operation.")
    max_validation_errors: int = Field(default=5, ge=1, description="Validation stops after this many errors.")
    cost_budget: int = Field(default=10_000, ge=1, description="Largest cost an operation may request.")
    suggestions: bool = Field(default=True, description="'Did you mean' hints, filtered to what the caller can see; off in production.")
    mask_errors: bool = Field(default=True, description="Unexpected exceptions answer INTERNAL_SERVER_ERROR; production forces it.")

    # --- Transport (issue 6) ---------------------------------------------------------------------
    csrf_prevention: bool = Field(default=True, description="GET and simple-content-type POSTs need the preflight header.")
    csrf_preflight_header: str = Field(default="GraphQL-Require-Preflight", description="Header that proves a CORS preflight happened.")
    cors_allow_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS; empty = closed.")
    graphiql: str | None = Field(default=None, pattern="^(on|off)$", description="on/off; unset = on in development, off in production.")
    max_body_bytes: int = Field(default=1_000_000, ge=1024, description="Largest request body.")
    max_json_depth: int = Field(default=32, ge=2, description="Deepest JSON nesting in a request body.")
    max_variables_bytes: int = Field(default=256_000, ge=64, description="Largest serialized `variables` object.")
    operation_timeout_seconds: float = Field(default=30.0, gt=0, description="Whole-operation deadline.")
    body_timeout_seconds: float = Field(default=10.0, gt=0, description="Deadline for receiving a request body (then 408).")
    database_timeout_seconds: float = Field(default=10.0, gt=0, description="Per-statement deadline in the database.")

    # --- Persisted and trusted documents (issue 16) --------------------------------------------
    documents: Literal["any", "trusted"] = Field(
        default="any",
        description="any: documents as text, or by SHA-256 once registered (automatic persisted queries); "
                    "trusted: only the manifest's documents run.")
    documents_manifest: Path | None = Field(
        default=None, description="JSON file of SHA-256 → document (or Apollo's persisted-query manifest); "
                                  "read and validated at start-up. Required by documents=trusted.")
    apq_cache_size: int = Field(default=2_000, ge=1, description="Automatically persisted documents kept per worker.")

    # --- Rate limits (issue 6): token buckets weighted by operation cost. ------------------------
    rate_limit_enabled: bool = Field(default=True, description="Cost-weighted token buckets per caller and per client IP.")
    rate_limit_capacity: int = Field(default=50_000, ge=1, description="Cost points a caller may spend in a burst.")
    rate_limit_refill_per_second: float = Field(default=500.0, gt=0, description="Cost points a caller regains per second.")
    ip_rate_limit_capacity: int = Field(default=100_000, ge=1, description="Cost points one client IP may spend in a burst.")
    ip_rate_limit_refill_per_second: float = Field(default=1_000.0, gt=0, description="Cost points one client IP regains per second.")
    failed_authentication_capacity: int = Field(default=1_000, ge=1, description="Failed authentications one client IP may make in a burst.")
    failed_authentication_refill_per_second: float = Field(default=10.0, gt=0, description="Failed authentications one client IP regains per second.")
    redis_url: str | None = Field(default=None, description="redis://host:port/db; shares rate-limit buckets between workers and hosts.")

    # --- Metrics (issue 16): off unless a way to scrape them is configured. -----------------------
    metrics_token: SecretStr | None = Field(
        default=None, description="Bearer token that scrapes /metrics (at least 32 characters; no partner credential does); "
                                  "unset: /metrics answers 404.")
    metrics_port: int | None = Field(
        default=None, ge=1, le=65535,
        description="serve: also expose the metrics on this port, served by the master process without a credential.")
    metrics_host: str = Field(default="127.0.0.1", description="The interface the metrics port listens on.")
    metrics_max_operation_names: int = Field(
        default=100, ge=0, description="Distinct operation names one process labels metrics with; later ones count as (other).")
    test_redis_url: str = "redis://127.0.0.1:6379/15"
    test_postgres_url: str = "postgres://postgres@127.0.0.1:5432/test"
    require_postgres: bool = False
    require_redis: bool = False

    # Settings production turned on although the environment asked for them off (for the posture report).
    _forced: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _trusted_documents_have_a_manifest(self) -> Settings:
        if self.documents == "trusted" and self.documents_manifest is None:
            raise ValueError("GATEWAY_DOCUMENTS=trusted needs GATEWAY_DOCUMENTS_MANIFEST: the JSON file of the documents "
                             "that may run (SHA-256 → document, or Apollo's persisted-query manifest).")
        return self

    @model_validator(mode="after")
    def _production_is_safe(self) -> Settings:
        """GATEWAY_ENV=production: the safe configuration, whatever else the environment says."""
        if not self.is_production:
            return self
        if self.metrics_token is not None and _looks_like_a_placeholder(self.metrics_token.get_secret_value()):
            raise ValueError("GATEWAY_METRICS_TOKEN looks like a default or example value; generate one "
                             "(python -c 'import secrets; print(secrets.token_urlsafe(48))').")
        if self.jwt_algorithm == "HS256":
            if self.jwt_secret is None:
                raise ValueError("GATEWAY_ENV=production needs GATEWAY_JWT_SECRET (at least 32 random characters).")
            if _looks_like_a_placeholder(self.jwt_secret.get_secret_value()):
                raise ValueError("GATEWAY_JWT_SECRET looks like a default or example value; generate one "
                                 "(python -c 'import secrets; print(secrets.token_urlsafe(48))').")
        forced = []
        for name, safe in PRODUCTION_FORCED.items():
            if getattr(self, name) != safe:
                object.__setattr__(self, name, safe)
                forced.append(name)
        self._forced = tuple(forced)
        return self

    @property
    def forced_by_production(self) -> tuple[str, ...]:
        return self._forced

    @field_validator("jwt_secret", "metrics_token")
    @classmethod
    def _secret_long_enough(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        # A short HS256 secret makes tokens forgeable; a short metrics token lets anyone read the
        # traffic's shape. Both are refused at start-up.
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError(f"GATEWAY_{str(info.field_name).upper()} must be at least 32 characters.")
        return value

    @model_validator(mode="after")
    def _metrics_token_is_its_own(self) -> Settings:
        # A scraper's configuration must not hold what signs every partner's tokens.
        if (self.metrics_token is not None and self.jwt_secret is not None
                and self.metrics_token.get_secret_value() == self.jwt_secret.get_secret_value()):
            raise ValueError("GATEWAY_METRICS_TOKEN must differ from GATEWAY_JWT_SECRET.")
        return self

    @property
    def metrics_enabled(self) -> bool:
        return self.metrics_token is not None or self.metrics_port is not None

    @property
    def graphiql_enabled(self) -> bool:
        if self.graphiql is not None:
            return self.graphiql == "on"
        return not self.is_production

    @property
    def loop_to_serve(self) -> str:
        """`event_loop`, with auto decided by the database (docs/architecture.md, "SQLite's reads")."""
        if self.event_loop != "auto":
            return self.event_loop
        return "asyncio" if self.database_url.startswith("sqlite://") else "uvloop"

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def sqlite_path(self) -> Path | None:
        if not self.database_url.startswith("sqlite://"):
            return None
        raw = self.database_url.removeprefix("sqlite://")
        return None if raw == ":memory:" else Path(raw)


# What GATEWAY_ENV=production turns on (or off) regardless of the other variables.
PRODUCTION_FORCED: dict[str, object] = {
    "limits_enabled": True,
    "mask_errors": True,
    "csrf_prevention": True,
    "suggestions": False,
    "sql_statement_header": False,
}
# Words of the usual example values; long enough that a random secret contains one by chance
# about once in a million.
_PLACEHOLDER_WORDS = ("change", "secret", "example", "default", "password", "placeholder")


def _looks_like_a_placeholder(secret: str) -> bool:
    lowered = secret.lower()
    # A generated secret has many distinct characters and no dictionary word of the usual examples.
    return len(set(secret)) < 12 or any(word in lowered for word in _PLACEHOLDER_WORDS)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
