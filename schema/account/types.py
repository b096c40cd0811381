"""The account balance's records: ledger entries, withdrawals and balance alerts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import account as m
from resolvers.account.queries import (
    readable_balance_alerts,
    readable_ledger_entries,
    readable_withdrawals,
)
from resolvers.members.queries import readable_accounts
from resolvers.partners.queries import readable_partners, readable_wallets
from schema.enums import LedgerEntryKind, publish
from schema.members.types import Account
from schema.permissions.directive import PUBLIC
from schema.relay import ModelNode, related_field
from schema.scalars import money_field
from schema.selection import reads

if TYPE_CHECKING:
    from schema.partners.types import Partner

publish(m.WithdrawalStatus, "Where a withdrawal request stands: PENDING -> APPROVED | REJECTED, APPROVED -> PAID.")
WithdrawalStatus = m.WithdrawalStatus


@strawberry.type(description="A ledger entry (账户流水): one change of the balance, with the balance after it.", directives=[PUBLIC])
class LedgerEntry(ModelNode):
    model = m.LedgerEntry
    readable = readable_ledger_entries

    kind: LedgerEntryKind = strawberry.field(description="What moved the money.")
    reference: str = strawberry.field(description="What the entry refers to (a withdrawal `WD-<n>`, an allocation's counterparty), if anything.")
    created_at: datetime = strawberry.field(description="When the balance changed.")

    amount = money_field("amount", description="The change: positive adds to the balance, negative takes from it.")
    balance_after = money_field("balance_after", description="The balance right after this change.")

    actor = related_field(Account, readable_accounts, "actor_id", description="Who made the change, if you may see that account.")


@strawberry.type(description="A withdrawal request (提现): the amount leaves the balance when requested and returns if finance rejects it.", directives=[PUBLIC])
class Withdrawal(ModelNode):
    model = m.Withdrawal
    readable = readable_withdrawals

    status: WithdrawalStatus = strawberry.field(description="Where the request stands.")
    rejection_reason: str = strawberry.field(description="Why finance rejected it; empty unless REJECTED.")
    created_at: datetime = strawberry.field(description="When it was requested.")
    reviewed_at: datetime | None = strawberry.field(description="When finance approved or rejected it.")
    paid_at: datetime | None = strawberry.field(description="When it was paid out.")

    amount = money_field("amount", description="The amount requested.")

    requested_by = related_field(Account, readable_accounts, "requested_by_id", description="Who requested it, if you may see that account.")
    reviewed_by = related_field(Account, readable_accounts, "reviewed_by_id", description="Who reviewed it, if you may see that account.")

    @strawberry.field(description="The partner whose balance it draws on.", metadata=reads("wallet_id"))
    async def partner(
        self, root: strawberry.Parent[m.Withdrawal], info: strawberry.Info,
    ) -> Annotated[Partner, strawberry.lazy("schema.partners.types")] | None:
        wallet = await info.context.load(readable_wallets, root.wallet_id)
        return await info.context.load(readable_partners, wallet.partner_id) if wallet else None


@strawberry.type(description="A balance alert (余额预警): a change took the balance from at or above the threshold to below it.", directives=[PUBLIC])
class BalanceAlert(ModelNode):
    model = m.BalanceAlert
    readable = readable_balance_alerts

    created_at: datetime = strawberry.field(description="When the balance crossed the threshold.")

    balance = money_field("balance", description="The balance after the change that crossed the threshold.")
    threshold = money_field("threshold", description="The alert threshold in force at that moment.")
