"""Demo incentives: reconciliation bills in every status with their lines and indicators, payout
applications in every status, settlement bills in every status, Yanxuan orders.

Three partners earn incentives: the distributor (sales rebates), the solution provider (solution
incentives) and the service partner of the path group (capability-improvement incentives).
Resellers earn none. Every amount adds up: a bill's amount is its pending amount plus its frozen
amount plus what its applications took.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from gateway.seed.common import money
from gateway.seed.demo_context import DemoContext
from gateway.seed.demo_partners import MAIN_ACCOUNTS
from models.account import LedgerEntry, LedgerEntryKind, Wallet
from models.incentives import (
    BillingMode,
    IncentiveBill,
    IncentiveBillLine,
    IncentiveBillStatus,
    IncentiveIndicator,
    IncentiveType,
    PayoutApplication,
    PayoutApplicationLine,
    PayoutMethod,
    PayoutSetting,
    PayoutStatus,
    SettlementBill,
    SettlementStatus,
    YanxuanOrder,
)
from models.members import Account
from resolvers.incentives.payout_services import application_number
from resolvers.incentives.settlement_services import TRANSITIONS

B, PS = IncentiveBillStatus, PayoutStatus


@dataclass(frozen=True)
class BillSpec:
    months_ago: int  # the period: this many months before the reference month
    type: IncentiveType
    amount: str
    status: IncentiveBillStatus
    frozen: str = "0"
    # The application drawing on the bill: its status and method; `applied` of the amount (default: all pending).
    application: tuple[PayoutStatus, PayoutMethod] | None = None
    applied: str | None = None
    invoice_rejected: bool = False  # finance sent its invoice back (AWAITING_INVOICE with a reason)


REBATE, SOLUTION, CAPABILITY, STAFF = (IncentiveType.SALES_REBATE, IncentiveType.SOLUTION_INCENTIVE,
                                       IncentiveType.CAPABILITY_IMPROVEMENT, IncentiveType.FULL_TIME_STAFF)
CREDIT, TRANSFER, VOUCHER = PayoutMethod.ACCOUNT_CREDIT, PayoutMethod.BANK_TRANSFER, PayoutMethod.VOUCHER_QUOTA
FROZEN_REASON = "Under audit: two orders of the period are being checked for compliance."
DISPUTE_REASON = "The renewal of order CS-2291 is missing from the detail lines."
INVOICE_REJECTION = "The invoice's buyer tax ID does not match the platform's invoicing entity."

BILLS: dict[str, list[BillSpec]] = {
    # This month's running estimates, then last month's, not closed yet (incentivePeriodClose).
    "distributor": [
        BillSpec(0, REBATE, "9400.00", B.ESTIMATED),
        BillSpec(1, REBATE, "18600.00", B.ESTIMATED),
        BillSpec(2, REBATE, "21450.00", B.PENDING_CONFIRMATION),
        BillSpec(2, STAFF, "6000.00", B.DISPUTED),
        # Auto-applied on confirmation; verification codes are on, so it waits for the partner's code.
        BillSpec(3, REBATE, "19870.50", B.CONFIRMED, application=(PS.PENDING_SUBMISSION, TRANSFER)),
        BillSpec(4, REBATE, "24300.00", B.CONFIRMED, frozen="4300.00", application=(PS.PROCESSING, TRANSFER), applied="8000.00"),
        BillSpec(5, REBATE, "17640.00", B.CONFIRMED, application=(PS.AWAITING_INVOICE, TRANSFER), invoice_rejected=True),
        BillSpec(6, REBATE, "22015.00", B.CONFIRMED, application=(PS.INVOICE_REVIEW, TRANSFER)),
        BillSpec(7, REBATE, "20480.00", B.CONFIRMED, application=(PS.PAYMENT_REVIEW, TRANSFER)),
        BillSpec(8, REBATE, "16920.00", B.CONFIRMED, application=(PS.COMPLETED, TRANSFER)),
        BillSpec(9, REBATE, "15300.00", B.CONFIRMED, application=(PS.COMPLETED, TRANSFER)),
    ],
    "provider": [
        BillSpec(0, SOLUTION, "4100.00", B.ESTIMATED),
        BillSpec(1, SOLUTION, "8200.00", B.ESTIMATED),
        BillSpec(2, SOLUTION, "9350.00", B.PENDING_CONFIRMATION),
        # Paid 35 to 66 days ago (completed 24 days after its period's end): its INCENTIVE_CREDIT is the
        # latest entry of Lattice's ledger, whose last other entry is 85 days old.
        BillSpec(3, SOLUTION, "6980.00", B.CONFIRMED, application=(PS.COMPLETED, CREDIT)),
        BillSpec(4, SOLUTION, "7600.00", B.CONFIRMED),
        BillSpec(5, SOLUTION, "8840.00", B.CONFIRMED, application=(PS.PROCESSING, CREDIT)),
        BillSpec(6, SOLUTION, "10120.00", B.CONFIRMED, frozen="1120.00", application=(PS.AWAITING_INVOICE, CREDIT)),
    ],
    "service": [
        BillSpec(0, CAPABILITY, "1500.00", B.ESTIMATED),
        BillSpec(1, CAPABILITY, "3100.00", B.ESTIMATED),
        BillSpec(2, CAPABILITY, "2900.00", B.PENDING_CONFIRMATION),
        BillSpec(3, CAPABILITY, "3350.00", B.CONFIRMED, application=(PS.PROCESSING, VOUCHER)),
        # A path partner cannot hold vouchers: the voucher-quota payout completed with an error.
        BillSpec(4, CAPABILITY, "2750.00", B.CONFIRMED, application=(PS.COMPLETED_WITH_ERROR, VOUCHER)),
        BillSpec(5, CAPABILITY, "3020.00", B.CONFIRMED, application=(PS.COMPLETED, TRANSFER)),
    ],
}
# The auto-apply switch: Northwind and Summit have their confirmed bills applied for at once.
PAYOUT_SETTINGS = {"distributor": (True, TRANSFER), "provider": (False, CREDIT), "service": (True, TRANSFER)}

PRODUCT_TYPES = ("ECS", "RDS", "OBS", "CDN", "CCE", "GaussDB")
LINES_PER_BILL = 4
# How many days after its period's end a step happened: confirmed, applied, invoiced, completed.
CONFIRMED_AFTER, APPLIED_AFTER, INVOICED_AFTER, COMPLETED_AFTER = 6, 8, 14, 24
PROGRESS = [PS.PENDING_SUBMISSION, PS.PROCESSING, PS.AWAITING_INVOICE, PS.INVOICE_REVIEW, PS.PAYMENT_REVIEW, PS.COMPLETED]

# handle -> [(product, amount, status, months ago)]: every settlement status for the provider.
SETTLEMENTS: dict[str, list[tuple[str, str, SettlementStatus, int]]] = {
    "provider": [
        ("Lattice Data Governance Suite", "12800.00", SettlementStatus.PENDING_COUNTERSIGN, 1),
        ("Lattice Retail Analytics", "6400.00", SettlementStatus.COUNTERSIGNING, 1),
        ("Lattice Data Governance Suite", "9900.00", SettlementStatus.COUNTERSIGN_REJECTED, 2),
        ("Lattice Retail Analytics", "7150.00", SettlementStatus.PENDING_PAYMENT_REQUEST, 2),
        ("Lattice Data Governance Suite", "11200.00", SettlementStatus.PAYMENT_REQUEST_FAILED, 3),
        ("Lattice Retail Analytics", "5600.00", SettlementStatus.AWAITING_INVOICE, 3),
        ("Lattice Data Governance Suite", "13450.00", SettlementStatus.INVOICE_REVIEW, 4),
        ("Lattice Retail Analytics", "8020.00", SettlementStatus.PAYMENT_PROCESSING, 4),
        ("Lattice Data Governance Suite", "10780.00", SettlementStatus.PAID, 5),
    ],
    "service": [
        ("Summit Managed Migration", "4200.00", SettlementStatus.AWAITING_INVOICE, 1),
        ("Summit Managed Migration", "3900.00", SettlementStatus.PAID, 2),
    ],
    "distributor": [("Northwind Backup Bundle", "2600.00", SettlementStatus.PAID, 2)],
}
SETTLEMENT_NOTES = {
    SettlementStatus.COUNTERSIGN_REJECTED: "The settlement ratio differs from the signed store agreement.",
    SettlementStatus.PAYMENT_REQUEST_FAILED: "The payee bank account is not verified yet.",
}

# handle -> [(product, quantity, floor, catalogue, unit price, days ago, price adjusted)]
YANXUAN: dict[str, list[tuple[str, int, str, str, str, int, bool]]] = {
    "reseller2": [
        ("Yanxuan Office Suite (annual)", 20, "560.00", "699.00", "640.00", 40, False),
        ("Yanxuan Endpoint Security", 50, "88.00", "120.00", "88.00", 25, True),
        ("Yanxuan Video Conferencing", 10, "1500.00", "1980.00", "1800.00", 12, False),
        ("Yanxuan Office Suite (annual)", 8, "560.00", "699.00", "699.00", 3, False),
    ],
    "provider2": [
        ("Yanxuan Design Studio", 5, "2400.00", "2999.00", "2700.00", 30, False),
        ("Yanxuan Endpoint Security", 120, "88.00", "120.00", "110.00", 9, False),
    ],
}


def period(ctx: DemoContext, months_ago: int) -> str:
    year, month = divmod(ctx.now.year * 12 + ctx.now.month - 1 - months_ago, 12)
    return f"{year:04d}-{month + 1:02d}"


def _period_end(ctx: DemoContext, months_ago: int) -> datetime:
    """The first day of the month after the period (at the reference time of day)."""
    year, month = divmod(ctx.now.year * 12 + ctx.now.month - months_ago, 12)
    return ctx.now.replace(year=year, month=month + 1, day=1)


async def seed_incentives(ctx: DemoContext) -> None:
    for handle, specs in BILLS.items():
        for spec in specs:
            await _bill(ctx, handle, spec)
        auto_apply, method = PAYOUT_SETTINGS[handle]
        await PayoutSetting.create(partner=ctx.partners[handle], auto_apply=auto_apply, method=method)
    await _settlements(ctx)
    await _yanxuan(ctx)


async def _bill(ctx: DemoContext, handle: str, spec: BillSpec) -> None:
    amount, frozen = money(spec.amount), money(spec.frozen)
    applied = Decimal("0.00")
    if spec.application is not None:
        applied = money(spec.applied) if spec.applied is not None else amount - frozen
    end = _period_end(ctx, spec.months_ago)
    main = ctx.account(MAIN_ACCOUNTS[handle][0])
    confirmed = spec.status is B.CONFIRMED
    bill = await IncentiveBill.create(
        partner=ctx.partners[handle], type=spec.type, period=period(ctx, spec.months_ago), status=spec.status,
        amount=amount, pending_amount=amount - frozen - applied, frozen_amount=frozen,
        frozen_reason=FROZEN_REASON if frozen else "", dispute_reason=DISPUTE_REASON if spec.status is B.DISPUTED else "",
        confirmed_at=ctx.at(days=(end - ctx.now).days + CONFIRMED_AFTER) if confirmed else None,
        confirmed_by=main if confirmed else None, created_at=end if spec.months_ago else ctx.at(days=-1),
    )
    await _lines(ctx, handle, bill)
    await IncentiveIndicator.bulk_create([
        IncentiveIndicator(bill=bill, name="Resale consumption", statistic_method="Sum of customers' paid consumption in the period",
                           period=bill.period, value=f"{amount * 25:.2f} CNY"),
        IncentiveIndicator(bill=bill, name="Incentive rate", statistic_method="Tier reached by the period's consumption",
                           period=bill.period, value="4%"),
    ])
    if spec.application is not None:
        await _application(ctx, handle, bill, applied, *spec.application, end=end, rejected=spec.invoice_rejected)


async def _lines(ctx: DemoContext, handle: str, bill: IncentiveBill) -> None:
    customers = ctx.customers.get(handle, [])
    share = (bill.amount / LINES_PER_BILL).quantize(Decimal("0.01"))
    lines = []
    for i in range(LINES_PER_BILL):
        customer = customers[i % len(customers)] if customers else None
        manager = await Account.get_or_none(id=customer.account_manager_id) if customer is not None and customer.account_manager_id else None
        lines.append(IncentiveBillLine(
            bill=bill, billing_mode=BillingMode.YEARLY_MONTHLY if i % 2 == 0 else BillingMode.ON_DEMAND,
            order_id=f"CS{bill.period.replace('-', '')}{bill.id:04d}{i + 1:02d}", customer=customer,
            customer_name=customer.name if customer is not None else f"Summit client {i + 1}",
            account_manager=manager, account_manager_name=manager.display_name if manager is not None else "",
            product_type=PRODUCT_TYPES[(bill.id + i) % len(PRODUCT_TYPES)],
            # The last line takes the rounding: the lines add up to the bill's amount exactly.
            amount=share if i < LINES_PER_BILL - 1 else bill.amount - share * (LINES_PER_BILL - 1),
        ))
    await IncentiveBillLine.bulk_create(lines)


async def _application(ctx: DemoContext, handle: str, bill: IncentiveBill, amount: Decimal, status: PayoutStatus,
                       method: PayoutMethod, *, end: datetime, rejected: bool) -> None:
    main = ctx.account(MAIN_ACCOUNTS[handle][0])
    reached = PROGRESS.index(PS.COMPLETED if status is PS.COMPLETED_WITH_ERROR else status)
    applied_at = ctx.at(days=(end - ctx.now).days + APPLIED_AFTER)
    invoiced = reached >= PROGRESS.index(PS.INVOICE_REVIEW) or rejected
    completed = reached == PROGRESS.index(PS.COMPLETED)
    application = await PayoutApplication.create(
        number=f"SEED-{bill.id}", partner=ctx.partners[handle], method=method, status=status, amount=amount,
        invoice_numbers=[f"0441{bill.id:04d}{n}" for n in range(1, 3)] if invoiced else [],
        invoice_rejection_reason=INVOICE_REJECTION if rejected else "",
        bank_reference=f"TRF{bill.period.replace('-', '')}{bill.id:05d}" if completed and method is TRANSFER else "",
        error_message="The partner's identities cannot hold a voucher quota; contact support to be paid another way."
        if status is PS.COMPLETED_WITH_ERROR else "",
        applied_by=main, created_at=applied_at,
        submitted_at=applied_at if status is not PS.PENDING_SUBMISSION else None,
        invoiced_at=ctx.at(days=(end - ctx.now).days + INVOICED_AFTER) if invoiced else None,
        completed_at=ctx.at(days=(end - ctx.now).days + COMPLETED_AFTER) if completed else None,
    )
    application.number = application_number(application)
    await application.save(update_fields=["number"])
    await PayoutApplicationLine.create(application=application, bill=bill, amount=amount)
    if completed and method is CREDIT:
        await _credit(ctx, handle, application)


async def _credit(ctx: DemoContext, handle: str, application: PayoutApplication) -> None:
    """An ACCOUNT_CREDIT payout, as completing it does: the balance and its ledger entry."""
    wallet = await Wallet.get(partner=ctx.partners[handle])
    wallet.balance += application.amount
    wallet.allocatable_balance += application.amount
    await wallet.save(update_fields=["balance", "allocatable_balance"])
    await LedgerEntry.create(wallet=wallet, kind=LedgerEntryKind.INCENTIVE_CREDIT, amount=application.amount,
                             balance_after=wallet.balance, actor=ctx.account("staff.finance"), reference=application.number,
                             created_at=application.completed_at)


async def _settlements(ctx: DemoContext) -> None:
    serial = 0
    flow = list(TRANSITIONS.values())
    for handle, specs in SETTLEMENTS.items():
        for product, amount, status, months_ago in specs:
            serial += 1
            # The invoice number exists from the moment the partner submitted it (received: INVOICE_REVIEW on).
            invoiced = status in (SettlementStatus.INVOICE_REVIEW, SettlementStatus.PAYMENT_PROCESSING, SettlementStatus.PAID)
            end = _period_end(ctx, months_ago)
            await SettlementBill.create(
                number=f"SB{period(ctx, months_ago).replace('-', '')}{serial:04d}", partner=ctx.partners[handle],
                period=period(ctx, months_ago), product_name=product, amount=money(amount), status=status,
                note=SETTLEMENT_NOTES.get(status, ""), invoice_number=f"0552{serial:06d}" if invoiced else "",
                invoice_received_at=end.replace(day=12) if invoiced else None,
                paid_at=end.replace(day=25) if status is SettlementStatus.PAID else None, created_at=end,
            )
    assert {target for _, target, _ in flow} | {SettlementStatus.PENDING_COUNTERSIGN} == {
        status for _, _, status, _ in SETTLEMENTS["provider"]}, "the provider's settlement bills cover every status"


async def _yanxuan(ctx: DemoContext) -> None:
    serial = 0
    for handle, orders in YANXUAN.items():
        customers = ctx.customers.get(handle, [])
        for product, quantity, floor, catalogue, unit, days_ago, adjusted in orders:
            serial += 1
            await YanxuanOrder.create(
                order_number=f"YX{ctx.at(days=-days_ago):%Y%m%d}{serial:04d}", partner=ctx.partners[handle],
                customer=customers[serial % len(customers)] if customers else None, product_name=product,
                quantity=quantity, floor_price=money(floor), catalogue_price=money(catalogue), unit_price=money(unit),
                ordered_at=ctx.at(days=-days_ago), price_adjusted_at=ctx.at(days=-days_ago + 1) if adjusted else None,
            )
