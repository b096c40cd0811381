"""Role management: custom roles, presets immutable, assignment rules, each refusal a userError."""

from __future__ import annotations

from models.audit import AuditOutcome, AuditRecord
from models.members import Account, Role
from tests.factories import create_account, unique
from tests.graphql import gid

ROLE_CREATE = """mutation($input: RoleCreateInput!) { roleCreate(input: $input) {
    role { id name grants } userErrors { field message code } } }"""
ROLE_UPDATE = """mutation($input: RoleUpdateInput!) { roleUpdate(input: $input) {
    role { id name grants } userErrors { field message code } } }"""
ROLE_DELETE = """mutation($input: RoleDeleteInput!) { roleDelete(input: $input) { deletedRoleId userErrors { field code } } }"""
ASSIGN = """mutation($input: MemberRolesAssignInput!) { memberRolesAssign(input: $input) {
    member { id roles { name preset } } userErrors { field message code } } }"""
ROLES = "{ roles(first: 100) { nodes { id name preset } } }"


async def role_ids(gql, caller="distributor.admin") -> dict[str, str]:
    nodes = (await gql.as_(caller, ROLES)).ok()["roles"]["nodes"]
    return {n["preset"] or n["name"]: n["id"] for n in nodes}


async def test_create_update_and_delete_a_custom_role(gql):
    name = unique("Role")
    created = (await gql.as_("distributor.admin", ROLE_CREATE, {"input": {
        "name": name, "permissions": ["COUPON_ISSUED_VIEW", "CUSTOMER_VIEW"]}})).ok()["roleCreate"]
    assert created["userErrors"] == []
    assert created["role"]["grants"] == ["coupon.issued.view", "customer.view"]
    role_id = created["role"]["id"]
    assert await AuditRecord.filter(action="roleCreate", outcome=AuditOutcome.SUCCESS, target__contains="Role:").exists()

    updated = (await gql.as_("distributor.admin", ROLE_UPDATE, {"input": {"id": role_id, "permissions": ["TASK_SALES_VIEW"]}})).ok()
    assert updated["roleUpdate"]["role"]["grants"] == ["task.sales.view"]
    assert updated["roleUpdate"]["role"]["name"] == name

    deleted = (await gql.as_("distributor.admin", ROLE_DELETE, {"input": {"id": role_id}})).ok()["roleDelete"]
    assert deleted == {"deletedRoleId": role_id, "userErrors": []}
    assert not await Role.filter(name=name).exists()


async def test_custom_role_refuses_permissions_the_partner_cannot_assign(gql):
    name = unique("Role")
    # account.balance.view is a sales-group default, not assignable; org.member.manage is admin-only;
    # coupon.cash.issue belongs to government-subsidy partners.
    result = (await gql.as_("distributor.admin", ROLE_CREATE, {"input": {
        "name": name, "permissions": ["ACCOUNT_BALANCE_VIEW", "ORG_MEMBER_MANAGE", "COUPON_CASH_ISSUE", "COUPON_ISSUED_VIEW"]}})).ok()["roleCreate"]
    assert result["role"] is None
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        ("NOT_ALLOWED", ["permissions", "0"]), ("NOT_ALLOWED", ["permissions", "1"]), ("NOT_ALLOWED", ["permissions", "2"])]
    assert not await Role.filter(name=name).exists()
    assert await AuditRecord.filter(action="roleCreate", outcome=AuditOutcome.USER_ERROR).exists()


async def test_role_input_rules(gql):
    cases = [
        ({"name": "", "permissions": ["CUSTOMER_VIEW"]}, "REQUIRED"),
        ({"name": "x" * 101, "permissions": ["CUSTOMER_VIEW"]}, "TOO_LONG"),
        ({"name": unique("Role"), "permissions": []}, "REQUIRED"),
        ({"name": "Coupon desk", "permissions": ["CUSTOMER_VIEW"]}, "CONFLICT"),
    ]
    for role_input, code in cases:
        result = (await gql.as_("distributor.admin", ROLE_CREATE, {"input": role_input})).ok()["roleCreate"]
        assert result["role"] is None and [e["code"] for e in result["userErrors"]] == [code], role_input


async def test_presets_are_immutable_and_roles_with_members_cannot_be_deleted(gql):
    ids = await role_ids(gql)
    preset = (await gql.as_("distributor.admin", ROLE_UPDATE, {"input": {"id": ids["SYSTEM_ADMIN"], "name": "Boss"}})).ok()
    assert [e["code"] for e in preset["roleUpdate"]["userErrors"]] == ["NOT_ALLOWED"]
    in_use = (await gql.as_("distributor.admin", ROLE_DELETE, {"input": {"id": ids["Coupon desk"]}})).ok()
    assert [e["code"] for e in in_use["roleDelete"]["userErrors"]] == ["INVALID_STATE"]
    assert await Role.filter(name="Coupon desk").exists()


