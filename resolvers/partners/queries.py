"""Which partners a caller may read: its own, a distributor's resellers, a customer's partners, all for staff."""

from __future__ import annotations

from tortoise.expressions import Q, Subquery

from models.account import Wallet
from models.customers import Customer
from models.partners import Partner
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.scoping import scoped


def _resellers(principal: Principal) -> Q:
    return Q(id__in=list(principal.managed_partner_ids))


def _associated_with_you(principal: Principal) -> Q:
    """A customer reads the partners it is (or was) associated with: the partners its rows name."""
    return Q(id__in=Subquery(Customer.filter(customer_account_id=principal.account_id).values("partner_id")))


readable_partners = scoped(Partner, tenant="id", staff=Permission.PARTNER_ALL_VIEW, distributor=_resellers,
                           customer=_associated_with_you)
# Balances are the partner's own business: never a distributor's view of its resellers.
readable_wallets = scoped(Wallet, staff=Permission.ACCOUNT_BALANCE_VIEW)
