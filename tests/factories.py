"""`create_<model>(**overrides)` factories for rows a test owns (unique names; the demo data stays untouched)."""

from __future__ import annotations

import uuid

from models.members import Account, AccountKind, AccountStatus
from models.partners import Partner


def unique(prefix: str) -> str:
    return f"{prefix}.{uuid.uuid4().hex[:10]}"


async def partner_named(name: str) -> Partner:
    return await Partner.get(name=name)


async def create_account(partner: Partner | None = None, **overrides) -> Account:
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
