"""Settings, read once from the environment (prefix ``GATEWAY_``) into one typed object.

Nothing else in the code base reads ``os.environ``.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
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
    test_postgres_url: str = "postgres://postgres@127.0.0.1:5432/test"
    require_postgres: bool = False

    @field_validator("jwt_secret")
    @classmethod
    def _secret_long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        # An empty or short HS256 secret makes tokens forgeable; refuse it at start-up.
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("GATEWAY_JWT_SECRET must be at least 32 characters.")
        return value

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def sqlite_path(self) -> Path | None:
        if not self.database_url.startswith("sqlite://"):
            return None
        raw = self.database_url.removeprefix("sqlite://")
        return None if raw == ":memory:" else Path(raw)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
