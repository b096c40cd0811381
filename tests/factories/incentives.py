"""Incentive bills, settlement bills and Yanxuan orders a test owns.

Periods come from `unique_period()`: months of the 1900s no seed uses, so closing one never touches
another test's (or the demo's) bills.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from models.incentives import (
    BillingMode,
    IncentiveBill,
    IncentiveBillLine,
    IncentiveBillStatus,
    IncentiveIndicator,
    IncentiveType,
    SettlementBill,
    SettlementStatus,
    YanxuanOrder,
)
from models.partners import Partner
from tests.factories.partners import partner_row
from tests.factories.values import days, unique

_months = itertools.count()


def unique_period() -> str:
    n = next(_months)
    return f"{1900 + n // 12:04d}-{n % 12 + 1:02d}"


async def create_incentive_bill(
    partner: Partner | str, *, amount: str = "1000.00", status: IncentiveBillStatus = IncentiveBillStatus.CONFIRMED,
    frozen: str = "0.00", period: str | None = None, type: IncentiveType = IncentiveType.SOLUTION_INCENTIVE, lines: int = 0,
    **overrides,
) -> IncentiveBill:
    """A bill with nothing applied yet (pending = amount - frozen), `lines` detail lines sharing its
    amount and one indicator; `overrides` set any other column."""
    partner = await partner_row(partner)
    total, held = Decimal(amount), Decimal(frozen)
    bill = await IncentiveBill.create(
        partner=partner, type=type, period=period or unique_period(), status=status, amount=total,
        pending_amount=total - held, frozen_amount=held, frozen_reason="Under review" if held else "", **overrides,
    )
    share = (total / lines).quantize(Decimal("0.01")) if lines else Decimal("0")
    await IncentiveBillLine.bulk_create([
        IncentiveBillLine(bill=bill, billing_mode=BillingMode.ON_DEMAND if i % 2 else BillingMode.YEARLY_MONTHLY,
                          order_id=f"ORD-{bill.id}-{i}", customer_name=f"Customer {i}", product_type="ECS" if i % 2 else "RDS",
                          amount=share if i < lines - 1 else total - share * (lines - 1))
        for i in range(lines)
    ])
    await IncentiveIndicator.create(bill=bill, name="Resale consumption", statistic_method="Sum", period=bill.period,
                                    value="100000.00 CNY")
    return bill


async def create_settlement_bill(partner: Partner | str, *, status: SettlementStatus = SettlementStatus.PENDING_COUNTERSIGN,
                                 amount: str = "5000.00", **overrides) -> SettlementBill:
    partner = await partner_row(partner)
    return await SettlementBill.create(number=unique("SB")[:32], partner=partner, period=unique_period(),
                                       product_name="Store product", amount=Decimal(amount), status=status, **overrides)


async def create_yanxuan_order(partner: Partner | str, *, floor: str = "100.00", catalogue: str = "150.00",
                               unit: str = "120.00", quantity: int = 10) -> YanxuanOrder:
    partner = await partner_row(partner)
    return await YanxuanOrder.create(order_number=unique("YX")[:64], partner=partner, product_name="Yanxuan goods",
                                     quantity=quantity, floor_price=Decimal(floor), catalogue_price=Decimal(catalogue),
                                     unit_price=Decimal(unit), ordered_at=days(-1))
