"""Account rows a caller may read: its own partner's wallet only; staff who may view balances, all.
The same rule as `readable_wallets`: a distributor never reads its resellers' money.
"""

from __future__ import annotations

from models.account import BalanceAlert, LedgerEntry, Withdrawal
from resolvers.permissions.catalog import Permission
from resolvers.scoping import scoped

readable_ledger_entries = scoped(LedgerEntry, tenant="wallet__partner_id", staff=Permission.ACCOUNT_BALANCE_VIEW)
readable_withdrawals = scoped(Withdrawal, tenant="wallet__partner_id", staff=Permission.ACCOUNT_BALANCE_VIEW)
readable_balance_alerts = scoped(BalanceAlert, tenant="wallet__partner_id", staff=Permission.ACCOUNT_BALANCE_VIEW)
