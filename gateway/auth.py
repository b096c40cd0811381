"""Authentication: a bearer JWT or API key becomes a `Principal`, or the request gets 401."""

from __future__ import annotations

import logging

import hmac
from datetime import UTC, datetime

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.caller_facts import CallerFacts, caller_facts
from gateway.config import Settings
from gateway.rate_limits import answers as rate_limit_answers
from gateway.rate_limits.buckets import Verdict
from gateway.rate_limits.failed_authentication import refusal_after_failed_authentication
from gateway.tokens import TokenError, verify_token
from models.api_keys import ApiKey
from models.audit import AuditOutcome, AuditRecord
from models.members import Account, AccountKind, AccountStatus, PresetRole
from models.partners import PartnerIdentity
from resolvers.errors import ErrorCode
from resolvers.members.credentials import API_KEY_PREFIX, hash_secret
from resolvers.principal import Principal
from schema.permissions.effective import partner_member_permissions, personal_permissions, staff_permissions

# Paths anyone may reach: liveness, readiness, and the GraphiQL page's static files.
log = logging.getLogger("gateway.auth")
PUBLIC_PREFIXES = ("/healthz", "/readyz", "/graphiql-assets")


class AuthenticationFailed(Exception):
    pass


async def principal_for(account: Account, *, scopes: frozenset[str] | None = None, api_key_id: int | None = None) -> Principal:
    """The principal of any account, active or not (requests go through `authenticate`, which refuses
    inactive ones); for scripts and tests that act as an account."""
    facts = await caller_facts("id", account.id)
    if facts is None:
        raise AuthenticationFailed("The account does not exist.")
    return principal_from(facts, scopes=scopes, api_key_id=api_key_id)


def principal_from(facts: CallerFacts, *, scopes: frozenset[str] | None = None, api_key_id: int | None = None) -> Principal:
    """The caller as every layer sees it, from what one statement read (gateway/caller_facts.py)."""
    roles = facts.roles if facts.partner_id else ()
    identities = facts.identities
    managed = facts.managed_partner_ids if PartnerIdentity.DISTRIBUTOR in identities else frozenset()

    if facts.kind is AccountKind.STAFF:
        permissions = staff_permissions(facts.staff_role) if facts.staff_role else frozenset()
    elif facts.partner_id is None:
        permissions = personal_permissions()
    else:
        permissions = partner_member_permissions(
            identities,
            is_main_account=facts.kind is AccountKind.MAIN_ACCOUNT,
            presets=[r.preset for r in roles if r.preset is not None],
            custom_grants=[r.permissions for r in roles if r.preset is None],
        )
    if scopes is not None:
        permissions = permissions & scopes

    role_names = tuple(r.preset.value if r.preset else r.name for r in roles)
    customer_managers: frozenset[int] | None = None
    is_admin = facts.kind is AccountKind.MAIN_ACCOUNT or PresetRole.SYSTEM_ADMIN.value in role_names
    if not is_admin and PresetRole.ACCOUNT_MANAGER.value in role_names:
        customer_managers = frozenset({facts.account_id})
    elif not is_admin and PresetRole.ACCOUNT_MANAGER_SUPERVISOR.value in role_names:
        customer_managers = frozenset({facts.account_id, *facts.supervised_ids})

    return Principal(
        account_id=facts.account_id,
        account_name=facts.name,
        kind=facts.kind,
        partner_id=facts.partner_id,
        identities=identities,
        roles=role_names,
        staff_role=facts.staff_role,
        permissions=permissions,
        api_key_id=api_key_id,
        managed_partner_ids=managed,
        customer_manager_ids=customer_managers,
    )


def _active(facts: CallerFacts | None) -> CallerFacts:
    if facts is None or facts.status is not AccountStatus.ACTIVE:
        raise AuthenticationFailed("The account does not exist or is disabled.")
    return facts


async def authenticate(settings: Settings, authorization: str | None) -> Principal:
    if not authorization:
        raise AuthenticationFailed("Authentication required: send `Authorization: Bearer <token>`.")
    scheme, _, credential = authorization.partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        raise AuthenticationFailed("Use `Authorization: Bearer <token>`.")
    if credential.startswith(API_KEY_PREFIX):
        return await _authenticate_api_key(credential)
    try:
        account_name = verify_token(settings, credential)
    except TokenError as exc:
        raise AuthenticationFailed(str(exc)) from exc
    # One statement: the account (refused unless ACTIVE) with everything its principal needs.
    return principal_from(_active(await caller_facts("name", account_name)))


async def _authenticate_api_key(credential: str) -> Principal:
    # Format: pgk_<prefix>_<secret>; the prefix finds the row, the whole key is compared by hash.
    parts = credential.split("_", 2)
    if len(parts) != 3:
        raise AuthenticationFailed("The API key is not valid.")
    facts = await caller_facts("api_key", parts[1])
    key = facts.api_key if facts is not None else None
    if key is None or key.revoked or not hmac.compare_digest(key.secret_hash, hash_secret(credential)):
        raise AuthenticationFailed("The API key is not valid or was revoked.")
    _active(facts)
    await ApiKey.filter(id=key.id).update(last_used_at=datetime.now(UTC))
    return principal_from(facts, scopes=frozenset(key.scopes), api_key_id=key.id)


def unauthenticated_response(message: str) -> JSONResponse:
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": ErrorCode.UNAUTHENTICATED.value}}]}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})


def wants_graphiql_page(conn: HTTPConnection) -> bool:
    """A browser opening /graphql gets the GraphiQL page; the page itself carries no data."""
    return conn.scope.get("method") in ("GET", "HEAD") and "text/html" in conn.headers.get("accept", "") \
        and "query" not in conn.query_params


async def record_failed_authentication(conn: HTTPConnection, reason: str) -> None:
    """A failed sign-in is a security event: audited with no actor, never with the credential."""
    try:
        await AuditRecord.create(
            action="authenticate", outcome=AuditOutcome.DENIED, target=conn.scope.get("path", "")[:200],
            request_id=conn.scope.get("state", {}).get("request_id", ""),
            input={"reason": reason, "client": conn.client.host if conn.client else ""},
        )
    except Exception:  # noqa: BLE001 - an unavailable audit store must not turn a 401 into a 500
        log.exception("could not record a failed authentication")


class AuthenticationMiddleware:
    """Puts the caller's `Principal` in `scope["state"]["principal"]`, or answers 401."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"].startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        if scope["type"] == "http" and wants_graphiql_page(conn):
            await self.app(scope, receive, send)
            return
        try:
            principal = await authenticate(self.settings, conn.headers.get("authorization"))
        except AuthenticationFailed as exc:
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
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, throttled: Verdict, what: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4429})
        else:
            accept = HTTPConnection(scope).headers.get("accept")
            await rate_limit_answers.refusal_response(throttled, what, accept)(scope, receive, send)
