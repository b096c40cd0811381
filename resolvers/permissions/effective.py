"""A caller's effective permissions, computed from the catalog alone."""

from __future__ import annotations

from collections.abc import Iterable

from models.members import PresetRole, StaffRole
from models.partners import IDENTITY_GROUP, PartnerIdentity
from resolvers.permissions.catalog import CATALOG, PRESET_ROLE_GRANTS


def defaults_for(identities: Iterable[PartnerIdentity]) -> frozenset[str]:
    groups = {IDENTITY_GROUP[i] for i in identities}
    return frozenset(s.code for s in CATALOG if s.default_for & groups)


def allowed_for(identities: Iterable[PartnerIdentity]) -> frozenset[str]:
    """Everything any role of a partner with these identities may hold (what admins get)."""
    identities = frozenset(identities)
    return defaults_for(identities) | frozenset(s.code for s in CATALOG if s.assignable_to & identities)


def assignable_to_custom_roles(identities: Iterable[PartnerIdentity]) -> frozenset[str]:
    identities = frozenset(identities)
    return frozenset(s.code for s in CATALOG if s.assignable_to & identities and not s.admin_only)


def preset_grants(role: PresetRole, identities: Iterable[PartnerIdentity]) -> frozenset[str]:
    if role is PresetRole.SYSTEM_ADMIN:
        return allowed_for(identities)
    return PRESET_ROLE_GRANTS[role] & allowed_for(identities)


def partner_member_permissions(
    identities: Iterable[PartnerIdentity],
    *,
    is_main_account: bool,
    presets: Iterable[PresetRole],
    custom_grants: Iterable[Iterable[str]],
) -> frozenset[str]:
    identities = frozenset(identities)
    allowed = allowed_for(identities)
    presets = set(presets)
    if is_main_account or PresetRole.SYSTEM_ADMIN in presets:
        return allowed
    granted: set[str] = set(defaults_for(identities))
    for preset in presets:
        granted |= PRESET_ROLE_GRANTS[preset]
    admin_only = {s.code for s in CATALOG if s.admin_only}
    for grants in custom_grants:
        granted |= set(grants) - admin_only
    # Admin-only rows never reach a custom or non-admin preset role, whatever is stored.
    return frozenset(granted & allowed)


def staff_permissions(role: StaffRole) -> frozenset[str]:
    return frozenset(s.code for s in CATALOG if role in s.staff_roles)


def personal_permissions() -> frozenset[str]:
    return frozenset(s.code for s in CATALOG if s.personal)


def customer_permissions() -> frozenset[str]:
    return frozenset(s.code for s in CATALOG if s.customer)
