"""Authentication at the door: bearer JWTs, API keys, public probes.

Every refusal is a 401 with `extensions.code == "UNAUTHENTICATED"` and no internals in the body.
The demo database is shared by the whole session: rows made here get unique names and demo
rows are never modified.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.auth import authenticate, hash_secret
from gateway.config import Settings
from gateway.tokens import TokenError, issue_token, verify_token
from models.api_keys import ApiKey
from models.members import Account, AccountKind, AccountStatus
from resolvers.permissions.catalog import Permission
from tests.conftest import TEST_SECRET
from tests.graphql import GraphQLClient, Response

VIEWER = "{ viewer { account { name } permissions } }"
INTERNAL_MARKERS = ("Traceback", 'File "', "site-packages", "jwt.exceptions", "tortoise.", "Exception")


# --- helpers -----------------------------------------------------------------------------


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _claims(settings: Settings, **overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": "distributor.admin",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + timedelta(hours=1)).timestamp()),
    }
    for key, value in overrides.items():
        if value is None:
            claims.pop(key, None)
        else:
            claims[key] = value
    return claims


def _manual_jwt(header: dict[str, Any], claims: dict[str, Any], key: bytes | None) -> str:
    """A JWT built by hand, so that no library refuses to sign what an attacker would send."""
    signing_input = f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}"
    signature = "" if key is None else _b64url(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())
    return f"{signing_input}.{signature}"


def _rsa_pems() -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_unauthenticated(response: Response) -> None:
    assert response.status == 401, (response.status, response.body)
    assert response.errors, response.body
    assert response.errors[0]["extensions"]["code"] == "UNAUTHENTICATED", response.body
    assert response.data is None
    text = json.dumps(response.body)
    for marker in INTERNAL_MARKERS:
        assert marker not in text, (marker, text)


async def _distributor_partner_id() -> int:
    admin = await Account.get(name="distributor.admin")
    assert admin.partner_id is not None
    return admin.partner_id


class Scratch:
    """Rows a test adds to the shared demo database, removed again when the test ends."""

    def __init__(self) -> None:
        self.account_ids: list[int] = []
        self.api_key_ids: list[int] = []

    async def member(self, prefix: str, status: AccountStatus) -> Account:
        account = await Account.create(
            name=f"{prefix}.{uuid.uuid4().hex[:12]}",
            display_name=f"Test member ({prefix})",
            kind=AccountKind.ORGANISATION_MEMBER,
            status=status,
            partner_id=await _distributor_partner_id(),
        )
        self.account_ids.append(account.id)
        return account

    async def api_key(self, account_name: str, scopes: list[str]) -> tuple[ApiKey, str]:
        prefix = secrets.token_hex(6)  # no "_" in a prefix: the key splits on it
        full_key = f"pgk_{prefix}_{secrets.token_urlsafe(24)}"
        account = await Account.get(name=account_name)
        key = await ApiKey.create(
            account=account, name=f"test key {prefix}", prefix=prefix, secret_hash=hash_secret(full_key), scopes=scopes
        )
        self.api_key_ids.append(key.id)
        return key, full_key

    async def clean(self) -> None:
        if self.api_key_ids:
            await ApiKey.filter(id__in=self.api_key_ids).delete()
        if self.account_ids:
            await ApiKey.filter(account_id__in=self.account_ids).delete()
            await Account.filter(id__in=self.account_ids).delete()


@pytest.fixture
async def scratch(gql: GraphQLClient) -> AsyncIterator[Scratch]:
    rows = Scratch()
    try:
        yield rows
    finally:
        await rows.clean()


# --- bearer JWTs ---------------------------------------------------------------------------

HeaderFactory = Callable[[Settings], dict[str, str]]

_REFUSED_HEADERS: dict[str, HeaderFactory] = {
    "no-header": lambda s: {},
    "empty-header": lambda s: {"Authorization": ""},
    "bearer-without-credential": lambda s: {"Authorization": "Bearer "},
    "basic-scheme": lambda s: {"Authorization": "Basic x"},
    "token-without-scheme": lambda s: {"Authorization": jwt.encode(_claims(s), TEST_SECRET, algorithm="HS256")},
    "garbage-token": lambda s: _bearer("this-is-not-a-jwt"),
    "garbage-three-parts": lambda s: _bearer("aaa.bbb.ccc"),
    "expired": lambda s: _bearer(
        jwt.encode(
            _claims(
                s,
                iat=int((datetime.now(UTC) - timedelta(hours=2)).timestamp()),
                nbf=int((datetime.now(UTC) - timedelta(hours=2)).timestamp()),
                exp=int((datetime.now(UTC) - timedelta(hours=1)).timestamp()),
            ),
            TEST_SECRET,
            algorithm="HS256",
        )
    ),
    "not-yet-valid": lambda s: _bearer(
        jwt.encode(_claims(s, nbf=int((datetime.now(UTC) + timedelta(hours=1)).timestamp())), TEST_SECRET, algorithm="HS256")
    ),
    "wrong-signature": lambda s: _bearer(
        jwt.encode(_claims(s), "another-secret-that-is-also-long-enough-0123456789", algorithm="HS256")
    ),
    "tampered-payload": lambda s: _bearer(
        _manual_jwt({"alg": "HS256", "typ": "JWT"}, _claims(s, sub="staff.finance"), None)
        + jwt.encode(_claims(s), TEST_SECRET, algorithm="HS256").rsplit(".", 1)[1]
    ),
    "wrong-audience": lambda s: _bearer(jwt.encode(_claims(s, aud="someone-else"), TEST_SECRET, algorithm="HS256")),
    "wrong-issuer": lambda s: _bearer(jwt.encode(_claims(s, iss="evil-issuer"), TEST_SECRET, algorithm="HS256")),
    "missing-exp": lambda s: _bearer(jwt.encode(_claims(s, exp=None), TEST_SECRET, algorithm="HS256")),
    "missing-sub": lambda s: _bearer(jwt.encode(_claims(s, sub=None), TEST_SECRET, algorithm="HS256")),
    "missing-aud": lambda s: _bearer(jwt.encode(_claims(s, aud=None), TEST_SECRET, algorithm="HS256")),
    "missing-iss": lambda s: _bearer(jwt.encode(_claims(s, iss=None), TEST_SECRET, algorithm="HS256")),
    "empty-sub": lambda s: _bearer(jwt.encode(_claims(s, sub=""), TEST_SECRET, algorithm="HS256")),
    "alg-none": lambda s: _bearer(_manual_jwt({"alg": "none", "typ": "JWT"}, _claims(s), None)),
    "alg-none-uppercase": lambda s: _bearer(_manual_jwt({"alg": "None", "typ": "JWT"}, _claims(s), None)),
    "hs256-empty-secret": lambda s: _bearer(_manual_jwt({"alg": "HS256", "typ": "JWT"}, _claims(s), b"")),
    "rs256-signed": lambda s: _bearer(jwt.encode(_claims(s), _rsa_pems()[0], algorithm="RS256")),
}


@pytest.mark.parametrize("case", list(_REFUSED_HEADERS))
async def test_bad_credentials_are_refused(gql: GraphQLClient, case: str) -> None:
    headers = _REFUSED_HEADERS[case](gql.settings)
    assert_unauthenticated(await gql.raw(VIEWER, headers=headers))


async def test_refusal_asks_for_a_bearer_token(gql: GraphQLClient) -> None:
    response = await gql.http.post("/graphql", json={"query": VIEWER})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_valid_token_for_an_unknown_account_is_refused(gql: GraphQLClient) -> None:
    token = issue_token(gql.settings, f"no.such.account.{uuid.uuid4().hex}")
    assert_unauthenticated(await gql.raw(VIEWER, headers=_bearer(token)))


async def test_valid_token_for_a_disabled_account_is_refused(gql: GraphQLClient, scratch: Scratch) -> None:
    account = await scratch.member("disabled", AccountStatus.DISABLED)
    assert_unauthenticated(await gql.as_(account.name, VIEWER))


async def test_same_account_active_is_let_in(gql: GraphQLClient, scratch: Scratch) -> None:
    # The control for the disabled case: only the status differs.
    account = await scratch.member("active", AccountStatus.ACTIVE)
    assert (await gql.as_(account.name, VIEWER)).ok()["viewer"]["account"]["name"] == account.name


async def test_valid_token_is_accepted(gql: GraphQLClient) -> None:
    response = await gql.as_("distributor.admin", VIEWER)
    assert response.status == 200
    data = response.ok()
    assert data["viewer"]["account"]["name"] == "distributor.admin"
    assert data["viewer"]["permissions"]


async def test_scheme_is_case_insensitive(gql: GraphQLClient) -> None:
    response = await gql.raw(VIEWER, headers={"Authorization": f"bearer {gql.token('distributor.admin')}"})
    assert response.ok()["viewer"]["account"]["name"] == "distributor.admin"


# --- public endpoints and request ids -------------------------------------------------------


async def test_healthz_needs_no_authentication(gql: GraphQLClient) -> None:
    response = await gql.http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_needs_no_authentication(gql: GraphQLClient) -> None:
    response = await gql.http.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ready"


async def test_public_prefix_is_not_a_loophole(gql: GraphQLClient) -> None:
    # `/healthz` is public, but `/graphql` behind a look-alike path is not reachable unauthenticated.
    response = await gql.http.post("/graphql?x=/healthz", json={"query": VIEWER})
    assert response.status_code == 401


@pytest.mark.parametrize("authenticated", [True, False])
async def test_every_response_carries_a_request_id(gql: GraphQLClient, authenticated: bool) -> None:
    headers = _bearer(gql.token("distributor.admin")) if authenticated else {}
    response = await gql.http.post("/graphql", json={"query": VIEWER}, headers=headers)
    assert response.status_code == (200 if authenticated else 401)
    assert response.headers.get("x-request-id")
    health = await gql.http.get("/healthz")
    assert health.headers.get("x-request-id")
    assert health.headers["x-request-id"] != response.headers["x-request-id"]


async def test_a_safe_caller_request_id_is_echoed_and_an_unsafe_one_replaced(gql: GraphQLClient) -> None:
    echoed = await gql.http.get("/healthz", headers={"X-Request-ID": "abc-123.def_4"})
    assert echoed.headers["x-request-id"] == "abc-123.def_4"
    replaced = await gql.http.get("/healthz", headers={"X-Request-ID": "bad id\twith<script>"})
    assert replaced.headers["x-request-id"] not in ("", "bad id\twith<script>")


# --- API keys --------------------------------------------------------------------------------

API_KEY_SCOPES = ["home.view", "partner.company.view", "partner.account.view"]


async def test_api_key_narrows_permissions_to_its_scopes(gql: GraphQLClient, scratch: Scratch) -> None:
    account_permissions = set((await gql.as_("distributor.admin", VIEWER)).ok()["viewer"]["permissions"])
    key, full_key = await scratch.api_key("distributor.admin", API_KEY_SCOPES)
    assert key.last_used_at is None

    response = await gql.raw(VIEWER, headers=_bearer(full_key))
    viewer = response.ok()["viewer"]
    assert viewer["account"]["name"] == "distributor.admin"
    # `permissions` answers Permission values (HOME_VIEW), the key stores codes (home.view).
    expected = account_permissions & {Permission(code).name for code in API_KEY_SCOPES}
    assert expected, "distributor.admin should hold at least one of the test scopes"
    assert sorted(viewer["permissions"]) == sorted(expected)

    reloaded = await ApiKey.get(id=key.id)
    assert reloaded.last_used_at is not None
    assert abs((datetime.now(UTC) - reloaded.last_used_at).total_seconds()) < 120


async def test_api_key_scope_cannot_add_permissions(gql: GraphQLClient, scratch: Scratch) -> None:
    # A scope the account does not hold is not granted by the key.
    _key, full_key = await scratch.api_key("distributor.admin", ["home.view", "platform.does.not.exist"])
    assert "platform.does.not.exist" not in (await authenticate(gql.settings, f"Bearer {full_key}")).permissions
    permissions = (await gql.raw(VIEWER, headers=_bearer(full_key))).ok()["viewer"]["permissions"]
    assert set(permissions) <= {"HOME_VIEW"}


async def test_revoked_api_key_is_refused(gql: GraphQLClient, scratch: Scratch) -> None:
    key, full_key = await scratch.api_key("distributor.admin", API_KEY_SCOPES)
    (await gql.raw(VIEWER, headers=_bearer(full_key))).ok()
    await ApiKey.filter(id=key.id).update(revoked_at=datetime.now(UTC))
    assert_unauthenticated(await gql.raw(VIEWER, headers=_bearer(full_key)))


async def test_api_key_of_a_disabled_account_is_refused(gql: GraphQLClient, scratch: Scratch) -> None:
    account = await scratch.member("disabled.key", AccountStatus.DISABLED)
    _, full_key = await scratch.api_key(account.name, API_KEY_SCOPES)
    assert_unauthenticated(await gql.raw(VIEWER, headers=_bearer(full_key)))


async def test_api_key_with_wrong_secret_is_refused(gql: GraphQLClient, scratch: Scratch) -> None:
    key, full_key = await scratch.api_key("distributor.admin", API_KEY_SCOPES)
    assert_unauthenticated(await gql.raw(VIEWER, headers=_bearer(f"pgk_{key.prefix}_{secrets.token_urlsafe(24)}")))
    assert_unauthenticated(await gql.raw(VIEWER, headers=_bearer(full_key + "x")))
    assert (await ApiKey.get(id=key.id)).last_used_at is None


@pytest.mark.parametrize(
    "credential",
    ["pgk_", "pgk_nosuchprefix", "pgk_nosuchprefix_secret", "pgk__", "pgk___"],
    ids=["bare-prefix", "two-parts", "unknown-prefix", "empty-parts", "underscores"],
)
async def test_unknown_api_key_is_refused(gql: GraphQLClient, credential: str) -> None:
    assert_unauthenticated(await gql.raw(VIEWER, headers=_bearer(credential)))


# --- RS256 mode (no database) ----------------------------------------------------------------


@pytest.fixture
def rs256_settings(tmp_path: Path) -> tuple[Settings, bytes]:
    private_pem, public_pem = _rsa_pems()
    (tmp_path / "private.pem").write_bytes(private_pem)
    (tmp_path / "public.pem").write_bytes(public_pem)
    settings = Settings(
        database_url="sqlite://:memory:",
        jwt_algorithm="RS256",
        jwt_public_key_file=tmp_path / "public.pem",
        jwt_private_key_file=tmp_path / "private.pem",
    )
    return settings, public_pem


def test_rs256_round_trip(rs256_settings: tuple[Settings, bytes]) -> None:
    settings, _ = rs256_settings
    token = issue_token(settings, "distributor.admin")
    assert jwt.get_unverified_header(token)["alg"] == "RS256"
    assert verify_token(settings, token) == "distributor.admin"


def test_rs256_refuses_algorithm_confusion(rs256_settings: tuple[Settings, bytes]) -> None:
    # The classic attack: an HS256 token keyed with the (public) RSA key's PEM.
    settings, public_pem = rs256_settings
    forged = _manual_jwt({"alg": "HS256", "typ": "JWT"}, _claims(settings), public_pem)
    with pytest.raises(TokenError):
        verify_token(settings, forged)


def test_rs256_refuses_alg_none_and_foreign_keys(rs256_settings: tuple[Settings, bytes]) -> None:
    settings, _ = rs256_settings
    with pytest.raises(TokenError):
        verify_token(settings, _manual_jwt({"alg": "none", "typ": "JWT"}, _claims(settings), None))
    other_private, _ = _rsa_pems()
    with pytest.raises(TokenError):
        verify_token(settings, jwt.encode(_claims(settings), other_private, algorithm="RS256"))


def test_hs256_verify_refuses_rs256_token(settings: Settings) -> None:
    private_pem, _ = _rsa_pems()
    with pytest.raises(TokenError):
        verify_token(settings, jwt.encode(_claims(settings), private_pem, algorithm="RS256"))


def test_hs256_round_trip_and_expiry(settings: Settings) -> None:
    assert verify_token(settings, issue_token(settings, "distributor.admin")) == "distributor.admin"
    expired = jwt.encode(
        _claims(settings, exp=int((datetime.now(UTC) - timedelta(minutes=5)).timestamp())), TEST_SECRET, algorithm="HS256"
    )
    with pytest.raises(TokenError, match="expired"):
        verify_token(settings, expired)


@pytest.mark.parametrize("secret", ["", "short", "x" * 31])
def test_empty_or_short_jwt_secret_is_refused_at_start_up(secret):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(jwt_secret=secret)
