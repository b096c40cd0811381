"""Authentication: a bearer JWT or API key becomes a `Principal`, or the request gets 401."""

from __future__ import annotations

import hmac
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.config import Settings
from gateway.metrics import families
from gateway.principal_cache import CachedPrincipal, PrincipalCache
from gateway.rate_limits import answers as rate_limit_answers
from gateway.rate_limits.buckets import Verdict
from gateway.rate_limits.failed_authentication import refusal_after_failed_authentication
from gateway.tokens import TokenError, verify_token_claims
from models.api_keys import ApiKey
from models.audit import AuditOutcome, AuditRecord
from models.members import AccountStatus
from resolvers.caller_facts import CallerFacts, read_caller
from resolvers.errors import ErrorCode
from resolvers.members.credentials import API_KEY_PREFIX, hash_secret
from resolvers.principal import Principal, principal_from
from schema.context import no_span
from schema.errors import statement_timed_out

if TYPE_CHECKING:
    from gateway.traces import Tracing

# Paths anyone may reach: liveness, readiness, and the GraphiQL page's static files.
log = logging.getLogger("gateway.auth")
PUBLIC_PREFIXES = ("/healthz", "/readyz", "/graphiql-assets")


class AuthenticationFailed(Exception):
    pass


def _active(facts: CallerFacts | None) -> CallerFacts:
    if facts is None or facts.status is not AccountStatus.ACTIVE:
        raise AuthenticationFailed("The account does not exist or is disabled.")
    return facts


def _cached(cache: PrincipalCache | None, credential: str) -> tuple[bytes, CachedPrincipal | None]:
    """The credential's cache key and what the cache holds for it (nothing without a cache)."""
    if cache is None:
        return b"", None
    key = PrincipalCache.key(credential)
    return key, cache.get(key)


async def authenticate(settings: Settings, authorization: str | None, cache: PrincipalCache | None = None) -> Principal:
    """The caller, in one statement; with a `cache`, a principal seen before is checked against the
    principal epoch in that statement instead of being rebuilt."""
    if not authorization:
        raise AuthenticationFailed("Authentication required: send `Authorization: Bearer <token>`.")
    scheme, _, credential = authorization.partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        raise AuthenticationFailed("Use `Authorization: Bearer <token>`.")
    if credential.startswith(API_KEY_PREFIX):
        return await _authenticate_api_key(credential, cache)
    cache_key, cached = _cached(cache, credential)
    if cached is not None and cached.credential_valid():
        account_name, expires = cached.principal.account_name, cached.credential_expires
    else:
        cached = None
        try:
            account_name, expires = verify_token_claims(settings, credential)
        except TokenError as exc:
            raise AuthenticationFailed(str(exc)) from exc
    # One statement: the account (refused unless ACTIVE) with everything its principal needs.
    read = await read_caller("name", account_name, cached.epoch if cached else None)
    if cached is not None and read.unchanged:
        return cached.principal
    principal = principal_from(_active(read.facts))
    if cache is not None:
        cache.put(cache_key, read.epoch, principal, expires)
    return principal


async def _authenticate_api_key(credential: str, cache: PrincipalCache | None) -> Principal:
    # Format: pgk_<prefix>_<secret>; the prefix finds the row, the whole key is compared by hash.
    parts = credential.split("_", 2)
    if len(parts) != 3:
        raise AuthenticationFailed("The API key is not valid.")
    # Cached under the whole key: an entry exists only for a key whose hash matched.
    cache_key, cached = _cached(cache, credential)
    read = await read_caller("api_key", parts[1], cached.epoch if cached else None)
    if cached is not None and read.unchanged:
        principal = cached.principal
    else:
        facts = read.facts
        key = facts.api_key if facts is not None else None
        if key is None or key.revoked or not hmac.compare_digest(key.secret_hash, hash_secret(credential)):
            raise AuthenticationFailed("The API key is not valid or was revoked.")
        principal = principal_from(_active(facts), scopes=frozenset(key.scopes), api_key_id=key.id)
        if cache is not None:
            cache.put(cache_key, read.epoch, principal)
    assert principal.api_key_id is not None
    if cache is None or cache.key_use_due(principal.api_key_id):
        await ApiKey.filter(id=principal.api_key_id).update(last_used_at=datetime.now(UTC))
    return principal


