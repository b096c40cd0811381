"""Steps of the incentive flows, as the callers take them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from models.incentives import IncentiveBill, PayoutApplicationLine
from tests.callers import Caller, Mutated, mutate
from tests.graphql import gid


async def apply(caller: Caller, *bills: IncentiveBill | tuple[IncentiveBill, str], method: str = "BANK_TRANSFER",
                **extra: Any) -> Mutated:
    """incentivePayoutApply over `bills`: a bill (its whole pending amount) or (bill, amount)."""
    shares = [{"billId": gid("IncentiveBill", b.id)} if isinstance(b, IncentiveBill)
              else {"billId": gid("IncentiveBill", b[0].id), "amount": b[1]} for b in bills]
    return await mutate(caller, "incentivePayoutApply", {"bills": shares, "method": method, **extra})


async def step(caller: Caller, field: str, application_id: str, **extra: Any) -> Mutated:
    """A mutation on a payout application; its userErrors must be empty."""
    done = await mutate(caller, field, {"id": application_id, **extra})
    assert done.errors == [] and done.codes == [], (field, done.response.body)
    return done


async def assert_amounts_add_up(bill: IncentiveBill) -> None:
    """amount = pending + frozen + what applications took, and nothing went below zero."""
    row = await IncentiveBill.get(id=bill.id)
    taken = sum((line.amount for line in await PayoutApplicationLine.filter(bill_id=bill.id)), Decimal("0.00"))
    assert row.pending_amount >= 0
    assert row.pending_amount + row.frozen_amount + taken == row.amount, (row.pending_amount, row.frozen_amount, taken, row.amount)
