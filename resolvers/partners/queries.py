"""Which partners a caller may read: its own, a distributor's resellers, all for staff."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.account import Wallet
from models.partners import Partner
from resolvers.principal import Principal
from resolvers.scoping import no_rows
from resolvers.permissions.catalog import Permission


def readable_partners(principal: Principal) -> QuerySet[Partner]:
    if principal.is_staff:
        return Partner.all() if principal.has(Permission.PARTNER_ALL_VIEW) else no_rows(Partner.all())
    ids = principal.readable_partner_ids or frozenset()
    return Partner.filter(id__in=list(ids))


def readable_wallets(principal: Principal) -> QuerySet[Wallet]:
    """Balances are the partner's own business: never a distributor's view of its resellers."""
    if principal.is_staff:
        return Wallet.all() if principal.has(Permission.ACCOUNT_BALANCE_VIEW) else no_rows(Wallet.all())
    if principal.partner_id is None:
        return no_rows(Wallet.all())
    return Wallet.filter(partner_id=principal.partner_id)