async def test_another_partners_role_is_not_found(gql):
    ids = await role_ids(gql)
    foreign = (await gql.as_("provider.admin", ROLE_DELETE, {"input": {"id": ids["Coupon desk"]}})).ok()
    assert [e["code"] for e in foreign["roleDelete"]["userErrors"]] == ["NOT_FOUND"]
    assert "Coupon desk" not in await role_ids(gql, "provider.admin")


async def test_assignment_rules(gql):
    from models.partners import Partner

    member = await create_account(await Partner.get(name="Northwind Distribution"))
    member_id = gid("Account", member.id)
    ids = await role_ids(gql)

    async def assign(*roles):
        return (await gql.as_("distributor.admin", ASSIGN, {"input": {"memberId": member_id, "roleIds": list(roles)}})).ok()["memberRolesAssign"]

    ok = await assign(ids["ACCOUNT_MANAGER"], ids["SA_SPECIALIST"])
    assert ok["userErrors"] == [] and {r["preset"] for r in ok["member"]["roles"]} == {"ACCOUNT_MANAGER", "SA_SPECIALIST"}
    for roles, code in [
        ((), "LIMIT_EXCEEDED"),
        ((ids["ACCOUNT_MANAGER"], ids["SA_SPECIALIST"], ids["FINANCE_SPECIALIST"], ids["Coupon desk"]), "LIMIT_EXCEEDED"),
        ((ids["SYSTEM_ADMIN"], ids["SA_SPECIALIST"]), "NOT_ALLOWED"),
        ((ids["ACCOUNT_MANAGER"], ids["ACCOUNT_MANAGER_SUPERVISOR"]), "NOT_ALLOWED"),
    ]:
        refused = await assign(*roles)
        assert refused["member"] is None and [e["code"] for e in refused["userErrors"]] == [code], roles
    # Every refusal left the earlier assignment in place.
    assert {r.preset for r in await (await Account.get(id=member.id)).roles.all()} == {"ACCOUNT_MANAGER", "SA_SPECIALIST"}
    assert (await assign(ids["SYSTEM_ADMIN"]))["userErrors"] == []
    # The new roles take effect on the member's next request.
    permissions = (await gql.as_(member.name, "{ viewer { permissions } }")).ok()["viewer"]["permissions"]
    assert "org.member.manage" in permissions


async def test_main_account_holds_no_roles(gql):
    ids = await role_ids(gql)
    main = (await gql.as_("distributor.admin", "{ viewer { account { id } } }")).ok()["viewer"]["account"]["id"]
    refused = (await gql.as_("distributor.admin", ASSIGN, {"input": {"memberId": main, "roleIds": [ids["SA_SPECIALIST"]]}})).ok()
    assert [e["code"] for e in refused["memberRolesAssign"]["userErrors"]] == ["NOT_ALLOWED"]


async def test_role_management_needs_org_role_manage(gql):
    before = await Role.all().count()
    response = await gql.as_("distributor.finance", ROLE_CREATE, {"input": {"name": unique("Role"), "permissions": ["CUSTOMER_VIEW"]}})
    assert response.data is None
    assert response.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "org.role.manage"}
    assert await Role.all().count() == before


async def test_mutation_selecting_a_forbidden_field_changes_nothing(gql):
    # The service partner's admin may manage roles but its identity never sees a balance.
    member = await create_account(await _service_partner())
    roles = await role_ids(gql, "service.admin")
    variables = {"input": {"memberId": gid("Account", member.id), "roleIds": [roles["SA_SPECIALIST"]]}}
    successes = AuditRecord.filter(action="memberRolesAssign", outcome=AuditOutcome.SUCCESS, target=f"Account:{member.id}")
    refused = await gql.as_("service.admin", """mutation($input: MemberRolesAssignInput!) { memberRolesAssign(input: $input) {
        member { partner { balance { amount } } } userErrors { code } } }""", variables)
    assert refused.data is None
    assert refused.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "account.balance.view"}
    assert await (await Account.get(id=member.id)).roles.all().count() == 0
    assert not await successes.exists()
    # Control: the same mutation without the forbidden field goes through.
    allowed = await gql.as_("service.admin", ASSIGN, variables)
    assert allowed.ok()["memberRolesAssign"]["userErrors"] == []
    assert await (await Account.get(id=member.id)).roles.all().count() == 1
    assert await successes.exists()


async def _service_partner():
    from models.partners import Partner

    async for partner in Partner.all():
        if partner.identities == ["SERVICE_PARTNER"]:
            return partner
    raise AssertionError("no service partner in the demo data")
