"""Organisation members (组织成员): create with roles, update, disable and enable."""

from __future__ import annotations

from models.audit import AuditOutcome, AuditRecord
from models.members import Account, AccountKind, AccountStatus, PresetRole, Role
from tests.factories import create_main_account, create_member, create_partner, unique
from tests.graphql import gid, user_error_codes
from tests.invitations.documents import (
    ORG_MEMBER_CREATE,
    ORG_MEMBER_DISABLE,
    ORG_MEMBER_ENABLE,
    ORG_MEMBER_UPDATE,
    PERMISSIONS,
)


async def preset_ids(*presets: PresetRole) -> list[str]:
    return [gid("Role", (await Role.get(preset=p)).id) for p in presets]


def new_member(**overrides) -> dict:
    fields = {"name": unique("org").replace(".", "-"), "displayName": "Li Na", "email": "li.na@lattice.example.com"}
    fields.update(overrides)
    return fields


async def test_create_a_member_with_roles(gql):
    partner = await create_partner()
    main = await create_main_account(partner)
    member_input = new_member(mobile="+86 138 1234 5678", roleIds=await preset_ids(PresetRole.SA_SPECIALIST, PresetRole.FINANCE_SPECIALIST))
    created = (await gql.as_(main.name, ORG_MEMBER_CREATE, {"input": member_input})).ok()["orgMemberCreate"]
    assert created["userErrors"] == []
    member = created["member"]
    assert (member["name"], member["kind"], member["status"], member["mobile"]) == (
        member_input["name"], "ORGANISATION_MEMBER", "ACTIVE", "+8613812345678")
    assert {r["preset"] for r in member["roles"]} == {"SA_SPECIALIST", "FINANCE_SPECIALIST"}
    row = await Account.get(name=member_input["name"])
    assert row.partner_id == partner.id
    assert await AuditRecord.filter(action="orgMemberCreate", outcome=AuditOutcome.SUCCESS, target=f"Account:{row.id}").exists()
    # The new member signs in with its roles' permissions.
    permissions = (await gql.as_(row.name, PERMISSIONS)).ok()["viewer"]["permissions"]
    assert "SOLUTION_MANAGE" in permissions and "ORG_MEMBER_MANAGE" not in permissions


async def test_create_refusals_leave_no_account(gql):
    main = await create_main_account(await create_partner())
    sa, admin = await preset_ids(PresetRole.SA_SPECIALIST, PresetRole.SYSTEM_ADMIN)
    cases = [
        (new_member(name="Upper.Case", roleIds=[sa]), ["INVALID"]),
        (new_member(name="ab", roleIds=[sa]), ["INVALID"]),
        (new_member(name="x" * 101, roleIds=[sa]), ["TOO_LONG"]),
        (new_member(name="distributor.admin", roleIds=[sa]), ["CONFLICT"]),
        (new_member(displayName=" ", email="not-an-address", roleIds=[sa]), ["REQUIRED", "INVALID"]),
        (new_member(mobile="12", roleIds=[sa]), ["INVALID"]),
        (new_member(roleIds=[]), ["LIMIT_EXCEEDED"]),
        (new_member(roleIds=[admin, sa]), ["NOT_ALLOWED"]),
        (new_member(roleIds=[gid("Account", main.id)]), ["NOT_FOUND"]),
    ]
    for member_input, expected in cases:
        refused = (await gql.as_(main.name, ORG_MEMBER_CREATE, {"input": member_input})).ok()["orgMemberCreate"]
        assert refused["member"] is None and user_error_codes(refused) == expected, member_input
        if member_input["name"] != "distributor.admin" and len(member_input["name"]) <= 100:
            assert not await Account.filter(name=member_input["name"]).exists(), member_input
    assert await AuditRecord.filter(action="orgMemberCreate", outcome=AuditOutcome.USER_ERROR, actor_id=main.id).count() == len(cases)


