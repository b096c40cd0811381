"""Who the fuzzer calls as: one caller per kind of principal the gateway knows.

Each is asked from two schemas: its own view (the filtered introspection the gateway answers
it, so operations get past the permission check into the resolvers and services) and the
whole schema (so it also asks for what it may not use; those answers must be typed
FORBIDDEN / NOT_FOUND errors like any other).
"""

from __future__ import annotations

from typing import Any

import graphql
import httpx

from tests.live_server import LiveServer

DEMO_CALLERS = {
    "staff": "staff.operations",
    "distributor-main-account": "distributor.admin",
    "distributor-account-manager": "distributor.am",
    "personal-account": "person.alice",
    # Incentives: the partner that applies and invoices, and the staff that review and pay.
    "provider-main-account": "provider.admin",
    "finance-staff": "staff.finance",
    # The customer business: a customer's own account, and a reseller candidate's admin.
    "customer": "customer.acme",
    "reseller-candidate": "juniper.admin",
}
RESELLER_MEMBER = "reseller.fuzzam"
API_KEY_OWNER = "distributor.sysadmin"
API_KEY_SCOPES = ["PARTNER_ACCOUNT_VIEW", "COUPON_ISSUED_VIEW", "CUSTOMER_VIEW"]
CALLERS = [*DEMO_CALLERS, "reseller-member", "api-key"]

RESELLER_ROLES = "{ roles(first: 20) { nodes { id preset } } }"
ORG_MEMBER_CREATE = """
mutation ($input: OrgMemberCreateInput!) {
  orgMemberCreate(input: $input) { member { name } userErrors { code message } }
}
"""
API_KEY_CREATE = """
mutation ($input: ApiKeyCreateInput!) {
  apiKeyCreate(input: $input) { secret apiKey { scopes } userErrors { code message } }
}
"""


def _call(http: httpx.Client, credential: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    response = http.post("/graphql", json={"query": query, "variables": variables or {}},
                         headers={"Authorization": f"Bearer {credential}"})
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return body["data"]


def _reseller_member(server: LiveServer, http: httpx.Client) -> str:
    """A reseller's organisation member holding the ACCOUNT_MANAGER preset (the demo data has none)."""
    admin = server.token("reseller.admin")
    roles = _call(http, admin, RESELLER_ROLES)["roles"]["nodes"]
    role_id = next(role["id"] for role in roles if role["preset"] == "ACCOUNT_MANAGER")
    created = _call(http, admin, ORG_MEMBER_CREATE, {"input": {
        "name": RESELLER_MEMBER, "displayName": "Fuzz Account Manager", "email": "fuzz.am@example.com",
        "roleIds": [role_id],
    }})["orgMemberCreate"]
    assert created["member"] and not created["userErrors"], created
    return server.token(RESELLER_MEMBER)


def _api_key(server: LiveServer, http: httpx.Client) -> str:
    """A key narrowed to three read scopes, owned by an account the fuzzer never calls as
    (so no generated apiKeyRevoke or main-account transfer takes it away halfway)."""
    created = _call(http, server.token(API_KEY_OWNER), API_KEY_CREATE, {
        "input": {"name": "fuzz", "scopes": API_KEY_SCOPES},
    })["apiKeyCreate"]
    assert created["secret"] and not created["userErrors"], created
    assert sorted(created["apiKey"]["scopes"]) == sorted(API_KEY_SCOPES), created
    return created["secret"]


def credentials(server: LiveServer, http: httpx.Client) -> dict[str, str]:
    """The bearer credential of every caller, by caller name."""
    found = {caller: server.token(account) for caller, account in DEMO_CALLERS.items()}
    found["reseller-member"] = _reseller_member(server, http)
    found["api-key"] = _api_key(server, http)
    return found


def own_view(http: httpx.Client, credential: str) -> graphql.GraphQLSchema:
    """The schema as the gateway introspects it for this caller: only what it may use."""
    return graphql.build_client_schema(_call(http, credential, graphql.get_introspection_query()))
