"""The invariant every account test ends on: a wallet's ledger adds up to its balance."""

from __future__ import annotations

from decimal import Decimal

from models.account import LedgerEntry, Wallet


async def assert_ledger_adds_up(wallet: Wallet) -> list[LedgerEntry]:
    """Every entry's balance_after is the running sum, and the last one is the balance now."""
    entries = await LedgerEntry.filter(wallet_id=wallet.id).order_by("id")
    running = Decimal("0.00")
    for entry in entries:
        running += entry.amount
        assert entry.balance_after == running, (entry.kind, entry.amount, entry.balance_after, running)
    current = await Wallet.get(id=wallet.id)
    assert current.balance == running
    return entries
