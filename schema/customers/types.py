"""Customers associated with a partner."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import customers as m
from resolvers.customers.queries import readable_customers
from resolvers.members.queries import readable_accounts
from schema.enums import AssociationType, RealNameStatus
from schema.members.types import Account
from schema.permissions.directive import PUBLIC
from schema.relay import ModelNode, related_field


@strawberry.type(description="A customer associated with the partner (子客户).", directives=[PUBLIC])
class Customer(ModelNode):
    model = m.Customer
    readable = readable_customers

    name: str = strawberry.field(description="The customer's name.")
    association_type: AssociationType = strawberry.field(description="Resale or referral.")
    real_name_status: RealNameStatus = strawberry.field(description="The customer's real-name verification status.")
    whitelisted: bool = strawberry.field(description="Whether government partners may issue coupons to it.")
    associated_at: datetime = strawberry.field(description="When it was associated with the partner.")

    account_manager = related_field(Account, readable_accounts, "account_manager_id", description="The account manager responsible for it.")
