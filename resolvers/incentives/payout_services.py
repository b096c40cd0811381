"""Payout applications (激励申付) over confirmed bills, and their way to the money.

    PENDING_SUBMISSION (auto-applied, awaiting the partner's code) → PROCESSING → AWAITING_INVOICE
      → INVOICE_REVIEW → PAYMENT_REVIEW → COMPLETED | COMPLETED_WITH_ERROR
    INVOICE_REVIEW → AWAITING_INVOICE when finance rejects the invoice (the reason stays visible)

Applying moves an amount from each bill's pending amount into the application by one conditional
UPDATE per bill (never below zero, whatever runs concurrently). Completion pays out in the same
transaction: ACCOUNT_CREDIT into the balance with a ledger entry, VOUCHER_QUOTA as a new voucher quota
(or COMPLETED_WITH_ERROR when the partner cannot hold one), BANK_TRANSFER with its transfer reference.
The method is fixed when the application is made: nothing changes it afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from models.account import LedgerEntryKind
from models.coupons import CouponKind, CouponOperationType, CouponQuota, QuotaStatus
from models.incentives import (
    IncentiveBill,
    IncentiveBillStatus,
    PayoutApplication,
    PayoutApplicationLine,
    PayoutMethod,
    PayoutSetting,
    PayoutStatus,
)
from models.partners import Partner, PartnerIdentity
from models.safeguards import VerificationPurpose
from resolvers.account.services import credit_wallet
from resolvers.coupons.services import ISSUERS, operation
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.incentives.queries import readable_incentive_bills, readable_payout_applications
from resolvers.money import adjust
from resolvers.principal import Principal
from resolvers.safeguards import require_code
from resolvers.transitions import move
from resolvers.unit_of_work import ensure_row
from resolvers.validation import Checks

ZERO = Decimal("0.00")
MAX_BILLS = 20
MAX_INVOICES = 10
INVOICE_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,32}$")
VOUCHER_QUOTA_VALIDITY = timedelta(days=365)


class BillShare(Protocol):
    """One bill of an application, as the input gives it (its ID decoded): its whole pending amount
    unless `amount` says how much."""

    bill_id: int
    amount: Decimal | None


def application_number(application: PayoutApplication) -> str:
    """The number the partner quotes on its invoice: the month applied and the id, unique with the id."""
    return f"PA{application.created_at:%Y%m}{application.id:06d}"


async def _create(partner_id: int, applied_by: int, method: PayoutMethod, status: PayoutStatus,
                  shares: list[tuple[int, Decimal]]) -> PayoutApplication:
    now = datetime.now(UTC)
    application = await PayoutApplication.create(
        number=f"PENDING-{now.timestamp()}-{applied_by}", partner_id=partner_id, method=method, status=status,
        amount=sum((amount for _, amount in shares), ZERO), applied_by_id=applied_by,
        submitted_at=now if status is PayoutStatus.PROCESSING else None,
    )
    application.number = application_number(application)
    await PayoutApplication.filter(id=application.id).update(number=application.number)
    await PayoutApplicationLine.bulk_create([
        PayoutApplicationLine(application_id=application.id, bill_id=bill_id, amount=amount) for bill_id, amount in shares
    ])
    return application


async def _take(bill_id: int, amount: Decimal, field: list[str]) -> None:
    if not await adjust(IncentiveBill, bill_id, "pending_amount", -amount, at_least=ZERO,
                        where={"status": IncentiveBillStatus.CONFIRMED}):
        raise Refusal(Code.INSUFFICIENT_FUNDS, "The bill's pending amount does not cover this application.", field)


def _check_method(checks: Checks, principal: Principal, method: PayoutMethod) -> None:
    """A voucher-quota payout only for a partner that can hold voucher quotas (not the path group)."""
    if method is PayoutMethod.VOUCHER_QUOTA and not principal.identities & ISSUERS[CouponKind.VOUCHER]:
        checks.fail(Code.INVALID, "Your partner cannot hold a voucher quota; choose ACCOUNT_CREDIT or BANK_TRANSFER.", "method")


async def apply(principal: Principal, *, bills: Sequence[BillShare], method: PayoutMethod,
                verification_code: str | None = None) -> PayoutApplication:
    """Apply for the payout of confirmed bills: all or nothing, never more than they have pending."""
    partner_id = principal.own_partner("its incentives")
    checks = Checks()
    if not 1 <= len(bills) <= MAX_BILLS:
        checks.fail(Code.INVALID, f"Apply for 1 to {MAX_BILLS} bills at once.", "bills")
    ids = [share.bill_id for share in bills]
    if len(set(ids)) != len(ids):
        checks.fail(Code.INVALID, "Each bill at most once.", "bills")
    amounts = [checks.amount(share.amount, "bills", str(i), "amount", required=False) for i, share in enumerate(bills)]
    _check_method(checks, principal, method)
    checks.done()
    found = {b.id: b for b in await readable_incentive_bills(principal).filter(id__in=ids, partner_id=partner_id)}
    for i, bill_id in enumerate(ids):
        bill = found.get(bill_id)
        if bill is None:
            checks.fail(Code.NOT_FOUND, "No such incentive bill of yours.", "bills", str(i), "billId")
        elif bill.status is not IncentiveBillStatus.CONFIRMED:
            checks.fail(Code.INVALID_STATE, f"Only a CONFIRMED bill can be applied for; this one is {bill.status.value}.",
                        "bills", str(i), "billId")
        elif bill.pending_amount <= 0:
            checks.fail(Code.INSUFFICIENT_FUNDS, "Nothing is pending on this bill.", "bills", str(i), "amount")
    checks.done()
    await require_code(principal, VerificationPurpose.INCENTIVE_PAYOUT, verification_code)
    shares = []
    # In bill order, whatever the input's: two applications over the same bills lock them in the
    # same order, so they wait for each other instead of deadlocking.
    for i, bill_id, amount in sorted(zip(range(len(ids)), ids, amounts, strict=True), key=lambda share: share[1]):
        taken = amount if amount is not None else found[bill_id].pending_amount
        await _take(bill_id, taken, ["bills", str(i), "amount"])
        shares.append((bill_id, taken))
    return await _create(partner_id, principal.account_id, method, PayoutStatus.PROCESSING, shares)


async def prepare_auto_application(principal: Principal, bill: IncentiveBill, method: PayoutMethod) -> PayoutApplication:
    """Auto-apply, when the partner confirms a bill: its whole pending amount, with the partner's
    method. A partner with verification codes on submits it with a code; otherwise it goes at once."""
    await _take(bill.id, bill.pending_amount, ["id"])
    codes_on = await Partner.filter(id=bill.partner_id, verification_code_enabled=True).exists()
    status = PayoutStatus.PENDING_SUBMISSION if codes_on else PayoutStatus.PROCESSING
    return await _create(bill.partner_id, principal.account_id, method, status, [(bill.id, bill.pending_amount)])


async def set_auto_apply(principal: Principal, *, auto_apply: bool, method: PayoutMethod) -> PayoutSetting:
    partner_id = principal.own_partner("its incentives")
    checks = Checks()
    _check_method(checks, principal, method)
    checks.done()
    setting = await ensure_row(PayoutSetting, partner_id=partner_id)
    await PayoutSetting.filter(id=setting.id).update(auto_apply=auto_apply, method=method)
    return await PayoutSetting.get(id=setting.id)


async def _application(principal: Principal, application_id: int, *, own: bool) -> PayoutApplication:
    mine: dict[str, Any] = {"partner_id": principal.own_partner("its payout applications")} if own else {}
    return await readable_payout_applications.one(principal, application_id, "payout application", **mine)


async def submit(principal: Principal, *, id: int, verification_code: str | None = None) -> PayoutApplication:
    application = await _application(principal, id, own=True)
    await require_code(principal, VerificationPurpose.INCENTIVE_PAYOUT, verification_code)
    return await move(application, PayoutStatus.PENDING_SUBMISSION, "submitted", status=PayoutStatus.PROCESSING,
                      submitted_at=datetime.now(UTC))


async def accept(principal: Principal, *, id: int) -> PayoutApplication:
    """Finance accepts the application: the partner now invoices against its invoicing list."""
    return await move(await _application(principal, id, own=False), PayoutStatus.PROCESSING, "accepted",
                      status=PayoutStatus.AWAITING_INVOICE)


async def submit_invoice(principal: Principal, *, id: int, invoice_numbers: list[str]) -> PayoutApplication:
    checks = Checks()
    numbers = [n.strip() for n in invoice_numbers]
    if not 1 <= len(numbers) <= MAX_INVOICES:
        checks.fail(Code.INVALID, f"Give 1 to {MAX_INVOICES} invoice numbers.", "invoiceNumbers")
    for i, number in enumerate(numbers):
        if not INVOICE_NUMBER.fullmatch(number):
            checks.fail(Code.INVALID, "An invoice number is 1 to 32 letters, digits or '-'.", "invoiceNumbers", str(i))
    if len({number.upper() for number in numbers}) != len(numbers):
        checks.fail(Code.INVALID, "Each invoice number at most once (letters in any case).", "invoiceNumbers")
    checks.done()
    application = await _application(principal, id, own=True)
    return await move(application, PayoutStatus.AWAITING_INVOICE, "invoiced", status=PayoutStatus.INVOICE_REVIEW,
                      invoice_numbers=numbers, invoiced_at=datetime.now(UTC))


async def reject_invoice(principal: Principal, *, id: int, reason: str) -> PayoutApplication:
    checks = Checks()
    reason = checks.text(reason, "reason", max_length=500)
    checks.done()
    return await move(await _application(principal, id, own=False), PayoutStatus.INVOICE_REVIEW, "sent back",
                      status=PayoutStatus.AWAITING_INVOICE, invoice_rejection_reason=reason)


async def approve_invoice(principal: Principal, *, id: int) -> PayoutApplication:
    return await move(await _application(principal, id, own=False), PayoutStatus.INVOICE_REVIEW, "approved",
                      status=PayoutStatus.PAYMENT_REVIEW, invoice_rejection_reason="")


async def complete(principal: Principal, *, id: int, bank_reference: str | None = None) -> PayoutApplication:
    """Pay out by the application's method, in the transaction that completes it."""
    application = await _application(principal, id, own=False)
    checks = Checks()
    reference = checks.text(bank_reference, "bankReference", max_length=64,
                            required=application.method is PayoutMethod.BANK_TRANSFER)
    checks.done()
    now = datetime.now(UTC)
    # Moved first: the row is ours until commit, so the payment below happens once.
    done = await move(application, PayoutStatus.PAYMENT_REVIEW, "completed", status=PayoutStatus.COMPLETED, completed_at=now)
    if done.method is PayoutMethod.ACCOUNT_CREDIT:
        await credit_wallet(principal, done.partner_id, done.amount, LedgerEntryKind.INCENTIVE_CREDIT, done.number)
    elif done.method is PayoutMethod.BANK_TRANSFER:
        await PayoutApplication.filter(id=done.id).update(bank_reference=reference or "")
    else:
        quota = await _voucher_quota(principal, done, now)
        if quota is None:
            await PayoutApplication.filter(id=done.id).update(
                status=PayoutStatus.COMPLETED_WITH_ERROR,
                error_message="The partner's identities cannot hold a voucher quota; contact support to be paid another way.")
        else:
            await PayoutApplication.filter(id=done.id).update(voucher_quota_id=quota.id)
    return await PayoutApplication.get(id=done.id)


async def _voucher_quota(principal: Principal, application: PayoutApplication, now: datetime) -> CouponQuota | None:
    """The payout as a NORMAL voucher quota, valid a year; None if the partner cannot issue vouchers."""
    partner = await Partner.get(id=application.partner_id)
    if not {PartnerIdentity(i) for i in partner.identities} & ISSUERS[CouponKind.VOUCHER]:
        return None
    quota = await CouponQuota.create(partner_id=partner.id, kind=CouponKind.VOUCHER, total=application.amount, used=ZERO,
                                     status=QuotaStatus.NORMAL, valid_from=now, valid_until=now + VOUCHER_QUOTA_VALIDITY,
                                     granted_by_id=principal.account_id)
    await operation(CouponOperationType.QUOTA_ALLOCATE, partner_id=partner.id, operator_id=principal.account_id,
                    amount=application.amount, at=now, quota_id=quota.id,
                    detail=f"Incentive payout {application.number} converted into a voucher quota.").save()
    return quota
