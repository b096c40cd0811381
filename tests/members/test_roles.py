"""Role management: custom roles, presets immutable, assignment rules, each refusal a userError."""

from __future__ import annotations

from models.audit import AuditOutcome, AuditRecord
from models.members import Account, Role
from tests.callers import Caller
from tests.factories import NORTHWIND, create_account, unique
from tests.graphql import gid
from tests.members.documents import PERMISSIONS, ROLE_CREATE, ROLE_DELETE, ROLE_UPDATE, ROLES, ROLES_ASSIGN


async def role_ids(caller: Caller) -> dict[str, str]:
    """Role IDs the caller sees, by preset or, for custom roles, by name."""
    nodes = (await caller.query(ROLES)).ok()["roles"]["nodes"]
    return {n["preset"] or n["name"]: n["id"] for n in nodes}


async def test_create_update_and_delete_a_custom_role(as_distributor_admin):
    name = unique("Role")
    created = (await as_distributor_admin.query(ROLE_CREATE, {"input": {
        "name": name, "permissions": ["COUPON_ISSUED_VIEW", "CUSTOMER_VIEW"]}})).ok()["roleCreate"]
    assert created["userErrors"] == []
    assert created["role"]["grants"] == ["COUPON_ISSUED_VIEW", "CUSTOMER_VIEW"]
    role_id = created["role"]["id"]
    assert await AuditRecord.filter(action="roleCreate", outcome=AuditOutcome.SUCCESS, target__contains="Role:").exists()

    updated = (await as_distributor_admin.query(ROLE_UPDATE, {"input": {"id": role_id, "permissions": ["TASK_SALES_VIEW"]}})).ok()
    assert updated["roleUpdate"]["role"]["grants"] == ["TASK_SALES_VIEW"]
    assert updated["roleUpdate"]["role"]["name"] == name

    deleted = (await as_distributor_admin.query(ROLE_DELETE, {"input": {"id": role_id}})).ok()["roleDelete"]
    assert deleted == {"deletedRoleId": role_id, "userErrors": []}
    assert not await Role.filter(name=name).exists()


async def test_custom_role_refuses_permissions_the_partner_cannot_assign(as_distributor_admin):
    name = unique("Role")
    # account.balance.view is a sales-group default, not assignable; org.member.manage is admin-only;
    # coupon.cash.issue belongs to government-subsidy partners.
    result = (await as_distributor_admin.query(ROLE_CREATE, {"input": {
        "name": name, "permissions": ["ACCOUNT_BALANCE_VIEW", "ORG_MEMBER_MANAGE", "COUPON_CASH_ISSUE", "COUPON_ISSUED_VIEW"]}})).ok()["roleCreate"]
    assert result["role"] is None
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        ("NOT_ALLOWED", ["permissions", "0"]), ("NOT_ALLOWED", ["permissions", "1"]), ("NOT_ALLOWED", ["permissions", "2"])]
    assert not await Role.filter(name=name).exists()
    assert await AuditRecord.filter(action="roleCreate", outcome=AuditOutcome.USER_ERROR).exists()


async def test_role_input_rules(as_distributor_admin):
    cases = [
        ({"name": "", "permissions": ["CUSTOMER_VIEW"]}, "REQUIRED"),
        ({"name": "x" * 101, "permissions": ["CUSTOMER_VIEW"]}, "TOO_LONG"),
        ({"name": unique("Role"), "permissions": []}, "REQUIRED"),
        ({"name": "Coupon desk", "permissions": ["CUSTOMER_VIEW"]}, "CONFLICT"),
    ]
    for role_input, code in cases:
        result = (await as_distributor_admin.query(ROLE_CREATE, {"input": role_input})).ok()["roleCreate"]
        assert result["role"] is None and [e["code"] for e in result["userErrors"]] == [code], role_input


