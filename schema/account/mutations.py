"""The account balance: recharge, withdrawals, alerts, fund allocation."""

from __future__ import annotations

from typing import Any

import strawberry

from resolvers.account import services
from resolvers.partners.queries import readable_partners
from resolvers.permissions.catalog import Permission
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
from schema.context import Info
from schema.mutations import Payload, PayloadField, mutation
from schema.partners.types import Partner


async def _own_partner(info: Info, _: Any) -> Any:
    return await info.context.load(readable_partners, info.context.principal.partner_id)


WITHDRAWAL = Payload(
    "The result of a withdrawal request or review.",
    returns=PayloadField("withdrawal", Withdrawal, "The withdrawal as it is now; null if refused."),
    name="WithdrawalPayload",
)


@strawberry.type(description="The account balance: recharge, withdrawals, alerts, fund allocation.")
class AccountMutations:
    account_recharge = mutation(
        requires=Permission.ACCOUNT_RECHARGE,
        input=AccountRechargeInput,
        service=services.recharge,
        argument="The amount.",
        description="Recharge your partner's balance (充值); the allocatable balance grows by the same amount.",
        payload=Payload(
            "The result of a recharge.",
            returns=PayloadField("ledger_entry", LedgerEntry, "The RECHARGE ledger entry; null if refused."),
            also=[PayloadField("partner", Partner, "Your partner with its balance now; null if refused.", resolve=_own_partner)],
            refused="Why the recharge was refused; empty on success.",
        ),
    )
    account_withdraw = mutation(
        requires=Permission.ACCOUNT_WITHDRAW,
        input=AccountWithdrawInput,
        service=services.withdraw,
        argument="The amount and code.",
        description="Request a withdrawal (提现): the amount leaves the balance at once (never below 0) and waits for finance "
                    "as PENDING. Takes a verification code when your partner has them on.",
        payload=WITHDRAWAL,
    )
    balance_alert_set = mutation(
        requires=Permission.ACCOUNT_BALANCE_ALERT_SET,
        input=BalanceAlertSetInput,
        service=services.set_alert_threshold,
        argument="The threshold.",
        description="Set or clear the balance alert threshold (设置余额预警).",
        payload=Payload(
            "The result of setting the balance alert threshold.",
            returns=PayloadField("partner", Partner, "Your partner with its threshold now; null if refused."),
        ),
    )
    reseller_funds_allocate = mutation(
        requires=Permission.RESELLER_FUNDS_ALLOCATE,
        input=ResellerFundsAllocateInput,
        service=services.allocate_funds,
        argument="Reseller, amount and code.",
        description="Allocate funds to one of your resellers: your allocatable balance and balance go down, the reseller's go up. "
                    "Takes a verification code when your partner has them on.",
        payload=Payload(
            "The result of allocating funds to a reseller.",
            returns=PayloadField("ledger_entry", LedgerEntry, "Your ALLOCATION_OUT ledger entry; null if refused."),
            also=[PayloadField("partner", Partner, "Your partner with its balances now; null if refused.", resolve=_own_partner)],
            refused="Why the allocation was refused; empty on success.",
        ),
    )
    withdrawal_approve = mutation(
        requires=Permission.ACCOUNT_WITHDRAWAL_REVIEW,
        input=WithdrawalApproveInput,
        service=services.approve_withdrawal,
        argument="The withdrawal.",
        description="Approve a PENDING withdrawal (finance staff).",
        payload=WITHDRAWAL,
    )
    withdrawal_reject = mutation(
        requires=Permission.ACCOUNT_WITHDRAWAL_REVIEW,
        input=WithdrawalRejectInput,
        service=services.reject_withdrawal,
        argument="The withdrawal and reason.",
        description="Reject a PENDING withdrawal with a reason (finance staff); its amount returns to the balance.",
        payload=WITHDRAWAL,
    )
    withdrawal_mark_paid = mutation(
        requires=Permission.ACCOUNT_WITHDRAWAL_REVIEW,
        input=WithdrawalMarkPaidInput,
        service=services.mark_withdrawal_paid,
        argument="The withdrawal.",
        description="Record that an APPROVED withdrawal was paid out (finance staff).",
        payload=WITHDRAWAL,
    )
