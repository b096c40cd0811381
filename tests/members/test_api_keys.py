"""API keys: created with scopes within the creator's permissions, shown once, stored hashed, revocable."""

from __future__ import annotations

from models.api_keys import ApiKey
from resolvers.members.credentials import hash_secret
from tests.factories import unique

CREATE = """mutation($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) {
    secret apiKey { id name prefix scopes lastUsedAt revokedAt } userErrors { field code } } }"""
REVOKE = """mutation($input: ApiKeyRevokeInput!) { apiKeyRevoke(input: $input) { apiKey { id revokedAt } userErrors { code } } }"""
LIST = "{ viewer { apiKeys { id prefix scopes lastUsedAt revokedAt } } }"


async def create(gql, caller="distributor.admin", scopes=("COUPON_ISSUED_VIEW", "PARTNER_COMPANY_VIEW")):
    return (await gql.as_(caller, CREATE, {"input": {"name": unique("tool"), "scopes": list(scopes)}})).ok()["apiKeyCreate"]


async def test_key_lifecycle(gql):
    created = await create(gql)
    assert created["userErrors"] == []
    secret, key = created["secret"], created["apiKey"]
    assert secret.startswith(f"pgk_{key['prefix']}_")
    row = await ApiKey.get(prefix=key["prefix"])
    assert row.secret_hash == hash_secret(secret) and secret not in row.secret_hash

    as_key = {"Authorization": f"Bearer {secret}"}
    served = (await gql.raw("{ viewer { permissions partner { name coupons(first: 1) { totalCount } } } }", headers=as_key)).ok()
    assert served["viewer"]["permissions"] == ["coupon.issued.view", "partner.company.view"]
    assert served["viewer"]["partner"]["coupons"]["totalCount"] > 0
    # Everything outside the scopes is denied, although the account itself may do it.
    narrowed = await gql.raw("{ viewer { partner { balance { amount } } } }", headers=as_key)
    assert narrowed.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "account.balance.view"}

    listed = {k["prefix"]: k for k in (await gql.as_("distributor.admin", LIST)).ok()["viewer"]["apiKeys"]}
    assert listed[key["prefix"]]["lastUsedAt"] is not None
    assert "secret" not in str(listed)

    revoked = (await gql.as_("distributor.admin", REVOKE, {"input": {"id": key["id"]}})).ok()["apiKeyRevoke"]
    assert revoked["userErrors"] == [] and revoked["apiKey"]["revokedAt"]
    after = await gql.raw("{ viewer { permissions } }", headers=as_key)
    assert after.status == 401 and after.codes == ["UNAUTHENTICATED"]
    again = (await gql.as_("distributor.admin", REVOKE, {"input": {"id": key["id"]}})).ok()["apiKeyRevoke"]
    assert [e["code"] for e in again["userErrors"]] == ["INVALID_STATE"]


async def test_scopes_cannot_exceed_the_creators_permissions(gql):
    refused = await create(gql, "service.admin", scopes=("SOLUTION_VIEW", "ACCOUNT_BALANCE_VIEW"))
    assert refused["apiKey"] is None and refused["secret"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("NOT_ALLOWED", ["scopes", "1"])]
    empty = await create(gql, scopes=())
    assert [e["code"] for e in empty["userErrors"]] == ["REQUIRED"]


async def test_an_api_key_cannot_create_keys_and_others_cannot_revoke_mine(gql):
    created = await create(gql, scopes=("PARTNER_CREDENTIALS_MANAGE",))
    as_key = {"Authorization": f"Bearer {created['secret']}"}
    nested = (await gql.raw(CREATE, {"input": {"name": "nested", "scopes": ["PARTNER_CREDENTIALS_MANAGE"]}}, headers=as_key)).ok()
    assert [e["code"] for e in nested["apiKeyCreate"]["userErrors"]] == ["NOT_ALLOWED"]
    foreign = (await gql.as_("distributor.sysadmin", REVOKE, {"input": {"id": created["apiKey"]["id"]}})).ok()
    assert [e["code"] for e in foreign["apiKeyRevoke"]["userErrors"]] == ["NOT_FOUND"]
    assert (await ApiKey.get(prefix=created["apiKey"]["prefix"])).revoked_at is None


async def test_a_narrowed_key_asking_for_a_node_it_cannot_reach_is_told_which_permission_leads_there(gql):
    # Found by a hostile client: it was told "You need the permission `undecided`".
    secret = (await create(gql, scopes=("PARTNER_COMPANY_VIEW",)))["secret"]
    entries = (await gql.as_("distributor.admin", "{ viewer { partner { ledger(first: 1) { nodes { id } } } } }")).ok()
    entry_id = entries["viewer"]["partner"]["ledger"]["nodes"][0]["id"]
    refused = await gql.raw("query($id: ID!) { node(id: $id) { id } }", {"id": entry_id},
                            headers={"Authorization": f"Bearer {secret}"})
    assert refused.data == {"node": None}
    [error] = refused.errors
    # The ledger hangs off a connection whose nodes are public: the guard is on the way to it.
    assert error["extensions"] == {"code": "FORBIDDEN", "permission": "account.balance.view",
                                   "permissions": ["account.balance.view"]}
    assert error["message"] == "You need the permission `account.balance.view` to read a LedgerEntry."
