"""A partner's funds (账户信息): the balance and its append-only ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.base import DescribedEnum, created_at_field, money_field

if TYPE_CHECKING:
    from models.members import Account
    from models.partners import Partner



class LedgerEntryKind(DescribedEnum):
    RECHARGE = "RECHARGE", "Money added by a recharge."
    WITHDRAWAL = "WITHDRAWAL", "Money taken from the balance by a withdrawal request (returned by a reversal if finance rejects it)."
    ALLOCATION_OUT = "ALLOCATION_OUT", "Funds a distributor allocated to a reseller."
    ALLOCATION_IN = "ALLOCATION_IN", "Funds received from the distributor."
    WITHDRAWAL_REVERSAL = "WITHDRAWAL_REVERSAL", "A rejected withdrawal's amount returned to the balance."
    ADJUSTMENT = "ADJUSTMENT", "A correction by finance staff."
    INCENTIVE_CREDIT = "INCENTIVE_CREDIT", "An incentive payout credited to the balance (返华为云账户)."


class WithdrawalStatus(DescribedEnum):
    PENDING = "PENDING", "Requested; the amount is held from the balance until finance decides."
    APPROVED = "APPROVED", "Approved by finance; waiting to be paid out."
    REJECTED = "REJECTED", "Rejected by finance; the amount returned to the balance."
    PAID = "PAID", "Paid out."


class Wallet(Model):
    """One per partner. ``balance`` changes only together with a ledger entry."""

    id = fields.IntField(primary_key=True)
    partner: fields.OneToOneRelation[Partner] = fields.OneToOneField("models.Partner", related_name="wallet", on_delete=fields.CASCADE)
    partner_id: int
    currency = fields.CharField(max_length=3, default="CNY")
    balance = money_field()
    allocatable_balance = money_field()
    alert_threshold = fields.DecimalField(max_digits=18, decimal_places=2, null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "wallet"


class LedgerEntry(Model):
    id = fields.IntField(primary_key=True)
    wallet: fields.ForeignKeyRelation[Wallet] = fields.ForeignKeyField("models.Wallet", related_name="ledger", on_delete=fields.CASCADE, db_index=True)
    wallet_id: int
    kind = fields.CharEnumField(LedgerEntryKind)
    # Signed: positive adds to the balance, negative takes from it.
    amount = money_field()
    balance_after = money_field()
    actor: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="ledger_entries", null=True, on_delete=fields.SET_NULL, db_index=True)
    actor_id: int | None
    reference = fields.CharField(max_length=100, default="")
    created_at = created_at_field()

    class Meta:
        table = "ledger_entry"
        ordering = ["id"]


class Withdrawal(Model):
    # The amount leaves the balance when requested (with a ledger entry) and comes back if
    # finance rejects it, so the balance never promises the same money twice.
    # (One-line docstrings only: Tortoise turns them into table comments.)
    """A withdrawal request."""

    id = fields.IntField(primary_key=True)
    wallet: fields.ForeignKeyRelation[Wallet] = fields.ForeignKeyField("models.Wallet", related_name="withdrawals", on_delete=fields.CASCADE, db_index=True)
    wallet_id: int
    amount = money_field()
    status = fields.CharEnumField(WithdrawalStatus, default=WithdrawalStatus.PENDING, db_index=True)
    requested_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="withdrawals", null=True, on_delete=fields.SET_NULL, db_index=True)
    requested_by_id: int | None
    reviewed_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField("models.Account", related_name="reviewed_withdrawals", null=True, on_delete=fields.SET_NULL, db_index=True)
    reviewed_by_id: int | None
    rejection_reason = fields.CharField(max_length=500, default="")
    created_at = created_at_field()
    reviewed_at = fields.DatetimeField(null=True)
    paid_at = fields.DatetimeField(null=True)

    class Meta:
        table = "withdrawal"
        ordering = ["id"]


class BalanceAlert(Model):
    """Raised when a change takes the balance from at-or-above the alert threshold to below it."""

    id = fields.IntField(primary_key=True)
    wallet: fields.ForeignKeyRelation[Wallet] = fields.ForeignKeyField("models.Wallet", related_name="alerts", on_delete=fields.CASCADE, db_index=True)
    wallet_id: int
    balance = money_field()
    threshold = money_field()
    created_at = created_at_field()

    class Meta:
        table = "balance_alert"
        ordering = ["id"]
