"""API keys: created with scopes within the creator's permissions, shown once, stored hashed, revocable."""

from __future__ import annotations

from models.api_keys import ApiKey
from resolvers.members.credentials import hash_secret
from tests.callers import Caller
from tests.factories import unique
from tests.members.documents import API_KEY_CREATE, API_KEY_REVOKE, API_KEYS, PERMISSIONS


async def create(caller: Caller, scopes=("COUPON_ISSUED_VIEW", "PARTNER_COMPANY_VIEW")) -> dict:
    return (await caller.query(API_KEY_CREATE, {"input": {"name": unique("tool"), "scopes": list(scopes)}})).ok()["apiKeyCreate"]


async def test_key_lifecycle(gql, as_distributor_admin):
    created = await create(as_distributor_admin)
    assert created["userErrors"] == []
    secret, key = created["secret"], created["apiKey"]
    assert secret.startswith(f"pgk_{key['prefix']}_")
    row = await ApiKey.get(prefix=key["prefix"])
    assert row.secret_hash == hash_secret(secret) and secret not in row.secret_hash

    as_key = {"Authorization": f"Bearer {secret}"}
    served = (await gql.raw("{ viewer { permissions partner { name coupons(first: 1) { totalCount } } } }", headers=as_key)).ok()
    assert served["viewer"]["permissions"] == ["COUPON_ISSUED_VIEW", "PARTNER_COMPANY_VIEW"]
    assert key["scopes"] == ["COUPON_ISSUED_VIEW", "PARTNER_COMPANY_VIEW"]
    assert served["viewer"]["partner"]["coupons"]["totalCount"] > 0
    # Everything outside the scopes is denied, although the account itself may do it.
    narrowed = await gql.raw("{ viewer { partner { balance { amount } } } }", headers=as_key)
    assert narrowed.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "account.balance.view"}

    listed = {k["prefix"]: k for k in (await as_distributor_admin.query(API_KEYS)).ok()["viewer"]["apiKeys"]}
    assert listed[key["prefix"]]["lastUsedAt"] is not None
    assert "secret" not in str(listed)

    revoked = (await as_distributor_admin.query(API_KEY_REVOKE, {"input": {"id": key["id"]}})).ok()["apiKeyRevoke"]
    assert revoked["userErrors"] == [] and revoked["apiKey"]["revokedAt"]
    after = await gql.raw(PERMISSIONS, headers=as_key)
    assert after.status == 401 and after.codes == ["UNAUTHENTICATED"]
    again = (await as_distributor_admin.query(API_KEY_REVOKE, {"input": {"id": key["id"]}})).ok()["apiKeyRevoke"]
    assert [e["code"] for e in again["userErrors"]] == ["INVALID_STATE"]


async def test_scopes_cannot_exceed_the_creators_permissions(as_distributor_admin, as_service_admin):
    refused = await create(as_service_admin, scopes=("SOLUTION_VIEW", "ACCOUNT_BALANCE_VIEW"))
    assert refused["apiKey"] is None and refused["secret"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_ALLOWED", ["scopes", "1"])]
    empty = await create(as_distributor_admin, scopes=())
    assert [e["code"] for e in empty["userErrors"]] == ["REQUIRED"]


async def test_an_api_key_cannot_create_keys_and_others_cannot_revoke_mine(gql, as_distributor_admin, as_system_admin):
    created = await create(as_distributor_admin, scopes=("PARTNER_CREDENTIALS_MANAGE",))
    as_key = {"Authorization": f"Bearer {created['secret']}"}
    nested = (await gql.raw(API_KEY_CREATE, {"input": {"name": "nested", "scopes": ["PARTNER_CREDENTIALS_MANAGE"]}}, headers=as_key)).ok()
    assert [e["code"] for e in nested["apiKeyCreate"]["userErrors"]] == ["NOT_ALLOWED"]
    foreign = (await as_system_admin.query(API_KEY_REVOKE, {"input": {"id": created["apiKey"]["id"]}})).ok()
    assert [e["code"] for e in foreign["apiKeyRevoke"]["userErrors"]] == ["NOT_FOUND"]
    assert (await ApiKey.get(prefix=created["apiKey"]["prefix"])).revoked_at is None


async def test_a_narrowed_key_asking_for_a_node_it_cannot_reach_is_told_which_permission_leads_there(gql, as_distributor_admin):
    # Found by a hostile client: it was told "You need the permission `undecided`".
    secret = (await create(as_distributor_admin, scopes=("PARTNER_COMPANY_VIEW",)))["secret"]
    entries = (await as_distributor_admin.query("{ viewer { partner { ledger(first: 1) { nodes { id } } } } }")).ok()
    entry_id = entries["viewer"]["partner"]["ledger"]["nodes"][0]["id"]
    refused = await gql.raw("query($id: ID!) { node(id: $id) { id } }", {"id": entry_id},
                            headers={"Authorization": f"Bearer {secret}"})
    assert refused.data == {"node": None}
    [error] = refused.errors
    # The ledger hangs off a connection whose nodes are public: the guard is on the way to it.
    assert error["extensions"] == {"code": "FORBIDDEN", "permission": "account.balance.view",
                                   "permissions": ["account.balance.view"]}
    assert error["message"] == "You need the permission `account.balance.view` to read a LedgerEntry."
