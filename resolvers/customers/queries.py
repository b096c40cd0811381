"""Customers a caller may read: its partner's, narrowed to its own book for account managers."""

from __future__ import annotations

from models.customers import Customer
from resolvers.permissions.catalog import Permission
from resolvers.scoping import scoped

readable_customers = scoped(Customer, staff=Permission.CUSTOMER_VIEW, account_manager="account_manager_id")
