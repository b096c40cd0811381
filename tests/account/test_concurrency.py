"""Money under concurrency: no balance is spent twice, no idempotency key applies twice."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from models.account import LedgerEntry, LedgerEntryKind, Wallet, Withdrawal
from models.safeguards import IdempotencyRecord
from tests.account.documents import RECHARGE, WITHDRAW
from tests.account.support import assert_ledger_adds_up
from tests.factories import create_funded_partner
from tests.graphql import pk_of


async def test_fifty_concurrent_withdrawals_never_overdraw(gql):
    _, main, wallet = await create_funded_partner(balance="1000.00")
    responses = await asyncio.gather(*(
        gql.as_(main.name, WITHDRAW, {"input": {"amount": "100.00"}}) for _ in range(50)))
    payloads = [r.ok()["accountWithdraw"] for r in responses]
    succeeded = [p for p in payloads if p["withdrawal"] is not None]
    refused = [p for p in payloads if p["withdrawal"] is None]
    assert len(succeeded) == 10 and all(p["userErrors"] == [] for p in succeeded)
    assert len(refused) == 40 and all([e["code"] for e in p["userErrors"]] == ["INSUFFICIENT_FUNDS"] for p in refused)

    assert (await Wallet.get(id=wallet.id)).balance == Decimal("0.00")
    withdrawals = await Withdrawal.filter(wallet_id=wallet.id)
    assert len(withdrawals) == 10 and sum(w.amount for w in withdrawals) == Decimal("1000.00")
    assert {w.id for w in withdrawals} == {pk_of(p["withdrawal"]["id"]) for p in succeeded}
    entries = await assert_ledger_adds_up(wallet)
    taken = [e for e in entries if e.kind == LedgerEntryKind.WITHDRAWAL]
    assert len(taken) == 10 and sum(e.amount for e in taken) == Decimal("-1000.00")
    # Each entry's balance_after is its own step down: 900, 800, ... 0, each exactly once.
    assert sorted(e.balance_after for e in taken) == [Decimal(100 * i) for i in range(10)]


async def test_concurrent_calls_with_one_key_apply_once(gql):
    _, main, wallet = await create_funded_partner(balance="100.00")
    variables = {"input": {"amount": "25.00", "idempotencyKey": "recharge-2024-06-01"}}
    first, second = await asyncio.gather(gql.as_(main.name, RECHARGE, variables), gql.as_(main.name, RECHARGE, variables))
    a, b = first.ok()["accountRecharge"], second.ok()["accountRecharge"]
    assert a["userErrors"] == [] and b["userErrors"] == []
    assert a["ledgerEntry"] == b["ledgerEntry"] and a["ledgerEntry"] is not None
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("125.00")
    assert await LedgerEntry.filter(wallet_id=wallet.id, kind=LedgerEntryKind.RECHARGE).count() == 2  # opening + one

    # A later repeat replays too; the same key with other input is a client bug.
    again = (await gql.as_(main.name, RECHARGE, variables)).ok()["accountRecharge"]
    assert again["ledgerEntry"] == a["ledgerEntry"] and again["partner"]["balance"] == {"amount": "125.00"}
    other = {"input": {"amount": "26.00", "idempotencyKey": "recharge-2024-06-01"}}
    conflict = (await gql.as_(main.name, RECHARGE, other)).ok()["accountRecharge"]
    assert conflict["ledgerEntry"] is None and conflict["userErrors"] == [{"field": ["idempotencyKey"], "code": "CONFLICT"}]
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("125.00")
    await assert_ledger_adds_up(wallet)


async def test_concurrent_withdrawals_with_one_key_apply_once(gql):
    _, main, wallet = await create_funded_partner(balance="100.00")
    variables = {"input": {"amount": "60.00", "idempotencyKey": "wd-1"}}
    responses = await asyncio.gather(*(gql.as_(main.name, WITHDRAW, variables) for _ in range(5)))
    payloads = [r.ok()["accountWithdraw"] for r in responses]
    assert all(p["userErrors"] == [] for p in payloads)
    assert len({p["withdrawal"]["id"] for p in payloads}) == 1
    assert await Withdrawal.filter(wallet_id=wallet.id).count() == 1
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("40.00")
    # Keys are per caller and action: the same key on another action is independent.
    recharge = (await gql.as_(main.name, RECHARGE, {"input": {"amount": "1.00", "idempotencyKey": "wd-1"}})).ok()["accountRecharge"]
    assert recharge["userErrors"] == []
    assert await IdempotencyRecord.filter(account_id=main.id).count() == 2


async def test_a_refused_call_does_not_burn_its_key(gql):
    _, main, wallet = await create_funded_partner(balance="10.00")
    variables = {"input": {"amount": "20.00", "idempotencyKey": "retry-me"}}
    refused = (await gql.as_(main.name, WITHDRAW, variables)).ok()["accountWithdraw"]
    assert [e["code"] for e in refused["userErrors"]] == ["INSUFFICIENT_FUNDS"]
    assert not await IdempotencyRecord.filter(account_id=main.id).exists()
    await gql.as_(main.name, RECHARGE, {"input": {"amount": "10.00"}})
    assert (await gql.as_(main.name, WITHDRAW, variables)).ok()["accountWithdraw"]["userErrors"] == []
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("0.00")
