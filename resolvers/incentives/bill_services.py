"""Reconciliation bills (激励对账): operations close a period, the partner confirms or disputes each
bill, operations reissue a disputed one.

    ESTIMATED → PENDING_CONFIRMATION → CONFIRMED
                                     ↘ DISPUTED → PENDING_CONFIRMATION (reissued)

Amounts: always `amount = pending + frozen + applied`; nothing is applied before confirmation, so
an estimate's pending amount is `amount - frozen`. Applications take from `pending` only, and only
once the bill is CONFIRMED (payout_services.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from models.incentives import IncentiveBill, IncentiveBillStatus, PayoutApplication, PayoutSetting
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.incentives.payout_services import prepare_auto_application
from resolvers.incentives.queries import period_ok, readable_incentive_bills
from resolvers.principal import Principal
from resolvers.transitions import move
from resolvers.validation import Checks

MAX_REASON = 500


async def _own_bill(principal: Principal, bill_id: int) -> IncentiveBill:
    partner = principal.own_partner("its incentive bills")
    return await readable_incentive_bills.one(principal, bill_id, "incentive bill", partner_id=partner)


async def close_period(principal: Principal, *, period: str) -> int:
    """Every ESTIMATED bill of the period becomes official, awaiting its partner's confirmation."""
    if not period_ok(period):
        raise Refusal(Code.INVALID, "`period` is a month, YYYY-MM.", ["period"])
    if period >= f"{datetime.now(UTC):%Y-%m}":
        raise Refusal(Code.INVALID, f"{period} has not ended yet; a period is closed once it is over.", ["period"])
    # One statement: a bill estimated meanwhile is closed with the others or left for the next call.
    closed = await IncentiveBill.filter(period=period, status=IncentiveBillStatus.ESTIMATED).update(
        status=IncentiveBillStatus.PENDING_CONFIRMATION)
    if not closed:
        raise Refusal(Code.INVALID_STATE, f"No estimated bill of {period} is left to close.", ["period"])
    return closed


async def confirm_bill(principal: Principal, *, id: int) -> tuple[IncentiveBill, PayoutApplication | None]:
    """The partner accepts the official bill; with auto-apply on, its pending amount is applied for."""
    bill = await move(await _own_bill(principal, id), IncentiveBillStatus.PENDING_CONFIRMATION, "confirmed",
                      status=IncentiveBillStatus.CONFIRMED, confirmed_at=datetime.now(UTC), confirmed_by_id=principal.account_id)
    setting = await PayoutSetting.get_or_none(partner_id=bill.partner_id)
    application = None
    if setting is not None and setting.auto_apply and bill.pending_amount > 0:
        application = await prepare_auto_application(principal, bill, setting.method)
        bill = await IncentiveBill.get(id=bill.id)  # as the application left it
    return bill, application


async def dispute_bill(principal: Principal, *, id: int, reason: str) -> IncentiveBill:
    checks = Checks()
    reason = checks.text(reason, "reason", max_length=MAX_REASON)
    checks.done()
    return await move(await _own_bill(principal, id), IncentiveBillStatus.PENDING_CONFIRMATION, "disputed",
                      status=IncentiveBillStatus.DISPUTED, dispute_reason=reason)


async def reissue_bill(principal: Principal, *, id: int, amount: Decimal | None = None,
                       frozen_amount: Decimal | None = None, frozen_reason: str | None = None) -> IncentiveBill:
    """Operations answer a dispute with the bill corrected (or as it was): back to the partner."""
    checks = Checks()
    new_amount = checks.amount(amount, "amount", required=False, allow_zero=True)
    new_frozen = checks.amount(frozen_amount, "frozenAmount", required=False, allow_zero=True)
    reason = checks.text(frozen_reason, "frozenReason", max_length=MAX_REASON, required=False)
    checks.done()
    bill = await readable_incentive_bills.one(principal, id, "incentive bill")
    total = new_amount if new_amount is not None else bill.amount
    frozen = new_frozen if new_frozen is not None else bill.frozen_amount
    if frozen > total:
        raise Refusal(Code.INVALID, "The frozen amount cannot exceed the bill's amount.", ["frozenAmount"])
    return await move(bill, IncentiveBillStatus.DISPUTED, "reissued", status=IncentiveBillStatus.PENDING_CONFIRMATION,
                      amount=total, frozen_amount=frozen, pending_amount=total - frozen,
                      frozen_reason=reason if reason is not None else bill.frozen_reason)
