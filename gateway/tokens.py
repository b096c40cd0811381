"""Signed bearer tokens (JWT via PyJWT) and the development secret.

The algorithm is pinned: a token is verified only with the configured algorithm, so
`alg: none` and algorithm-confusion tokens are refused.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt

from gateway.config import Settings

DEV_SECRET_FILENAME = ".gateway-dev-secret"


class TokenError(Exception):
    """The token is missing, malformed, expired, or not ours."""


def dev_secret_path(settings: Settings) -> Path:
    if settings.dev_secret_file is not None:
        return settings.dev_secret_file
    db = settings.sqlite_path
    return (db.parent if db is not None else Path.cwd()) / DEV_SECRET_FILENAME


def _hs256_secret(settings: Settings) -> str:
    if settings.jwt_secret is not None:
        return settings.jwt_secret.get_secret_value()
    if settings.is_production:
        raise RuntimeError("GATEWAY_JWT_SECRET must be set in production.")
    # `serve` and `token` run as separate processes; a file beside the database lets them agree.
    path = dev_secret_path(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _signing_key(settings: Settings) -> str:
    if settings.jwt_algorithm == "RS256":
        if settings.jwt_private_key_file is None:
            raise RuntimeError("RS256 signing needs GATEWAY_JWT_PRIVATE_KEY_FILE.")
        return settings.jwt_private_key_file.read_text()
    return _hs256_secret(settings)


def _verification_key(settings: Settings) -> str:
    if settings.jwt_algorithm == "RS256":
        if settings.jwt_public_key_file is None:
            raise RuntimeError("RS256 verification needs GATEWAY_JWT_PUBLIC_KEY_FILE.")
        return settings.jwt_public_key_file.read_text()
    return _hs256_secret(settings)


def issue_token(settings: Settings, account_name: str, ttl_seconds: int | None = None) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": account_name,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(seconds=ttl_seconds or settings.token_ttl_seconds),
    }
    return jwt.encode(claims, _signing_key(settings), algorithm=settings.jwt_algorithm)


def verify_token(settings: Settings, token: str) -> str:
    """The account name the token was issued for."""
    return verify_token_claims(settings, token)[0]


def verify_token_claims(settings: Settings, token: str) -> tuple[str, float]:
    """The account name the token was issued for, and when it expires (a POSIX time)."""
    try:
        claims = jwt.decode(
            token,
            _verification_key(settings),
            algorithms=[settings.jwt_algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("The token has expired.") from exc
    except jwt.PyJWTError as exc:  # any key or format problem is the caller's bad token, never a 500
        raise TokenError("The token is not valid.") from exc
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise TokenError("The token names no account.")
    return subject, float(claims["exp"])
