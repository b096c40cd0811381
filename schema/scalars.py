"""Shared value types."""

from __future__ import annotations

import inspect
from decimal import Decimal
from typing import Any, overload

import strawberry

from schema.permissions.directive import PUBLIC
from schema.sql_values import money

TWO_PLACES = Decimal("0.01")


@strawberry.type(description="An amount of money: an exact decimal with two places, and its currency.", directives=[PUBLIC])
class Money:
    amount: Decimal = strawberry.field(description="The amount, two decimal places.")
    currency: str = strawberry.field(description="ISO 4217 currency code; CNY unless stated.")

    @overload
    @classmethod
    def of(cls, amount: Decimal, currency: str = "CNY") -> Money: ...
    @overload
    @classmethod
    def of(cls, amount: None, currency: str = "CNY") -> None: ...

    @classmethod
    def of(cls, amount: Decimal | None, currency: str = "CNY") -> Money | None:
        if amount is None:
            return None
        return cls(amount=Decimal(amount).quantize(TWO_PLACES), currency=currency)


def money_field(attribute: str, *, description: str, nullable: bool = False) -> Any:
    """A Money field read from a decimal attribute of the row (CNY)."""

    def resolve(root: Any) -> Money | None:
        return Money.of(getattr(root, attribute))

    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD)],
        return_annotation=Money | None if nullable else Money,
    )
    # The column it reads, so a selection-aware read of the row fetches it (schema/selection.py).
    return strawberry.field(resolver=resolve, description=description, metadata={"columns": (attribute,), **money(attribute)})