async def test_update_a_member(gql, as_provider_admin):
    partner = await create_partner()
    main = await create_main_account(partner)
    member = await create_member(partner, PresetRole.SA_SPECIALIST, mobile="+86 138 0000 0000")
    updated = (await gql.as_(main.name, ORG_MEMBER_UPDATE, {"input": {"id": gid("Account", member.id), "displayName": "Wang Fang",
                                                            "email": "Wang.Fang@lattice.example.com"}})).ok()["orgMemberUpdate"]
    assert updated["userErrors"] == []
    assert (updated["member"]["displayName"], updated["member"]["email"], updated["member"]["name"]) == (
        "Wang Fang", "wang.fang@lattice.example.com", member.name)
    assert updated["member"]["mobile"] == "+86 138 0000 0000"  # omitted: unchanged
    cleared = (await gql.as_(main.name, ORG_MEMBER_UPDATE, {"input": {"id": gid("Account", member.id), "mobile": ""}})).ok()["orgMemberUpdate"]
    assert cleared["member"]["mobile"] == ""
    assert await AuditRecord.filter(action="orgMemberUpdate", outcome=AuditOutcome.SUCCESS, target=f"Account:{member.id}").count() == 2

    before = await Account.get(id=member.id)
    refused = (await gql.as_(main.name, ORG_MEMBER_UPDATE, {"input": {"id": gid("Account", member.id), "displayName": "x" * 201,
                                                            "email": "nope"}})).ok()["orgMemberUpdate"]
    assert user_error_codes(refused) == ["TOO_LONG", "INVALID"]
    after = await Account.get(id=member.id)
    assert (after.display_name, after.email) == (before.display_name, before.email)
    # The main account is not an organisation member; another partner's member is not found.
    main_refused = (await gql.as_(main.name, ORG_MEMBER_UPDATE, {"input": {"id": gid("Account", main.id), "displayName": "Boss"}})).ok()
    assert user_error_codes(main_refused["orgMemberUpdate"]) == ["NOT_ALLOWED"]
    foreign = (await as_provider_admin.query(ORG_MEMBER_UPDATE, {"input": {"id": gid("Account", member.id), "displayName": "Mine"}})).ok()
    assert user_error_codes(foreign["orgMemberUpdate"]) == ["NOT_FOUND"]
    assert (await Account.get(id=member.id)).display_name == "Wang Fang"


async def test_disable_and_enable(gql):
    partner = await create_partner()
    main = await create_main_account(partner)
    member = await create_member(partner, PresetRole.SA_SPECIALIST)
    member_id = gid("Account", member.id)
    disabled = (await gql.as_(main.name, ORG_MEMBER_DISABLE, {"input": {"id": member_id}})).ok()["orgMemberDisable"]
    assert disabled["userErrors"] == [] and disabled["member"]["status"] == "DISABLED"
    assert (await gql.as_(member.name, PERMISSIONS)).status == 401
    assert await AuditRecord.filter(action="orgMemberDisable", outcome=AuditOutcome.SUCCESS, target=f"Account:{member.id}").exists()

    twice = (await gql.as_(main.name, ORG_MEMBER_DISABLE, {"input": {"id": member_id}})).ok()["orgMemberDisable"]
    assert user_error_codes(twice) == ["INVALID_STATE"]
    assert await AuditRecord.filter(action="orgMemberDisable", outcome=AuditOutcome.USER_ERROR, actor_id=main.id).exists()

    enabled = (await gql.as_(main.name, ORG_MEMBER_ENABLE, {"input": {"id": member_id}})).ok()["orgMemberEnable"]
    assert enabled["userErrors"] == [] and enabled["member"]["status"] == "ACTIVE"
    assert (await gql.as_(member.name, PERMISSIONS)).status == 200
    assert user_error_codes((await gql.as_(main.name, ORG_MEMBER_ENABLE, {"input": {"id": member_id}})).ok()["orgMemberEnable"]) == ["INVALID_STATE"]
    assert (await Account.get(id=member.id)).status is AccountStatus.ACTIVE


async def test_never_the_main_account_nor_yourself(gql):
    partner = await create_partner()
    main = await create_main_account(partner)
    admin = await create_member(partner, PresetRole.SYSTEM_ADMIN)
    for caller, target in ((admin.name, main.id), (admin.name, admin.id), (main.name, main.id)):
        refused = (await gql.as_(caller, ORG_MEMBER_DISABLE, {"input": {"id": gid("Account", target)}})).ok()["orgMemberDisable"]
        assert user_error_codes(refused) == ["NOT_ALLOWED"], (caller, target)
    assert {a.status for a in await Account.filter(id__in=[main.id, admin.id])} == {AccountStatus.ACTIVE}
    assert (await Account.get(id=main.id)).kind is AccountKind.MAIN_ACCOUNT


async def test_member_management_needs_org_member_manage(as_finance_specialist):
    name = unique("org").replace(".", "-")
    denials = AuditRecord.filter(action="orgMemberCreate", outcome=AuditOutcome.DENIED, actor__name=as_finance_specialist.name)
    before = await denials.count()
    denied = await as_finance_specialist.query(ORG_MEMBER_CREATE, {"input": new_member(name=name, roleIds=await preset_ids(PresetRole.SA_SPECIALIST))})
    assert denied.data is None
    assert denied.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "org.member.manage"}
    assert not await Account.filter(name=name).exists()
    assert await denials.count() == before + 1
    finance = await as_finance_specialist.account()
    disable = await as_finance_specialist.query(ORG_MEMBER_DISABLE, {"input": {"id": gid("Account", finance.id)}})
    assert disable.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "org.member.manage"}
    assert (await Account.get(id=finance.id)).status is AccountStatus.ACTIVE
