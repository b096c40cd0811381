"""Which partners a caller may read: its own, a distributor's resellers, all for staff."""

from __future__ import annotations

from tortoise.expressions import Q

from models.account import Wallet
from models.partners import Partner
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.scoping import scoped


def _resellers(principal: Principal) -> Q:
    return Q(id__in=list(principal.managed_partner_ids))


readable_partners = scoped(Partner, tenant="id", staff=Permission.PARTNER_ALL_VIEW, distributor=_resellers)
# Balances are the partner's own business: never a distributor's view of its resellers.
readable_wallets = scoped(Wallet, staff=Permission.ACCOUNT_BALANCE_VIEW)