def credential_kind(authorization: str | None) -> str:
    """What a refused request presented, as the metrics label it: never the credential itself."""
    scheme, _, credential = (authorization or "").partition(" ")
    if not authorization:
        return "none"
    if scheme.lower() != "bearer" or not credential.strip():
        return "malformed"
    return "api_key" if credential.strip().startswith(API_KEY_PREFIX) else "token"


def database_timeout_response(request_id: str | None) -> JSONResponse:
    body = {"data": None, "errors": [{"message": "The database did not answer in time.",
                                      "extensions": {"code": ErrorCode.TIMEOUT.value, "requestId": request_id}}]}
    return JSONResponse(body, status_code=504)


def unauthenticated_response(message: str) -> JSONResponse:
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": ErrorCode.UNAUTHENTICATED.value}}]}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})


def wants_graphiql_page(conn: HTTPConnection) -> bool:
    """A browser opening /graphql gets the GraphiQL page; the page itself carries no data."""
    # A GET naming a persisted query by its hash alone (`extensions`) is an operation, not the page.
    return conn.scope.get("method") in ("GET", "HEAD") and "text/html" in conn.headers.get("accept", "") \
        and "query" not in conn.query_params and "extensions" not in conn.query_params


async def record_failed_authentication(conn: HTTPConnection, reason: str) -> None:
    """A failed sign-in is a security event: audited with no actor, never with the credential."""
    try:
        await AuditRecord.create(
            action="authenticate", outcome=AuditOutcome.DENIED, target=conn.scope.get("path", "")[:200],
            request_id=conn.scope.get("state", {}).get("request_id", ""),
            input={"reason": reason, "client": conn.client.host if conn.client else ""},
        )
    except Exception:
        log.exception("could not record a failed authentication")


class AuthenticationMiddleware:
    """Puts the caller's `Principal` in `scope["state"]["principal"]`, or answers 401."""

    def __init__(self, app: ASGIApp, settings: Settings, graphiql_path: str = "/graphql",
                 own_credentials: tuple[str, ...] = (), tracing: Tracing | None = None) -> None:
        self.app = app
        self.settings = settings
        # A traced request's authentication is a span of its own (its one statement under it).
        self.span = tracing.span if tracing is not None else no_span
        self.principals = PrincipalCache(settings.principal_cache_seconds, settings.principal_cache_size)
        # Only there does a browser's page request pass unauthenticated (the page carries no data).
        self.graphiql_path = graphiql_path
        # Paths that check a credential of their own (/metrics) and must never take a partner's.
        self.own_credentials = own_credentials

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] not in ("http", "websocket") or scope["path"].startswith(PUBLIC_PREFIXES)
                or scope["path"] in self.own_credentials):
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        if scope["type"] == "http" and scope["path"] == self.graphiql_path and wants_graphiql_page(conn):
            await self.app(scope, receive, send)
            return
        authorization = conn.headers.get("authorization")
        try:
            with self.span("authenticate"):
                principal = await authenticate(self.settings, authorization, self.principals)
        except AuthenticationFailed as exc:
            families.AUTHENTICATION_FAILURES.labels(credential_kind(authorization)).inc()
            # Only failures spend the address's failure budget; once it is empty they are answered
            # 429 and no longer audited one by one (a flood must not fill the audit trail).
            if throttled := await refusal_after_failed_authentication(conn):
                await self._refuse(scope, receive, send, throttled, "another failed authentication")
                return
            await record_failed_authentication(conn, str(exc))
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 4401})
            else:
                await unauthenticated_response(str(exc))(scope, receive, send)
            return
        except Exception as exc:
            if not statement_timed_out(exc):
                raise
            # The principal's statement ran past the database's deadline: the server's trouble, typed.
            request_id = scope.get("state", {}).get("request_id")
            log.error("the database did not answer authentication in time (request %s)", request_id, exc_info=exc)
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1011})
            else:
                await database_timeout_response(request_id)(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, throttled: Verdict, what: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4429})
        else:
            accept = HTTPConnection(scope).headers.get("accept")
            await rate_limit_answers.refusal_response(throttled, what, accept)(scope, receive, send)
