"""Withdrawals: request, finance review (approve, reject with the money back, pay), refusals change nothing."""

from __future__ import annotations

from decimal import Decimal

from models.account import (
    LedgerEntry,
    LedgerEntryKind,
    Wallet,
    Withdrawal,
    WithdrawalStatus,
)
from models.audit import AuditOutcome, AuditRecord
from tests.account.documents import APPROVE, REVIEW_PAYLOAD, WALLET, WITHDRAW, WITHDRAWAL
from tests.account.support import assert_ledger_adds_up
from tests.callers import Caller, Mutated, mutate
from tests.factories import create_funded_partner
from tests.graphql import pk_of, user_error_codes


async def withdraw(gql, caller: str, amount: str, **extra) -> dict:
    return (await gql.as_(caller, WITHDRAW, {"input": {"amount": amount, **extra}})).ok()["accountWithdraw"]


async def review(caller: Caller, action: str, withdrawal_id: str, **extra) -> Mutated:
    return await mutate(caller, action, {"id": withdrawal_id, **extra}, select=REVIEW_PAYLOAD)


async def test_withdraw_then_approve_then_pay(gql, as_staff_finance):
    _, main, wallet = await create_funded_partner(balance="1000.00")
    requested = await withdraw(gql, main.name, "300.00")
    assert requested["userErrors"] == []
    withdrawal = requested["withdrawal"]
    assert withdrawal["status"] == "PENDING" and withdrawal["amount"] == {"amount": "300.00", "currency": "CNY"}
    assert withdrawal["partner"]["balance"] == {"amount": "700.00"} and withdrawal["requestedBy"]["name"] == main.name

    read = (await gql.as_(main.name, WALLET)).ok()["viewer"]["partner"]
    assert read["balance"] == {"amount": "700.00"} and read["allocatableBalance"] == {"amount": "700.00"}
    assert read["withdrawals"]["totalCount"] == 1 and read["pending"]["totalCount"] == 1
    newest = read["ledger"]["nodes"][0]
    assert newest["kind"] == "WITHDRAWAL" and newest["amount"] == {"amount": "-300.00"}
    assert newest["balanceAfter"] == {"amount": "700.00"} and newest["actor"]["name"] == main.name

    approved = await review(as_staff_finance, "withdrawalApprove", withdrawal["id"])
    assert approved["userErrors"] == [] and approved["withdrawal"]["status"] == "APPROVED"
    assert approved["withdrawal"]["reviewedAt"] and approved["withdrawal"]["reviewedBy"]["name"] == "staff.finance"
    paid = await review(as_staff_finance, "withdrawalMarkPaid", withdrawal["id"])
    assert paid["userErrors"] == [] and paid["withdrawal"]["status"] == "PAID" and paid["withdrawal"]["paidAt"]

    # Paying out moves no money: it left the balance when it was requested.
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("700.00")
    entries = await assert_ledger_adds_up(wallet)
    assert [e.kind for e in entries] == [LedgerEntryKind.RECHARGE, LedgerEntryKind.WITHDRAWAL]
    for action, actor in (("accountWithdraw", main.id), ("withdrawalApprove", None), ("withdrawalMarkPaid", None)):
        records = AuditRecord.filter(action=action, outcome=AuditOutcome.SUCCESS, target=f"Withdrawal:{pk_of(withdrawal['id'])}")
        assert await records.exists(), action
        if actor:
            assert await records.filter(actor_id=actor).exists()


async def test_reject_returns_the_amount(gql, as_staff_finance):
    _, main, wallet = await create_funded_partner(balance="1000.00")
    withdrawal = (await withdraw(gql, main.name, "250.50"))["withdrawal"]
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("749.50")

    missing_reason = await review(as_staff_finance, "withdrawalReject", withdrawal["id"], reason="  ")
    assert missing_reason.codes == ["REQUIRED"]
    too_long = await review(as_staff_finance, "withdrawalReject", withdrawal["id"], reason="x" * 501)
    assert too_long.codes == ["TOO_LONG"]
    assert (await Withdrawal.get(id=pk_of(withdrawal["id"]))).status == WithdrawalStatus.PENDING

    rejected = await review(as_staff_finance, "withdrawalReject", withdrawal["id"], reason="The bank account is not verified.")
    assert rejected["userErrors"] == []
    assert rejected["withdrawal"]["status"] == "REJECTED"
    assert rejected["withdrawal"]["rejectionReason"] == "The bank account is not verified."
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("1000.00")
    entries = await assert_ledger_adds_up(wallet)
    assert [(e.kind, e.amount) for e in entries[1:]] == [
        (LedgerEntryKind.WITHDRAWAL, Decimal("-250.50")), (LedgerEntryKind.WITHDRAWAL_REVERSAL, Decimal("250.50"))]
    assert entries[-1].actor_id == (await as_staff_finance.account()).id
    # The partner reads the rejection and its reason.
    read = (await gql.as_(main.name, WALLET)).ok()["viewer"]["partner"]
    assert read["withdrawals"]["nodes"][0]["status"] == "REJECTED" and read["pending"]["totalCount"] == 0


