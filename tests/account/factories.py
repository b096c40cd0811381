"""Fresh partners with a main account and a wallet, so account tests never touch the demo balances."""

from __future__ import annotations

from decimal import Decimal

from models.account import LedgerEntry, LedgerEntryKind, Wallet
from models.members import Account, AccountKind
from models.partners import Partner, PartnerIdentity
from models.safeguards import VerificationPurpose
from resolvers.principal import principal_for
from resolvers.safeguards import issue_code
from tests.factories import create_account, unique
from tests.graphql import gid, pk_of  # noqa: F401 - re-exported: the tests import it from here


async def create_funded_partner(
    *, identities: tuple[PartnerIdentity, ...] = (PartnerIdentity.SOLUTION_PROVIDER,), balance: str = "1000.00",
    allocatable: str | None = None, threshold: str | None = None, verification: bool = False, parent: Partner | None = None,
) -> tuple[Partner, Account, Wallet]:
    """A partner, its main account and its wallet; an opening RECHARGE entry keeps the ledger adding up."""
    partner = await Partner.create(
        name=unique("Test Partner"), region="cn-north-4", identities=[i.value for i in identities],
        verification_code_enabled=verification, parent_distributor=parent,
    )
    main = await create_account(partner, name=unique("test.main"), kind=AccountKind.MAIN_ACCOUNT)
    amount = Decimal(balance)
    wallet = await Wallet.create(
        partner=partner, balance=amount, allocatable_balance=Decimal(allocatable if allocatable is not None else balance),
        alert_threshold=Decimal(threshold) if threshold is not None else None,
    )
    if amount:
        await LedgerEntry.create(wallet=wallet, kind=LedgerEntryKind.RECHARGE, amount=amount, balance_after=amount,
                                 actor=main, reference="OPENING")
    return partner, main, wallet


async def code_for(account: Account, purpose: VerificationPurpose) -> str:
    code, _ = await issue_code(await principal_for(account.id), purpose)
    return code


async def wallet_of(partner: Partner) -> Wallet:
    return await Wallet.get(partner_id=partner.id)


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
