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
from models.members import Account
from tests.account.factories import assert_ledger_adds_up, create_funded_partner, pk_of

WITHDRAW = """mutation($input: AccountWithdrawInput!) { accountWithdraw(input: $input) {
    withdrawal { id status amount { amount currency } partner { id balance { amount } } requestedBy { name } }
    userErrors { field code message } } }"""
REVIEW_FIELDS = "withdrawal { id status rejectionReason reviewedAt paidAt reviewedBy { name } } userErrors { field code message }"
APPROVE = f"mutation($input: WithdrawalApproveInput!) {{ withdrawalApprove(input: $input) {{ {REVIEW_FIELDS} }} }}"
REJECT = f"mutation($input: WithdrawalRejectInput!) {{ withdrawalReject(input: $input) {{ {REVIEW_FIELDS} }} }}"
PAY = f"mutation($input: WithdrawalMarkPaidInput!) {{ withdrawalMarkPaid(input: $input) {{ {REVIEW_FIELDS} }} }}"
READ = """{ viewer { partner { balance { amount } allocatableBalance { amount }
    withdrawals(first: 10) { totalCount nodes { id status amount { amount } } }
    pending: withdrawals(filter: {status: PENDING}) { totalCount }
    ledger(first: 10) { totalCount nodes { kind amount { amount } balanceAfter { amount } reference actor { name } } } } } }"""


async def withdraw(gql, caller: str, amount: str, **extra) -> dict:
    return (await gql.as_(caller, WITHDRAW, {"input": {"amount": amount, **extra}})).ok()["accountWithdraw"]


async def review(gql, document: str, withdrawal_id: str, caller: str = "staff.finance", **extra) -> dict:
    data = (await gql.as_(caller, document, {"input": {"id": withdrawal_id, **extra}})).ok()
    return next(iter(data.values()))


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def test_withdraw_then_approve_then_pay(gql):
    _, main, wallet = await create_funded_partner(balance="1000.00")
    requested = await withdraw(gql, main.name, "300.00")
    assert requested["userErrors"] == []
    withdrawal = requested["withdrawal"]
    assert withdrawal["status"] == "PENDING" and withdrawal["amount"] == {"amount": "300.00", "currency": "CNY"}
    assert withdrawal["partner"]["balance"] == {"amount": "700.00"} and withdrawal["requestedBy"]["name"] == main.name

    read = (await gql.as_(main.name, READ)).ok()["viewer"]["partner"]
    assert read["balance"] == {"amount": "700.00"} and read["allocatableBalance"] == {"amount": "700.00"}
    assert read["withdrawals"]["totalCount"] == 1 and read["pending"]["totalCount"] == 1
    newest = read["ledger"]["nodes"][0]
    assert newest["kind"] == "WITHDRAWAL" and newest["amount"] == {"amount": "-300.00"}
    assert newest["balanceAfter"] == {"amount": "700.00"} and newest["actor"]["name"] == main.name

    approved = await review(gql, APPROVE, withdrawal["id"])
    assert approved["userErrors"] == [] and approved["withdrawal"]["status"] == "APPROVED"
    assert approved["withdrawal"]["reviewedAt"] and approved["withdrawal"]["reviewedBy"]["name"] == "staff.finance"
    paid = await review(gql, PAY, withdrawal["id"])
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


