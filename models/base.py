"""Shared model building blocks."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from tortoise import fields


class DescribedEnum(StrEnum):
    """A string enum whose members carry an API description.

    The description lives beside the value so the schema layer can publish it
    without a second table that could drift.
    """

    description: str

    def __new__(cls, value: str, description: str = ""):
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member


def money_field(**kwargs) -> fields.DecimalField:
    """Money is stored as an exact decimal with two places (CNY unless stated)."""
    kwargs.setdefault("default", Decimal("0.00"))
    return fields.DecimalField(max_digits=18, decimal_places=2, **kwargs)


def created_at_field() -> fields.DatetimeField:
    return fields.DatetimeField(auto_now_add=True, db_index=True)
