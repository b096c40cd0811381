"""Filters for account lists, and the inputs of the account mutations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay
from tortoise.expressions import Q

from resolvers.money import MAX_AMOUNT
from schema.account.types import WithdrawalStatus
from schema.enums import LedgerEntryKind
from schema.filters import FilterInput, criteria
from schema.global_ids import node_id

KEY_DESCRIPTION = ("Any string of 1 to 100 characters you choose per operation: a repeat with the same key "
                   "answers the first result and applies nothing again; the same key with other input is a CONFLICT.")


@strawberry.input(description="Criteria for ledger entries; all given criteria must match.")
class LedgerEntryFilter(FilterInput):
    kind: LedgerEntryKind | None = strawberry.field(default=None, description="Only entries of this kind.")
    after: datetime | None = strawberry.field(default=None, description="Only entries made at or after this time.")
    before: datetime | None = strawberry.field(default=None, description="Only entries made before this time.")

    def lookups(self) -> list[Q]:
        return criteria(kind=self.kind, created_at__gte=self.after, created_at__lt=self.before)


@strawberry.input(description="Criteria for withdrawals; all given criteria must match.")
class WithdrawalFilter(FilterInput):
    status: WithdrawalStatus | None = strawberry.field(default=None, description="Only withdrawals in this status.")
    after: datetime | None = strawberry.field(default=None, description="Only withdrawals requested at or after this time.")
    before: datetime | None = strawberry.field(default=None, description="Only withdrawals requested before this time.")

    def lookups(self) -> list[Q]:
        return criteria(status=self.status, created_at__gte=self.after, created_at__lt=self.before)


@strawberry.input(description="Add money to your partner's balance.")
class AccountRechargeInput:
    amount: Decimal = strawberry.field(description=f"More than 0, at most two decimal places, at most {MAX_AMOUNT} (CNY).")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input(description="Request a withdrawal from your partner's balance.")
class AccountWithdrawInput:
    amount: Decimal = strawberry.field(description="More than 0, at most two decimal places, at most the balance (CNY).")
    verification_code: str | None = strawberry.field(
        default=None, description="A code from `verificationCodeRequest` (purpose WITHDRAWAL); required when your partner has verification codes on.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input(description="Set or clear the balance alert threshold (余额预警).")
class BalanceAlertSetInput:
    threshold: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="An alert is raised when a change takes the balance from at or above this amount to below it; "
                    f"0 or more, two decimal places at most, at most {MAX_AMOUNT}. Pass null explicitly to clear the threshold.")


@strawberry.input(description="Allocate funds from your allocatable balance to one of your resellers.")
class ResellerFundsAllocateInput:
    reseller_id: relay.GlobalID = node_id("Partner", description="A reseller your partner manages.")
    amount: Decimal = strawberry.field(description="More than 0, at most two decimal places, at most your allocatable balance (CNY).")
    verification_code: str | None = strawberry.field(
        default=None, description="A code from `verificationCodeRequest` (purpose FUND_ALLOCATION); required when your partner has verification codes on.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input(description="The withdrawal to approve.")
class WithdrawalApproveInput:
    id: relay.GlobalID = node_id("Withdrawal", description="A PENDING withdrawal.")


@strawberry.input(description="The withdrawal to reject, and why.")
class WithdrawalRejectInput:
    id: relay.GlobalID = node_id("Withdrawal", description="A PENDING withdrawal; its amount returns to the balance.")
    reason: str = strawberry.field(description="Why it is rejected, shown to the partner; at most 500 characters.")


@strawberry.input(description="The withdrawal that was paid out.")
class WithdrawalMarkPaidInput:
    id: relay.GlobalID = node_id("Withdrawal", description="An APPROVED withdrawal.")
