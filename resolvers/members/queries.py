"""Member accounts and roles a caller may read."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.api_keys import ApiKey
from models.members import Account, Role
from resolvers.principal import Principal
from resolvers.scoping import own_partner_rows
from resolvers.permissions.catalog import Permission


def readable_members(principal: Principal) -> QuerySet[Account]:
    return own_partner_rows(principal, Account.all(), staff_permission=Permission.PARTNER_ACCOUNT_VIEW)


def readable_accounts(principal: Principal) -> QuerySet[Account]:
    """Members of readable partners, plus the caller's own account (personal and staff callers too)."""
    if principal.is_staff and principal.has(Permission.PARTNER_ACCOUNT_VIEW):
        return Account.all()
    if principal.partner_id is None:
        return Account.filter(id=principal.account_id)
    return Account.filter(partner_id=principal.partner_id)


def readable_roles(principal: Principal) -> QuerySet[Role]:
    """Preset roles are public; custom roles belong to one partner."""
    if principal.is_staff:
        return Role.all()
    if principal.partner_id is None:
        return Role.filter(preset__isnull=False)
    from tortoise.expressions import Q

    return Role.filter(Q(preset__isnull=False) | Q(partner_id=principal.partner_id))


def may_see_contact_details(principal: Principal, account: Account) -> bool:
    """E-mail and mobile are PII: shown to the person, and to its own partner's members who may view profiles."""
    if account.id == principal.account_id:
        return True
    return (
        principal.partner_id is not None
        and account.partner_id == principal.partner_id
        and principal.has(Permission.PARTNER_PROFILE_VIEW)
    )


def readable_api_keys(principal: Principal) -> QuerySet[ApiKey]:
    """API keys are personal: each account sees only its own."""
    return ApiKey.filter(account_id=principal.account_id)
