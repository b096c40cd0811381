"""Who is calling. Built once per request by the gateway; every layer below only reads it."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.members import AccountKind, StaffRole
from models.partners import PartnerIdentity


@dataclass(frozen=True, slots=True)
class Principal:
    account_id: int
    account_name: str
    kind: AccountKind
    partner_id: int | None
    identities: frozenset[PartnerIdentity]
    roles: tuple[str, ...]
    staff_role: StaffRole | None
    permissions: frozenset[str]
    # Set when the caller authenticated with an API key: the key's scopes already
    # narrowed `permissions`; kept for audit and display.
    api_key_id: int | None = None
    # Partners whose data this caller may read besides its own (a distributor's resellers).
    managed_partner_ids: frozenset[int] = field(default_factory=frozenset)
    # Account managers see only customers (and their tasks) managed by these accounts:
    # themselves, plus the account managers a supervisor supervises. None: the whole book.
    customer_manager_ids: frozenset[int] | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind is AccountKind.STAFF

    @property
    def is_main_account(self) -> bool:
        return self.kind is AccountKind.MAIN_ACCOUNT

    @property
    def is_partner_admin(self) -> bool:
        return self.is_main_account or "SYSTEM_ADMIN" in self.roles

    @property
    def readable_partner_ids(self) -> frozenset[int] | None:
        """The partners whose rows this caller may read; None means all (platform staff)."""
        if self.is_staff:
            return None
        if self.partner_id is None:
            return frozenset()
        return frozenset({self.partner_id}) | self.managed_partner_ids

    def has(self, permission: str) -> bool:
        return permission in self.permissions
