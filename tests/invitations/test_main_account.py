"""Main-account transfer (伙伴主账号): only the main account itself, to an active member; exactly one main account always."""

from __future__ import annotations

from models.audit import AuditOutcome, AuditRecord
from models.members import Account, AccountKind, AccountStatus, PresetRole
from tests.factories import create_main_account, create_member, create_partner, create_person
from tests.graphql import gid, user_error_codes
from tests.invitations.documents import PERMISSIONS, TRANSFER
from tests.invitations.support import accept, invite


async def transfer(gql, caller: str, new_main_id: int) -> dict:
    return (await gql.as_(caller, TRANSFER, {"input": {"newMainAccountId": gid("Account", new_main_id)}})).ok()["mainAccountTransfer"]


async def kinds(partner_id: int) -> dict[str, AccountKind]:
    return {a.name: a.kind for a in await Account.filter(partner_id=partner_id)}


async def test_transfer_and_back(gql):
    partner = await create_partner()
    main = await create_main_account(partner)
    successor = await create_member(partner, PresetRole.SA_SPECIALIST, PresetRole.FINANCE_SPECIALIST)
    moved = await transfer(gql, main.name, successor.id)
    assert moved["userErrors"] == []
    assert moved["mainAccount"] == {"id": gid("Account", successor.id), "name": successor.name, "kind": "MAIN_ACCOUNT", "roles": []}
    assert moved["previousMainAccount"]["kind"] == "ORGANISATION_MEMBER"
    assert moved["previousMainAccount"]["roles"] == [{"preset": "SYSTEM_ADMIN"}]
    assert [name for name, kind in (await kinds(partner.id)).items() if kind is AccountKind.MAIN_ACCOUNT] == [successor.name]
    assert await AuditRecord.filter(action="mainAccountTransfer", outcome=AuditOutcome.SUCCESS, target=f"Account:{successor.id}").exists()
    viewer = (await gql.as_(successor.name, PERMISSIONS)).ok()["viewer"]["permissions"]
    assert "ORG_MEMBER_MANAGE" in viewer

    # The previous main account administers on, but the office is no longer its to give.
    before = await kinds(partner.id)
    refused = await transfer(gql, main.name, successor.id)
    assert refused["mainAccount"] is None and user_error_codes(refused) == ["NOT_ALLOWED"]
    assert await kinds(partner.id) == before
    assert await AuditRecord.filter(action="mainAccountTransfer", outcome=AuditOutcome.USER_ERROR, actor_id=main.id).exists()

    back = await transfer(gql, successor.name, main.id)
    assert back["userErrors"] == [] and back["mainAccount"]["roles"] == []
    assert [name for name, kind in (await kinds(partner.id)).items() if kind is AccountKind.MAIN_ACCOUNT] == [main.name]


async def test_a_system_admin_who_is_not_the_main_account_cannot_transfer(gql):
    partner = await create_partner()
    main = await create_main_account(partner)
    admin = await create_member(partner, PresetRole.SYSTEM_ADMIN)
    before = await kinds(partner.id)
    for target in (admin.id, main.id):
        refused = await transfer(gql, admin.name, target)
        assert user_error_codes(refused) == ["NOT_ALLOWED"]
    assert await kinds(partner.id) == before


async def test_transfer_targets(gql, caplog):
    partner = await create_partner()
    main = await create_main_account(partner)
    other_main = await create_main_account(await create_partner())
    disabled = await create_member(partner, PresetRole.SA_SPECIALIST, status=AccountStatus.DISABLED)
    for target, code in ((main.id, "NOT_ALLOWED"), (disabled.id, "INVALID_STATE"), (other_main.id, "NOT_FOUND")):
        refused = await transfer(gql, main.name, target)
        assert user_error_codes(refused) == [code], target
    assert (await Account.get(id=main.id)).kind is AccountKind.MAIN_ACCOUNT
    assert (await Account.get(id=other_main.id)).kind is AccountKind.MAIN_ACCOUNT

    # A bound member may take the office too.
    person = await create_person()
    _, token = await invite(gql, caplog, main.name, person.email)
    assert (await accept(gql, person.name, token))["userErrors"] == []
    assert (await transfer(gql, main.name, person.id))["mainAccount"]["kind"] == "MAIN_ACCOUNT"
    assert [n for n, k in (await kinds(partner.id)).items() if k is AccountKind.MAIN_ACCOUNT] == [person.name]


async def test_transfer_needs_org_member_manage(as_finance_specialist):
    finance = await as_finance_specialist.account()
    denials = AuditRecord.filter(action="mainAccountTransfer", outcome=AuditOutcome.DENIED, actor_id=finance.id)
    before = await denials.count()
    denied = await as_finance_specialist.query(TRANSFER, {"input": {"newMainAccountId": gid("Account", finance.id)}})
    assert denied.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "org.member.manage"}
    assert (await Account.get(id=finance.id)).kind is AccountKind.ORGANISATION_MEMBER
    assert await denials.count() == before + 1
