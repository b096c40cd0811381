"""GATEWAY_ENV=production: the safe configuration whatever else is set, a refusal for unsafe secrets,
and the effective posture printed at start."""

from __future__ import annotations

import subprocess

import pytest
from pydantic import ValidationError

from gateway.config import PRODUCTION_FORCED, Settings
from gateway.posture import security_posture
from tests.cli import cli_command, cli_env

STRONG = "q8ZpW2vN7kR4tY1uB6mC3xL9dF0gH5jA"


def test_production_turns_the_protections_on_whatever_the_environment_says():
    settings = Settings(env="production", jwt_secret=STRONG, limits_enabled=False, mask_errors=False,
                        csrf_prevention=False, suggestions=True, sql_statement_header=True)
    for name, safe in PRODUCTION_FORCED.items():
        assert getattr(settings, name) == safe, name
    assert set(settings.forced_by_production) == set(PRODUCTION_FORCED)
    assert settings.graphiql_enabled is False
    assert Settings(env="production", jwt_secret=STRONG, graphiql="on").graphiql_enabled is True
    assert Settings(env="production", jwt_secret=STRONG, introspection="off").introspection == "off"


def test_development_keeps_what_it_is_given():
    settings = Settings(limits_enabled=False, suggestions=True)
    assert settings.limits_enabled is False and settings.suggestions is True and settings.graphiql_enabled is True
    assert settings.forced_by_production == ()


@pytest.mark.parametrize("secret", [None, "short", "change-me-change-me-change-me-change-me",
                                    "my-super-secret-jwt-signing-key-2026-abc", "a" * 64])
def test_production_refuses_a_missing_short_or_default_secret(secret):
    with pytest.raises(ValidationError):
        Settings(env="production", jwt_secret=secret)


def test_rs256_needs_no_shared_secret():
    assert Settings(env="production", jwt_algorithm="RS256").is_production


def test_the_posture_names_every_protection():
    lines = "\n".join(security_posture(Settings(env="production", jwt_secret=STRONG, limits_enabled=False)))
    for expected in ("environment: production", "operation limits: on (forced on by production)", "error masking: on",
                     "CSRF prevention: on", "CORS origins: none (closed)", "introspection: filtered",
                     "suggestions: OFF", "GraphiQL: OFF", "rate limits: on", "deadlines:",
                     "operations at once per worker: 8"):
        assert expected in lines, expected


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**cli_env("sqlite://:memory:"), **env}
    return subprocess.run([*cli_command(), *args], env=environment, capture_output=True, text=True, timeout=60)


def test_serve_refuses_to_start_with_a_default_secret():
    result = run("serve", GATEWAY_ENV="production", GATEWAY_JWT_SECRET="change-me-change-me-change-me-change-me")
    assert result.returncode == 2
    assert "Refusing to start" in result.stderr and "default or example" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_the_demo_in_production():
    result = run("serve", "--demo", GATEWAY_ENV="production", GATEWAY_JWT_SECRET=STRONG)
    assert result.returncode != 0 and "development only" in result.stderr


def test_posture_command_prints_the_effective_settings():
    result = run("posture", GATEWAY_ENV="production", GATEWAY_JWT_SECRET=STRONG, GATEWAY_MASK_ERRORS="false")
    assert result.returncode == 0, result.stderr
    assert "error masking: on (forced on by production)" in result.stdout
