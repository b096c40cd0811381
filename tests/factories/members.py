"""Accounts a test owns: main accounts, organisation and bound members, personal accounts, roles."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

from models.members import Account, AccountKind, AccountStatus, PresetRole, Role
from models.partners import Partner
from tests.factories.partners import NORTHWIND, partner_row
from tests.factories.values import unique


async def create_account(partner: Partner | str | None = None, **overrides) -> Account:
    """An active organisation member of `partner` (a Partner or a demo partner's name) unless
    `overrides` say otherwise."""
    if partner is not None:
        partner = await partner_row(partner)
    fields = {
        "name": unique("test.member"),
        "display_name": "Test Member",
        "email": f"{uuid.uuid4().hex[:8]}@example.com",
        "kind": AccountKind.ORGANISATION_MEMBER,
        "status": AccountStatus.ACTIVE,
        "partner": partner,
    }
    fields.update(overrides)
    return await Account.create(**fields)


async def create_main_account(partner: Partner) -> Account:
    return await create_account(partner, name=unique("test.main"), kind=AccountKind.MAIN_ACCOUNT)


async def create_member(partner: Partner | str, *presets: PresetRole, **overrides) -> Account:
    """An organisation member holding these preset roles."""
    member = await create_account(partner, **overrides)
    if presets:
        await member.roles.add(*[await Role.get(preset=p) for p in presets])
    return member


async def create_bound_member(partner: Partner | str = NORTHWIND) -> Account:
    """A personal account bound to `partner`, as an accepted invitation leaves it."""
    return await create_account(partner, kind=AccountKind.BOUND_MEMBER)


async def create_person(**overrides) -> Account:
    """A personal account nobody else uses, with a unique e-mail and mobile."""
    fields = {"name": unique("test.person"), "kind": AccountKind.PERSONAL,
              "email": f"{uuid.uuid4().hex[:10]}@people.example.com", "mobile": f"+86 139 {uuid.uuid4().int % 10**8:08d}"}
    fields.update(overrides)
    return await create_account(None, **fields)


async def create_role(partner: Partner | str, **overrides) -> Role:
    """A custom role of `partner` (no permissions unless `permissions=[...]`)."""
    partner = await partner_row(partner)
    fields = {"name": unique("Test role"), "description": "", "permissions": []}
    fields.update(overrides)
    return await Role.create(partner=partner, **fields)


async def create_member_with_grants(permissions: list[str], partner: Partner | str = NORTHWIND) -> Account:
    """An organisation member holding one custom role with exactly these permissions."""
    partner = await partner_row(partner)
    role = await create_role(partner, permissions=sorted(permissions))
    member = await create_account(partner)
    await member.roles.add(role)
    return member


@contextlib.asynccontextmanager
async def temporary_member(preset: PresetRole, partner: Partner | str = NORTHWIND) -> AsyncIterator[Account]:
    """A fresh member of `partner` holding `preset`, removed afterwards with what it left behind
    (its audit records, API keys and roles)."""
    from models.api_keys import ApiKey
    from models.audit import AuditRecord

    account = await create_member(partner, preset)
    try:
        yield account
    finally:
        await AuditRecord.filter(actor_id=account.id).delete()
        await ApiKey.filter(account_id=account.id).delete()
        await account.roles.clear()
        await Account.filter(id=account.id).delete()
