"""Authentication: a bearer JWT or API key becomes a `Principal`, or the request gets 401."""

from __future__ import annotations

import contextlib
import hmac
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway import sql_metrics
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
from resolvers.principal_confirmation import PrincipalChanged, UnconfirmedPrincipal, unconfirmed
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
    principal, _ = await _authenticate(settings, authorization, cache, defer=False)
    return principal


async def authenticate_deferring(settings: Settings, authorization: str | None,
                                 cache: PrincipalCache) -> tuple[Principal, UnconfirmedPrincipal | None]:
    """As `authenticate`, but a principal the cache holds comes back at once, with no statement, and
    unconfirmed: the request confirms it at its first statement (resolvers/principal_confirmation.py).
    Only where the statement seam is in place: it is what holds every statement back until then."""
    return await _authenticate(settings, authorization, cache, defer=sql_metrics.installed())


async def _authenticate(settings: Settings, authorization: str | None, cache: PrincipalCache | None,
                        *, defer: bool) -> tuple[Principal, UnconfirmedPrincipal | None]:
    if not authorization:
        raise AuthenticationFailed("Authentication required: send `Authorization: Bearer <token>`.")
    scheme, _, credential = authorization.partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        raise AuthenticationFailed("Use `Authorization: Bearer <token>`.")
    if credential.startswith(API_KEY_PREFIX):
        return await _authenticate_api_key(credential, cache, defer=defer)
    cache_key, cached = _cached(cache, credential)
    if cached is not None and cached.credential_valid():
        account_name, expires = cached.principal.account_name, cached.credential_expires
        if defer:
            return cached.principal, UnconfirmedPrincipal("name", account_name, cached.epoch)
    else:
        cached = None
        try:
            account_name, expires = verify_token_claims(settings, credential)
        except TokenError as exc:
            raise AuthenticationFailed(str(exc)) from exc
    # One statement: the account (refused unless ACTIVE) with everything its principal needs.
    read = await read_caller("name", account_name, cached.epoch if cached else None)
    if cached is not None and read.unchanged:
        return cached.principal, None
    _forget(cache, cache_key, cached)
    principal = principal_from(_active(read.facts))
    if cache is not None:
        cache.put(cache_key, read.epoch, principal, expires)
    return principal, None


async def _authenticate_api_key(credential: str, cache: PrincipalCache | None,
                                *, defer: bool) -> tuple[Principal, UnconfirmedPrincipal | None]:
    # Format: pgk_<prefix>_<secret>; the prefix finds the row, the whole key is compared by hash.
    parts = credential.split("_", 2)
    if len(parts) != 3:
        raise AuthenticationFailed("The API key is not valid.")
    # Cached under the whole key: an entry exists only for a key whose hash matched.
    cache_key, cached = _cached(cache, credential)
    use_due: bool | None = None  # asked once: asking marks the use as written
    if cached is not None and cache is not None and defer:
        assert cached.principal.api_key_id is not None
        waiting = UnconfirmedPrincipal("api_key", parts[1], cached.epoch)
        use_due = cache.key_use_due(cached.principal.api_key_id)
        if not use_due:
            return cached.principal, waiting
        # The use is a write: the statement seam confirms the principal before sending it.
        token = unconfirmed.set(waiting)
        try:
            await _note_key_use(cached.principal.api_key_id)
            return cached.principal, None
        except PrincipalChanged:
            pass  # read afresh below, as without a cache entry
        finally:
            unconfirmed.reset(token)
    read = await read_caller("api_key", parts[1], cached.epoch if cached else None)
    if cached is not None and read.unchanged:
        principal = cached.principal
    else:
        _forget(cache, cache_key, cached)
        facts = read.facts
        key = facts.api_key if facts is not None else None
        if key is None or key.revoked or not hmac.compare_digest(key.secret_hash, hash_secret(credential)):
            raise AuthenticationFailed("The API key is not valid or was revoked.")
        principal = principal_from(_active(facts), scopes=frozenset(key.scopes), api_key_id=key.id)
        if cache is not None:
            cache.put(cache_key, read.epoch, principal)
    assert principal.api_key_id is not None
    if use_due is None:
        use_due = cache is None or cache.key_use_due(principal.api_key_id)
    if use_due:
        await _note_key_use(principal.api_key_id)
    return principal, None


