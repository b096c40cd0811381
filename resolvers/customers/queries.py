"""Customers a caller may read: its partner's, narrowed to its own book for account managers."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.customers import Customer
from resolvers.principal import Principal
from resolvers.scoping import managed_customer_rows, own_partner_rows
from resolvers.permissions.catalog import Permission


def readable_customers(principal: Principal) -> QuerySet[Customer]:
    rows = own_partner_rows(principal, Customer.all(), staff_permission=Permission.CUSTOMER_VIEW)
    return managed_customer_rows(principal, rows, "account_manager_id")
