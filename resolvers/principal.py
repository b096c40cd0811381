"""Who is calling, and what the caller reaches: built once per request from what one statement
read about the account (resolvers/caller_facts.py). The gateway authenticates; this module decides
what an authenticated caller may do and see; every layer only reads the result."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.members import AccountKind, PresetRole, StaffRole
from models.partners import PartnerIdentity
from resolvers.caller_facts import CallerFacts, caller_facts
from resolvers.errors import Refusal, UserErrorCode
from resolvers.permissions.effective import (
    customer_permissions,
    partner_member_permissions,
    personal_permissions,
    staff_permissions,
)


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
    # The partner's main account, or a SYSTEM_ADMIN member.
    is_partner_admin: bool = False

    @property
    def is_staff(self) -> bool:
        return self.kind is AccountKind.STAFF

    @property
    def is_customer(self) -> bool:
        return self.kind is AccountKind.CUSTOMER

    @property
    def is_main_account(self) -> bool:
        return self.kind is AccountKind.MAIN_ACCOUNT

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

    def own_partner(self, acts_on: str) -> int:
        """The caller's partner, for changes only a partner's own accounts make (`acts_on`: what)."""
        if self.partner_id is None:
            raise Refusal(UserErrorCode.NOT_ALLOWED, f"Only a partner's own accounts act on {acts_on}.")
        return self.partner_id


def principal_from(facts: CallerFacts, *, scopes: frozenset[str] | None = None, api_key_id: int | None = None) -> Principal:
    """The caller as every layer sees it. An API key's `scopes` narrow what the account may do."""
    roles = facts.roles if facts.partner_id else ()
    identities = facts.identities
    presets = {r.preset for r in roles if r.preset is not None}
    if facts.kind is AccountKind.STAFF:
        permissions = staff_permissions(facts.staff_role) if facts.staff_role else frozenset()
    elif facts.kind is AccountKind.CUSTOMER:
        permissions = customer_permissions()
    elif facts.partner_id is None:
        permissions = personal_permissions()
    else:
        permissions = partner_member_permissions(
            identities, is_main_account=facts.kind is AccountKind.MAIN_ACCOUNT, presets=presets,
            custom_grants=[r.permissions for r in roles if r.preset is None],
        )
    if scopes is not None:
        permissions = permissions & scopes
    is_admin = facts.partner_id is not None and (facts.kind is AccountKind.MAIN_ACCOUNT or PresetRole.SYSTEM_ADMIN in presets)
    return Principal(
        account_id=facts.account_id,
        account_name=facts.name,
        kind=facts.kind,
        partner_id=facts.partner_id,
        identities=identities,
        roles=tuple(r.preset.value if r.preset else r.name for r in roles),
        staff_role=facts.staff_role,
        permissions=permissions,
        api_key_id=api_key_id,
        managed_partner_ids=facts.managed_partner_ids if PartnerIdentity.DISTRIBUTOR in identities else frozenset(),
        customer_manager_ids=_customer_managers(facts, presets, is_admin),
        is_partner_admin=is_admin,
    )


def _customer_managers(facts: CallerFacts, presets: set[PresetRole], is_admin: bool) -> frozenset[int] | None:
    """Whose customers an account manager reaches: its own; a supervisor's, also its team's."""
    if is_admin:
        return None
    if PresetRole.ACCOUNT_MANAGER in presets:
        return frozenset({facts.account_id})
    if PresetRole.ACCOUNT_MANAGER_SUPERVISOR in presets:
        return frozenset({facts.account_id, *facts.supervised_ids})
    return None


async def principal_for(account_id: int, *, scopes: frozenset[str] | None = None, api_key_id: int | None = None) -> Principal:
    """The principal of any account, active or not (requests authenticate, which refuses inactive
    ones); for scripts and tests that act as an account."""
    facts = await caller_facts("id", account_id)
    if facts is None:
        raise LookupError(f"no account {account_id}")
    return principal_from(facts, scopes=scopes, api_key_id=api_key_id)