async def test_illegal_withdrawal_transitions_change_nothing(gql, as_staff_finance):
    _, main, wallet = await create_funded_partner(balance="1000.00")
    pending = (await withdraw(gql, main.name, "100.00"))["withdrawal"]["id"]
    rejected = (await withdraw(gql, main.name, "100.00"))["withdrawal"]["id"]
    paid = (await withdraw(gql, main.name, "100.00"))["withdrawal"]["id"]
    (await review(as_staff_finance, "withdrawalReject", rejected, reason="Duplicate request.")).ok()
    (await review(as_staff_finance, "withdrawalApprove", paid)).ok()
    (await review(as_staff_finance, "withdrawalMarkPaid", paid)).ok()
    before = {w.id: (w.status, w.reviewed_at, w.paid_at) for w in await Withdrawal.filter(wallet_id=wallet.id)}
    ledger_before = await LedgerEntry.filter(wallet_id=wallet.id).count()
    balance_before = (await Wallet.get(id=wallet.id)).balance

    for action, target, extra in [
        ("withdrawalMarkPaid", pending, {}),  # not approved yet
        ("withdrawalApprove", rejected, {}),
        ("withdrawalReject", rejected, {"reason": "Again."}),
        ("withdrawalMarkPaid", rejected, {}),
        ("withdrawalApprove", paid, {}),
        ("withdrawalReject", paid, {"reason": "Too late."}),
        ("withdrawalMarkPaid", paid, {}),
    ]:
        refused = await review(as_staff_finance, action, target, **extra)
        assert refused["withdrawal"] is None and refused.codes == ["INVALID_STATE"], (action, target)

    assert {w.id: (w.status, w.reviewed_at, w.paid_at) for w in await Withdrawal.filter(wallet_id=wallet.id)} == before
    assert await LedgerEntry.filter(wallet_id=wallet.id).count() == ledger_before
    assert (await Wallet.get(id=wallet.id)).balance == balance_before
    assert await AuditRecord.filter(action="withdrawalMarkPaid", outcome=AuditOutcome.USER_ERROR).exists()


async def test_withdrawing_more_than_the_balance_changes_nothing(gql):
    _, main, wallet = await create_funded_partner(balance="100.00")
    refused = await withdraw(gql, main.name, "100.01")
    assert refused["withdrawal"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INSUFFICIENT_FUNDS", ["amount"])]
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("100.00")
    assert not await Withdrawal.filter(wallet_id=wallet.id).exists()
    assert await LedgerEntry.filter(wallet_id=wallet.id).count() == 1
    assert await AuditRecord.filter(action="accountWithdraw", outcome=AuditOutcome.USER_ERROR, actor_id=main.id).exists()
    # The whole balance can go.
    assert (await withdraw(gql, main.name, "100.00"))["userErrors"] == []
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("0.00")


async def test_amount_rules(gql):
    _, main, wallet = await create_funded_partner(balance="1000.00")
    for amount, code in [("0", "INVALID"), ("-5.00", "INVALID"), ("1.001", "INVALID"), ("NaN", "INVALID"),
                         ("100000000.01", "LIMIT_EXCEEDED")]:
        refused = await withdraw(gql, main.name, amount)
        assert user_error_codes(refused) == [code], amount
    # Trailing zeros are still two decimal places.
    assert (await withdraw(gql, main.name, "1.500"))["withdrawal"]["amount"]["amount"] == "1.50"
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("998.50")


async def test_withdrawal_lowers_the_allocatable_balance_only_when_it_must(gql):
    _, main, wallet = await create_funded_partner(balance="1000.00", allocatable="900.00")
    await withdraw(gql, main.name, "300.00")  # 700 left: allocatable 900 is capped to it
    assert (await Wallet.get(id=wallet.id)).allocatable_balance == Decimal("700.00")
    _, other, small = await create_funded_partner(balance="1000.00", allocatable="100.00")
    await withdraw(gql, other.name, "300.00")  # 700 left: allocatable 100 still fits
    assert (await Wallet.get(id=small.id)).allocatable_balance == Decimal("100.00")


async def test_review_needs_the_finance_permission(gql, as_finance_specialist, as_staff_operations):
    _, main, _ = await create_funded_partner()
    withdrawal = (await withdraw(gql, main.name, "10.00"))["withdrawal"]["id"]
    for caller in (Caller(gql, main.name), as_staff_operations, as_finance_specialist):
        response = await caller.query(APPROVE, {"input": {"id": withdrawal}})
        assert response.data is None
        assert response.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "account.withdrawal.review"}
    assert (await Withdrawal.get(id=pk_of(withdrawal))).status == WithdrawalStatus.PENDING
    assert await AuditRecord.filter(action="withdrawalApprove", outcome=AuditOutcome.DENIED, actor_id=main.id).exists()


async def test_withdrawals_are_the_partners_own_business(gql, as_distributor_admin, as_staff_finance):
    _, main, _ = await create_funded_partner()
    _, stranger, _ = await create_funded_partner()
    withdrawal = (await withdraw(gql, main.name, "10.00"))["withdrawal"]["id"]
    assert (await gql.as_(stranger.name, WITHDRAWAL, {"id": withdrawal})).codes == ["NOT_FOUND"]
    assert (await as_distributor_admin.query(WITHDRAWAL, {"id": withdrawal})).codes == ["NOT_FOUND"]
    assert (await as_staff_finance.query(WITHDRAWAL, {"id": withdrawal})).ok()["node"]["status"] == "PENDING"
    assert (await gql.as_(main.name, WITHDRAWAL, {"id": withdrawal})).ok()["node"]["id"] == withdrawal
    # A foreign withdrawal cannot be reviewed by ID guessing either: finance staff only.
    assert (await gql.as_(stranger.name, WALLET)).ok()["viewer"]["partner"]["withdrawals"]["totalCount"] == 0