async def test_reject_returns_the_amount(gql):
    _, main, wallet = await create_funded_partner(balance="1000.00")
    withdrawal = (await withdraw(gql, main.name, "250.50"))["withdrawal"]
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("749.50")

    missing_reason = await review(gql, REJECT, withdrawal["id"], reason="  ")
    assert codes(missing_reason) == ["REQUIRED"]
    too_long = await review(gql, REJECT, withdrawal["id"], reason="x" * 501)
    assert codes(too_long) == ["TOO_LONG"]
    assert (await Withdrawal.get(id=pk_of(withdrawal["id"]))).status == WithdrawalStatus.PENDING

    rejected = await review(gql, REJECT, withdrawal["id"], reason="The bank account is not verified.")
    assert rejected["userErrors"] == []
    assert rejected["withdrawal"]["status"] == "REJECTED"
    assert rejected["withdrawal"]["rejectionReason"] == "The bank account is not verified."
    assert (await Wallet.get(id=wallet.id)).balance == Decimal("1000.00")
    entries = await assert_ledger_adds_up(wallet)
    assert [(e.kind, e.amount) for e in entries[1:]] == [
        (LedgerEntryKind.WITHDRAWAL, Decimal("-250.50")), (LedgerEntryKind.WITHDRAWAL_REVERSAL, Decimal("250.50"))]
    assert entries[-1].actor_id == (await Account.get(name="staff.finance")).id
    # The partner reads the rejection and its reason.
    read = (await gql.as_(main.name, READ)).ok()["viewer"]["partner"]
    assert read["withdrawals"]["nodes"][0]["status"] == "REJECTED" and read["pending"]["totalCount"] == 0


async def test_illegal_withdrawal_transitions_change_nothing(gql):
    _, main, wallet = await create_funded_partner(balance="1000.00")
    pending = (await withdraw(gql, main.name, "100.00"))["withdrawal"]["id"]
    rejected = (await withdraw(gql, main.name, "100.00"))["withdrawal"]["id"]
    paid = (await withdraw(gql, main.name, "100.00"))["withdrawal"]["id"]
    await review(gql, REJECT, rejected, reason="Duplicate request.")
    await review(gql, APPROVE, paid)
    await review(gql, PAY, paid)
    before = {w.id: (w.status, w.reviewed_at, w.paid_at) for w in await Withdrawal.filter(wallet_id=wallet.id)}
    ledger_before = await LedgerEntry.filter(wallet_id=wallet.id).count()
    balance_before = (await Wallet.get(id=wallet.id)).balance

    for document, target, extra in [
        (PAY, pending, {}),  # not approved yet
        (APPROVE, rejected, {}),
        (REJECT, rejected, {"reason": "Again."}),
        (PAY, rejected, {}),
        (APPROVE, paid, {}),
        (REJECT, paid, {"reason": "Too late."}),
        (PAY, paid, {}),
    ]:
        refused = await review(gql, document, target, **extra)
        assert refused["withdrawal"] is None and codes(refused) == ["INVALID_STATE"], (document, target)

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
        assert codes(refused) == [code], amount
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


async def test_review_needs_the_finance_permission(gql):
    _, main, _ = await create_funded_partner()
    withdrawal = (await withdraw(gql, main.name, "10.00"))["withdrawal"]["id"]
    for caller in (main.name, "staff.operations", "distributor.finance"):
        response = await gql.as_(caller, APPROVE, {"input": {"id": withdrawal}})
        assert response.data is None
        assert response.errors[0]["extensions"] == {"code": "FORBIDDEN", "permission": "account.withdrawal.review"}
    assert (await Withdrawal.get(id=pk_of(withdrawal))).status == WithdrawalStatus.PENDING
    assert await AuditRecord.filter(action="withdrawalApprove", outcome=AuditOutcome.DENIED, actor_id=main.id).exists()


async def test_withdrawals_are_the_partners_own_business(gql):
    _, main, _ = await create_funded_partner()
    _, stranger, _ = await create_funded_partner()
    withdrawal = (await withdraw(gql, main.name, "10.00"))["withdrawal"]["id"]
    node = "query($id: ID!) { node(id: $id) { ... on Withdrawal { id status } } }"
    assert (await gql.as_(stranger.name, node, {"id": withdrawal})).codes == ["NOT_FOUND"]
    assert (await gql.as_("distributor.admin", node, {"id": withdrawal})).codes == ["NOT_FOUND"]
    assert (await gql.as_("staff.finance", node, {"id": withdrawal})).ok()["node"]["status"] == "PENDING"
    assert (await gql.as_(main.name, node, {"id": withdrawal})).ok()["node"]["id"] == withdrawal
    # A foreign withdrawal cannot be reviewed by ID guessing either: finance staff only.
    assert (await gql.as_(stranger.name, READ)).ok()["viewer"]["partner"]["withdrawals"]["totalCount"] == 0
