"""Wallets, and fresh partners with a main account and a wallet, so account tests never touch the demo balances."""

from __future__ import annotations

from decimal import Decimal

from models.account import LedgerEntry, LedgerEntryKind, Wallet
from models.members import Account
from models.partners import Partner, PartnerIdentity
from tests.factories.members import create_main_account
from tests.factories.partners import create_partner


async def create_wallet(partner: Partner, *, balance: str = "1000.00", allocatable: str | None = None,
                        threshold: str | None = None, actor: Account | None = None) -> Wallet:
    """`partner`'s wallet; an opening RECHARGE entry (by `actor`) keeps the ledger adding up."""
    amount = Decimal(balance)
    wallet = await Wallet.create(
        partner=partner, balance=amount, allocatable_balance=Decimal(allocatable if allocatable is not None else balance),
        alert_threshold=Decimal(threshold) if threshold is not None else None,
    )
    if amount:
        await LedgerEntry.create(wallet=wallet, kind=LedgerEntryKind.RECHARGE, amount=amount, balance_after=amount,
                                 actor=actor, reference="OPENING")
    return wallet


async def create_funded_partner(
    *identities: PartnerIdentity, balance: str = "1000.00", allocatable: str | None = None, threshold: str | None = None,
    **overrides,
) -> tuple[Partner, Account, Wallet]:
    """A partner (`identities` and `overrides` as for create_partner), its main account and its wallet."""
    partner = await create_partner(*identities, **overrides)
    main = await create_main_account(partner)
    wallet = await create_wallet(partner, balance=balance, allocatable=allocatable, threshold=threshold, actor=main)
    return partner, main, wallet
