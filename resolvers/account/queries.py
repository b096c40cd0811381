"""Account rows a caller may read: its own partner's wallet only; staff who may view balances, all.

The same rule as `readable_wallets`: a distributor never reads its resellers' money.
"""

from __future__ import annotations

from typing import Any

from tortoise.queryset import QuerySet

from models.account import BalanceAlert, LedgerEntry, Withdrawal
from resolvers.principal import Principal
from resolvers.scoping import own_partner_rows
from resolvers.permissions.catalog import Permission


def _wallet_scoped(principal: Principal, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return own_partner_rows(principal, queryset, partner_field="wallet__partner_id", staff_permission=Permission.ACCOUNT_BALANCE_VIEW)


def readable_ledger_entries(principal: Principal) -> QuerySet[LedgerEntry]:
    return _wallet_scoped(principal, LedgerEntry.all())


def readable_withdrawals(principal: Principal) -> QuerySet[Withdrawal]:
    return _wallet_scoped(principal, Withdrawal.all())


def readable_balance_alerts(principal: Principal) -> QuerySet[BalanceAlert]:
    return _wallet_scoped(principal, BalanceAlert.all())
