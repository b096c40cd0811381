"""Customers a test owns, of any partner."""

from __future__ import annotations

from models.customers import AssociationType, Customer
from models.partners import Partner
from tests.factories.values import days, unique


async def create_customer(partner: Partner, **overrides) -> Customer:
    """A resale customer associated 100 days ago, not whitelisted, unless `overrides` say otherwise."""
    fields = {"name": unique("Customer"), "association_type": AssociationType.RESALE, "whitelisted": False,
              "associated_at": days(-100)}
    fields.update(overrides)
    return await Customer.create(partner=partner, **fields)


async def create_customers(partner: Partner, count: int, **overrides) -> list[Customer]:
    return [await create_customer(partner, **overrides) for _ in range(count)]
