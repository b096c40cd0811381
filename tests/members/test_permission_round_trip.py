"""Permissions read back as the enum the inputs take: what `viewer.permissions`, `ApiKey.scopes` and
`Role.grants` answer can be sent to `apiKeyCreate` and `roleCreate` unchanged."""

from __future__ import annotations

from resolvers.permissions.catalog import Permission
from tests.callers import Caller, mutate
from tests.factories import NORTHWIND, create_role, unique
from tests.graphql import gid
from tests.members.documents import API_KEYS, PERMISSIONS

ASSIGNABLE = "{ permissionCatalog { permission assignableByYou } }"
ROLE = "query($id: ID!) { node(id: $id) { ... on Role { grants } } }"
PRESET_GRANTS = "{ roles(first: 100) { nodes { preset grants } } }"


def by_code(names: list[str]) -> list[str]:
    """Enum names in the order of their codes, as the three fields list them."""
    return sorted(names, key=lambda name: Permission[name].value)


async def test_permissions_read_back_are_sent_back_unchanged(gql, as_distributor_admin: Caller):
    held = (await as_distributor_admin.query(PERMISSIONS)).ok()["viewer"]["permissions"]
    assert held == by_code(held) and set(held) <= Permission.__members__.keys()
    catalog = (await as_distributor_admin.query(ASSIGNABLE)).ok()["permissionCatalog"]
    assignable = {p["permission"] for p in catalog if p["assignableByYou"]}
    # Of the admin's permissions, those a custom role may hold too: a proper, non-empty subset.
    subset = [name for name in held if name in assignable]
    assert subset and len(subset) < len(held)

    created = (await mutate(as_distributor_admin, "apiKeyCreate", {"name": unique("round trip"), "scopes": subset},
                            select="secret apiKey { id scopes } userErrors { field code }")).ok()
    assert created["userErrors"] == [] and created["apiKey"]["scopes"] == subset
    listed = {k["id"]: k["scopes"] for k in (await as_distributor_admin.query(API_KEYS)).ok()["viewer"]["apiKeys"]}
    scopes = listed[created["apiKey"]["id"]]
    assert scopes == subset
    # The key itself holds exactly its scopes, listed the same way.
    as_key = await gql.raw(PERMISSIONS, headers={"Authorization": f"Bearer {created['secret']}"})
    assert as_key.ok()["viewer"]["permissions"] == subset

    role = (await mutate(as_distributor_admin, "roleCreate", {"name": unique("Round trip"), "permissions": scopes},
                         select="role { id grants } userErrors { field code }")).ok()
    assert role["userErrors"] == [] and role["role"]["grants"] == subset
    read = (await as_distributor_admin.query(ROLE, {"id": role["role"]["id"]})).ok()["node"]["grants"]
    assert read == subset

    assert (await mutate(as_distributor_admin, "apiKeyRevoke", {"id": created["apiKey"]["id"]})).codes == []
    assert (await mutate(as_distributor_admin, "roleDelete", {"id": role["role"]["id"]})).codes == []


async def test_preset_grants_are_enum_values_and_system_admin_lists_everything_a_partner_role_can_hold(as_distributor_admin):
    presets = {n["preset"]: n["grants"] for n in (await as_distributor_admin.query(PRESET_GRANTS)).ok()["roles"]["nodes"]
               if n["preset"]}
    assert presets["FINANCE_SPECIALIST"] == by_code(presets["FINANCE_SPECIALIST"])
    assert "INCENTIVE_VIEW" in presets["FINANCE_SPECIALIST"]
    everything = presets.pop("SYSTEM_ADMIN")
    assert everything == by_code(everything)
    assert all(set(grants) <= set(everything) for grants in presets.values())
    # Admin-only permissions included; staff's and personal accounts' not.
    assert "ORG_MEMBER_MANAGE" in everything
    assert "COUPON_QUOTA_GRANT" not in everything and "INVITATION_RESPOND" not in everything


async def test_a_stored_code_the_catalog_no_longer_has_is_left_out(as_distributor_admin):
    role = await create_role(NORTHWIND, permissions=["customer.view", "retired.permission"])
    grants = (await as_distributor_admin.query(ROLE, {"id": gid("Role", role.id)})).ok()["node"]["grants"]
    assert grants == ["CUSTOMER_VIEW"]
    await role.delete()
