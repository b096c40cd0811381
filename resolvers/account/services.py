"""The account balance: recharge, withdrawal and its review, alert threshold, fund allocation.

Every balance change is one conditional UPDATE (`resolvers.money.adjust`) plus its ledger entry
in the same transaction; `balance_after` is read back after our own update, while the row is
still ours (locked on PostgreSQL, the only writer on SQLite), so it is exact under concurrency.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from models.account import (
    BalanceAlert,
    LedgerEntry,
    LedgerEntryKind,
    Wallet,
    Withdrawal,
    WithdrawalStatus,
)
from models.partners import Partner
from models.safeguards import VerificationPurpose
from resolvers.account.queries import readable_withdrawals
from resolvers.errors import Refusal
from resolvers.errors import UserErrorCode as Code
from resolvers.money import adjust
from resolvers.partners.queries import readable_wallets
from resolvers.partners.resellers import hold_resellers
from resolvers.principal import Principal
from resolvers.safeguards import require_code
from resolvers.transitions import move
from resolvers.unit_of_work import ensure_row
from resolvers.validation import NOT_GIVEN, Checks, NotGiven

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MAX_REASON_LENGTH = 500


async def _own_wallet(principal: Principal) -> Wallet:
    wallet = None
    if principal.partner_id is not None:
        wallet = await readable_wallets(principal).get_or_none(partner_id=principal.partner_id)
    if wallet is None:
        raise Refusal(Code.NOT_FOUND, "Your partner has no account balance.")
    return wallet


async def _cap_allocatable(wallet_id: int) -> None:
    """allocatable_balance = min(allocatable_balance, balance), as one conditional statement."""
    db = Wallet._meta.db
    if db.capabilities.dialect == "sqlite":
        # SQLite keeps decimals as text: compare them as numbers (see resolvers.money).
        sql = ('UPDATE "wallet" SET "allocatable_balance" = "balance" WHERE "id" = ? '
               'AND ROUND(CAST("allocatable_balance" AS REAL), 2) > ROUND(CAST("balance" AS REAL), 2)')
    else:
        sql = 'UPDATE "wallet" SET "allocatable_balance" = "balance" WHERE "id" = $1 AND "allocatable_balance" > "balance"'
    await db.execute_query(sql, [wallet_id])


async def _record(principal: Principal, wallet_id: int, kind: LedgerEntryKind, amount: Decimal, reference: str = "") -> tuple[LedgerEntry, Wallet]:
    """The ledger entry of a change just applied to the wallet, with the balance it left."""
    wallet = await Wallet.get(id=wallet_id)
    entry = await LedgerEntry.create(wallet_id=wallet_id, kind=kind, amount=amount, balance_after=wallet.balance,
                                     actor_id=principal.account_id, reference=reference)
    return entry, wallet


async def _alert_if_crossed(wallet: Wallet, taken: Decimal) -> None:
    """The balance-alert event: this change took the balance from >= threshold to < threshold."""
    threshold = wallet.alert_threshold
    if threshold is not None and wallet.balance + taken >= threshold > wallet.balance:
        await BalanceAlert.create(wallet_id=wallet.id, balance=wallet.balance, threshold=threshold)


async def recharge(principal: Principal, *, amount: Decimal) -> LedgerEntry:
    checks = Checks()
    amount = checks.amount(amount, "amount")
    checks.done()
    wallet = await _own_wallet(principal)
    await adjust(Wallet, wallet.id, "balance", amount)
    await adjust(Wallet, wallet.id, "allocatable_balance", amount)
    entry, _ = await _record(principal, wallet.id, LedgerEntryKind.RECHARGE, amount)
    return entry


async def credit_wallet(actor: Principal, partner_id: int, amount: Decimal, kind: LedgerEntryKind, reference: str) -> LedgerEntry:
    """Money the platform pays a partner into its balance (an incentive payout): balance and
    allocatable balance grow by `amount`, with its ledger entry; a partner without a wallet gets one."""
    wallet = await ensure_row(Wallet, partner_id=partner_id)
    await adjust(Wallet, wallet.id, "balance", amount)
    await adjust(Wallet, wallet.id, "allocatable_balance", amount)
    entry, _ = await _record(actor, wallet.id, kind, amount, reference)
    return entry


async def withdraw(principal: Principal, *, amount: Decimal, verification_code: str | None) -> Withdrawal:
    checks = Checks()
    amount = checks.amount(amount, "amount")
    checks.done()
    wallet = await _own_wallet(principal)
    await require_code(principal, VerificationPurpose.WITHDRAWAL, verification_code)
    if not await adjust(Wallet, wallet.id, "balance", -amount, at_least=ZERO):
        raise Refusal(Code.INSUFFICIENT_FUNDS, "The balance does not cover this withdrawal.", ["amount"])
    await _cap_allocatable(wallet.id)
    withdrawal = await Withdrawal.create(wallet_id=wallet.id, amount=amount, requested_by_id=principal.account_id)
    _, after = await _record(principal, wallet.id, LedgerEntryKind.WITHDRAWAL, -amount, f"WD-{withdrawal.id}")
    await _alert_if_crossed(after, amount)
    return withdrawal


async def set_alert_threshold(principal: Principal, *, threshold: Decimal | NotGiven | None = NOT_GIVEN) -> Partner:
    checks = Checks()
    if isinstance(threshold, NotGiven):
        checks.fail(Code.REQUIRED, "Pass `threshold`: an amount, or null to clear it.", "threshold")
    elif threshold is not None:
        threshold = checks.amount(threshold, "threshold", allow_zero=True)
    checks.done()
    wallet = await _own_wallet(principal)
    await Wallet.filter(id=wallet.id).update(alert_threshold=threshold)
    return await Partner.get(id=wallet.partner_id)


async def allocate_funds(principal: Principal, *, reseller_id: int, amount: Decimal, verification_code: str | None) -> LedgerEntry:
    checks = Checks()
    amount = checks.amount(amount, "amount")
    checks.done()
    reseller_wallet = None
    if reseller_id in principal.managed_partner_ids:
        reseller_wallet = await Wallet.get_or_none(partner_id=reseller_id)
    if reseller_wallet is None:
        raise Refusal(Code.NOT_FOUND, "No such reseller of yours.", ["resellerId"])
    wallet = await _own_wallet(principal)
    await require_code(principal, VerificationPurpose.FUND_ALLOCATION, verification_code)
    if not await hold_resellers(wallet.partner_id, [reseller_id]):
        raise Refusal(Code.INVALID_STATE, "The reseller's association with you ended meanwhile.", ["resellerId"])
    if not await adjust(Wallet, wallet.id, "allocatable_balance", -amount, at_least=ZERO):
        raise Refusal(Code.INSUFFICIENT_FUNDS, "The allocatable balance does not cover this amount.", ["amount"])
    if not await adjust(Wallet, wallet.id, "balance", -amount, at_least=ZERO):
        raise Refusal(Code.INSUFFICIENT_FUNDS, "The balance does not cover this amount.", ["amount"])
    await adjust(Wallet, reseller_wallet.id, "balance", amount)
    await adjust(Wallet, reseller_wallet.id, "allocatable_balance", amount)
    out, after = await _record(principal, wallet.id, LedgerEntryKind.ALLOCATION_OUT, -amount, f"ALLOC-TO-{reseller_id}")
    await _record(principal, reseller_wallet.id, LedgerEntryKind.ALLOCATION_IN, amount, f"ALLOC-FROM-{principal.partner_id}")
    await _alert_if_crossed(after, amount)
    return out


async def approve_withdrawal(principal: Principal, *, id: int) -> Withdrawal:
    withdrawal = await readable_withdrawals.one(principal, id, "withdrawal")
    return await move(withdrawal, WithdrawalStatus.PENDING, "approved", status=WithdrawalStatus.APPROVED,
                      reviewed_by_id=principal.account_id, reviewed_at=datetime.now(UTC))


async def reject_withdrawal(principal: Principal, *, id: int, reason: str) -> Withdrawal:
    checks = Checks()
    reason = checks.text(reason, "reason", max_length=MAX_REASON_LENGTH) or ""
    checks.done()
    withdrawal = await readable_withdrawals.one(principal, id, "withdrawal")
    rejected = await move(withdrawal, WithdrawalStatus.PENDING, "rejected", status=WithdrawalStatus.REJECTED,
                          reviewed_by_id=principal.account_id, reviewed_at=datetime.now(UTC), rejection_reason=reason)
    await adjust(Wallet, rejected.wallet_id, "balance", rejected.amount)
    await _record(principal, rejected.wallet_id, LedgerEntryKind.WITHDRAWAL_REVERSAL, rejected.amount, f"WD-{rejected.id}")
    return rejected


async def mark_withdrawal_paid(principal: Principal, *, id: int) -> Withdrawal:
    withdrawal = await readable_withdrawals.one(principal, id, "withdrawal")
    return await move(withdrawal, WithdrawalStatus.APPROVED, "marked paid", status=WithdrawalStatus.PAID, paid_at=datetime.now(UTC))
