"""Customers and what hangs off them, as each caller may read it: a partner reads its own (an account
manager only its book), operations staff everyone's, a customer account only the rows about itself."""

from __future__ import annotations

from tortoise.expressions import Q, Subquery

from models.customers import (
    AssociationRecord,
    Customer,
    CustomerKind,
    CustomerStatus,
    DisassociationRequest,
    EnterpriseProfile,
    OnBehalfAuthorization,
    OnBehalfOrder,
    Prospect,
)
from models.partners import RealNameStatus
from resolvers.permissions.catalog import Permission
from resolvers.principal import Principal
from resolvers.scoping import scoped

readable_customers = scoped(Customer, staff=Permission.CUSTOMER_VIEW, account_manager="account_manager_id",
                            customer="customer_account_id")
readable_authorizations = scoped(OnBehalfAuthorization, staff=Permission.CUSTOMER_VIEW,
                                 account_manager="customer__account_manager_id", customer="customer__customer_account_id")
readable_on_behalf_orders = scoped(OnBehalfOrder, staff=Permission.CUSTOMER_VIEW,
                                   account_manager="customer__account_manager_id", customer="customer__customer_account_id")
readable_disassociation_requests = scoped(DisassociationRequest, staff=Permission.CUSTOMER_VIEW,
                                          account_manager="customer__account_manager_id",
                                          customer="customer__customer_account_id")
readable_association_records = scoped(AssociationRecord, staff=Permission.CUSTOMER_VIEW,
                                      account_manager="customer__account_manager_id")
readable_prospects = scoped(Prospect, staff=Permission.CUSTOMER_VIEW)


def _insight_reach(principal: Principal) -> Q:
    """Any enterprise for a member with customer.insight.view; otherwise those of its partner's
    associated, real-name-verified enterprise customers (in an account manager's book)."""
    if principal.partner_id is None:
        return Q(id__in=[])
    if principal.has(Permission.CUSTOMER_INSIGHT_VIEW):
        return Q(id__gte=0)
    mine = Customer.filter(partner_id=principal.partner_id, status=CustomerStatus.ASSOCIATED, kind=CustomerKind.ENTERPRISE,
                           real_name_status=RealNameStatus.VERIFIED, enterprise_id__isnull=False)
    if principal.customer_manager_ids is not None:
        mine = mine.filter(account_manager_id__in=list(principal.customer_manager_ids))
    return Q(id__in=Subquery(mine.values("enterprise_id")))


# Enterprise profiles are the platform's business data, not a partner's rows.
readable_enterprises = scoped(EnterpriseProfile, tenant=None, staff=Permission.CUSTOMER_VIEW, also=_insight_reach)
