"""Shared value types."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from schema.permissions.directive import PUBLIC

TWO_PLACES = Decimal("0.01")


@strawberry.type(description="An amount of money: an exact decimal with two places, and its currency.", directives=[PUBLIC])
class Money:
    amount: Decimal = strawberry.field(description="The amount, two decimal places.")
    currency: str = strawberry.field(description="ISO 4217 currency code; CNY unless stated.")

    @classmethod
    def of(cls, amount: Decimal | None, currency: str = "CNY") -> "Money | None":
        if amount is None:
            return None
        return cls(amount=Decimal(amount).quantize(TWO_PLACES), currency=currency)