async def test_presets_are_immutable_and_roles_with_members_cannot_be_deleted(as_distributor_admin):
    ids = await role_ids(as_distributor_admin)
    preset = (await as_distributor_admin.query(ROLE_UPDATE, {"input": {"id": ids["SYSTEM_ADMIN"], "name": "Boss"}})).ok()
    assert [e["code"] for e in preset["roleUpdate"]["userErrors"]] == ["NOT_ALLOWED"]
    in_use = (await as_distributor_admin.query(ROLE_DELETE, {"input": {"id": ids["Coupon desk"]}})).ok()
    assert [e["code"] for e in in_use["roleDelete"]["userErrors"]] == ["INVALID_STATE"]
    assert await Role.filter(name="Coupon desk").exists()


async def test_another_partners_role_is_not_found(as_distributor_admin, as_provider_admin):
    ids = await role_ids(as_distributor_admin)
    foreign = (await as_provider_admin.query(ROLE_DELETE, {"input": {"id": ids["Coupon desk"]}})).ok()
    assert [e["code"] for e in foreign["roleDelete"]["userErrors"]] == ["NOT_FOUND"]
    assert "Coupon desk" not in await role_ids(as_provider_admin)


async def test_assignment_rules(gql, as_distributor_admin):
    member = await create_account(NORTHWIND)
    member_id = gid("Account", member.id)
    ids = await role_ids(as_distributor_admin)

    async def assign(*roles):
        return (await as_distributor_admin.query(ROLES_ASSIGN, {"input": {"memberId": member_id, "roleIds": list(roles)}})).ok()["memberRolesAssign"]

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
    permissions = (await gql.as_(member.name, PERMISSIONS)).ok()["viewer"]["permissions"]
    assert "ORG_MEMBER_MANAGE" in permissions


async def test_main_account_holds_no_roles(as_distributor_admin):
    ids = await role_ids(as_distributor_admin)
    main = (await as_distributor_admin.query("{ viewer { account { id } } }")).ok()["viewer"]["account"]["id"]
    refused = (await as_distributor_admin.query(ROLES_ASSIGN, {"input": {"memberId": main, "roleIds": [ids["SA_SPECIALIST"]]}})).ok()
    assert [e["code"] for e in refused["memberRolesAssign"]["userErrors"]] == ["NOT_ALLOWED"]


async def test_role_management_needs_org_role_manage(as_finance_specialist):
    before = await Role.all().count()
    response = await as_finance_specialist.query(ROLE_CREATE, {"input": {"name": unique("Role"), "permissions": ["CUSTOMER_VIEW"]}})
    assert response.data is None
    assert response.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "org.role.manage"}
    assert await Role.all().count() == before


async def test_mutation_selecting_a_forbidden_field_changes_nothing(as_service_admin):
    # The service partner's admin may manage roles but its identity never sees a balance.
    member = await create_account(await _service_partner())
    roles = await role_ids(as_service_admin)
    variables = {"input": {"memberId": gid("Account", member.id), "roleIds": [roles["SA_SPECIALIST"]]}}
    successes = AuditRecord.filter(action="memberRolesAssign", outcome=AuditOutcome.SUCCESS, target=f"Account:{member.id}")
    refused = await as_service_admin.query("""mutation($input: MemberRolesAssignInput!) { memberRolesAssign(input: $input) {
        member { partner { balance { amount } } } userErrors { code } } }""", variables)
    assert refused.data is None
    assert refused.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "account.balance.view"}
    assert await (await Account.get(id=member.id)).roles.all().count() == 0
    assert not await successes.exists()
    # Control: the same mutation without the forbidden field goes through.
    allowed = await as_service_admin.query(ROLES_ASSIGN, variables)
    assert allowed.ok()["memberRolesAssign"]["userErrors"] == []
    assert await (await Account.get(id=member.id)).roles.all().count() == 1
    assert await successes.exists()


async def _service_partner():
    from models.partners import Partner

    async for partner in Partner.all():
        if partner.identities == ["SERVICE_PARTNER"]:
            return partner
    raise AssertionError("no service partner in the demo data")
