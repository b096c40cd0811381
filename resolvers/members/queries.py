"""Member accounts and roles a caller may read."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.api_keys import ApiKey
from models.members import Account, AccountKind, Role
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.scoping import scoped


def _own_account(principal: Principal) -> Q:
    return Q(id=principal.account_id)


def _presets(_: Principal) -> Q:
    return Q(preset__isnull=False)


# Members of the caller's partner, plus its own account (personal and staff callers too).
readable_accounts = scoped(Account, staff=Permission.PARTNER_ACCOUNT_VIEW, also=_own_account)


def readable_main_accounts(principal: Principal) -> QuerySet[Account]:
    """The main accounts (伙伴主账号) among `readable_accounts`: one per partner."""
    return readable_accounts(principal).filter(kind=AccountKind.MAIN_ACCOUNT)


# Preset roles are everyone's; custom roles belong to one partner.
readable_roles = scoped(Role, also=_presets)
# API keys are personal: each account sees only its own.
readable_api_keys = scoped(ApiKey, owner="account_id")
