"""The account balance: recharge, withdrawals, alerts, fund allocation."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.account import services
from resolvers.partners.queries import readable_partners
from schema.account.inputs import (
    AccountRechargeInput,
    AccountWithdrawInput,
    BalanceAlertSetInput,
    ResellerFundsAllocateInput,
    WithdrawalApproveInput,
    WithdrawalMarkPaidInput,
    WithdrawalRejectInput,
)
from schema.account.types import LedgerEntry, Withdrawal
from schema.mutations import UserError, mutation_pk, run_mutation
from schema.partners.types import Partner
from schema.permissions.directive import PUBLIC, permission_field
from resolvers.permissions.catalog import Permission

Input = Annotated


@strawberry.type(description="The result of a recharge.", directives=[PUBLIC])
class AccountRechargePayload:
    ledger_entry: LedgerEntry | None = strawberry.field(description="The RECHARGE ledger entry; null if refused.")
    partner: Partner | None = strawberry.field(description="Your partner with its balance now; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the recharge was refused; empty on success.")


@strawberry.type(description="The result of a withdrawal request or review.", directives=[PUBLIC])
class WithdrawalPayload:
    withdrawal: Withdrawal | None = strawberry.field(description="The withdrawal as it is now; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The result of setting the balance alert threshold.", directives=[PUBLIC])
class BalanceAlertSetPayload:
    partner: Partner | None = strawberry.field(description="Your partner with its threshold now; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the change was refused; empty on success.")


@strawberry.type(description="The result of allocating funds to a reseller.", directives=[PUBLIC])
class ResellerFundsAllocatePayload:
    ledger_entry: LedgerEntry | None = strawberry.field(description="Your ALLOCATION_OUT ledger entry; null if refused.")
    partner: Partner | None = strawberry.field(description="Your partner with its balances now; null if refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the allocation was refused; empty on success.")


async def _own_partner(info: strawberry.Info):
    return await info.context.load(readable_partners, info.context.principal.partner_id)


@strawberry.type(description="The account balance: recharge, withdrawals, alerts, fund allocation.")
class AccountMutations:
    @permission_field(requires=Permission.ACCOUNT_RECHARGE, description="Recharge your partner's balance (充值); the allocatable balance grows by the same amount.")
    async def account_recharge(self, info: strawberry.Info, input: Input[AccountRechargeInput, strawberry.argument(description="The amount.")]) -> AccountRechargePayload | None:
        principal = info.context.principal
        entry, errors = await run_mutation(
            info, "accountRecharge", input, lambda: services.recharge(principal, input.amount),
            target=lambda e: f"LedgerEntry:{e.id}",
            idempotency_key=input.idempotency_key, replay=lambda ref: services.ledger_entry_by_ref(principal, ref))
        return AccountRechargePayload(ledger_entry=entry, partner=await _own_partner(info) if entry else None, user_errors=errors)

    @permission_field(requires=Permission.ACCOUNT_WITHDRAW, description=(
        "Request a withdrawal (提现): the amount leaves the balance at once (never below 0) and waits for finance as PENDING. "
        "Takes a verification code when your partner has them on."))
    async def account_withdraw(self, info: strawberry.Info, input: Input[AccountWithdrawInput, strawberry.argument(description="The amount and code.")]) -> WithdrawalPayload | None:
        principal = info.context.principal
        withdrawal, errors = await run_mutation(
            info, "accountWithdraw", input, lambda: services.withdraw(principal, input.amount, input.verification_code),
            target=lambda w: f"Withdrawal:{w.id}",
            idempotency_key=input.idempotency_key, replay=lambda ref: services.withdrawal_by_ref(principal, ref))
        return WithdrawalPayload(withdrawal=withdrawal, user_errors=errors)

    @permission_field(requires=Permission.ACCOUNT_BALANCE_ALERT_SET, description="Set or clear the balance alert threshold (设置余额预警).")
    async def balance_alert_set(self, info: strawberry.Info, input: Input[BalanceAlertSetInput, strawberry.argument(description="The threshold.")]) -> BalanceAlertSetPayload | None:
        given = input.threshold is not strawberry.UNSET
        partner, errors = await run_mutation(
            info, "balanceAlertSet", input,
            lambda: services.set_alert_threshold(info.context.principal, input.threshold if given else None, given=given),
            target=lambda p: f"Partner:{p.id}")
        return BalanceAlertSetPayload(partner=partner, user_errors=errors)

    @permission_field(requires=Permission.RESELLER_FUNDS_ALLOCATE, description=(
        "Allocate funds to one of your resellers: your allocatable balance and balance go down, the reseller's go up. "
        "Takes a verification code when your partner has them on."))
    async def reseller_funds_allocate(self, info: strawberry.Info, input: Input[ResellerFundsAllocateInput, strawberry.argument(description="Reseller, amount and code.")]) -> ResellerFundsAllocatePayload | None:
        principal = info.context.principal
        entry, errors = await run_mutation(
            info, "resellerFundsAllocate", input, lambda: services.allocate_funds(
                principal, mutation_pk(input.reseller_id, "Partner", "resellerId"), input.amount, input.verification_code),
            target=lambda e: f"LedgerEntry:{e.id}",
            idempotency_key=input.idempotency_key, replay=lambda ref: services.ledger_entry_by_ref(principal, ref))
        return ResellerFundsAllocatePayload(ledger_entry=entry, partner=await _own_partner(info) if entry else None, user_errors=errors)

    @permission_field(requires=Permission.ACCOUNT_WITHDRAWAL_REVIEW, description="Approve a PENDING withdrawal (finance staff).")
    async def withdrawal_approve(self, info: strawberry.Info, input: Input[WithdrawalApproveInput, strawberry.argument(description="The withdrawal.")]) -> WithdrawalPayload | None:
        withdrawal, errors = await run_mutation(info, "withdrawalApprove", input, lambda: services.approve_withdrawal(
            info.context.principal, mutation_pk(input.id, "Withdrawal", "id")), target=lambda w: f"Withdrawal:{w.id}")
        return WithdrawalPayload(withdrawal=withdrawal, user_errors=errors)

    @permission_field(requires=Permission.ACCOUNT_WITHDRAWAL_REVIEW, description="Reject a PENDING withdrawal with a reason (finance staff); its amount returns to the balance.")
    async def withdrawal_reject(self, info: strawberry.Info, input: Input[WithdrawalRejectInput, strawberry.argument(description="The withdrawal and reason.")]) -> WithdrawalPayload | None:
        withdrawal, errors = await run_mutation(info, "withdrawalReject", input, lambda: services.reject_withdrawal(
            info.context.principal, mutation_pk(input.id, "Withdrawal", "id"), input.reason), target=lambda w: f"Withdrawal:{w.id}")
        return WithdrawalPayload(withdrawal=withdrawal, user_errors=errors)

    @permission_field(requires=Permission.ACCOUNT_WITHDRAWAL_REVIEW, description="Record that an APPROVED withdrawal was paid out (finance staff).")
    async def withdrawal_mark_paid(self, info: strawberry.Info, input: Input[WithdrawalMarkPaidInput, strawberry.argument(description="The withdrawal.")]) -> WithdrawalPayload | None:
        withdrawal, errors = await run_mutation(info, "withdrawalMarkPaid", input, lambda: services.mark_withdrawal_paid(
            info.context.principal, mutation_pk(input.id, "Withdrawal", "id")), target=lambda w: f"Withdrawal:{w.id}")
        return WithdrawalPayload(withdrawal=withdrawal, user_errors=errors)