def _forget(cache: PrincipalCache | None, key: bytes, cached: CachedPrincipal | None) -> None:
    """A cached principal found out of date leaves the cache at once: if its credential is now
    refused, no later request may start under it (and be answered twice)."""
    if cache is not None and cached is not None:
        cache.discard(key)


async def _note_key_use(api_key_id: int) -> None:
    await ApiKey.filter(id=api_key_id).update(last_used_at=datetime.now(UTC))


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
        # Over HTTP a cached principal is confirmed inside the request's first statement; a
        # websocket's messages come long after its handshake, so it is confirmed now.
        found = await self._principal(conn, receive, send, authorization, defer=scope["type"] == "http")
        if found is None:
            return
        principal, waiting = found
        state = scope.setdefault("state", {})
        before = dict(state)
        state["principal"] = principal
        if waiting is None:
            await self.app(scope, receive, send)
            return
        replay = await self._answer_unconfirmed(scope, receive, send, waiting)
        if replay is None:
            return
        # The principal changed under the request: nothing of its answer left and nothing was
        # written. It is answered again from the start, with the principal read afresh; what the
        # first run noted (its principal, operation, cost) goes with it.
        state.clear()
        state.update(before)
        found = await self._principal(conn, replay, send, authorization, defer=False)
        if found is not None:
            state["principal"] = found[0]
            await self.app(scope, replay, send)

    async def _principal(self, conn: HTTPConnection, receive: Receive, send: Send, authorization: str | None,
                         *, defer: bool) -> tuple[Principal, UnconfirmedPrincipal | None] | None:
        """The caller, or None when the request was answered (401, 429, 504)."""
        scope = conn.scope
        try:
            with self.span("authenticate"):
                if defer:
                    return await authenticate_deferring(self.settings, authorization, self.principals)
                return await authenticate(self.settings, authorization, self.principals), None
        except AuthenticationFailed as exc:
            families.AUTHENTICATION_FAILURES.labels(credential_kind(authorization)).inc()
            # Only failures spend the address's failure budget; once it is empty they are answered
            # 429 and no longer audited one by one (a flood must not fill the audit trail).
            if throttled := await refusal_after_failed_authentication(conn):
                await self._refuse(scope, receive, send, throttled, "another failed authentication")
                return None
            await record_failed_authentication(conn, str(exc))
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 4401})
            else:
                await unauthenticated_response(str(exc))(scope, receive, send)
            return None
        except Exception as exc:
            if not statement_timed_out(exc):
                raise
            await self._answer_timed_out(scope, receive, send, exc)
            return None

    @staticmethod
    async def _answer_timed_out(scope: Scope, receive: Receive, send: Send, exc: BaseException) -> None:
        # The principal's statement ran past the database's deadline: the server's trouble, typed.
        request_id = scope.get("state", {}).get("request_id")
        log.error("the database did not answer authentication in time (request %s)", request_id, exc_info=exc)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1011})
        else:
            await database_timeout_response(request_id)(scope, receive, send)

    async def _answer_unconfirmed(self, scope: Scope, receive: Receive, send: Send,
                                  waiting: UnconfirmedPrincipal) -> Receive | None:
        """Run the request under a principal not yet confirmed current. Its answer leaves only once it
        is: confirmed by a statement on the way, or else before the answer's first byte. None when
        answered; when the principal changed, what replays the request's body for a second run."""
        received: list[Message] = []
        started = False

        async def recording_receive() -> Message:
            message = await receive()
            received.append(message)
            return message

        async def confirming_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start" and waiting.pending:
                with contextlib.suppress(PrincipalChanged):  # seen as `waiting.changed`
                    await waiting.confirm()
            if waiting.changed:
                return  # nothing of an answer made under a principal no longer current leaves
            started = True
            await send(message)

        token = unconfirmed.set(waiting)
        try:
            await self.app(scope, recording_receive, confirming_send)
        except Exception as exc:
            if not waiting.changed:
                if started or not statement_timed_out(exc):
                    raise
                await self._answer_timed_out(scope, receive, send, exc)
                return None
        finally:
            unconfirmed.reset(token)
        if not waiting.changed:
            return None
        replayed = iter(received)

        async def replay() -> Message:
            return next(replayed, None) or await receive()

        return replay

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, throttled: Verdict, what: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4429})
        else:
            accept = HTTPConnection(scope).headers.get("accept")
            await rate_limit_answers.refusal_response(throttled, what, accept)(scope, receive, send)
