"""Principals for limiter tests that need no database."""

from __future__ import annotations

from models.members import AccountKind
from resolvers.principal import Principal


def principal(account_id: int = 1, api_key_id: int | None = None) -> Principal:
    return Principal(account_id=account_id, account_name=f"account{account_id}", kind=AccountKind.ORGANISATION_MEMBER,
                     partner_id=None, identities=frozenset(), roles=(), staff_role=None, permissions=frozenset(),
                     api_key_id=api_key_id)
